"""The user guide in the window: F1 opens the page's chapter, the start page links the first steps, search finds words."""

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QTextDocument

from segur_desktop.core import guide
from segur_desktop.gui.guide_window import PAGE_CHAPTERS, GuideWindow
from segur_desktop.gui.main_window import MainWindow


def test_f1_on_each_page_opens_its_chapter(qtbot, demo_window: MainWindow) -> None:
    chapters = {c.id: c for c in guide.chapters()}
    for row, (_title, page) in enumerate(demo_window.pages):
        demo_window.navigation.setCurrentRow(row)
        demo_window.activateWindow()
        qtbot.keyClick(demo_window, Qt.Key.Key_F1)
        shown = demo_window.guide
        assert shown is not None and shown.isVisible()
        chapter, _, anchor = PAGE_CHAPTERS[type(page).__name__].partition("#")
        assert (shown.current_chapter, shown.current_anchor) == (chapter, anchor), type(page).__name__
        assert chapter in chapters and (not anchor or anchor in chapters[chapter].anchors)
        assert shown.browser.toPlainText().startswith(chapters[chapter].title)
        if anchor:
            assert shown.anchor_position(anchor) is not None
    assert demo_window.findChildren(GuideWindow) == [demo_window.guide]  # one window, reused


def test_f1_on_the_start_page_opens_the_first_steps(qtbot, window: MainWindow) -> None:
    assert window.stack.currentWidget() is window.start
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.guide.current_chapter == "01-premiers-pas"
    window.guide.close()
    window.start.guide_link.linkActivated.emit("01-premiers-pas")  # the start page's link
    assert window.guide.isVisible() and window.guide.current_chapter == "01-premiers-pas"


def test_the_help_menu_opens_the_guide(qtbot, window: MainWindow) -> None:
    action = window.findChild(QAction, "action_guide")
    assert action is not None and action.shortcut().toString() == "F1"
    action.trigger()
    assert window.guide.isVisible()


def test_search_finds_finess_and_opens_the_passage(qtbot, tmp_path) -> None:
    window = GuideWindow()
    qtbot.addWidget(window)
    window.show()
    window.open("01-premiers-pas")
    qtbot.keyClicks(window.search, "FINESS")
    assert window.results.count() > 3
    chapters = {window.results.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.results.count())}
    assert {"03-preparer-les-tableurs", guide.PROBLEMS_CHAPTER, "12-glossaire"} <= chapters
    item = next(window.results.item(i) for i in range(window.results.count())
                if window.results.item(i).data(Qt.ItemDataRole.UserRole) == "12-glossaire")
    qtbot.mouseClick(window.results.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.results.visualItemRect(item).center())
    assert window.current_chapter == "12-glossaire"
    assert window.browser.textCursor().selectedText().casefold() == "finess"
    window.search.clear()
    qtbot.keyClicks(window.search, "introuvablexyz")
    assert window.results.count() == 0 and "Aucun passage" in window.results_label.text()


def test_links_between_chapters_stay_in_the_window(qtbot) -> None:
    window = GuideWindow()
    qtbot.addWidget(window)
    window.open("11-faq")
    window.follow(QUrl("04-problemes.md#solution_absente"))
    assert (window.current_chapter, window.current_anchor) == (guide.PROBLEMS_CHAPTER, "solution_absente")
    window.follow(QUrl("#identifiant_cle"))
    assert (window.current_chapter, window.current_anchor) == (guide.PROBLEMS_CHAPTER, "identifiant_cle")
    window.follow(QUrl("09-sauvegardes.md#où-sont-vos-données"))
    assert window.current_chapter == "09-sauvegardes" and window.anchor_position("où-sont-vos-données") is not None
    window.chapter_list.setCurrentRow(11)
    assert window.current_chapter == "12-glossaire"


def test_pictures_are_found(qtbot) -> None:
    window = GuideWindow()
    qtbot.addWidget(window)
    window.open("01-premiers-pas")
    html = window.browser.toHtml()
    source = next(part.split('"')[0] for part in html.split('src="')[1:] if "accueil.png" in part)
    image = window.browser.loadResource(QTextDocument.ResourceType.ImageResource.value, QUrl(source))
    assert image is not None and not image.isNull()
