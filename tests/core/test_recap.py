"""recapitulatif.html from its templates (issue #19): every value from the user's files is escaped by one function,
and the page is well formed whatever a name contains (markup, entities, quotes, a template's own `$`)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from string import Template

from testdata import FINESS_A, FINESS_B

from segur_desktop.core.export.bundle import export_workspace
from segur_desktop.core.export.manifest import RECAP
from segur_desktop.core.export.recap import Markup, fill, html, lines
from segur_desktop.core.workspace import load_workspace

HOSTILE = "<script>&\"'"
TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "br", "table", "thead", "tbody", "tr", "th",
        "td"}


class Page(HTMLParser):
    """The tags a browser would see, and the text it would show."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        if tag not in ("br", "meta"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _recap(make_workspace, tmp_path: Path) -> str:
    clients = [["C1", HOSTILE, FINESS_A, "", "75011", "Paris"], ["C2", "Centre hospitalier B", FINESS_B, "", "69001", "Lyon"]]
    bdcs = [["B1", "C2", "Test DPI", "Avance", "01/09/2022", "1000", "B1.pdf"],
            ["$title ${rows}", "C1", "Test DPI", "Avance", "31/02/2022", "1000", "B2.pdf"]]  # in error: left out
    folder = make_workspace(clients, bdcs, extra={"nom": HOSTILE, "editeur": {"raison_sociale": HOSTILE,
                                                                               "siret": "73282932000074"}})
    workspace = load_workspace(folder)
    bundle = export_workspace(workspace, workspace.judged_at, tmp_path / "out").bundle
    return (bundle / RECAP).read_text(encoding="utf-8")


def test_every_value_is_escaped_and_the_page_well_formed(make_workspace, tmp_path: Path) -> None:
    text = _recap(make_workspace, tmp_path)
    page = Page()
    page.feed(text)
    page.close()
    assert set(page.tags) <= TAGS and "script" not in page.tags and page.open == []
    shown = "".join(page.text)
    assert f"Récapitulatif du dépôt — {HOSTILE}" in shown  # the title
    assert f"Éditeur : {HOSTILE} (SIRET 73282932000074)" in shown
    assert f"Dossier de travail : « {HOSTILE} »" in shown
    assert f"<td>{html(HOSTILE)}</td>" in text and html(HOSTILE) == "&lt;script&gt;&amp;&quot;&#x27;"  # the beneficiary
    assert "<td>$title ${rows}</td>" in text  # a value is substituted once, never read as a template
    assert text.count("<tr") == text.count("</tr>")


def test_only_the_module_s_own_markup_passes_unescaped() -> None:
    template = Template("<p>$a</p><p>$b</p>")
    assert fill(template, a="<i>", b=Markup("<br>")) == "<p>&lt;i&gt;</p><p><br></p>"
    assert lines(["<a>", Markup("<b>")]) == "&lt;a&gt;<br><b>"
    assert html(3) == "3"
