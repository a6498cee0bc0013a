"""Load the data files that change with the world (couloirs, mappings, calendar).

Each file under `resources/` may be replaced by a file at the same relative
path under `<user data>/resources/`: a new wave or a corrected list must never
need a code change. The loader says which file is in force.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import jsonschema_rs

from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.paths import resources_dir, user_data_dir
from segur_desktop.core.validate.french import describe

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class DataFile:
    data: Any
    path: Path
    user_override: bool


def resource_candidates(relative: str) -> list[Path]:
    """The user's file first, then the bundled one."""
    return [user_data_dir() / "resources" / relative, resources_dir() / relative]


def load_json(path: Path) -> Any:
    """Read a JSON file, turning every failure into a French `InputError`."""
    try:
        with path.open("rb") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise InputError(
            _("Le fichier « {path} » est introuvable. Vérifiez qu'il n'a pas été déplacé ou renommé.").format(path=path)
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            _("Le fichier « {path} » ne peut pas être lu ({reason}). Vérifiez qu'il n'est pas ouvert dans un autre programme et que vous avez le droit de le lire.").format(path=path, reason=exc)
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            _("Le fichier « {path} » n'est pas un JSON valide (ligne {line}, colonne {col} : {msg}). Corrigez-le ou supprimez-le pour revenir au fichier fourni.").format(
                path=path, line=exc.lineno, col=exc.colno, msg=exc.msg
            )
        ) from None


def load_resource(relative: str) -> DataFile:
    """Load `resources/<relative>`, preferring the user's override."""
    user, bundled = resource_candidates(relative)
    if user.is_file():
        return DataFile(load_json(user), user, True)
    return DataFile(load_json(bundled), bundled, False)


def format_problem(data: Any, schema_name: str) -> str | None:
    """The first way `data` breaks `resources/<schema_name>`, as a French sentence; None if it fits.

    Every user-editable data file (workspace, mapping profile) is checked this way.
    """
    errors = sorted(schema_errors(data, load_json(resources_dir() / schema_name)), key=lambda e: list(e.path))
    return describe(errors[0]) if errors else None


def schema_errors(data: Any, schema: dict[str, Any]) -> list[ValidationError]:
    """How `data` breaks `schema` (2020-12, formats not checked), as jsonschema's errors; [] if it fits.

    jsonschema-rs says whether it fits; jsonschema, the reference, is imported only to explain
    a file that does not: importing it cost 0.05 s of every start, for files that almost always fit.
    """
    try:
        if jsonschema_rs.validator_for(schema, validate_formats=False).is_valid(data):
            return []
    except ValueError:  # a construct jsonschema-rs cannot compile: the reference decides alone
        pass
    from jsonschema import Draft202012Validator

    return list(Draft202012Validator(schema).iter_errors(data))


def well_formed(path: Path, build: Callable[[], T]) -> T:
    """Run `build` (which reads a data file's content); a wrong shape is a French InputError naming the file.

    A user's override of couloirs.json, fields.json or a calendar may miss a key
    or hold a bad date: that must read as "this file is wrong", never as a crash.
    """
    try:
        return build()
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(
            _("Le fichier de données « {path} » est mal formé ({kind} : {detail}). Corrigez-le, ou supprimez-le pour "
              "revenir au fichier fourni avec l'application.").format(path=path, kind=type(exc).__name__, detail=exc)
        ) from None
