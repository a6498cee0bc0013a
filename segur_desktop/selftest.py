"""`segur-desktop-gui --self-test`: is this installation whole? One line, exit 0 or 1.

Run by CI on the frozen app, and by support on a user's machine: it starts
the real window offscreen, opens a private copy of the bundled demo, lets the
window validate it through its worker, exports that validation as a deposit
bundle into a temporary folder and verifies the bundle again from disk
(hashes, schemas, attachments one to one), as `segur-desktop verify` does.
It proves what a broken build would lose first: Qt's platform plugin, the
bundled resources and schemas, the time-zone data, the spreadsheet reader.
Then it loads what a team's shared register needs (issue #20): psycopg and its
libpq, a PostgreSQL backend object (nothing is connected to), keyring. The
frozen app must have them, its users share registers; an installation from
source without the `postgresql` extra only says they are missing. Last, it tells
an AES-encrypted PDF asking for a password from one that only restricts editing,
as the pieces check does (issue #17): pypdf is imported only then, and its AES
comes from cryptography's compiled library, which a build could leave out.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from segur_desktop import __version__
from segur_desktop.core.i18n import _

TIMEOUT_MS = 60_000


def run() -> int:
    """Must be called before any QApplication exists (it chooses the offscreen platform)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    scratch = Path(tempfile.mkdtemp(prefix="segur-desktop-selftest-"))
    os.environ["SEGUR_DESKTOP_DATA_DIR"] = str(scratch / "donnees")  # never the user's own settings or data
    os.environ.setdefault("SEGUR_DESKTOP_LOG_DIR", str(scratch / "journal"))
    start = time.perf_counter()
    try:
        ok, detail = _check(scratch)
    except Exception as exc:
        ok, detail = False, f"{type(exc).__name__}: {exc}"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    verdict = _("OK") if ok else _("ÉCHEC")
    print(_("Autotest Segur Desktop {version} : {verdict} — {detail} ({seconds:.1f} s)").format(
        version=__version__, verdict=verdict, detail=detail, seconds=time.perf_counter() - start))
    return 0 if ok else 1


def _check(scratch: Path) -> tuple[bool, str]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from segur_desktop.core.export.bundle import export_result
    from segur_desktop.core.export.verify import verify_bundle
    from segur_desktop.core.register import register_for
    from segur_desktop.core.register.record import record_export
    from segur_desktop.core.workspace import demo_copy
    from segur_desktop.gui.main_window import MainWindow
    from segur_desktop.gui.session import Session
    from segur_desktop.gui.settings import Settings
    from segur_desktop.gui.workers import Workers

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(Session(Workers()), Settings())
    window.show()
    outcome: list[str] = []
    window.session.validated.connect(lambda _v: app.quit())
    window.session.problem.connect(outcome.append)
    QTimer.singleShot(TIMEOUT_MS, app.quit)
    window.open_workspace(demo_copy())
    app.exec()
    validation = window.session.validation
    window.close()
    if validation is None:
        return False, outcome[0] if outcome else _("la démonstration n'a pas été vérifiée à temps")
    result = validation.result
    exported = export_result(result, scratch / "depots")
    if exported.bundle is None:
        return False, _("aucun paquet écrit")
    check = verify_bundle(exported.bundle, result.registry)
    if not check.ok:
        return False, _("paquet non conforme : {problem}").format(problem=check.problems[0])
    recorded = record_export(register_for(result.workspace), exported)  # the Suivi register (SQLite) works too
    if problem := _encrypted_pieces(scratch):
        return False, problem
    shared_ok, shared = _shared_register(scratch)
    return shared_ok, _("démonstration : {requests} demandes vérifiées, paquet de {files} dépôts écrit et revérifié, "
                        "{recorded} demandes enregistrées dans le suivi, PDF protégés reconnus ; {shared}").format(
        requests=len(result.demandes), files=len(check.deposits), recorded=len(recorded.new), shared=shared)


def _encrypted_pieces(scratch: Path) -> str | None:
    """None when the pieces check tells an AES-256 PDF asking for a password from one restricted by its owner's."""
    import io

    from pypdf import PdfWriter

    from segur_desktop.core.validate.pdffile import pdf_problem

    for user_password, expected in (("secret", ("piece_protegee", {})), ("", None)):
        writer = PdfWriter()
        writer.add_blank_page(595, 842)
        writer.encrypt(user_password=user_password, owner_password="autotest", algorithm="AES-256")
        data = io.BytesIO()
        writer.write(data)
        path = scratch / "protege.pdf"
        path.write_bytes(data.getvalue())
        if (found := pdf_problem(path)) != expected:
            return _("PDF protégé mal reconnu (mot de passe « {password} ») : {found}").format(
                password=user_password, found=found)
    return None


def _shared_register(scratch: Path) -> tuple[bool, str]:
    """The PostgreSQL backend made (never connected) and its driver loaded; a failure only in the frozen app."""
    from segur_desktop.core.register.postgresql import PostgresBackend, driver

    try:
        import keyring  # noqa: F401 - the shared register's password
        import psycopg  # noqa: F401
    except ImportError as error:
        return not getattr(sys, "frozen", False), _("registre partagé PostgreSQL indisponible : module {name} "
                                                     "absent").format(name=error.name)
    PostgresBackend("postgresql://segur@localhost/segur", "registre_autotest", anchor=scratch / "r.postgresql")
    return True, _("registre partagé PostgreSQL utilisable ({driver})").format(driver=driver())
