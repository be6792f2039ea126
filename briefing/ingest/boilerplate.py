"""What on a news page is not news: share buttons, comment forms, bios, credits, disclaimers.

Two levels: whole blocks (a line that is only a "Follow us" prompt), and sentences inside a
block (a wire credit glued to the end of the last paragraph). Once a page's trailing furniture
starts (comment form, image credit, "follow us"), everything after it is furniture too: that is
where author bios live.
"""

from __future__ import annotations

import re

_FLAGS = re.I
# A block (or sentence) that matches any of these is boilerplate.
_PATTERNS = [
    # Share/subscribe widgets: short labels, not sentences ("Save the Children said ..." is news).
    r"^(share|tweet|e-?mail|print|save|copy link|subscribe|sign up|log ?in|register)\b(?:\s+\S+){0,5}\s*$",
    r"^(share|subscribe|sign up|register)\b.{0,60}\b(newsletter|facebook|twitter|whatsapp|updates|free)\b",
    r"\b(follow us|join (our|us|st's|the)\b.{0,40}\b(channel|newsletter|community|whatsapp))",
    r"\bfollow (us|our)\b.{0,40}\b(on|for)\b",
    r"^read (more|entire article|full (article|story)|next|also)\b",
    r"^(related|recommended|more from|most read|trending)( (articles|stories|news|posts))?\s*:?\s*$",
    r"^advertisement$|^sponsored( content)?$|^click here\b",
    r"^leave a (reply|comment)\b|^(\d+\s+)?comments?\s*$|^post comment$",
    r"your email address will not be published|required fields are marked",
    r"^views?\s*:\s*[\d,]+\s*$",
    r"^(featured\s+)?(image|photo|picture|graphic|video)s?\s*(courtesy|credit|by|source|:)",
    r"\b(image|photo|picture)s?\s+(courtesy|credit)\b",
    r"^(note|disclaimer|editor'?s note)\s*:",
    r"do not necessarily reflect|views expressed (here|are)",
    r"\bstay tuned\b|\bfor more updates\b|\bget the latest\b.{0,60}\bdelivered\b",
    r"breaking news delivered|download (our|the) app|sign up for (our|the)",
    r"^(copyright|©|\(c\))\s|all rights reserved",
    r"^(tags?|topics?|filed under)\s*:",
    # An author bio opens with the author's name: "Jane Doe is a reporter covering ...".
    r"^[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3} (is|was) an? (staff |freelance |senior )?(journalist|reporter|writer|correspondent|editor)\b",
    r"^just a (girl|guy|person|writer)\b",
    # Korean page furniture: copyright and redistribution notices, share/like/comment widgets,
    # related-article lists, photo credits ("사진=…"), subscription prompts.
    r"무단\s?전재|재배포\s?금지|저작권자\s?[(]?[ⓒ©cC]",
    r"^[ⓒ©]\s?\S+",
    r"^(?:공유하기|좋아요|댓글|기사\s?공유|구독하기|구독|관련\s?기사|많이\s?본\s?(?:뉴스|기사)|제보하기|인쇄하기|스크랩|글자\s?크기|기사\s?저장)(?:\s+\S+){0,4}\s*$",
    r"^[\[(]?\s*(?:사진|그래픽|영상|자료)\s*[=:]\s*[^\])]{1,30}[\])]?\s*$",
    r"(?:카카오톡|네이버|다음)에서\s*\S*\s*(?:구독|채널 추가|친구 추가)",
]
_REGEXES = [re.compile(p, _FLAGS) for p in _PATTERNS]
# Photo captions end with a credit in parentheses: "... on Aug. 31. (AFP)".
# The credit is a wire service or photographer's name (one to four capitalised words or an
# acronym: "(AFP)", "(Getty Images)", "(News1)"), anything with "photo" in it, or "사진=…".
_CAPTION_CREDIT = re.compile(
    r"\((?:[A-Z][\w.&'-]*(?:[ /][A-Z][\w.&'-]*){0,3}|(?i:[a-z ]*photo[^)]*))\)\s*$"
    r"|[\[(]\s*(?:사진|그래픽|자료)\s*=\s*[^\])]{1,30}[\])]\s*$"
)
# Markers after which the rest of the page is furniture.
_TAIL_MARKERS = [
    re.compile(p, _FLAGS)
    for p in (
        r"^leave a (reply|comment)\b",
        r"^(featured\s+)?(image|photo)s?\s*(courtesy|credit)",
        r"\bfollow us\b",
        r"^read entire article",
        r"^(related|recommended|more from)( (articles|stories|news))?\s*:?\s*$",
        r"^views?\s*:\s*[\d,]+\s*$",
        r"^(note|disclaimer)\s*:",
        r"무단\s?전재|재배포\s?금지",
        r"^(?:관련\s?기사|많이\s?본\s?(?:뉴스|기사))\s*$",
    )
]


