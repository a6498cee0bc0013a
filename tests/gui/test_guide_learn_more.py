"""« En savoir plus » on the Demandes page: a selected problem's link opens the guide on that code's section."""

from segur_desktop.core import guide
from segur_desktop.core.messages import MESSAGES
from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.models.diagnostics_model import DIAGNOSTIC_ROLE


def test_learn_more_on_a_selected_problem_lands_on_its_anchor(qtbot, demo_window: MainWindow) -> None:
    demo_window.navigation.setCurrentRow(2)
    page = demo_window.demandes
    group = page.diagnostics_model.index(0, 0)
    index = page.diagnostics_model.index(0, 0, group)
    diagnostic = index.data(DIAGNOSTIC_ROLE)
    page.tree.setCurrentIndex(index)
    assert "En savoir plus" in page.detail.text()
    link = guide.problem_link(diagnostic.code)
    assert f'href="{link}"' in page.detail.text()
    page.detail.linkActivated.emit(link)  # what a click on the link sends
    shown = demo_window.guide
    assert (shown.current_chapter, shown.current_anchor) == (guide.PROBLEMS_CHAPTER, diagnostic.code)
    position = shown.anchor_position(diagnostic.code)
    assert position is not None
    heading = shown.browser.document().find(MESSAGES[diagnostic.code].title, position)
    assert not heading.isNull() and heading.block().blockNumber() - shown.browser.document().findBlock(
        position).blockNumber() <= 1  # the section's own title, right under its anchor
    rect = shown.browser.cursorRect(heading)  # scrolled to: the title is on screen
    assert 0 <= rect.top() < shown.browser.viewport().height()
