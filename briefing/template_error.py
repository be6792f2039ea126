"""A Jinja2 error in a brief template (often a user's own, see settings.prompt_file) as one line
naming the template's file and line.

A syntax error carries its line; an error while rendering (`{{ brief.nope }}` under
StrictUndefined) does not, but Jinja2 rewrites the traceback so that the template's own frames
carry the template's file name and line, and the innermost of those is where it failed.
"""

from __future__ import annotations

import traceback


def describe(exc: Exception) -> str:
    """`template FILE, line N: message` for a jinja2.TemplateError."""
    import jinja2

    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"no template named {exc.name!r}"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where, line = exc.filename or exc.name, exc.lineno
    else:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
        where, line = (frames[-1].filename, frames[-1].lineno) if frames else (None, None)
    if where is None:
        return f"template error: {message}"
    return f"template {where}" + (f", line {line}" if line else "") + f": {message}"