def is_boilerplate(text: str) -> bool:
    stripped = text.strip()
    if not stripped:
        return True
    if any(rx.search(stripped) for rx in _REGEXES):
        return True
    if is_caption(stripped):
        return True
    return is_wire_credit(stripped)


CAPTION_MAX_WORDS = 60


def is_caption(text: str) -> bool:
    """A photo caption: a short text ending with a credit in parentheses, "... on Aug. 31. (AFP)".

    A long paragraph that happens to end with "(file photo ...)" is an article, not a caption:
    only its credit sentence is furniture.
    """
    stripped = text.strip()
    return len(stripped.split()) <= CAPTION_MAX_WORDS and bool(_CAPTION_CREDIT.search(stripped))


def is_wire_credit(text: str) -> bool:
    """An all-capitals credit line such as "THE DAILY LEDGER/ ASIA NEWS NETWORK"."""
    letters = [c for c in text if c.isalpha()]
    return (
        len(letters) >= 6
        and all(c.isupper() for c in letters)  # uncased scripts (Hangul) are not capitals
        and not text.rstrip().endswith((".", "?", "!"))
        and len(text.split()) <= 12
    )


def tail_start(texts: list[str]) -> int | None:
    """Index of the first block of the page's trailing furniture, if any.

    Only the second half of the page is searched, so that an early "Follow us" line does not cut
    the article itself, and only short blocks mark it: a long block that mentions "follow us"
    somewhere is prose (a whole article run together on one line must not vanish).
    """
    half = len(texts) // 2
    for index in range(half, len(texts)):
        block = texts[index].strip()
        if len(block.split()) <= _TAIL_BLOCK_WORDS and any(rx.search(block) for rx in _TAIL_MARKERS):
            return index
    return None


_TAIL_BLOCK_WORDS = 60


# A paragraph repeated word for word is a teaser or pull quote of the article; this long, it is
# not a label or a figure that a table or list repeats.
_REPEATED_PARAGRAPH_WORDS = 12


def repeated_furniture(texts: list[str], prose: list[bool]) -> set[int]:
    """Indexes of blocks that repeat the page rather than report: a block found both before the
    article's first paragraph of prose and after its last (menus, "Home", a site's slogan in header
    and footer: every copy), the later copies of one repeated within the header (a headline shown
    twice above the article), and the later copies of a long paragraph printed twice. Repeated
    table cells and list items inside the article ("0", "1 cup of flour") are its own and are kept.
    """
    prose_at = [i for i, is_prose in enumerate(prose) if is_prose]
    # Without prose there is no header or footer to tell apart from the article (a page that is one table).
    first, last = (prose_at[0], prose_at[-1]) if prose_at else (-1, len(texts))
    copies: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        copies.setdefault(re.sub(r"\s+", " ", text).strip().lower(), []).append(index)
    dropped: set[int] = set()
    for text, where in copies.items():
        if len(where) < 2 or not text:
            continue
        if where[0] < first and where[-1] > last:
            dropped.update(i for i in where if i < first or i > last)
        elif where[-1] < first <= last:
            dropped.update(where[1:])
        elif len(text.split()) >= _REPEATED_PARAGRAPH_WORDS:
            dropped.update(where[1:])
    return dropped
