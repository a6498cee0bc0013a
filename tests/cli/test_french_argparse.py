"""Issue #18 item 5: argparse's own words are French in every command, subcommand, usage and error."""

import argparse
import contextlib
import io

import pytest
from parsers import every_parser

from segur_desktop import app
from segur_desktop.cli import build_parser, french_argparse, main

ENGLISH = ("usage:", "show this help", "show program's version", "positional arguments", "optional arguments",
           "error:", "the following arguments", "unrecognized", "invalid choice", "expected one argument")


def test_every_help_is_french() -> None:
    parsers = list(every_parser(build_parser()))
    assert len(parsers) > 20  # every command and its subcommands
    for parser in parsers:
        text = parser.format_help()
        assert text.startswith("utilisation : "), parser.prog
        assert "afficher cette aide et quitter" in text, parser.prog
        for english in ENGLISH:
            assert english not in text, (parser.prog, english)


@pytest.mark.parametrize("command", ["segur-desktop", "segur-desktop-gui"])
def test_version_help_is_french_in_both_commands(command: str) -> None:
    text = build_parser().format_help() if command == "segur-desktop" else _gui_help()
    assert "--version" in text and "afficher la version et quitter" in text
    assert "show program's version number and exit" not in text


def _gui_help() -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        app.parse_args(["--help"])
    return out.getvalue()


@pytest.mark.parametrize(("argv", "expected"), [
    (["validate", "--bogus"], "arguments inconnus : --bogus"),
    (["nope"], "choix invalide : 'nope'"),
    (["validate", "--at"], "argument --at : une valeur est attendue"),
    (["mapping", "suggest"], "arguments obligatoires manquants : FICHIER"),
    (["validate", "--format", "xml"], "choix invalide : 'xml'"),
])
def test_usage_errors_are_french(capsys, argv: list[str], expected: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("utilisation : ")
    assert " : erreur : " in err and expected in err
    for english in ENGLISH:
        assert english not in err


def test_plural_message_text(capsys) -> None:
    french_argparse.install()
    parser = argparse.ArgumentParser(prog="essai")
    parser.add_argument("--deux", nargs=2)
    with pytest.raises(SystemExit):
        parser.parse_args(["--deux", "a"])
    assert "2 valeurs attendues" in capsys.readouterr().err
