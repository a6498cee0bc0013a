"""« Aide → Guide d'utilisation » (F1): the French user guide of `docs/guide/`, offline, in its own window.

A chapter list, a search field that finds words across every chapter (accents and case
ignored: « finess » finds « FINESS »), and the chapter rendered in a `QTextBrowser` from its
Markdown by `core/guide.py`, which keeps the anchors Qt's own Markdown reader drops. F1 on a page
opens that page's chapter (`PAGE_CHAPTERS`); the Demandes page's « En savoir plus » opens a
problem's section (`04-problemes.md#<code>`). Links to other chapters stay in the window; web
links open in the browser. The window only reads the guide: it never writes anything.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from segur_desktop.core import guide
from segur_desktop.core.paths import guide_dir
from segur_desktop.gui.widgets.layout import fit_screen

FIRST_STEPS = "01-premiers-pas"
# The chapter F1 opens on each page of the main window, by the page's class.
PAGE_CHAPTERS = {
    "StartPage": FIRST_STEPS,
    "DashboardPage": f"{FIRST_STEPS}#le-tableau-de-bord",
    "ImportPage": "03-preparer-les-tableurs#la-page-import",
    "DemandesPage": guide.PROBLEMS_CHAPTER,
    "DeadlinesPage": "05-echeances",
    "ExportPage": "07-exporter-et-deposer",
    "TrackingPage": "08-apres-le-depot",
    "WorkspacePage": "02-dossier-de-travail",
}
IMAGE_WIDTH = 640  # the screenshots are 1400 pixels wide: scaled to the reading column
CHAPTER_ROLE = Qt.ItemDataRole.UserRole
ANCHOR_ROLE = Qt.ItemDataRole.UserRole + 1


def page_chapter(page: QWidget | None) -> str:
    """The guide target (`chapter#anchor`) of a page of the main window: its own chapter, else the first steps."""
    return PAGE_CHAPTERS.get(type(page).__name__, FIRST_STEPS) if page is not None else FIRST_STEPS


class GuideWindow(QWidget):
    def __init__(self, parent: QWidget | None = None, folder: Path | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("guide_window")
        self.setWindowTitle(self.tr("Guide d'utilisation — Segur Desktop"))
        fit_screen(self, 1050, 760)
        self.chapters = guide.chapters(folder or guide_dir())
        self._by_id = {chapter.id: chapter for chapter in self.chapters}
        self.current_chapter: str | None = None
        self.current_anchor = ""

        self.search = QLineEdit()
        self.search.setObjectName("guide_search")
        self.search.setPlaceholderText(self.tr("Rechercher dans le guide (ex. FINESS)"))
        self.search.setClearButtonEnabled(True)
        self.results_label = QLabel("")
        self.results = QListWidget()
        self.results.setObjectName("guide_results")
        self.results.setWordWrap(True)
        self.chapter_list = QListWidget()
        self.chapter_list.setObjectName("guide_chapters")
        for chapter in self.chapters:
            item = QListWidgetItem(chapter.title, self.chapter_list)
            item.setData(CHAPTER_ROLE, chapter.id)
        self.browser = QTextBrowser()
        self.browser.setObjectName("guide_browser")
        self.browser.setOpenLinks(False)  # chapters and anchors are ours to follow, web links the browser's
        self.browser.anchorClicked.connect(self.follow)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.search)
        side_layout.addWidget(self.results_label)
        side_layout.addWidget(self.results, 2)
        side_layout.addWidget(QLabel(self.tr("Chapitres")))
        side_layout.addWidget(self.chapter_list, 3)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(side)
        split.addWidget(self.browser)
        split.setSizes([300, 750])
        layout = QHBoxLayout(self)
        layout.addWidget(split)
        self._show_results([])

        self.search.textChanged.connect(self.find)
        self.results.itemActivated.connect(self._open_result)
        self.results.itemClicked.connect(self._open_result)
        self.chapter_list.currentItemChanged.connect(
            lambda item, _previous: item is not None and item.data(CHAPTER_ROLE) != self.current_chapter
            and self.open(item.data(CHAPTER_ROLE)))
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        if not self.chapters:
            self.browser.setPlainText(self.tr(
                "Le guide d'utilisation est introuvable (dossier « {folder} »). Réinstallez Segur Desktop.").format(
                folder=folder or guide_dir()))

    # --- showing a chapter ------------------------------------------------------------------------
    def open_target(self, target: str) -> bool:
        """`chapter`, `chapter#anchor` or `chapter.md#anchor`: the guide's own links and the pages' targets."""
        chapter, _, anchor = target.partition("#")
        return self.open(chapter.removesuffix(".md"), anchor)

    def open(self, chapter_id: str, anchor: str = "") -> bool:
        chapter = self._by_id.get(chapter_id)
        if chapter is None:
            return False
        if chapter_id != self.current_chapter:
            base = chapter.path.parent
            self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(chapter.path)))
            self.browser.setHtml(guide.to_html(chapter.markdown, lambda url: self._resolve(base, url), IMAGE_WIDTH))
            self.current_chapter = chapter_id
            row = next(i for i, c in enumerate(self.chapters) if c.id == chapter_id)
            self.chapter_list.blockSignals(True)
            self.chapter_list.setCurrentRow(row)
            self.chapter_list.blockSignals(False)
        self.current_anchor = anchor
        if anchor:
            self.browser.scrollToAnchor(anchor)
        else:
            self.browser.verticalScrollBar().setValue(0)
        return True

    @staticmethod
    def _resolve(base: Path, url: str) -> str:
        """Pictures as absolute file addresses (the window has no source file to resolve them against)."""
        if "://" in url or url.startswith(("#", "mailto:")) or url.split("#")[0].endswith(".md"):
            return url
        return QUrl.fromLocalFile(str((base / url).resolve())).toString()

    def follow(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        name = Path(url.path()).name if url.path() else ""
        if not name:
            self.open(self.current_chapter or "", url.fragment())
        elif name.endswith(".md") and self.open(name.removesuffix(".md"), url.fragment()):
            return
        elif url.isLocalFile() or url.isRelative():  # a file the guide names (the README): the OS opens it
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._by_id[self.current_chapter].path.parent / url.path()))
                                     if url.isRelative() and self.current_chapter else url)

    def anchor_position(self, anchor: str) -> int | None:
        """Where an anchor sits in the rendered chapter (None when the chapter has no such anchor)."""
        block = self.browser.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if fragment.isValid() and anchor in fragment.charFormat().anchorNames():
                    return fragment.position()
                iterator += 1
            block = block.next()
        return None

    # --- search -----------------------------------------------------------------------------------
    def find(self, text: str) -> list[guide.Hit]:
        hits = guide.search(text, self.chapters) if len(text.strip()) >= 2 else []
        self._show_results(hits)
        if text.strip() and len(text.strip()) >= 2:
            self.results_label.setText(self.tr("{count} passage(s) trouvé(s)").format(count=len(hits))
                                       if hits else self.tr("Aucun passage ne contient « {text} ».").format(text=text))
        return hits

    def _show_results(self, hits: list[guide.Hit]) -> None:
        self.results.clear()
        for hit in hits:
            title = hit.chapter.title if not hit.section.title or hit.section.title == hit.chapter.title else \
                f"{hit.chapter.title} › {hit.section.title}"
            item = QListWidgetItem(f"{title}\n{hit.excerpt}", self.results)
            item.setData(CHAPTER_ROLE, hit.chapter.id)
            item.setData(ANCHOR_ROLE, hit.section.anchor)
        self.results.setVisible(bool(hits))
        self.results_label.setVisible(bool(self.search.text().strip()))

    def _open_result(self, item: QListWidgetItem) -> None:
        self.open(item.data(CHAPTER_ROLE), item.data(ANCHOR_ROLE))
        self.highlight(self.search.text().strip())

    def highlight(self, text: str) -> bool:
        """Select the first occurrence of the searched words at or after the current anchor."""
        document = self.browser.document()
        start = self.anchor_position(self.current_anchor) if self.current_anchor else 0
        cursor = document.find(text.split()[0] if text.split() else text, start or 0,
                               QTextDocument.FindFlag(0))
        if cursor.isNull():
            return False
        self.browser.setTextCursor(cursor)
        self.browser.ensureCursorVisible()
        return True
