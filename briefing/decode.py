"""Turning a file's bytes into text, or a clear reason why not.

Order of trust: a byte-order mark (UTF-8, UTF-16) is definitive; then strict UTF-8; then the
legacy Korean encoding CP949 (a superset of EUC-KR), accepted only when the result actually
contains Hangul. Anything with NUL bytes and no UTF-16 mark is binary.
"""

from __future__ import annotations

import codecs

MAX_BYTES = 20 * 1024 * 1024  # a news article is never 20 MB; such a file is not one


class DecodeError(ValueError):
    """A file that cannot be read as text; the message is a one-line reason."""


def _looks_like_utf16(data: bytes) -> str | None:
    """Detect BOM-less UTF-16 from the pattern of zero bytes in mostly-ASCII text."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_zeros > 0.3 * half and even_zeros < 0.05 * half:
        return "utf-16-le"
    if even_zeros > 0.3 * half and odd_zeros < 0.05 * half:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises DecodeError with a one-line reason."""
    if not data.strip():
        raise DecodeError("empty file")
    if len(data) > MAX_BYTES:
        raise DecodeError(f"too large ({len(data) // (1024 * 1024)} MiB; limit {MAX_BYTES // (1024 * 1024)} MiB)")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8) :], "utf-8"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return _strict(data, "utf-16"), "utf-16"
    utf16 = _looks_like_utf16(data)
    if utf16:
        return _strict(data, utf16), utf16
    if b"\x00" in data:
        raise DecodeError("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _check_text(text), "utf-8"
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError:
        raise DecodeError("not valid UTF-8, UTF-16 or CP949/EUC-KR text") from None
    if not any("\uac00" <= c <= "\ud7a3" for c in text):
        raise DecodeError("not valid UTF-8, and not Korean text in CP949/EUC-KR")
    return _check_text(text), "cp949"


def _strict(data: bytes, encoding: str) -> str:
    try:
        return _check_text(data.decode(encoding))
    except UnicodeDecodeError:
        raise DecodeError(f"invalid {encoding.upper()} text") from None


def _check_text(text: str) -> str:
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise DecodeError("empty file (whitespace only)")
    controls = sum(1 for c in text[:10000] if ord(c) < 32 and c not in "\t\n\r\f\v")
    if controls > 0.01 * min(len(text), 10000):
        raise DecodeError("binary file (control characters in text)")
    return text.replace("\r\n", "\n").replace("\r", "\n")
