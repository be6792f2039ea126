"""The console script: Ctrl-C at any moment ends a command with exit 130 and one line.

The command line is loaded inside the guard, so an interrupt while typer and the commands are
still being imported (the first tenth of a second) is caught too. Within a command, typer turns
Ctrl-C into a silent exit 130; that is given its line here. A command that says why itself
(`run`: "interrupted; no brief was written") is left as it is.
"""

from __future__ import annotations

import sys

MESSAGE = "error: interrupted"


def _silently_interrupted(exc: SystemExit) -> bool:
    """typer's own handling: `raise Exit(130) from KeyboardInterrupt`, then sys.exit(130)."""
    ended = exc.__context__
    return exc.code == 130 and ended is not None and isinstance(ended.__cause__, KeyboardInterrupt)


def _caused_by_interrupt(exc: BaseException) -> bool:
    """An error raised because of Ctrl-C: Python wraps an interrupt that lands in some places
    (a class body's `__set_name__` while a module is imported) in a RuntimeError."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def main() -> None:
    try:
        from briefing.cli import app

        app()
    except KeyboardInterrupt:
        print(MESSAGE, file=sys.stderr)
        raise SystemExit(130) from None
    except Exception as exc:
        if not _caused_by_interrupt(exc):
            raise
        print(MESSAGE, file=sys.stderr)
        raise SystemExit(130) from None
    except SystemExit as exc:
        if _silently_interrupted(exc):
            print(MESSAGE, file=sys.stderr)
        raise
