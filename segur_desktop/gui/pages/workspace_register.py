"""« Registre de suivi » on the Dossier de travail page: this computer's register or the team's PostgreSQL one (#20).

The choice and the URL are fields of the page's form (`WorkspaceForm.shared`,
`registre`), checked by the core at each keystroke (a URL holding a password
is refused with the reason) and saved with the rest of workspace.json. The
box adds what only a server can answer, each in a worker, never on the GUI
thread: « Tester la connexion » (`core/register/setting.try_connection`),
« Mot de passe… » (into the system's keyring, `core/register/password.py`),
and, when the page switches a vendor from a non-empty local register to a
shared one, the offer to copy it there first (`move_local`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from segur_desktop.core.register.marker import Counts
from segur_desktop.core.register.password import store_password
from segur_desktop.core.register.setting import check_setting, local_rows, move_local, try_connection, user_setting
from segur_desktop.core.register.transfer import TransferSummary
from segur_desktop.gui.workers import Job, LatestJob, Workers

PROBLEM_STYLE = "color: #b3261e"
REACHED_STYLE = "color: #1e6b35"


def left_behind(vendor: str) -> Counts | None:
    """In a worker: the rows of the vendor's local register that switching to a shared one would leave behind. None
    when it has none, or when this computer's settings (reglages.json) already put a shared register in force: the
    local one was not in use. Both are file reads, never made on the GUI thread."""
    return None if user_setting() else local_rows(vendor)


class RegisterBox(QGroupBox):
    """The register setting's fields and its three jobs; the page owns the form, the error label and saving."""

    edited = Signal()

    def __init__(self, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Registre de suivi"), parent)
        self.workers = workers
        self.latest = LatestJob(self)  # the latest connection test or password: an older one's answer is dropped
        self.shared_choice = QComboBox()
        self.shared_choice.setObjectName("register_kind")
        self.shared_choice.addItem(self.tr("Local (ce poste)"), False)
        self.shared_choice.addItem(self.tr("Partagé (PostgreSQL)"), True)
        self.shared_choice.setAccessibleName(self.tr("Registre de suivi"))
        self.url = QLineEdit()
        self.url.setObjectName("register_url")
        self.url.setPlaceholderText(self.tr("postgresql://utilisateur@serveur/base (sans mot de passe)"))
        self.url.setAccessibleName(self.tr("Adresse du registre partagé"))
        self.test_button = QPushButton(self.tr("Tester &la connexion"))
        self.test_button.setObjectName("register_test")
        self.test_button.clicked.connect(self.test_connection)
        self.password_button = QPushButton(self.tr("Mot &de passe…"))
        self.password_button.setObjectName("register_password")
        self.password_button.setToolTip(self.tr("Enregistre le mot de passe dans le trousseau du système (jamais dans "
                                                "un fichier) ; sinon, mettez-le dans votre fichier .pgpass."))
        self.password_button.clicked.connect(self.ask_password)
        self.note = QLabel()
        self.note.setObjectName("register_note")
        self.note.setWordWrap(True)
        self.result = QLabel()
        self.result.setObjectName("register_result")
        self.result.setWordWrap(True)
        self.result.hide()
        self.help = QLabel(self.tr(
            "Local : les demandes exportées sont suivies sur cet ordinateur seulement. Partagé : toute l'équipe "
            "utilise la même base PostgreSQL, et les demandes déjà déposées par un collègue sont reconnues."))
        self.help.setWordWrap(True)
        self.shared_choice.currentIndexChanged.connect(self._shared_changed)
        self.url.textChanged.connect(self._changed)
        self.vendor: Callable[[], str] = lambda: ""  # the page says whose register is meant
        self.user_register = ""  # this computer's reglages.json's shared register (""), read with the page's fields

    def lay_out(self, url_with_error: QWidget) -> None:
        """Place the fields, the URL inside the page's error wrapper (its reason shows under it, in red)."""
        layout = QVBoxLayout(self)
        layout.addWidget(self.help)
        row = QHBoxLayout()
        row.addWidget(self.shared_choice)
        row.addWidget(url_with_error, 1)
        layout.addLayout(row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.password_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        layout.addWidget(self.note)
        self._enable()

    # --- the fields -------------------------------------------------------------------------------
    def shared(self) -> bool:
        return bool(self.shared_choice.currentData())

    def set_values(self, shared: bool, url: str, user_register: str) -> None:
        """The workspace's setting, and this computer's (`user_setting`, read in the page's worker: a file)."""
        self.user_register = user_register
        self.shared_choice.setCurrentIndex(1 if shared else 0)
        self.url.setText(url)
        self.latest.drop()  # a test of what was shown before says nothing about this
        self.result.hide()
        self._enable()

    def _shared_changed(self) -> None:
        self._changed()
        if self.shared():
            self.url.setFocus()

    def _changed(self) -> None:
        self._enable()
        self.edited.emit()

    def _enable(self) -> None:
        shared = self.shared()
        usable = shared and check_setting(self.url.text()) is None
        self.url.setEnabled(shared)
        self.test_button.setEnabled(usable)
        self.password_button.setEnabled(usable)
        in_force = self.user_register if not shared else ""
        self.note.setText(self.tr("Ce dossier n'en désigne pas, mais les réglages de ce poste (reglages.json) désignent "
                                  "le registre partagé {url} : c'est lui qui est utilisé.").format(url=in_force)
                          if in_force else "")
        self.note.setVisible(bool(in_force))

    # --- what only a server can answer ------------------------------------------------------------
    def _say(self, text: str, style: str = "") -> None:
        self.result.setStyleSheet(style)
        self.result.setText(text)
        self.result.show()

    def _latest(self, job: Job, on_success: Callable[..., object]) -> None:
        self.latest.follow(job, succeeded=on_success, failed=lambda message: self._say(message, PROBLEM_STYLE))

    def test_connection(self) -> None:
        """Connect once, read-only, in a worker; say what answered or why not (the Suivi page's French message)."""
        url = self.url.text().strip()
        self._say(self.tr("Connexion à {url} en cours…").format(url=url))
        self._latest(self.workers.call(try_connection, url, self.vendor()),
                     lambda reached: self._say(reached.describe(), REACHED_STYLE))

    def ask_password(self) -> None:
        """The password typed once, hidden, handed to the keyring in a worker (a keyring may be slow to unlock)."""
        url = self.url.text().strip()
        password, ok = QInputDialog.getText(
            self, self.tr("Mot de passe du registre partagé"),
            self.tr("Mot de passe de {url} :\nil sera gardé par le trousseau du système, jamais dans un fichier.").format(
                url=url), QLineEdit.EchoMode.Password)
        if not ok:
            return
        self._latest(self.workers.call(store_password, url, password),
                     lambda account: self._say(self.tr("Mot de passe enregistré dans le trousseau du système (compte "
                                                       "« {account} »).").format(account=account), REACHED_STYLE))

    # --- before saving: a local register left behind ----------------------------------------------
    def before_save(self, was_local: bool, save: Callable[[], None], stop: Callable[[str], None]) -> None:
        """Call `save` once the vendor's local register, when switching from it to a shared one with rows in it,
        has been copied there if the user wants it (`stop(message)`: nothing saved, and why). `was_local`: the
        saved workspace names no shared register (whether this computer's settings name one is asked in the
        worker, with the local register's rows)."""
        if not (was_local and self.shared()):
            save()
            return
        vendor, url = self.vendor(), self.url.text().strip()
        job = self.workers.call(left_behind, vendor)
        job.succeeded.connect(lambda counts: self._offer_move(counts, vendor, url, save, stop))
        job.failed.connect(stop)

    def _offer_move(self, counts: Counts | None, vendor: str, url: str, save: Callable[[], None],
                    stop: Callable[[str], None]) -> None:
        if counts is None:
            save()
            return
        answer = QMessageBox.question(
            self, self.tr("Registre local de cet éditeur"),
            self.tr("Le registre local de cet ordinateur suit déjà {counts}. Le copier dans le registre partagé avant "
                    "de l'utiliser ? La copie est vérifiée table par table ; le fichier local reste tel quel, comme "
                    "sauvegarde.\n\nNon : le registre partagé commence sans ces demandes.").format(
                counts=counts.describe()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Yes)
        if answer == QMessageBox.StandardButton.Cancel:
            stop(self.tr("Rien n'est enregistré : le registre reste celui de ce poste."))
        elif answer == QMessageBox.StandardButton.No:
            save()
        else:
            self._say(self.tr("Copie du registre local vers le registre partagé…"))
            job = self.workers.writes().call(move_local, vendor, url)
            job.succeeded.connect(lambda summary: self._moved(summary, save))
            job.failed.connect(stop)

    def _moved(self, summary: TransferSummary, save: Callable[[], None]) -> None:
        self._say(self.tr("Registre local copié dans le registre partagé et vérifié : {n} demande(s).").format(
            n=summary.table("demandes").rows), REACHED_STYLE)
        save()
