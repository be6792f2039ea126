"""The `briefing` command line: a thin typer layer over the library.

Each command or command group lives in its own module, which has a `register(app)`, called here;
the options several commands share, and how a command ends on an error (exit 2 usage, 1
failure), are in briefing/cli/options.py. Command modules import
heavy libraries (torch, transformers) inside the command function, never at module level, so
that `briefing run` on the weight-free path starts fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(
    name="briefing",
    help="Turn a folder of news articles into cited English and Korean policy briefs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: flags read as flags, not `<bool>` values
)


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"briefing {version('briefing')}")
        except PackageNotFoundError:  # run from a checkout that was never installed
            typer.echo("briefing (not installed)")
        raise typer.Exit()


@app.callback()
def _main(
    _version: Annotated[bool, typer.Option("--version", metavar="", is_eager=True, callback=_show_version,
                                           help="Print the version and exit.")] = False,
) -> None:
    """Turn a folder of news articles into cited English and Korean policy briefs."""


def _register() -> None:
    from briefing.cli import eval as eval_commands
    from briefing.cli import models, review, run, translate

    for module in (run, eval_commands, models, translate, review):
        module.register(app)


_register()


def main() -> None:
    """The command line without the Ctrl-C guard; the console script is `briefing.launch.main`."""
    app()
