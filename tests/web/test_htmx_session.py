"""An expired session during an HTMX request sends the whole page to the login form (issue 14)."""

from __future__ import annotations

from tests.web.conftest import WebEnv


def test_htmx_request_without_session_redirects_the_whole_page(web: WebEnv) -> None:
    c = web.client()
    r = c.get("/submissions", headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/submissions"})
    # not a 303 that htmx would follow and swap the login form into the page
    assert r.status_code == 200 and r.headers["HX-Redirect"] == "/login?next=/submissions"
    assert r.text == ""
    r = c.get("/submissions")  # a plain browser request keeps the ordinary redirect
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
