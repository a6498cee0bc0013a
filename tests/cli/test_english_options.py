"""Issue #19 item 6: every long option and subcommand is English in --help; each former French spelling still
works, hidden, so that the scripts users wrote before keep running unchanged."""

import argparse
import re

import pytest
from parsers import every_parser

from segur_desktop.cli import build_parser, main

IMPORT = ["format", "import", "m.json", "--couloir", "HOP", "--type", "avance"]

# (the command before the option, English option, its former French spelling, its value or None for a flag)
OPTIONS = [
    (["validate"], "--attachments", "--pieces", "pdf"),
    (["validate"], "--vendor-name", "--editeur-nom", "Éditeur"),
    (["validate"], "--vendor-siret", "--editeur-siret", "73282932000074"),
    (["build"], "--no-register", "--sans-suivi", None),
    (["export", "-w", "d"], "--late", "--hors-delai", "HOP/avance"),
    (["export", "-w", "d"], "--no-register", "--sans-suivi", None),
    (["register", "list"], "--register", "--registre", "r.sqlite3"),
    (["register", "list"], "--vendor", "--editeur", "73282932000074"),
    (["register", "list"], "--status", "--statut", "validée"),
    (["register", "set-status", "en cours"], "--bundle", "--paquet", "depot_1"),
    (["register", "set-status", "en cours"], "--comment", "--commentaire", "déposé"),
    (["register", "avenant", "HOP-AV-1", "1"], "--status", "--statut", "validée"),
    (["register", "avenant", "HOP-AV-1", "1"], "--comment", "--commentaire", "signé"),
    (["register", "import-status", "statuts.csv"], "--adopt", "--reprendre", None),
    (["register", "migrate"], "--to", "--vers", "copie.sqlite3"),
    (["register", "reset"], "--confirm", "--confirmer", None),
    (IMPORT, "--example", "--exemple", "exemple.json"),
    (IMPORT, "--wave", "--vague", "2"),
    (IMPORT, "--requests", "--demandes", "lignes"),
    (IMPORT, "--field", "--champ", "lignes[].finessGeo=beneficiaire.finess_et"),
    (IMPORT, "--constant", "--constante", "versionModele=2.1"),
    (IMPORT, "--name", "--nom", "Officiel"),
    (IMPORT, "--dry-run", "--essai", None),
    (IMPORT, "--replace", "--remplacer", None),
]

# (the command before the subcommand, English subcommand, its former French name, what follows it)
SUBCOMMANDS = [
    (["format"], "list", "liste", []),
    (["format"], "fields", "champs", []),
    (["format"], "disable", "desactiver", ["officiel-HOP-avance"]),
    (["format"], "enable", "activer", ["officiel-HOP-avance"]),
    (["register"], "reset", "reinitialiser", ["--confirm"]),
]

FRENCH = {french for _command, _english, french, _value in OPTIONS}


def _parsed(argv: list[str]) -> dict:
    """What a command line means, without the name the subcommand was called by."""
    return {key: value for key, value in vars(build_parser(argv[0]).parse_args(argv)).items()
            if not key.endswith("_command")}


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def _named(option: str, text: str) -> bool:
    """`option` written as a whole word in `text` (--vers is not --version)."""
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


@pytest.mark.parametrize(("command", "english", "french", "value"), OPTIONS,
                         ids=[f"{' '.join(c[:2])} {e}" for c, e, _f, _v in OPTIONS])
def test_french_option_is_a_hidden_alias(command: list[str], english: str, french: str, value: str | None,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    given = [value] if value is not None else []
    required = ["--to", "x.sqlite3"] if command[-1] == "migrate" and english != "--to" else []
    as_english = _parsed([*command, *required, english, *given])
    assert as_english == _parsed([*command, *required, french, *given])
    assert as_english != _parsed([*command, *required] if english != "--to" else [*command, "--to", "autre"])
    text = _help(command[:2] if command[0] != "export" else command[:1], capsys)
    assert _named(english, text) and not _named(french, text)


@pytest.mark.parametrize(("command", "english", "french", "rest"), SUBCOMMANDS,
                         ids=[f"{c[0]} {e}" for c, e, _f, _r in SUBCOMMANDS])
def test_french_subcommand_is_a_hidden_alias(command: list[str], english: str, french: str, rest: list[str],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    as_english = _parsed([*command, english, *rest])
    assert as_english == _parsed([*command, french, *rest])
    assert as_english["handler"] is not None
    listed = re.findall(r"^ {4}(\S+)", _help(command, capsys), re.MULTILINE)  # the commands --help lists
    assert english in listed and french not in listed


def test_required_option_is_required_under_either_name(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["register", "migrate", "--register", "r.sqlite3"])
    assert exit_.value.code == 2
    assert "--to" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["register", "migrate", "--to", "a.sqlite3", "--vers", "b.sqlite3"])  # one destination, not two
    assert "--to" in capsys.readouterr().err


def test_no_help_shows_a_french_option() -> None:
    shown = {option for parser in every_parser(build_parser()) for action in parser._actions
             if action.help is not argparse.SUPPRESS for option in action.option_strings}
    assert {"--workspace", "--register", "--to", "--no-register", "--dry-run"} <= shown
    assert not shown & FRENCH
    assert not shown & {"--commentaire", "--reprendre", "--confirmer"}
