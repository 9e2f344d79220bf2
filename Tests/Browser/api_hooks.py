"""schemathesis checks of the playground API beyond the standard ones (loaded by
Tests/Browser/test_api_schema.py through SCHEMATHESIS_HOOKS): every refusal is JSON that says why,
and a refused query names the parameter it is about (a 405 names the methods allowed instead)."""
import schemathesis


@schemathesis.check
def refusals_name_their_parameter(ctx, response, case):
    if not 400 <= response.status_code < 500:
        return None
    body = response.json()
    assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"], \
        "a %d without an error message: %r" % (response.status_code, response.text[:200])
    if response.status_code == 405:  # a method other than GET or HEAD: about the method, not a parameter
        assert response.headers.get("allow") or response.headers.get("Allow"), "a 405 without Allow"
        return None
    names = {p.name for p in case.operation.query} | set((case.query or {}).keys())
    named = body.get("parameter")
    # The server cuts a name it echoes at 40 characters.
    assert named in names or (isinstance(named, str) and len(named) == 40 and any(n.startswith(named) for n in names)), \
        "the refusal %r names %r, not one of the request's parameters %s" % (body["error"], body.get("parameter"), sorted(names))
    return None
