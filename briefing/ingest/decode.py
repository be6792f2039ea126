"""Turning a file's bytes into text, or a clear reason why not.

Order of trust: a byte-order mark (UTF-8, UTF-16) is definitive; then strict UTF-8; then the
legacy Korean encoding CP949 (a superset of EUC-KR), accepted only when the result actually
contains Hangul. A web page that is not UTF-8 is read in the charset it declares (`<meta
charset>`, `<?xml encoding>`), as browsers do (ISO-8859-1 meaning Windows-1252, EUC-KR meaning
CP949). UTF-16 without a mark is recognised by its zero bytes all falling on one side
of each pair and by decoding to plausible text (English or Korean); anything else with NUL bytes
is binary.

`read_file_bytes` is the one way files are read: regular files only, the size checked before
a byte is read, and never more than the limit read.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024  # a news article is never 20 MB; such a file is not one


class DecodeError(ValueError):
    """A file that cannot be read as text; the message is a one-line reason."""


def _looks_like_utf16(data: bytes) -> str | None:
    """Detect BOM-less UTF-16: zero bytes on one side of each pair, and plausible text.

    Mostly-ASCII text has a zero in every other byte; Korean text has them only at its spaces,
    digits and punctuation, so the test is where the zeros fall, not how many there are.
    """
    sample = data[:4000]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_zeros > 0.3 * half and even_zeros < 0.05 * half:
        return "utf-16-le"
    if even_zeros > 0.3 * half and odd_zeros < 0.05 * half:
        return "utf-16-be"
    zeros = even_zeros + odd_zeros
    if zeros < 2:
        return None
    # Korean: spaces, digits and punctuation put their zero in the high byte; the few syllables
    # at U+xx00 (가, 대) put it in the low one. The side with most zeros is the high byte.
    codec = "utf-16-le" if odd_zeros >= 0.7 * zeros else "utf-16-be" if even_zeros >= 0.7 * zeros else None
    if codec and _plausible_text(sample.decode(codec, "replace")):
        return codec
    return None


def _plausible_text(text: str) -> bool:
    """Mostly letters, digits, spaces and punctuation of English or Korean text, with spaces."""
    good = sum(1 for c in text if _text_char(c))
    return good >= 0.95 * len(text) and any(c in " \n" for c in text)


def _text_char(c: str) -> bool:
    o = ord(c)
    return (
        32 <= o < 127
        or c in "\t\n\r"
        or 0xAC00 <= o <= 0xD7A3  # Hangul syllables
        or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F  # Hangul jamo
        or 0xA0 <= o <= 0x24F  # Latin-1 and Latin Extended
        or 0x2010 <= o <= 0x206F or 0x3000 <= o <= 0x303F  # punctuation (not the odd spaces), CJK punctuation
        or 0x4E00 <= o <= 0x9FFF  # Hanja
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
    )


def read_file_bytes(path: Path) -> bytes:
    """The bytes of a regular file, its size checked before reading. Raises DecodeError.

    A FIFO, device, socket or folder is refused without being opened for reading (opening a
    FIFO would block), and a file over MAX_BYTES is refused without being read.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise DecodeError(f"cannot read: {(exc.strerror or str(exc)).lower()}") from None
    _check_kind_and_size(info)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise DecodeError(f"cannot read: {(exc.strerror or str(exc)).lower()}") from None
    with os.fdopen(fd, "rb") as handle:
        _check_kind_and_size(os.fstat(fd))  # the file opened is the file checked
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise DecodeError(_too_large(len(data)))
    return data


def _check_kind_and_size(info: os.stat_result) -> None:
    mode = info.st_mode
    if not stat.S_ISREG(mode):
        kind = (
            "a folder" if stat.S_ISDIR(mode)
            else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
            else "a device file" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode)
            else "an unknown kind of file"
        )
        raise DecodeError(f"not a regular file ({kind})")
    if info.st_size > MAX_BYTES:
        raise DecodeError(_too_large(info.st_size))


def _too_large(size: int) -> str:
    return f"too large ({size // (1024 * 1024)} MiB; limit {MAX_BYTES // (1024 * 1024)} MiB)"


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises DecodeError with a one-line reason."""
    if not data.strip():
        raise DecodeError("empty file")
    if len(data) > MAX_BYTES:
        raise DecodeError(_too_large(len(data)))
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8) :], "utf-8"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return _strict(data, "utf-16"), "utf-16"
    utf16 = _looks_like_utf16(data)
    if utf16:
        return _strict(data, utf16), utf16
    if b"\x00" in data:
        raise DecodeError("binary file (contains NUL bytes; not UTF-16 text either)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _check_text(text), "utf-8"
    declared = _declared_charset(data)
    if declared:
        try:
            return _check_text(data.decode(declared)), declared
        except UnicodeDecodeError:
            raise DecodeError(f"not valid UTF-8, nor the {declared} text it declares") from None
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError:
        raise DecodeError("not valid UTF-8, UTF-16 or CP949/EUC-KR text") from None
    if not any("\uac00" <= c <= "\ud7a3" for c in text):
        raise DecodeError("not valid UTF-8, and not Korean text in CP949/EUC-KR")
    return _check_text(text), "cp949"


# A charset a page declares in its first bytes: <meta charset="…">, <meta http-equiv=… content="…;
# charset=…">, or an XML declaration's encoding.
_DECLARED = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I
)
# What a browser reads for these labels (the WHATWG Encoding Standard).
_WEB_LABELS = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252",
               "us-ascii": "cp1252", "euc-kr": "cp949", "ks_c_5601-1987": "cp949"}


def _declared_charset(data: bytes) -> str | None:
    """The Python codec for the charset the text declares, if it declares a known one."""
    found = _DECLARED.search(data[:4096])
    if not found:
        return None
    label = (found.group(1) or found.group(2)).decode("ascii").lower()
    try:
        return codecs.lookup(_WEB_LABELS.get(label, label)).name
    except LookupError:
        return None


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
