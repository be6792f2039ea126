"""Translating whole files: Markdown, plain text and brief.json, written atomically.

- Markdown (.md, .markdown): briefing.translate.markdown (structure and footnotes kept).
- Plain text (.txt): line by line; blank lines kept; a flagged line gets the same visible
  marker as in Markdown.
- brief.json: every point (an object with "text" and "citations") gets its text translated and
  its "language" set; citations are left exactly as they are (they quote the sources); the
  brief's title is translated too. Guard flags go in the point's "translation_flags".

Output names: NAME.md -> NAME.ko.md (NAME.en.md -> NAME.ko.md), brief.json -> brief.ko.json.

Restartable (`translate_files`): a hidden sidecar (`.NAME.ko.md.done.json`) records the SHA-256
of the input, of the output, and of everything that decides the output (briefing version, model
fingerprint, generation settings, glossary, direction). A re-run skips a file whose sidecar
matches all three, never trusting mtimes; an interrupted run therefore redoes only the files
that were not finished.

Never overwriting what it did not write: an existing NAME.ko.md is replaced only when it has
its sidecar, the mark of a file this tool wrote (a hand-written translation, or `brief.ko.md`
made by `briefing run`, is refused with one line unless `force`), and never when it is a link
or not a regular file. The sidecar is written before the output, so a run killed between the
two still owns its file; the sidecar's output hash does not match yet, so the file is redone.

Files are translated in groups: the segments of many files go to the translator in one call, so
a batching (or Ray-sharded, briefing.seq2seq.distributed) translator fills its batches across files. A
segment's translation does not depend on what it is batched with, so outputs are the same as
file by file.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing import __version__
from briefing.ingest.decode import decode_bytes, read_file_bytes
from briefing.model import Translation
from briefing.outputs import not_replaceable, write_file_atomically
from briefing.own_outputs import sidecar_path
from briefing.translate.base import Translator
from briefing.translate.markdown import flag_marker, translate_markdown

MARKDOWN = (".md", ".markdown")
SUFFIXES = (*MARKDOWN, ".txt", ".json")
LANGUAGES = ("en", "ko")


@dataclass
class FileResult:
    source: Path
    output: Path
    segments: int = 0
    flags: list[str] = field(default_factory=list)
    skipped: bool = False  # already complete for the same input, model and settings
    error: str | None = None  # one line: why nothing was written for this file


class NotTranslated(RuntimeError):
    """The translator returned text it did not translate: nothing is written."""


def output_path(path: Path, target: str, out_dir: Path | None = None) -> Path:
    """NAME.md -> NAME.ko.md; an existing language tag (NAME.en.md) is replaced."""
    stem, suffix = path.stem, path.suffix
    base, _, tag = stem.rpartition(".")
    if base and tag in LANGUAGES:
        stem = base
    return (out_dir or path.parent) / f"{stem}.{target}{suffix}"


def is_translation_output(path: Path, target: str) -> bool:
    """True for NAME.<target>.md-style files (already in the target language, e.g. an earlier
    run's output), so a folder run does not translate them again; NAME.en.md is still an input."""
    return Path(path.stem).suffix.lstrip(".") == target


def translate_text(text: str, translator: Translator, source: str, target: str) -> tuple[str, int, list[str]]:
    """Plain text, line by line: (translated text, segments, flags)."""
    lines = text.split("\n")
    slots = [i for i, line in enumerate(lines) if line.strip()]
    results = translator.translate([lines[i].strip() for i in slots], source, target) if slots else []
    flags: list[str] = []
    for i, result in zip(slots, results):
        if not result.translated:
            raise NotTranslated(f"line {i + 1} came back untranslated")
        indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
        lines[i] = indent + result.text + (flag_marker(result.flags) if result.flags else "")
        flags.extend(f"line {i + 1}: {f}" for f in result.flags)
    return "\n".join(lines), len(slots), flags


def _points(node: Any) -> list[dict[str, Any]]:
    """Every point-shaped object (has "text" and "citations") in a brief.json tree."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if isinstance(node.get("text"), str) and isinstance(node.get("citations"), list):
            found.append(node)
        for value in node.values():
            found.extend(_points(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_points(value))
    return found


def translate_brief_json(text: str, translator: Translator, source: str, target: str) -> tuple[str, int, list[str]]:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("not a brief.json (top level is not an object)")
    points = _points(data)
    if not points and "title" not in data:
        raise ValueError("not a brief.json (no points with text and citations)")
    texts = [p["text"] for p in points]
    has_title = isinstance(data.get("title"), str) and data["title"].strip()
    if has_title:
        texts.append(data["title"])
    results = translator.translate(texts, source, target) if texts else []
    flags: list[str] = []
    for n, result in enumerate(results):
        if not result.translated:
            raise NotTranslated(f"text {n + 1} came back untranslated")
    if has_title:
        data["title"] = results.pop().text
    for n, (point, result) in enumerate(zip(points, results), 1):
        point["text"] = result.text
        point["language"] = target
        if result.flags:
            point["translation_flags"] = result.flags
            flags.extend(f"point {n}: {f}" for f in result.flags)
    data["language"] = target
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n", len(texts), flags


def _render(path: Path, text: str, translator: Translator, source: str, target: str) -> tuple[str, int, list[str]]:
    """(output text, segments, flags) of one decoded file; raises on an unknown format or
    untranslated output."""
    suffix = path.suffix.lower()
    if suffix in MARKDOWN:
        done = translate_markdown(text, translator, source, target)
        if done.untranslated:
            raise NotTranslated(f"{done.untranslated} segments came back untranslated")
        return done.text, done.segments, done.flags
    if suffix == ".json":
        return translate_brief_json(text, translator, source, target)
    if suffix == ".txt":
        return translate_text(text, translator, source, target)
    raise ValueError(f"unsupported file type {path.suffix or '(none)'} (use .md, .txt or .json)")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run_key(translator: Translator, source: str, target: str) -> str:
    """A hash of everything besides the input that decides a translated file."""
    parts: dict[str, Any] = {"briefing": __version__, "direction": [source, target], "translator": translator.describe()}
    loaded = getattr(translator, "loaded", None)
    if loaded is not None:
        settings = getattr(translator, "settings", None) or (loaded.spec.generation if loaded.spec else None)
        parts["model"] = loaded.fingerprint
        parts["settings"] = settings.as_dict() if settings is not None else None
        parts["prompt"] = loaded.spec.prompt if loaded.spec else None
    if getattr(translator, "guards", None) is not None:
        parts["guards"] = repr(translator.guards)
    return _sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))


def is_complete(data: bytes, output: Path, key: str) -> bool:
    """True when `output` was written from these input bytes with the same run key, and is
    still exactly what was written."""
    record = _record(output)
    try:
        return (
            record.get("input") == _sha256(data)
            and record.get("key") == key
            and record.get("output") == _sha256(output.read_bytes())
        )
    except OSError:
        return False


def _record(output: Path) -> dict[str, Any]:
    try:
        record = json.loads(sidecar_path(output).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def replace_problem(output: Path, force: bool) -> str | None:
    """Why `output` may not be written (one line), or None: it is new, or ours (its sidecar is
    there), or `force` (for a regular file)."""
    if not os.path.lexists(output):
        return None
    if reason := not_replaceable(output):
        return f"{output} {reason}; not replaced"
    if force or "output" in _record(output):
        return None
    return f"{output} exists and was not written by briefing translate; not replaced (--force replaces it)"


def _write_output(output: Path, text: str, data: bytes, key: str) -> None:
    """The sidecar, then the output, each atomically: a run killed between the two leaves its
    sidecar beside the old output, which the next run therefore owns and redoes."""
    record = {"input": _sha256(data), "output": _sha256(text.encode("utf-8")), "key": key}
    write_file_atomically(sidecar_path(output), json.dumps(record, sort_keys=True) + "\n")
    write_file_atomically(output, text)


class _Recorder(Translator):
    """Collects the texts a file would send, answering each with itself (first pass)."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def translate(self, texts: list[str], source: str, target: str) -> list[Translation]:
        self.texts.extend(texts)
        return [Translation(source=t, text=t, translated=True) for t in texts]


class _Answers(Translator):
    """Answers from one translator call made for a whole group of files (second pass)."""

    def __init__(self, answers: dict[str, Translation]):
        self.answers = answers

    def translate(self, texts: list[str], source: str, target: str) -> list[Translation]:
        return [self.answers[t] for t in texts]


@dataclass
class _Pending:
    path: Path
    output: Path
    data: bytes
    text: str


def _one_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def translate_files(
    paths: Iterable[Path],
    translator: Translator,
    source: str,
    target: str,
    out_dir: Path | None = None,
    *,
    force: bool = False,
    group_segments: int = 2048,
) -> Iterator[FileResult]:
    """Translate files, yielding one FileResult per path as each is written, skipped (complete
    already; `force` redoes it) or failed (`error` says why; the others go on).

    The distinct segments of files holding up to about `group_segments` segments go to the
    translator in one call, so its batches (or Ray shards) fill up across files.
    """
    key = run_key(translator, source, target)
    group: list[tuple[_Pending, list[str]]] = []
    count = 0

    def flush() -> Iterator[FileResult]:
        texts = list(dict.fromkeys(t for _, sent in group for t in sent))
        answers: dict[str, Translation] = {}
        failure = None
        if texts:
            try:
                answers = dict(zip(texts, translator.translate(texts, source, target)))
            except Exception as exc:  # the model failed for the group: each file says so
                failure = _one_line(exc)
        for item, _ in group:
            if failure:
                yield FileResult(item.path, item.output, error=failure)
                continue
            try:
                out_text, segments, flags = _render(item.path, item.text, _Answers(answers), source, target)
                _write_output(item.output, out_text, item.data, key)
            except Exception as exc:
                yield FileResult(item.path, item.output, error=_one_line(exc))
            else:
                yield FileResult(item.path, item.output, segments, flags)
        group.clear()

    for path in paths:
        path = Path(path)
        output = output_path(path, target, out_dir)
        recorder = _Recorder()
        if problem := replace_problem(output, force):
            yield FileResult(path, output, error=problem)
            continue
        try:
            data = read_file_bytes(path)  # regular files only, the size checked before reading
            if not force and is_complete(data, output, key):
                yield FileResult(path, output, skipped=True)
                continue
            text, _encoding = decode_bytes(data)
            _render(path, text, recorder, source, target)
        except Exception as exc:
            yield FileResult(path, output, error=_one_line(exc))
            continue
        group.append((_Pending(path, output, data, text), recorder.texts))
        count += len(recorder.texts)
        if count >= group_segments:
            yield from flush()
            count = 0
    if group:
        yield from flush()
