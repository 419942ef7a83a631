"""What every answer must be, whatever the request: no 5xx, errors in the one
shape (plain: the object itself; JSON:API: inside ``errors``; bulk: its report),
and no database or Python text anywhere."""
import json

LEAKS = ("SELECT", "INSERT", "psycopg2", "sqlite3", "sqlalchemy", "Traceback", "[SQL:",
         "DETAIL:", "<class ")
ERROR_KEYS = ("status", "title", "detail")


def leaks(request, text):
    """Markers of SQL or Python internals in ``text`` that the request did not send itself."""
    sent = request.text()
    return [marker for marker in LEAKS if marker in text and marker not in sent]


def error_shape(status, error):
    """Why one error object is not the one shape, or None."""
    if not isinstance(error, dict):
        return "an error is not a JSON object"
    missing = [key for key in ERROR_KEYS if not error.get(key)]
    if missing:
        return f"error without {', '.join(missing)}"
    if str(error["status"]) != str(status):
        return f"error status {error['status']!r} is not the HTTP status"
    if not isinstance(error["detail"], str) or not isinstance(error["title"], str):
        return "title and detail must be text"
    if "source" not in error:
        return "error without source"
    return None


def shape_problem(request, status, body):
    """Why an error answer is not in the one shape, or None."""
    if request.path.endswith("/bulk") and status == 422 and isinstance(body, dict) \
            and "error_count" in body:
        return None  # a bulk report: its refused rows, nothing written
    if request.face == "jsonapi":
        errors = body.get("errors") if isinstance(body, dict) else None
        if not isinstance(errors, list) or not errors:
            return "JSON:API error without an errors list"
        return next((p for p in (error_shape(status, e) for e in errors) if p), None)
    return error_shape(status, body)


def problems(request, status, body_bytes):
    """Every broken promise of one answer, as short labels (empty when all is well)."""
    found = []
    if status >= 500:
        found.append("5xx")
    text = body_bytes.decode("utf-8", "replace")
    found += [f"leak {marker}" for marker in leaks(request, text)]
    if request.method == "HEAD" or status in (204, 304) or not body_bytes:
        if status >= 400 and request.method != "HEAD":
            found.append("error without a body")
        return found
    try:
        body = json.loads(text)
    except ValueError:
        found.append("body is not JSON")
        return found
    if status >= 400:
        problem = shape_problem(request, status, body)
        if problem:
            found.append(problem)
    return found
