"""Property-based requests generated from the OpenAPI document (schemathesis 4): no server error,
every status that comes back is documented for its operation, and every error body is RFC 9457
``application/problem+json`` matching the documented problem schema (issue 11).

Authenticated as admin (every operation reachable), positive and negative (schema-violating)
cases, bounded examples per operation. ``PATCH /users/{username}`` and ``DELETE /tokens/{id}`` run
last so that a generated change cannot lock the admin out before the others ran.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from planmon.web.problems import Problem
from tests.web.conftest import WebEnv

PROBLEM_KEYS = {k for k, f in Problem.model_fields.items() if f.is_required()} | {"type", "instance"}


def problem_errors(status: int, content_type: str, body: object) -> list[str]:
    """What is wrong with an error answer (empty when it is a proper problem document)."""
    out = []
    if not content_type.startswith("application/problem+json"):
        out.append(f"content-type {content_type}")
    if not isinstance(body, dict):
        return [*out, "body is not an object"]
    missing = PROBLEM_KEYS - set(body)
    if missing:
        out.append(f"missing {sorted(missing)}")
    if body.get("status") != status:
        out.append(f"status {body.get('status')} != {status}")
    for k in ("title", "detail", "code", "message_zh", "message_en", "type"):
        if k in body and not (isinstance(body[k], str) and body[k]):
            out.append(f"{k} empty or not text")
    if "/tmp/" in str(body) or "Traceback" in str(body):
        out.append("server path or traceback in the body")
    return out


EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 5}


@pytest.mark.slow
def test_openapi_document_finds_no_server_error(web: WebEnv) -> None:
    (web.tmp / "reports").mkdir(exist_ok=True)
    (web.tmp / "reports" / "example.html").write_text("<p>r</p>")
    schema = schemathesis.openapi.from_asgi("/openapi.json", web.app)
    ops = [r.ok() for r in schema.get_all_operations()]
    ops.sort(key=lambda op: (op.method.upper() in ("PATCH", "DELETE"), op.path))
    doc = web.client().get("/openapi.json").json()
    assert len(ops) >= 25
    auth = {"Authorization": f"Bearer {web.tokens['admin']}"}
    failures: list[str] = []
    calls = 0
    documented_of = {(op.method.lower(), op.path): set(doc["paths"][op.path][op.method.lower()]["responses"])
                     for op in ops}
    for op in ops:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @settings(max_examples=EXAMPLES[mode], deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            @given(case=op.as_strategy(generation_mode=mode))
            def run(case: schemathesis.Case) -> None:
                nonlocal calls
                response = case.call(headers=auth)
                calls += 1
                code = response.status_code
                where = f"{case.method} {case.formatted_path} -> {code}"
                op_key = (case.method.lower(), case.operation.path)
                if code >= 500:
                    failures.append(f"{where}: {response.text[:200]}")
                if str(code) not in documented_of[op_key] and "default" not in documented_of[op_key]:
                    failures.append(f"{where}: status not documented ({sorted(documented_of[op_key])})")
                if code >= 400:
                    ctype = response.headers.get("content-type", "")
                    ctype = ctype[0] if isinstance(ctype, list) else ctype
                    try:
                        body = response.json()
                    except ValueError:
                        body = None
                    bad = problem_errors(code, ctype, body)
                    if bad:
                        failures.append(f"{where}: not a problem document: {bad}")

            try:
                run()
            except Unsatisfiable:  # nothing to break in an operation without inputs
                assert mode == GenerationMode.NEGATIVE
    assert calls > len(ops) * 4
    assert not failures, "\n".join(failures[:20])
