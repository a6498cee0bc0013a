"""The user guide (`docs/guide/`): its chapters, their Markdown as HTML, and a search across them.

The guide is French Markdown, one file per task, named `NN-slug.md` (the number orders the
chapters). The window (`gui/guide_window.py`) and the HTML export (`tools/make_guide.py`) both
render it here, so an anchor the Demandes page links to (`04-problemes.md#finess_format`) is the
same in both. Only the Markdown the guide uses is understood: headings, paragraphs, lists (one
level of nesting), tables, fenced code, quotes, rules, bold, italics, code, links and images, and
explicit anchors written `<a id="…"></a>` on their own line (GitHub shows those too). Qt's own
Markdown reader drops anchors, hence this small converter. Pure Python: no Qt here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from segur_desktop.core.paths import guide_dir

PROBLEMS_CHAPTER = "04-problemes"  # generated from core/messages.py by tools/make_guide.py
CHAPTER_FILE = re.compile(r"^\d\d-[a-z0-9-]+\.md$")
ANCHOR_LINE = re.compile(r'^<a (?:id|name)="([^"]+)"></a>$')
HEADING = re.compile(r"^(#{1,4})\s+(.*?)\s*#*$")
LIST_ITEM = re.compile(r"^(\s*)([-*]|\d+\.)\s+(.*)$")
TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


@dataclass(frozen=True)
class Section:
    anchor: str  # the heading's anchor ("" for the text before the first heading)
    title: str
    text: str  # the section's Markdown, searched as plain words


@dataclass(frozen=True)
class Chapter:
    id: str  # the file's stem: "04-problemes"
    title: str  # its first heading
    path: Path
    markdown: str
    sections: list[Section] = field(default_factory=list)

    @property
    def anchors(self) -> set[str]:
        return anchors(self.markdown)


@dataclass(frozen=True)
class Hit:
    chapter: Chapter
    section: Section
    excerpt: str


def problem_link(code: str) -> str:
    """The guide's section on a diagnostic code: each code has its anchor in « Problèmes et corrections »."""
    return f"{PROBLEMS_CHAPTER}.md#{code}"


def chapters(folder: Path | None = None) -> list[Chapter]:
    """The guide's chapters in reading order."""
    folder = folder or guide_dir()
    found = []
    for path in sorted(folder.glob("*.md")):
        if CHAPTER_FILE.match(path.name):
            text = path.read_text(encoding="utf-8")
            found.append(Chapter(path.stem, _first_title(text) or path.stem, path, text, _sections(text)))
    return found


