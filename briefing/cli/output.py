"""Console output shared by the commands: rich on a terminal, plain lines when piped."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


def one_line(message: str) -> str:
    """A message as one line: line breaks and other control characters shown as escapes."""
    return "".join(c if c.isprintable() or c == " " else ascii(c)[1:-1] for c in message)


class Console:
    """Messages go to stderr; a spinner with the current stage shows only on a terminal.

    Errors do not go through here: a command ends on one with briefing.cli.options.fail.
    """

    def __init__(self, quiet: bool = False, verbose: bool = False):
        self.quiet = quiet
        self.verbose = verbose
        self.interactive = sys.stderr.isatty() and not quiet

    def info(self, message: str) -> None:
        if not self.quiet:
            print(one_line(message), file=sys.stderr)

    def warn(self, message: str) -> None:
        if not self.quiet:
            print(f"warning: {one_line(message)}", file=sys.stderr)

    @contextmanager
    def stages(self) -> Iterator:
        """Yields a callback taking the name of the stage that starts."""
        if not self.interactive:
            def plain(stage: str) -> None:
                if self.verbose:
                    print(f"{stage}…", file=sys.stderr)

            yield plain
            return
        from rich.console import Console as RichConsole
        from rich.status import Status

        status = Status("starting", console=RichConsole(stderr=True))
        status.start()
        try:
            def show(stage: str) -> None:
                if self.verbose:
                    status.console.log(stage)
                status.update(stage)

            yield show
        finally:
            status.stop()
