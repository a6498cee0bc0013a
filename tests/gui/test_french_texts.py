"""Issue #18 item 5 on the window's side: Qt's own dialogs in French, nothing English left by qtbase_fr.qm."""

from PySide6.QtWidgets import QFileDialog, QLabel


def test_non_native_file_dialog_says_regarder_dans_and_fichiers_de_type(qtbot, qapp) -> None:
    from segur_desktop.app import install_qt_translations

    translator = install_qt_translations(qapp)
    assert translator is not None
    try:
        dialog = QFileDialog(None, "Choisir")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        qtbot.addWidget(dialog)
        labels = [label.text().replace("&", "").replace("\u00a0", " ") for label in dialog.findChildren(QLabel)]
        assert "Regarder dans :" in labels
        assert "Fichiers de type :" in labels
        assert "Nom de fichier :" in labels
        assert not any("Look in" in text or "Files of" in text for text in labels)
    finally:
        qapp.removeTranslator(translator)
