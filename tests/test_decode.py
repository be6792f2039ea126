"""Decoding a file's bytes: every supported encoding, and a one-line reason for everything else."""

from __future__ import annotations

import codecs

import pytest

from briefing.ingest import decode
from briefing.ingest.decode import DecodeError, decode_bytes

ENGLISH = "Police opened a preliminary probe on Monday.\nThe app’s founder was arrested in Paris — “a first”.\n"
KOREAN = "경찰은 텔레그램에 대한 내사에 착수했다고 2일 밝혔다.\n정부는 딥페이크 성범죄 대책을 발표할까?\n"


def assert_one_line_reason(exc: DecodeError) -> str:
    message = str(exc)
    assert message.strip(), "a DecodeError must say why"
    assert "\n" not in message and "\r" not in message
    return message


def reason(data: bytes) -> str:
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    return assert_one_line_reason(info.value)


def test_utf8_plain():
    assert decode_bytes(ENGLISH.encode("utf-8")) == (ENGLISH, "utf-8")


def test_utf8_korean():
    assert decode_bytes(KOREAN.encode("utf-8")) == (KOREAN, "utf-8")


def test_utf8_with_bom_drops_the_mark():
    text, encoding = decode_bytes(codecs.BOM_UTF8 + ENGLISH.encode("utf-8"))
    assert text == ENGLISH
    assert not text.startswith("\ufeff")
    assert encoding == "utf-8-sig"


@pytest.mark.parametrize("codec, bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
@pytest.mark.parametrize("sample", [ENGLISH, KOREAN], ids=["english", "korean"])
def test_utf16_with_bom(codec, bom, sample):
    text, encoding = decode_bytes(bom + sample.encode(codec))
    assert text == sample
    assert not text.startswith("\ufeff")
    assert encoding.startswith("utf-16")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_mostly_ascii(codec):
    text, encoding = decode_bytes(ENGLISH.encode(codec))
    assert text == ENGLISH
    assert encoding == codec


@pytest.mark.parametrize("codec", ["cp949", "euc-kr"])
def test_legacy_korean(codec):
    data = KOREAN.encode(codec)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test only means something if the bytes are not UTF-8
    text, encoding = decode_bytes(data)
    assert text == KOREAN
    assert encoding in ("cp949", "euc-kr")


def test_cp949_only_characters():
    # 똠 and 햏 are in CP949's extension area (Unified Hangul Code), not among EUC-KR's 2,350 syllables.
    sample = "똠양꿍 가게가 문을 열었다. 햏햏."
    assert sample.encode("cp949") != sample.encode("euc-kr")
    assert decode_bytes(sample.encode("cp949")) == (sample, "cp949")


def test_crlf_and_cr_become_newlines():
    text, _ = decode_bytes(b"First line.\r\nSecond line.\rThird line.\n")
    assert text == "First line.\nSecond line.\nThird line.\n"


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t \r\n", codecs.BOM_UTF8 + b" \n ", codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")],
    ids=["empty", "whitespace", "bom-then-whitespace", "utf16-whitespace"],
)
def test_empty_and_whitespace_only(data):
    assert "empty" in reason(data)


def test_png_header_is_binary():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00" + bytes(range(256))
    assert "binary" in reason(png)


def test_nul_bytes_are_binary():
    assert "binary" in reason(b"looks like text\x00\x00\x01\x02 but is not" * 3)


def test_control_characters_are_binary():
    data = bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17]) + b" some letters around the controls"
    assert "binary" in reason(data)


def test_latin1_is_neither_utf8_nor_korean():
    # "café, déjà vu" in Latin-1: invalid UTF-8, and not valid CP949 either.
    data = "café au lait, déjà vu".encode("latin-1")
    message = reason(data)
    assert "utf-8" in message.lower()


def test_cp949_decodable_bytes_without_hangul_are_rejected():
    # Valid CP949 byte pairs that decode to symbols only: not Korean text, so not accepted.
    data = "※ ○ ● ◎ ◇ ◆ □ ■ △ ▲".encode("cp949")
    assert any(b >= 0x80 for b in data)
    assert not any("\uac00" <= c <= "\ud7a3" for c in data.decode("cp949"))
    message = reason(data)
    assert "korean" in message.lower() or "cp949" in message.lower()


def test_invalid_utf8_after_bom():
    assert "utf-8" in reason(codecs.BOM_UTF8 + b"valid start \xff\xfe\xfd invalid").lower()


def test_truncated_utf16_is_invalid():
    data = codecs.BOM_UTF16_LE + "A lone surrogate".encode("utf-16-le") + b"\x00\xd8"  # unpaired high surrogate
    assert "utf-16" in reason(data).lower()


def test_oversized(monkeypatch):
    monkeypatch.setattr(decode, "MAX_BYTES", 64)
    assert decode_bytes(b"x" * 64)[0] == "x" * 64  # at the limit is fine
    message = reason(b"x" * 65)
    assert "large" in message or "limit" in message


def test_decode_error_is_a_value_error():
    assert issubclass(DecodeError, ValueError)


def test_a_web_page_that_is_not_utf8_is_read_in_the_charset_it_declares():
    body = "<p>Le conseil a voté l’emprunt — 40 millions.</p>"
    page = f'<html><head><meta charset="iso-8859-1"></head><body>{body}</body></html>'
    text, encoding = decode.decode_bytes(page.encode("cp1252"))  # ISO-8859-1 means Windows-1252 on the web
    assert "voté l’emprunt — 40" in text and encoding == "cp1252"
    old_style = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><p>Совет проголосовал.</p>'
    assert "Совет" in decode.decode_bytes(old_style.encode("cp1251"))[0]
    # Valid UTF-8 stays UTF-8 whatever the page claims; an unknown or wrong charset is still refused.
    assert decode.decode_bytes(page.encode("utf-8"))[0].count("voté") == 1
    with pytest.raises(decode.DecodeError, match="not valid UTF-8, UTF-16 or CP949"):
        decode.decode_bytes(page.replace("iso-8859-1", "no-such-charset").encode("cp1252"))
    with pytest.raises(decode.DecodeError, match="nor the cp1252 text it declares"):
        decode.decode_bytes(b'<meta charset="iso-8859-1"><p>caf\xe9 \x81\x8d</p>')  # bytes Windows-1252 leaves undefined
