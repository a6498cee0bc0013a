"""Every relative link of the README and of docs/ lands on a file, and an #anchor on a heading (issue #22).

The README was split into docs/reference/ and the user guide: a renamed heading or a moved file must
fail here, not on GitHub. Anchors follow GitHub's slugs (lower case, punctuation dropped, spaces to
hyphens, « -1 », « -2 » for repeated headings); an explicit `<a id="…">` or `<a name="…">` counts too
(the generated chapter 04 gives each diagnostic code one).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
# The sources of the generated chapter 04 are pasted into docs/guide/04-problemes.md: their links are written from there.
WRITTEN_FROM = {ROOT / "docs" / "guide" / "sources": ROOT / "docs" / "guide"}

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.S | re.M)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$", re.M)
_HTML_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"")


def _prose(markdown: str) -> str:
    """The text without fenced code blocks, where a heading or a link is only an example."""
    return _FENCE.sub("", markdown)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading's text: its rendered text, lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text only
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = text.replace("`", "").replace("*", "")
    text = re.sub(r"(?<!\w)_+|_+(?!\w)", "", text)  # _emphasis_, not snake_case
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    """Every anchor a Markdown file offers: its headings' slugs (repeats numbered) and explicit HTML anchors."""
    prose = _prose(markdown)
    seen: dict[str, int] = {}
    found = set(_HTML_ANCHOR.findall(prose))
    for _, text in _HEADING.findall(prose):
        base = slug(text)
        n = seen.get(base, 0)
        found.add(base if n == 0 else f"{base}-{n}")
        seen[base] = n + 1
    return found


def links(markdown: str) -> list[str]:
    return _LINK.findall(_CODE_SPAN.sub("", _prose(markdown)))


def broken_links(doc: Path, root: Path = ROOT) -> list[str]:
    """What is wrong with each relative link of `doc`, in words; empty when every link lands."""
    problems = []
    for url in links(doc.read_text(encoding="utf-8")):
        if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):  # http:, https:, mailto:
            continue
        target, _, anchor = url.partition("#")
        base = WRITTEN_FROM.get(doc.parent, doc.parent)
        path = (base / target).resolve() if target else doc
        if not path.is_relative_to(root):
            problems.append(f"{url}: leaves the repository")
        elif not path.exists():
            problems.append(f"{url}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path.read_text(encoding="utf-8")):
            problems.append(f"{url}: no heading « #{anchor} » in {path.relative_to(root)}")
    return problems


def test_there_are_documents_and_links_to_check() -> None:
    assert ROOT / "README.md" in DOCS and len(DOCS) > 20
    assert len(links((ROOT / "README.md").read_text(encoding="utf-8"))) > 10


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(doc: Path) -> None:
    assert broken_links(doc) == []


def test_slugs_are_githubs() -> None:
    assert slug("Deposit formats: the portal's own JSON") == "deposit-formats-the-portals-own-json"
    assert slug("L'instant de contrôle") == "linstant-de-contrôle"
    assert slug("Les alias : vos intitulés de couloir") == "les-alias--vos-intitulés-de-couloir"
    assert slug("A team's shared register (PostgreSQL)") == "a-teams-shared-register-postgresql"
    assert slug("`register export` and **backups**") == "register-export-and-backups"
    assert slug("solde_avance_non_validee") == "solde_avance_non_validee"
    assert anchors("# Notes\n\n## Notes\n\n```\n# not a heading\n```\n<a id=\"code_x\"></a>\n") == {"notes", "notes-1", "code_x"}


def test_a_broken_link_or_anchor_is_named(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Other page\n\n## Known part\n", encoding="utf-8")
    doc = tmp_path / "doc.md"
    doc.write_text("# Doc\n\n[ok](other.md#known-part) [same](#doc) [web](https://example.org/x#y)\n"
                   "[gone](missing.md) [no anchor](other.md#unknown-part) ![pic](img.png) [up](../../outside.md)\n"
                   "`[code](not-a-link.md)`\n\n```\n[example](nowhere.md)\n```\n", encoding="utf-8")
    assert broken_links(doc, root=tmp_path) == [
        "missing.md: no such file",
        "other.md#unknown-part: no heading « #unknown-part » in other.md",
        "img.png: no such file",
        "../../outside.md: leaves the repository",
    ]
