"""The `briefing` command line: a thin typer layer over the library.

Each command group lives in its own module and is registered here. Command modules import
heavy libraries (torch, transformers) inside the command function, never at module level, so
that `briefing run` on the weight-free path starts fast.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="briefing",
    help="Turn a folder of news articles into cited English and Korean policy briefs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    from briefing.cli import eval as eval_commands
    from briefing.cli import models, review, translate
    from briefing.cli import run as _run  # noqa: F401  (registers `run` on import)

    for module in (eval_commands, models, translate, review):
        module.register(app)


_register()


def main() -> None:
    app()
