"""The `segur-desktop` command: exit statuses, report shapes, French errors."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from testdata import FINESS_A, RPPS_A, VENDOR_SIRET

from segur_desktop.cli import COMMANDS, build_parser, main

CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
           ["C3", "Cabinet du Dr C", None, RPPS_A, "44000", "Nantes"]]
BDCS = [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 1000, "B1.pdf"],
        ["B2", "C3", "Test Cabinet", "Avance", date(2022, 9, 2), 1100, "B2.pdf"]]
DIAGNOSTIC_KEYS = {"severity", "code", "message", "fix", "file", "sheet", "row", "column", "header", "value",
                   "request", "path"}


def test_demo_validate_json_lists_the_mistakes_with_cells(demo: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["validate", "--workspace", str(demo), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"summary", "diagnostics"}
    assert report["summary"]["requests"] == 38
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert len(errors) == 12  # the demo's 9 mistakes, and 3 soldes whose avance is not in the (empty) register
    assert sum(d["code"] == "solde_sans_avance" for d in errors) == 3
    assert main(["validate", "--workspace", str(demo), "--format", "json", "--no-register"]) == 1
    assert len([d for d in json.loads(capsys.readouterr().out)["diagnostics"] if d["severity"] == "error"]) == 9
    for diagnostic in report["diagnostics"]:
        assert set(diagnostic) == DIAGNOSTIC_KEYS
    for diagnostic in errors:
        assert diagnostic["file"] and diagnostic["sheet"] and diagnostic["row"] and diagnostic["column"]
        assert diagnostic["message"] and diagnostic["fix"]


def test_all_valid_exits_0_and_build_writes_files(make_workspace, tmp_path: Path, capsys) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    assert main(["validate", "-w", str(folder)]) == 0
    assert "2 valides, 0 invalides" in capsys.readouterr().out
    out = tmp_path / "out"
    assert main(["build", "-w", str(folder), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["HOP_avance.json", "MDV_avance.json", "rapport.json", "rapport.txt"]


def test_build_defaults_to_the_workspace_output_folder(make_workspace) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    assert main(["build", "-w", str(folder)]) == 0
    assert (folder / "sortie" / "HOP_avance.json").is_file()


def test_some_invalid_exits_1_and_still_writes_the_valid(make_workspace, tmp_path: Path) -> None:
    folder = make_workspace(CLIENTS, [*BDCS[:1], ["B2", "C3", "Test Cabinet", "Avance", "32/09/2022", 1100, "B2.pdf"]])
    assert main(["build", "-w", str(folder), "--out", str(tmp_path)]) == 1
    assert (tmp_path / "HOP_avance.json").is_file() and not (tmp_path / "MDV_avance.json").exists()


def test_at_changes_the_verdict(make_workspace, capsys) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    assert main(["validate", "-w", str(folder), "--at", "2022-11-30T14:00:00+01:00", "--format", "json"]) == 1
    codes = {d["code"] for d in json.loads(capsys.readouterr().out)["diagnostics"]}
    assert "guichet_ferme" in codes


def test_inputs_without_a_workspace(make_workspace, tmp_path: Path, capsys) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    # No workspace: solutions must come from the BDC list; here they do not.
    status = main(["validate", "--clients", str(folder / "clients.xlsx"), "--bdc", str(folder / "bdc.xlsx"),
                   "--attachments", str(folder / "pieces"), "--format", "json"])
    assert status == 1
    codes = [d["code"] for d in json.loads(capsys.readouterr().out)["diagnostics"]]
    assert codes.count("solution_absente") == 2


def test_solutions_from_bdc_columns_without_workspace(make_workspace, tmp_path: Path) -> None:
    headers = ["N° BDC", "Code client", "Solution", "Couloir", "Type de logiciel", "N° de référencement",
               "Date de référencement", "Date de signature", "Montant HT", "Fichier BDC"]
    rows = [["B1", "C1", "Mon DPI", "HOP", "DPI", "REF-9", date(2022, 6, 1), date(2022, 9, 1), 1000, "B1.pdf"]]
    folder = make_workspace(CLIENTS, rows, bdc_headers=headers)
    args = ["build", "--clients", str(folder / "clients.xlsx"), "--bdc", str(folder / "bdc.xlsx"),
            "--attachments", str(folder / "pieces"), "--out", str(tmp_path), "--at", "2022-11-28T10:00"]
    assert main(args) == 1  # no vendor: nothing can be written
    assert not (tmp_path / "HOP_avance.json").exists()
    assert main([*args, "--vendor-name", "Éditeur", "--vendor-siret", VENDOR_SIRET]) == 0
    data = json.loads((tmp_path / "HOP_avance.json").read_text(encoding="utf-8"))
    assert data["demandes"][0]["solution"]["idReferencement"] == "REF-9"


@pytest.mark.parametrize("args, fragment", [
    (["validate", "--workspace", "/nulle/part"], "n'est pas un dossier de travail"),
    (["validate", "--clients", "/nulle/part.xlsx", "--bdc", "/nulle/bdc.xlsx"], "introuvable"),
    (["validate"], "Indiquez un dossier de travail"),
])
def test_unusable_input_exits_2_with_french_message(args, fragment, capsys) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err


def test_corrupt_workbook_through_the_real_command(make_workspace, tmp_path: Path) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    (folder / "bdc.xlsx").write_bytes(b"\x00garbage")
    result = subprocess.run([sys.executable, "-m", "segur_desktop", "validate", "-w", str(folder)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "bdc.xlsx" in result.stderr and "Traceback" not in result.stderr


def test_bad_at_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--at", "hier"])
    assert exit_info.value.code == 2
    assert "ISO 8601" in capsys.readouterr().err


def test_reader_closing_the_pipe_early_is_not_a_traceback(demo: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "segur_desktop", "validate", "-w", str(demo), "--format", "json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.read(10)  # like `| head -c 10`
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) in (0, 1) and "Traceback" not in stderr


def test_malformed_user_calendar_is_a_french_error(demo: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    from segur_desktop.core.calendar import load_calendar

    folder = tmp_path / "resources" / "calendar"
    folder.mkdir(parents=True)
    (folder / "vague1.json").write_text(json.dumps({"vague": "1", "evenements": [{"couloir": "HOP", "date": "30/11/2022"}]}),
                                        encoding="utf-8")
    monkeypatch.setenv("SEGUR_DESKTOP_DATA_DIR", str(tmp_path))
    load_calendar.cache_clear()
    try:
        assert main(["validate", "-w", str(demo)]) == 2
    finally:
        monkeypatch.undo()
        load_calendar.cache_clear()
    err = capsys.readouterr().err
    assert "vague1.json" in err and "mal formé" in err and "Traceback" not in err


def test_a_bug_is_a_french_message_and_a_logged_traceback(demo: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    from segur_desktop.applog import log

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setenv("SEGUR_DESKTOP_LOG_DIR", str(tmp_path))
    monkeypatch.setattr("segur_desktop.cli.batch.run_pipeline", broken)
    try:
        assert main(["validate", "-w", str(demo)]) == 3
    finally:
        for handler in list(log.handlers):
            log.removeHandler(handler)
            handler.close()
    err = capsys.readouterr().err
    assert err.startswith("Erreur inattendue (ZeroDivisionError") and "Traceback" not in err
    assert "Traceback" in (tmp_path / "segur-desktop.log").read_text(encoding="utf-8")


def test_argparse_speaks_french(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("utilisation : segur-desktop") and "afficher cette aide et quitter" in out
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--format", "xml"])
    assert exit_info.value.code == 2
    assert "erreur : argument --format : choix invalide" in capsys.readouterr().err


def test_each_command_is_registered_by_the_module_commands_names() -> None:
    """A command runs with only its own module imported: COMMANDS must name each command's module."""
    every = build_parser()._subparsers._group_actions[0].choices
    assert set(every) == set(COMMANDS)
    for command in COMMANDS:
        assert command in build_parser(command)._subparsers._group_actions[0].choices
    assert set(build_parser("validate")._subparsers._group_actions[0].choices) == {"validate", "build"}


