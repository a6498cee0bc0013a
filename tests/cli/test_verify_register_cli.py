"""`segur-desktop verify BUNDLE -w DIR`: the bundle compared with what the vendor's register recorded at export
(issue #17, item 7b)."""

import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pytest

from segur_desktop.cli import main
from segur_desktop.core.export.bundle import export_workspace
from segur_desktop.core.export.manifest import MANIFEST
from segur_desktop.core.paths import demo_workspace
from segur_desktop.core.register import register_for
from segur_desktop.core.register.record import record_export
from segur_desktop.core.workspace import load_workspace


@pytest.fixture
def recorded(tmp_path: Path) -> Path:
    """A demo bundle, exported and recorded in the demo vendor's register (in the test's user-data folder)."""
    workspace = load_workspace(demo_workspace())
    export = export_workspace(workspace, workspace.judged_at, tmp_path / "depots")
    record_export(register_for(workspace), export)
    return export.bundle


def forge_amount(bundle: Path) -> None:
    """One amount raised by 1 €, with the manifest's amount, hash and size made to agree."""
    path = bundle / "HOP_avance.json"
    data = path.read_bytes().replace(b'"montantDemandeHT": "5550.00"', b'"montantDemandeHT": "5551.00"', 1)
    path.write_bytes(data)
    manifest = json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))
    deposit = next(d for d in manifest["deposits"] if d["json"]["file"] == "HOP_avance.json")
    deposit["requested_amount_ht"] = f"{Decimal(deposit['requested_amount_ht']) + 1:.2f}"
    deposit["json"]["sha256"], deposit["json"]["size"] = hashlib.sha256(data).hexdigest(), len(data)
    (bundle / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def test_verify_with_the_workspace_catches_an_edit_the_manifest_was_made_to_agree_with(recorded: Path,
                                                                                       capsys) -> None:
    forge_amount(recorded)
    assert main(["verify", str(recorded)]) == 0  # the manifest alone agrees with the forged file
    capsys.readouterr()
    assert main(["verify", str(recorded), "-w", str(demo_workspace())]) == 1
    out = capsys.readouterr().out
    assert "NON CONFORME" in out
    assert "« HOP_avance.json » a été modifié depuis son enregistrement dans le suivi" in out


def test_verify_with_the_workspace_says_an_intact_bundle_matches_the_register(recorded: Path, capsys) -> None:
    assert main(["verify", str(recorded), "-w", str(demo_workspace()), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and any("registre de suivi" in note for note in report["notes"])


def test_verify_with_the_workspace_says_when_the_register_does_not_know_the_bundle(tmp_path: Path, capsys) -> None:
    workspace = load_workspace(demo_workspace())
    bundle = export_workspace(workspace, workspace.judged_at, tmp_path / "depots").bundle  # not recorded
    assert main(["verify", str(bundle), "-w", str(demo_workspace())]) == 0
    out = capsys.readouterr().out
    assert "n'est pas dans le registre de suivi" in out and "Conforme" in out
