"""Deposit file layout and atomic writes."""

import json
from pathlib import Path

import pytest

from segur_desktop.core.atomic import write_atomic
from segur_desktop.core.output import dump_deposit


def test_deposit_layout_round_trips_one_demande_per_line() -> None:
    envelope = {"versionFormat": "1.0.0", "editeur": {"raisonSociale": "Éditeur", "siret": "73282932000074"},
                "couloir": "HOP", "typeDemande": "avance",
                "demandes": [{"idDemande": "A", "montant": "1.00"}, {"idDemande": "B", "nom": "Hôpital « X »"}]}
    text = dump_deposit(envelope, ("demandes",)).decode("utf-8")
    assert json.loads(text) == envelope
    assert '    {"idDemande": "B", "nom": "Hôpital « X »"}\n' in text  # UTF-8, not \\u escapes
    assert text.endswith("  ]\n}\n")


def test_deposit_layout_wherever_the_format_puts_the_demandes() -> None:
    # An official model may nest the list: {"dossier": {"lignes": [...]}}; a text value may look like the marker.
    document = {"dossier": {"note": "@demandes-dossier-lignes@", "lignes": [{"a": 1}, {"b": "x"}]}, "fin": True}
    text = dump_deposit(document, ("dossier", "lignes")).decode("utf-8")
    assert json.loads(text) == document
    assert '      {"a": 1},\n      {"b": "x"}\n    ]' in text
    empty = {"lignes": []}
    assert json.loads(dump_deposit(empty, ("lignes",))) == empty


def test_atomic_write_leaves_no_temporary_file_and_keeps_the_old_one_on_failure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "f.json"
    write_atomic(target, b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["f.json"]

    def disk_full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("segur_desktop.core.atomic.os.fsync", disk_full)
    with pytest.raises(OSError):
        write_atomic(target, b"half")
    assert target.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["f.json"]
