"""Translating whole files: Markdown, plain text and brief.json, written atomically.

- Markdown (.md, .markdown): briefing.translate.markdown (structure and footnotes kept).
- Plain text (.txt): line by line; blank lines kept; a flagged line gets the same visible
  marker as in Markdown.
- brief.json: every point (an object with "text" and "citations") gets its text translated and
  its "language" set; citations are left exactly as they are (they quote the sources); the
  brief's title is translated too. Guard flags go in the point's "translation_flags".

Output names: NAME.md -> NAME.ko.md (NAME.en.md -> NAME.ko.md), brief.json -> brief.ko.json.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.decode import decode_bytes
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


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and os.replace: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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


def translate_file(
    path: Path, translator: Translator, source: str, target: str, out_dir: Path | None = None
) -> FileResult:
    """Translate one file and write it beside the input (or into out_dir), atomically.

    Raises (nothing written) on an unreadable file, an unknown format, or untranslated output.
    """
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ValueError(f"unsupported file type {path.suffix or '(none)'} (use .md, .txt or .json)")
    text, _encoding = decode_bytes(path.read_bytes())
    suffix = path.suffix.lower()
    if suffix in MARKDOWN:
        done = translate_markdown(text, translator, source, target)
        if done.untranslated:
            raise NotTranslated(f"{done.untranslated} segments came back untranslated")
        out_text, segments, flags = done.text, done.segments, done.flags
    elif suffix == ".json":
        out_text, segments, flags = translate_brief_json(text, translator, source, target)
    else:
        out_text, segments, flags = translate_text(text, translator, source, target)
    output = output_path(path, target, out_dir)
    write_atomic(output, out_text)
    return FileResult(path, output, segments, flags)
