"""Fuzzes the playground API from its own OpenAPI document (GET /api/openapi.json, generated from
LabKit's option definitions) with schemathesis: valid and invalid values for every parameter of every
endpoint. Checks: no 5xx; status codes, content types and bodies as documented; and every 4xx is JSON
naming one of the request's parameters (api_hooks.py).

    Tests/Browser/python Tests/Browser/test_api_schema.py URL [MAX_EXAMPLES]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ["SCHEMATHESIS_HOOKS"] = "api_hooks"

from schemathesis.cli import schemathesis  # noqa: E402

url = sys.argv[1].rstrip("/")
examples = sys.argv[2] if len(sys.argv) > 2 else "40"
checks = ",".join(["not_a_server_error", "status_code_conformance", "content_type_conformance",
                   "response_schema_conformance", "refusals_name_their_parameter"])
sys.argv = ["schemathesis", "run", url + "/api/openapi.json", "--checks", checks, "--max-examples", examples,
            "--seed", "20261208", "--workers", "2", "--phases", "examples,coverage,fuzzing",
            "--request-timeout", "120", "--no-color"]
sys.exit(schemathesis())
