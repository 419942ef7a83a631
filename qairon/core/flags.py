"""Reading yes/no options given as text (query parameters, form fields)."""

TRUE = ("true", "1", "yes")
FALSE = ("false", "0", "no", "")


def parse_flag(name, text, default=False):
    """``text`` as a boolean (true/false/1/0/yes/no, any case); a ``ValueError`` naming ``name``
    and the accepted spellings otherwise; ``None`` gives ``default``."""
    if text is None:
        return default
    value = str(text).strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValueError(f"{name} {text!r} must be true or false (also 1/0, yes/no)")
