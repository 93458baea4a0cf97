"""OpenAPI post-processing: every partner operation documents the errors it can answer.

drf-spectacular describes the successful answers from the views' serializers; the error answers
come from the shared machinery (authentication, scopes, unknown parameters, throttling, 404s),
so they are added here, once, with the bodies DRF gives them.
"""

from __future__ import annotations

ERROR = {
    "type": "object",
    "description": "`detail` for 401/403/404/405/409/429; for 400, the offending field or parameter names",
    "additionalProperties": True,
}
ERRORS = {
    "400": "A bad parameter or body: each field or parameter named with its messages",
    "401": "No token, or an unknown, revoked or expired one",
    "403": "The token lacks the operation's scope",
    "404": "No such object, or one outside the organisation's scope",
    "429": "Too many requests for this token: see Retry-After",
}


# The deprecated offset form of the case list answers these (integrations/partners/api/cursor.py).
OFFSET_HEADERS = {
    "Deprecation": {
        "description": "only with `offset`: when the offset form was deprecated (RFC 9745, @Unix seconds)",
        "schema": {"type": "string", "pattern": "^@[0-9]+$"},
    },
    "Sunset": {
        "description": "only with `offset`: after this HTTP date `offset` answers 400 (RFC 8594)",
        "schema": {"type": "string"},
    },
    "Link": {
        "description": 'only with `offset`: the same page in the cursor form, rel="successor-version"',
        "schema": {"type": "string"},
    },
}


def add_error_responses(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            codes = ["400", "404"] if "/media/" in path else list(ERRORS)
            if method in ("post", "put") and "assessments" in path:
                codes.append("409")
            content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
            if path == "/api/v1/statements/":
                # With ?format=csv the error body is the same JSON, under the CSV media type.
                content["text/csv"] = {"schema": {"type": "string"}}
            for code in codes:
                responses.setdefault(
                    code,
                    {
                        "description": ERRORS.get(code, "Already exists: update it instead"),
                        "content": content,
                    },
                )
            if path == "/api/v1/cases/" and "200" in responses:
                responses["200"].setdefault("headers", {}).update(OFFSET_HEADERS)
            if "/media/" in path:
                responses.setdefault("410", {"description": "The link expired: read the case again"})
    return result
