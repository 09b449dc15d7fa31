"""Property-based requests generated from the OpenAPI document (schemathesis 4): no server error.

Authenticated as admin (every operation reachable), positive and negative (schema-violating)
cases, bounded examples per operation. ``PATCH /users/{username}`` runs last so that a
generated change to a user cannot lock the admin out before the others ran.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from tests.web.conftest import WebEnv

EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 5}


@pytest.mark.slow
def test_openapi_document_finds_no_server_error(web: WebEnv) -> None:
    (web.tmp / "reports").mkdir(exist_ok=True)
    (web.tmp / "reports" / "example.html").write_text("<p>r</p>")
    schema = schemathesis.openapi.from_asgi("/openapi.json", web.app)
    ops = [r.ok() for r in schema.get_all_operations()]
    ops.sort(key=lambda op: (op.method.upper() == "PATCH", op.path))
    assert len(ops) >= 25
    auth = {"Authorization": f"Bearer {web.tokens['admin']}"}
    failures: list[str] = []
    calls = 0
    for op in ops:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @settings(max_examples=EXAMPLES[mode], deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            @given(case=op.as_strategy(generation_mode=mode))
            def run(case: schemathesis.Case) -> None:
                nonlocal calls
                response = case.call(headers=auth)
                calls += 1
                if response.status_code >= 500:
                    failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: "
                                    f"{response.text[:200]}")

            try:
                run()
            except Unsatisfiable:  # nothing to break in an operation without inputs
                assert mode == GenerationMode.NEGATIVE
    assert calls > len(ops) * 4
    assert not failures, "\n".join(failures[:20])
