"""The user guide (docs/guide/): every diagnostic explained, the generated chapter current, links and pictures real."""

import re
from pathlib import Path

import pytest

from segur_desktop.core import guide
from segur_desktop.core.messages import MESSAGES
from segur_desktop.core.paths import guide_dir
from tools import make_guide

CHAPTERS = guide.chapters()
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def test_guide_dir_holds_the_chapters_in_order() -> None:
    assert guide_dir() == Path(make_guide.GUIDE)
    ids = [c.id for c in CHAPTERS]
    assert ids == sorted(ids) and len(ids) == 12
    assert ids[0] == "01-premiers-pas" and guide.PROBLEMS_CHAPTER in ids


def test_every_diagnostic_code_has_an_explanation() -> None:
    written = make_guide.explanations()
    missing = [code for code in MESSAGES if code not in written]
    assert not missing, f"codes sans explication dans docs/guide/sources/explications.md : {missing}"
    assert make_guide.problems() == []


def test_a_code_without_explanation_is_named(tmp_path: Path) -> None:
    text = make_guide.EXPLANATIONS.read_text(encoding="utf-8")
    cut = tmp_path / "explications.md"
    cut.write_text(re.sub(r"## identifiant_cle\n.*?(?=\n## )", "", text, flags=re.S), encoding="utf-8")
    assert any("identifiant_cle" in problem for problem in make_guide.problems(cut))


def test_generated_chapter_is_current() -> None:
    current = make_guide.CHAPTER.read_text(encoding="utf-8")
    assert current == make_guide.render(), "docs/guide/04-problemes.md est périmé : lancez python -m tools.make_guide"


def test_every_code_has_its_anchor_in_the_problems_chapter() -> None:
    chapter = next(c for c in CHAPTERS if c.id == guide.PROBLEMS_CHAPTER)
    assert set(MESSAGES) <= chapter.anchors
    assert all(guide.problem_link(code) == f"{guide.PROBLEMS_CHAPTER}.md#{code}" for code in MESSAGES)


def links(chapter: guide.Chapter) -> list[str]:
    text = re.sub(r"```.*?```", "", chapter.markdown, flags=re.S)
    return LINK.findall(text)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.id)
def test_links_land_on_a_chapter_and_an_anchor(chapter: guide.Chapter) -> None:
    by_id = {c.id: c for c in CHAPTERS}
    for url in links(chapter):
        if "://" in url or url.endswith((".png", ".jpg")):
            continue
        target, _, anchor = url.partition("#")
        linked = by_id[Path(target).stem] if target else chapter
        assert target == "" or target.endswith(".md") and Path(target).stem in by_id, url
        assert not anchor or anchor in linked.anchors, f"{chapter.id} : l'ancre de « {url} » n'existe pas"


def test_every_screenshot_the_guide_shows_exists() -> None:
    """The generated chapter holds its introduction's pictures: every chapter is enough."""
    shown = {(c.path.parent / url).resolve() for c in CHAPTERS for url in links(c) if url.endswith(".png")}
    assert len(shown) >= 9
    missing = [str(p) for p in shown if not p.is_file()]
    assert not missing, missing


def test_the_readme_of_the_guide_lists_every_chapter() -> None:
    index = (guide_dir() / "README.md").read_text(encoding="utf-8")
    assert all(f"({c.id}.md)" in index for c in CHAPTERS)


def test_search_finds_finess_across_chapters_whatever_the_case_and_accents() -> None:
    hits = guide.search("finess", CHAPTERS)
    assert {h.chapter.id for h in hits} >= {"03-preparer-les-tableurs", guide.PROBLEMS_CHAPTER, "12-glossaire"}
    assert all("finess" in h.excerpt.casefold() for h in hits)
    assert guide.search("echeance", CHAPTERS) == guide.search("ÉCHÉANCE", CHAPTERS) != []
    assert guide.search("mot-introuvable-xyz", CHAPTERS) == []


def test_markdown_keeps_anchors_tables_lists_and_escapes_text() -> None:
    html = guide.to_html('<a id="code_x"></a>\n## Titre : un\n\n- a <b>\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n',
                         link=lambda url: url.replace(".md", ".html"))
    assert '<h2 id="code_x"><a name="code_x"></a><a name="titre--un"></a>Titre : un</h2>' in html
    assert "<li>a &lt;b&gt;</li>" in html and "<td>1</td>" in html
    assert guide.to_html("[x](a.md#b)", link=lambda u: u.replace(".md", ".html")) == '<p><a href="a.html#b">x</a></p>'


def test_html_export_writes_every_chapter_with_its_pictures(tmp_path: Path) -> None:
    pages = make_guide.export_html(tmp_path)
    assert {p.name for p in pages} == {"index.html", *(f"{c.id}.html" for c in CHAPTERS)}
    first = (tmp_path / "01-premiers-pas.html").read_text(encoding="utf-8")
    assert 'src="screenshots/accueil.png"' in first and 'href="02-dossier-de-travail.html"' in first
    assert (tmp_path / "screenshots" / "accueil.png").is_file()
    assert 'id="finess_format"' in (tmp_path / f"{guide.PROBLEMS_CHAPTER}.html").read_text(encoding="utf-8")
