"""Turning a refused step into the one line of Chinese an admin page shows."""


def error_text(exc) -> str:
    """The messages of a ``ValidationError`` joined with "；" (or the text of any other
    exception, e.g. ``PermissionDenied``)."""
    return "；".join(getattr(exc, "messages", None) or [str(exc)])
