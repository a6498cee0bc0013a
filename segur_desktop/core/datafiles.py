"""Load the data files that change with the world (couloirs, mappings, calendar).

Each file under `resources/` may be replaced by a file at the same relative
path under `<user data>/resources/`: a new wave or a corrected list must never
need a code change. The loader says which file is in force.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import jsonschema_rs

from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import N_, _
from segur_desktop.core.oserrors import advice_read, reason
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


JSON_MAX_DEPTH = 64  # nesting levels: our files use fewer than 10; json's recursion would crash near 1 000
JSON_MAX_BYTES = 256 * 1024 * 1024  # a deposit file of 100k demandes is about 70 MB
_STRUCTURE = b'"[]{}'  # the bytes that tell how deep JSON nests: quotes (strings) and brackets
_NOT_STRUCTURE = bytes(sorted(set(range(256)) - set(_STRUCTURE)))
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def megabytes(size: int) -> str:
    """A size in Mo of 1 048 576 bytes, as the limits are set and the portal's 20 Mo on a piece counts them; a
    whole number without its decimal (« 20 Mo », « 256 Mo »). Every size the product says is said so."""
    value = size / (1024 * 1024)
    return (f"{value:.0f}" if value.is_integer() else f"{value:.1f}").replace(".", ",") + " Mo"


def _too_big(name: object, size: int, max_bytes: int) -> InputError:
    return InputError(
        _("Le fichier « {path} » est trop gros ({size}, au plus {limit} pour ce fichier) : ce n'est pas le fichier "
          "attendu, ou il est endommagé. Vérifiez que c'est le bon fichier.").format(
            path=name, size=megabytes(size), limit=megabytes(max_bytes)))


def _depth(utf8: bytes, max_depth: int) -> int:
    """How deep the brackets of a UTF-8 JSON text nest outside its strings; 0 when it cannot exceed `max_depth`.

    Checked before json parses: its parser recurses once per level, and 100 000
    levels end in RecursionError. At C speed (a 70 MB deposit file in tens of
    milliseconds): escaped quotes and backslashes are dropped, then every byte but
    quotes and brackets (UTF-8 never hides an ASCII byte in a multi-byte character);
    what is left between two quotes is inside a string; the running depth of the
    brackets left is `accumulate`d.
    """
    if len(utf8) <= 65536 and utf8.count(b"[") + utf8.count(b"{") <= max_depth:  # most files: no scan
        return 0
    if b"\\" in utf8:
        utf8 = utf8.replace(b"\\\\", b"").replace(b'\\"', b"")
    reduced = utf8.translate(None, _NOT_STRUCTURE)
    if 2 * reduced.count(b'""') == reduced.count(b'"'):  # the usual case: no bracket inside any string
        brackets = reduced.translate(None, b'"')
    else:
        brackets = b"".join(reduced.split(b'"')[::2])
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def read_limited(path: Path, max_bytes: int = JSON_MAX_BYTES) -> bytes:
    """The bytes of `path`, refused in French when it is missing, not a regular file, unreadable or too big.

    A FIFO or a device is refused before it is opened: opening it could block forever.
    """
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise InputError(
                _("« {path} » n'est pas un fichier ordinaire (dossier, tube ou périphérique) : il ne peut pas être lu. "
                  "Choisissez le fichier lui-même.").format(path=path))
        if status.st_size > max_bytes:
            raise _too_big(path, status.st_size, max_bytes)
        content = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            _("Le fichier « {path} » est introuvable. Vérifiez qu'il n'a pas été déplacé ou renommé.").format(path=path)
        ) from None
    except OSError as exc:
        raise InputError(
            _("Le fichier « {path} » ne peut pas être lu ({reason}). {advice}").format(
                path=path, reason=reason(exc), advice=advice_read(exc))
        ) from None
    if len(content) > max_bytes:  # it grew since stat()
        raise _too_big(path, len(content), max_bytes)
    return content


def parse_json(content: bytes | str, *, name: object, max_bytes: int = JSON_MAX_BYTES,
               max_depth: int = JSON_MAX_DEPTH) -> Any:
    """Parse external JSON (a user's file, a bundle's member, a backup) within limits; every failure is a French
    `InputError` naming `name` (the file, or the member of a zip).

    The one place where JSON from outside is parsed: too big, nested deeper than
    `max_depth`, a number of thousands of digits (Python refuses to convert it) or
    broken JSON are the user's problem, exit 2, never a crash.
    """
    if len(content) > max_bytes:
        raise _too_big(name, len(content), max_bytes)
    try:
        if isinstance(content, str):
            text, utf8 = content, content.encode("utf-8", "surrogatepass")
        else:
            encoding = json.detect_encoding(content)
            text = content.decode(encoding)
            utf8 = content if encoding.startswith("utf-8") else text.encode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        raise InputError(
            _("Le fichier « {path} » ne peut pas être lu (ce n'est pas du texte en UTF-8 : est-ce bien un fichier "
              "JSON ?). Choisissez le bon fichier, ou enregistrez-le en UTF-8, puis recommencez.").format(path=name)
        ) from None
    if text.startswith("\ufeff"):  # json.loads refuses the BOM that Windows editors write
        text = text[1:]
    too_deep = InputError(
        _("Le fichier « {path} » imbrique plus de {depth} niveaux de crochets ou d'accolades : ce n'est pas un "
          "fichier de Segur Desktop, ou il est endommagé. Vérifiez que c'est le bon fichier.").format(
            path=name, depth=max_depth))
    if _depth(utf8, max_depth) > max_depth:
        raise too_deep
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            _("Le fichier « {path} » n'est pas un JSON valide (ligne {line}, colonne {col} : {msg}). "
              "Corrigez-le à cet endroit dans un éditeur de texte (Bloc-notes, TextEdit en texte brut), ou "
              "choisissez le bon fichier.").format(path=name, line=exc.lineno, col=exc.colno, msg=json_syntax(exc))
        ) from None
    except RecursionError:  # only with a max_depth beyond what json's recursion takes
        raise too_deep from None
    except ValueError:  # an integer past Python's 4 300 digits (sys.get_int_max_str_digits)
        raise InputError(
            _("Le fichier « {path} » contient un nombre de plusieurs milliers de chiffres : ce n'est pas un fichier de "
              "Segur Desktop, ou il est endommagé. Vérifiez que c'est le bon fichier.").format(path=name)
        ) from None


# json's own messages (English), by their start, in the words of someone who edited the file by hand.
_JSON_MESSAGES = (
    ("Invalid \\escape", N_("barre oblique inverse « \\ » seule : dans un chemin Windows, doublez-la (C:\\\\Dossier) "
                           "ou écrivez / (C:/Dossier)")),
    ("Invalid control character", N_("retour à la ligne ou tabulation à l'intérieur d'un texte entre guillemets")),
    ("Unterminated string", N_("texte sans guillemet fermant")),
    ("Expecting property name enclosed in double quotes", N_("un nom de champ entre guillemets droits est attendu")),
    ("Expecting ',' delimiter", N_("une virgule est attendue entre deux éléments")),
    ("Expecting ':' delimiter", N_("deux-points attendus après le nom du champ")),
    ("Extra data", N_("du texte suit la fin des données")),
    ("Expecting value", N_("une valeur est attendue")),
)


def json_syntax(exc: json.JSONDecodeError) -> str:
    """What is wrong at a JSON syntax error, in French, with the usual reason of a file edited by hand: comments,
    a comma before a closing bracket, apostrophes or typographic quotes (TextEdit, Word) instead of straight ones."""
    text, at = exc.doc, exc.pos
    ahead = text[at:at + 2]
    before = text[:at].rstrip()
    if not text.strip():
        return _("le fichier est vide")
    if ahead in ("//", "/*") or (ahead[:1] == "#" and exc.msg.startswith("Expecting")):
        return _("commentaire : le format JSON n'en admet pas, retirez-le")
    if before.endswith(",") and ahead[:1] in ("}", "]"):
        return _("virgule en trop avant « {bracket} »").format(bracket=ahead[:1])
    if ahead[:1] and ahead[:1] in "“”«»‘’":
        return _("guillemets typographiques « {quote} » : écrivez des guillemets droits (\") (TextEdit : Format › "
                 "Convertir au format texte, et désactivez les guillemets intelligents)").format(quote=ahead[:1])
    if ahead.startswith("'"):
        return _("apostrophe : en JSON, les textes et les noms s'écrivent entre guillemets droits (\")")
    return next((_(french) for english, french in _JSON_MESSAGES if exc.msg.startswith(english)),
                _("syntaxe incorrecte"))


def load_json(path: Path, *, max_bytes: int = JSON_MAX_BYTES, max_depth: int = JSON_MAX_DEPTH) -> Any:
    """Read a JSON file within limits (`parse_json`), turning every failure into a French `InputError`."""
    return parse_json(read_limited(path, max_bytes), name=path, max_bytes=max_bytes, max_depth=max_depth)


def load_resource(relative: str) -> DataFile:
    """Load `resources/<relative>`, preferring the user's override."""
    user, bundled = resource_candidates(relative)
    if user.is_file():
        return DataFile(load_override(user), user, True)
    return DataFile(load_json(bundled), bundled, False)


