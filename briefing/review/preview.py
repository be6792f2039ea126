"""A self-contained HTML page of a brief draft where each citation opens on its source passage.

The draft is rendered with the `markdown` package (footnotes, tables) and sanitised with `nh3`
(an allow-list of tags and attributes: nothing a draft contains can run). Every citation
becomes a marker that opens a <details> element holding the cited lines' full text (from
`sources.read_source`, the same text review checks), shown beside the sentence by a small
inline script. Source text is HTML-escaped. A Content-Security-Policy allows only this page's
own inline style and script (by hash), no other script, no external request.

The page's first line is `PREVIEW_MARK` (briefing.own_outputs): `--html` replaces only a file
that starts with it (a preview written here before), never a brief, a source or anything that is
not a regular file.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
from pathlib import Path

from briefing.brief.render import md_unescape
from briefing.own_outputs import PREVIEW_MARK, starts_with_preview_mark
from briefing.review.check import Finding, ReviewReport, Sources, Span, resolve_footnotes
from briefing.review.draft import Draft

_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "blockquote", "pre", "code",
    "em", "strong", "del", "sup", "sub", "a", "table", "thead", "tbody", "tr", "th", "td", "div", "span",
}
_ATTRIBUTES = {"*": {"id", "class"}, "a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
_CLASSES = {"footnote", "footnote-ref", "footnote-backref"}
_FOOTNOTE_REF = re.compile(r'<sup id="fnref\d*:([^"]+)"><a class="footnote-ref" href="#fn:\1"[^>]*>[^<]*</a></sup>')

_STYLE = """
:root { color-scheme: light; --ink: #1d2433; --muted: #5b6476; --line: #d9dee8; --accent: #1f5fbf;
  --bad: #b3261e; --ok: #1e7b34; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", "Noto Sans KR", "Apple SD Gothic Neo",
  sans-serif; color: var(--ink); background: #f6f7fb; }
.layout { display: grid; grid-template-columns: minmax(0, 46rem) minmax(16rem, 24rem); gap: 2rem;
  max-width: 74rem; margin: 0 auto; padding: 1.5rem; position: relative; }
main { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 2rem 2rem; }
h1 { font-size: 1.5rem; line-height: 1.3; } h2 { font-size: 1.15rem; margin-top: 1.8rem;
  border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; } th, td { border: 1px solid var(--line);
  padding: .3rem .5rem; text-align: left; vertical-align: top; }
code { font-size: .85em; background: #eef1f6; padding: 0 .2em; border-radius: 3px; word-break: break-all; }
sup.cite a { text-decoration: none; color: var(--accent); font-weight: 600; padding: 0 .1em; }
sup.cite.bad a { color: var(--bad); }
.review { border-radius: 8px; padding: .6rem 1rem; margin: 1rem 0; border: 1px solid var(--line); }
.review.ok { border-color: var(--ok); } .review.bad { border-color: var(--bad); }
.review li { font-size: .9rem; }
.review .nearest blockquote { margin: .2rem 0 .5rem; padding: .3rem .7rem; border-left: 3px solid var(--bad);
  background: #fdf3f2; white-space: pre-wrap; }
#citations details { border: 1px solid var(--line); border-radius: 6px; margin: .4rem 0; padding: .3rem .6rem;
  background: #fbfcfe; }
#citations details.bad { border-color: var(--bad); }
#citations summary { cursor: pointer; font-size: .9rem; }
.passage blockquote { margin: .5rem 0; padding: .4rem .8rem; border-left: 3px solid var(--accent);
  background: #f1f5fc; white-space: pre-wrap; }
.passage .problems { color: var(--bad); font-size: .85rem; }
.where { color: var(--muted); font-size: .85rem; }
#pane { position: absolute; right: 1.5rem; width: min(24rem, 30vw); background: #fff; border: 1px solid var(--accent);
  border-radius: 8px; padding: .6rem .9rem; box-shadow: 0 4px 16px rgba(0,0,0,.08); font-size: .92rem; }
#pane[hidden] { display: none; }
#pane .close { float: right; border: 0; background: none; font-size: 1.1rem; cursor: pointer; }
@media (max-width: 60rem) { .layout { grid-template-columns: 1fr; } #pane { position: static; width: auto; } }
"""

# Opens a citation beside its marker; also on load when the address ends in #cite-LABEL.
_SCRIPT = """
(function () {
  "use strict";
  var pane = document.getElementById("pane");
  var paneBody = document.getElementById("pane-body");
  function show(label, marker) {
    var details = document.getElementById("cite-" + label);
    if (!details || details.tagName !== "DETAILS") { return false; }
    details.open = true;
    var passage = details.querySelector(".passage");
    while (paneBody.firstChild) { paneBody.removeChild(paneBody.firstChild); }
    var heading = details.querySelector("summary").cloneNode(true);
    var title = document.createElement("div");
    title.className = "where";
    while (heading.firstChild) { title.appendChild(heading.firstChild); }
    paneBody.appendChild(title);
    if (passage) { paneBody.appendChild(passage.cloneNode(true)); }
    pane.hidden = false;
    var anchor = marker || document.querySelector('sup.cite[data-cite="' + CSS.escape(label) + '"]');
    if (anchor && window.matchMedia("(min-width: 60rem)").matches) {
      var top = anchor.getBoundingClientRect().top + window.scrollY - pane.offsetParent.getBoundingClientRect().top - window.scrollY;
      pane.style.top = Math.max(0, top - 8) + "px";
    }
    if (anchor && !marker) { anchor.scrollIntoView({block: "center"}); }
    document.documentElement.setAttribute("data-open-citation", label);
    return true;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("sup.cite a") : null;
    if (!link) { return; }
    var sup = link.parentNode;
    if (show(sup.getAttribute("data-cite"), sup)) {
      event.preventDefault();
      history.replaceState(null, "", "#cite-" + sup.getAttribute("data-cite"));
    }
  });
  document.getElementById("pane-close").addEventListener("click", function () { pane.hidden = true; });
  var match = /^#cite-(.+)$/.exec(window.location.hash);
  if (match) { show(decodeURIComponent(match[1]), null); }
})();
"""


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src '{_hash(_SCRIPT)}'; style-src '{_hash(_STYLE)}'; img-src 'none'; "
    "font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; "
    "base-uri 'none'; form-action 'none'"
)


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def sanitise(fragment: str) -> str:
    """Only the allow-listed tags and attributes, safe URL schemes, known classes and ids."""
    import nh3

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "class":
            kept = [c for c in value.split() if c in _CLASSES]
            return " ".join(kept) or None
        if attribute == "id":
            return value if re.fullmatch(r"fn(?:ref\d*)?:[\w.-]+", value) else None
        return value

    return nh3.clean(
        fragment,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        attribute_filter=keep,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_body(markdown_text: str) -> str:
    """The draft's Markdown as sanitised HTML, without the footnote list (citations replace it)."""
    import markdown

    rendered = markdown.markdown(markdown_text, extensions=["footnotes", "tables"], output_format="html")
    clean = sanitise(rendered)
    cut = clean.rfind('<div class="footnote">')
    return clean[:cut] if cut >= 0 else clean


def render_preview(draft: Draft, sources: Sources, report: ReviewReport | None = None) -> str:
    """The whole page as a string."""
    spans, resolve_findings = resolve_footnotes(draft, sources, str(draft.path))
    findings = report.findings if report is not None else resolve_findings
    by_label = _findings_by_label(findings, draft)
    body = render_body("\n".join(draft.lines) + "\n")

    def marker(match: re.Match) -> str:
        label = html.unescape(match.group(1))
        state = " bad" if by_label.get(label) else ""
        return (
            f'<sup class="cite{state}" data-cite="{esc(label)}"><a href="#cite-{esc(label)}" '
            f'aria-controls="cite-{esc(label)}">[{esc(label)}]</a></sup>'
        )

    body = _FOOTNOTE_REF.sub(marker, body)
    citations = "\n".join(_citation(draft, label, spans.get(label), by_label.get(label, [])) for label in draft.definitions)
    title = next((line.lstrip("# ").strip() for line in draft.lines if line.startswith("# ")), draft.path.name)
    return f"""{PREVIEW_MARK}
<!DOCTYPE html>
<html lang="{'ko' if '.ko.' in draft.path.name else 'en'}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{esc(CONTENT_SECURITY_POLICY)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(md_unescape(title))}</title>
<style>{_STYLE}</style>
</head>
<body>
<div class="layout">
<main>
{_review_box(report)}
{body}
<section id="citations">
<h2>Citations</h2>
{citations}
</section>
</main>
<aside id="pane" hidden aria-live="polite"><button type="button" class="close" id="pane-close" aria-label="Close">×</button><div id="pane-body"></div></aside>
</div>
<script>{_SCRIPT}</script>
</body>
</html>
"""


def _citation(draft: Draft, label: str, span: Span | None, problems: list[Finding]) -> str:
    definition = draft.definitions[label]
    state = "bad" if problems else "ok"
    if definition.file is None:
        head = f"<code>[^{esc(label)}]</code> {esc(definition.raw)}"
    else:
        lines = (f"line {definition.line_start}" if definition.line_start == definition.line_end
                 else f"lines {definition.line_start}–{definition.line_end}")
        quote = definition.quote + (" …" if definition.truncated else "")
        head = f"<code>{esc(definition.file)}</code>, {lines}: “{esc(quote)}”"
    passage = (
        f"<blockquote>{esc(span.text)}</blockquote>" if span is not None
        else '<p class="where">The cited lines could not be read.</p>'
    )
    issues = "".join(f"<li>{esc(f.message)}</li>" for f in problems)
    issues_html = f'<ul class="problems">{issues}</ul>' if issues else ""
    return (
        f'<details class="citation {state}" id="cite-{esc(label)}">'
        f'<summary><strong>[{esc(label)}]</strong> {head}</summary>'
        f'<div class="passage">{passage}{issues_html}</div></details>'
    )


def _findings_by_label(findings: list[Finding], draft: Draft) -> dict[str, list[Finding]]:
    """Findings that name a footnote ([^n]) or sit on its definition line."""
    lines = {d.line: label for label, d in draft.definitions.items()}
    shown = str(draft.path)
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.path != shown or finding.severity != "error":
            continue
        labels = set(re.findall(r"\[\^([^\]\s]+)\]", finding.message))
        if finding.line in lines:
            labels.add(lines[finding.line])
        for label in labels:
            grouped.setdefault(label, []).append(finding)
    return grouped


def _review_box(report: ReviewReport | None) -> str:
    if report is None:
        return ""
    state = "ok" if report.ok else "bad"
    items = "".join(f"<li>{esc(str(f))}{_nearest(f)}</li>" for f in report.findings)
    listing = f"<ul>{items}</ul>" if items else ""
    return f'<div class="review {state}"><strong>Review:</strong> {esc(report.summary())}{listing}</div>'


def _nearest(finding: Finding) -> str:
    """The source passage nearest a flagged sentence, under its reason."""
    if not finding.evidence:
        return ""
    return f'<div class="nearest"><span class="where">nearest source passage:</span><blockquote>{esc(finding.evidence)}</blockquote></div>'


def replace_problem(out: Path) -> str | None:
    """Why `out` may not be written (one line), or None: it is new, or a preview written here."""
    from briefing.outputs import not_replaceable

    if not os.path.lexists(out):
        return None
    if reason := not_replaceable(out):
        return f"--html {out} {reason}; not replaced (give another path)"
    if not starts_with_preview_mark(out):
        return f"--html {out} exists and is not a preview briefing wrote; not replaced (remove it or give another path)"
    return None


class PreviewRefused(OSError):
    """The preview's path holds something that is not a preview of ours."""


def write_preview(out: Path, page: str) -> Path:
    """Write the page atomically (all or nothing), checking again just before that `out` may be replaced."""
    from briefing.outputs import write_file_atomically

    problem = replace_problem(out)
    if problem:
        raise PreviewRefused(problem)
    return write_file_atomically(out, page)