def test_validate_starts_without_the_libraries_only_other_commands_or_failures_need() -> None:
    """jsonschema explains a failing document, openpyxl writes workbooks: a clean start imports neither."""
    code = ("import sys\n"
            "from segur_desktop.cli import build_parser\n"
            "build_parser('validate')\n"
            "from segur_desktop.core.calendar import load_calendar\n"
            "from segur_desktop.core.paths import demo_workspace\n"
            "from segur_desktop.core.workspace import load_workspace\n"
            "load_workspace(demo_workspace()); load_calendar()\n"
            "print(sorted(m for m in ('jsonschema', 'referencing', 'openpyxl') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(("name", "siret", "fragment"), [
    ("Éditeur", VENDOR_SIRET[:-1] + str((int(VENDOR_SIRET[-1]) + 1) % 10), "La clé de contrôle de ce SIRET est fausse"),
    ("Éditeur", "1234", "Un SIRET a 14 chiffres ; « 1234 » en a 4."),
    (None, VENDOR_SIRET, "Indiquez la raison sociale de l'éditeur"),
])
def test_a_vendor_on_the_command_line_is_checked_like_a_workspace_s(
        make_workspace, tmp_path: Path, capsys: pytest.CaptureFixture, name: str | None, siret: str,
        fragment: str) -> None:
    """--vendor-siret goes through the core's check (#19): a wrong key is a French error, exit 2, nothing written."""
    folder = make_workspace(CLIENTS, [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 1000, "B1.pdf"]])
    args = ["build", "--clients", str(folder / "clients.xlsx"), "--bdc", str(folder / "bdc.xlsx"),
            "--out", str(tmp_path / "out"), "--vendor-siret", siret, *(["--vendor-name", name] if name else [])]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "L'éditeur indiqué par --vendor-name et --vendor-siret ne peut pas être utilisé" in err
    assert fragment in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