def load_override(path: Path) -> Any:
    """A user's file that replaces a bundled one (`load_json`); its refusal also says that deleting it brings the
    bundled file back, the one way out for whoever cannot mend JSON."""
    try:
        return load_json(path)
    except InputError as exc:
        raise InputError(f"{exc} " + _("Vous pouvez aussi le supprimer pour revenir au fichier fourni avec "
                                       "l'application.")) from None


def format_problem(data: Any, schema_name: str) -> str | None:
    """The first way `data` breaks `resources/<schema_name>`, as a French sentence; None if it fits.

    Every user-editable data file (workspace, mapping profile) is checked this way.
    """
    schema = load_json(resources_dir() / schema_name)
    errors = sorted(schema_errors(data, schema), key=lambda e: list(e.path))
    return (newer_format(data, schema) or describe(errors[0])) if errors else None


def newer_format(data: Any, schema: dict[str, Any]) -> str | None:
    """Why a file that does not fit `schema` cannot be read when it was written by a newer version of the product
    (its `schema_version` past the one the schema holds), as a French sentence; None otherwise.

    Said first, because its other differences follow from it: the fix is to update the application, not the file.
    """
    known = schema.get("properties", {}).get("schema_version", {}).get("const")
    version = data.get("schema_version") if isinstance(data, dict) else None
    if not isinstance(known, int) or not isinstance(version, int) or isinstance(version, bool) or version <= known:
        return None
    return _("ce fichier est au format {version}, écrit par une version plus récente de Segur Desktop ; celle-ci ne "
             "lit que le format {known}. Mettez l'application à jour, ou remplacez ce fichier par un fichier au "
             "format {known}.").format(version=version, known=known)


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
        if isinstance(exc, KeyError):
            detail = _("le champ « {key} » manque").format(key=exc.args[0] if exc.args else "?")
        elif type(exc) is ValueError:  # the loaders' own, in French (a date that does not exist, a broken chain)
            detail = str(exc)
        else:
            detail = f"{type(exc).__name__} : {exc}"
        raise InputError(
            _("Le fichier de données « {path} » est mal formé ({detail}). Corrigez-le, ou supprimez-le pour "
              "revenir au fichier fourni avec l'application.").format(path=path, detail=detail)
        ) from None