def slug(title: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", _inline_text(title).lower())
    return text.strip().replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    """Every anchor a chapter defines: its headings' and its explicit `<a id>` lines."""
    found = set()
    in_code = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code:
            if match := ANCHOR_LINE.match(line.strip()):
                found.add(match.group(1))
            elif match := HEADING.match(line):
                found.add(slug(match.group(2)))
    return found


def fold(text: str) -> str:
    """Lower case without accents: « Échéance » finds « echeance » and the reverse."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search(query: str, among: list[Chapter], limit: int = 200) -> list[Hit]:
    """Each section holding every word of the query (accents and case ignored), in reading order."""
    words = fold(query).split()
    if not words:
        return []
    hits = []
    for chapter in among:
        for section in chapter.sections:
            plain = _plain(section.text)
            folded, origin = _folded_with_origin(plain)
            if all(w in folded for w in words):
                hits.append(Hit(chapter, section, _excerpt(plain, folded, origin, words[0])))
                if len(hits) >= limit:
                    return hits
    return hits


# --- Markdown to HTML -------------------------------------------------------------------------------

def to_html(markdown: str, link: Callable[[str], str] = lambda url: url, image_width: int | None = None) -> str:
    """The chapter as an HTML fragment. `link` rewrites each link and image address (the HTML export
    turns `x.md` into `x.html`); `image_width` scales pictures down for the window."""
    renderer = _Renderer(link, image_width)
    return renderer.render(markdown.splitlines())


class _Renderer:
    def __init__(self, link: Callable[[str], str], image_width: int | None) -> None:
        self.link = link
        self.image_width = image_width

    def render(self, lines: list[str]) -> str:
        out: list[str] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            stripped = line.strip()
            if not stripped:
                i += 1
            elif stripped.startswith("```"):
                code = []
                i += 1
                while i < len(lines) and not lines[i].strip().startswith("```"):
                    code.append(lines[i])
                    i += 1
                out.append(f"<pre>{escape(chr(10).join(code), quote=False)}</pre>")
                i += 1
            elif match := ANCHOR_LINE.match(stripped):
                name = escape(match.group(1))
                heading = HEADING.match(lines[i + 1]) if i + 1 < len(lines) else None
                if heading:  # the heading itself carries the anchor: scrolling to it shows the title on top
                    level, title = len(heading.group(1)), heading.group(2)
                    out.append(f'<h{level} id="{name}"><a name="{name}"></a><a name="{escape(slug(title))}"></a>'
                               f'{self.inline(title)}</h{level}>')
                    i += 2
                else:
                    out.append(f'<a name="{name}" id="{name}"></a>')
                    i += 1
            elif match := HEADING.match(line):
                level, title = len(match.group(1)), match.group(2)
                anchor = escape(slug(title))
                out.append(f'<h{level} id="{anchor}"><a name="{anchor}"></a>{self.inline(title)}</h{level}>')
                i += 1
            elif re.fullmatch(r"(-{3,}|\*{3,})", stripped):
                out.append("<hr>")
                i += 1
            elif stripped.startswith(">"):
                quoted = []
                while i < len(lines) and lines[i].strip().startswith(">"):
                    quoted.append(lines[i].strip()[1:].removeprefix(" "))
                    i += 1
                out.append(f"<blockquote>{self.render(quoted)}</blockquote>")
            elif stripped.startswith("|") and i + 1 < len(lines) and TABLE_RULE.match(lines[i + 1].strip()):
                rows = [stripped]
                i += 2
                while i < len(lines) and lines[i].strip().startswith("|"):
                    rows.append(lines[i].strip())
                    i += 1
                out.append(self.table(rows))
            elif LIST_ITEM.match(line):
                i = self.bullets(lines, i, out)
            else:
                paragraph = []
                while i < len(lines) and lines[i].strip() and not self._starts_block(lines, i):
                    paragraph.append(lines[i].strip())
                    i += 1
                out.append(f"<p>{self.inline(' '.join(paragraph))}</p>")
        return "\n".join(out)

    @staticmethod
    def _starts_block(lines: list[str], i: int) -> bool:
        line = lines[i]
        stripped = line.strip()
        return bool(stripped.startswith(("```", ">", "|")) or HEADING.match(line) or LIST_ITEM.match(line)
                    or ANCHOR_LINE.match(stripped))

    def bullets(self, lines: list[str], i: int, out: list[str]) -> int:
        first = LIST_ITEM.match(lines[i])
        assert first is not None, "called on a list item"
        indent = len(first.group(1))
        tag = "ol" if first.group(2)[0].isdigit() else "ul"
        items: list[str] = []
        while i < len(lines):
            match = LIST_ITEM.match(lines[i])
            if match and len(match.group(1)) == indent:
                text = [match.group(3)]
                i += 1
                nested: list[str] = []
                while i < len(lines) and lines[i].strip():
                    sub = LIST_ITEM.match(lines[i])
                    if sub and len(sub.group(1)) > indent:
                        i = self.bullets(lines, i, nested)
                    elif sub or not lines[i].startswith(" "):
                        break
                    else:
                        text.append(lines[i].strip())
                        i += 1
                items.append(f"<li>{self.inline(' '.join(text))}{''.join(nested)}</li>")
                if i < len(lines) and not lines[i].strip():  # a blank line ends the list unless an item follows
                    following = i + 1
                    nxt = LIST_ITEM.match(lines[following]) if following < len(lines) else None
                    if nxt and len(nxt.group(1)) == indent and nxt.group(2)[0].isdigit() == (tag == "ol"):
                        i = following
                        continue
                    break
            else:
                break
        out.append(f"<{tag}>{''.join(items)}</{tag}>")
        return i

    def table(self, rows: list[str]) -> str:
        def cells(row: str) -> list[str]:
            return [c.strip() for c in row.strip().strip("|").split("|")]
        head = "".join(f"<th>{self.inline(c)}</th>" for c in cells(rows[0]))
        body = "".join("<tr>" + "".join(f"<td>{self.inline(c)}</td>" for c in cells(r)) + "</tr>" for r in rows[1:])
        return f'<table border="1" cellspacing="0" cellpadding="4"><tr>{head}</tr>{body}</table>'

    def inline(self, text: str) -> str:
        parts = re.split(r"(`[^`]+`)", text)
        html = []
        for part in parts:
            if part.startswith("`") and part.endswith("`") and len(part) > 1:
                html.append(f"<code>{escape(part[1:-1], quote=False)}</code>")
                continue
            part = escape(part, quote=False)
            part = re.sub(r"!\[([^\]]*)\]\(([^)\s]+)\)", self._image, part)
            part = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)",
                          lambda m: f'<a href="{escape(self.link(m.group(2)))}">{m.group(1)}</a>', part)
            part = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", part)
            part = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", part)
            html.append(part)
        return "".join(html)

    def _image(self, match: re.Match[str]) -> str:
        width = f' width="{self.image_width}"' if self.image_width else ""
        return f'<img src="{escape(self.link(match.group(2)))}" alt="{escape(match.group(1))}"{width}>'


# --- helpers -----------------------------------------------------------------------------------------

def _first_title(markdown: str) -> str:
    for line in markdown.splitlines():
        if match := HEADING.match(line):
            return _inline_text(match.group(2))
    return ""


def _sections(markdown: str) -> list[Section]:
    """The chapter cut at its headings; a heading right under an explicit anchor takes that anchor."""
    sections: list[Section] = []
    anchor, title = "", ""
    body: list[str] = []
    pending: str | None = None
    in_code = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        explicit = None if in_code else ANCHOR_LINE.match(line.strip())
        heading = None if in_code else HEADING.match(line)
        if explicit:
            pending = explicit.group(1)
            continue
        if heading:
            if any(b.strip() for b in body):
                sections.append(Section(anchor, title, "\n".join(body)))
            anchor, title, body = pending or slug(heading.group(2)), _inline_text(heading.group(2)), []
        elif line.strip():
            pending = None
        body.append(line)
    if any(b.strip() for b in body):
        sections.append(Section(anchor, title, "\n".join(body)))
    return sections


def _inline_text(markdown: str) -> str:
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[`*]", "", text).strip()


def _plain(markdown: str) -> str:
    lines = []
    for line in markdown.splitlines():
        if TABLE_RULE.match(line.strip()) or line.startswith("```"):
            continue
        line = re.sub(r"^#+\s*|^\s*[-*>]\s+|^\s*\d+\.\s+", "", line)
        lines.append(_inline_text(line.replace("|", " ")))
    return re.sub(r"\s+", " ", " ".join(lines)).strip()


def _folded_with_origin(plain: str) -> tuple[str, list[int]]:
    """`fold(plain)` and, for each of its characters, the index in `plain` it comes from (« … » folds to three)."""
    folded, origin = [], []
    for index, char in enumerate(plain):
        for f in fold(char):
            folded.append(f)
            origin.append(index)
    return "".join(folded), origin


def _excerpt(plain: str, folded: str, origin: list[int], word: str, width: int = 70) -> str:
    at = origin[folded.find(word)]
    start, end = max(0, at - width), min(len(plain), at + len(word) + width)
    return ("…" if start else "") + plain[start:end].strip() + ("…" if end < len(plain) else "")
