"""An output template: where each canonical field goes in the portal's JSON, and back.

A template is the deposit file written as JSON, with directives where values go:

    {"demandeur": {"siret": {"$champ": "editeur.siret"}},
     "lignes": {"$chaque": "demandes", "$modele": {
         "finessGeo": {"$champ": "beneficiaire.finess_et"},
         "montant": {"$champ": "demande.montant_ht", "$format": "nombre"},
         "dateBdc": {"$champ": "bdc.date_signature", "$format": "JJ/MM/AAAA"},
         "type": {"$champ": "demande.type", "$valeurs": {"avance": "AVANCE", "solde": "SOLDE"}},
         "pieces": {"$chaque": "pieces", "$modele": {"nature": {"$champ": "type"}, "nom": {"$champ": "fichier"}}},
         "canal": {"$constante": "EDITEUR"}}}}

- `{"$champ": ID}` a canonical field (`core/formats/canonical.py`); absent, the key is left out.
  `$format`: a date pattern (`AAAA-MM-JJ`, `JJ/MM/AAAA`, `AAAAMMJJ`…) or an amount form
  (`texte` "1250.00", `nombre` 1250.0, `virgule` "1250,00", `centimes` 125000).
  A whole number (`entier`) may be written `texte` ("12").
  `$valeurs`: the portal's code for each canonical code.
- `{"$constante": V}` and any JSON value without directive: written as is.
- `{"$chaque": "demandes" | "pieces", "$modele": …}`: one element per demande of the file
  (exactly once in a template), per piece of a demande.
- `{"$a_renseigner": NOTE}`: a key of the official model with no source yet; the format is
  incomplete until it gets a `$champ` or a `$constante` (validation says so, the key is never
  silently dropped).
An object whose keys are all left out is left out.

Compiled once: the file's envelope into closures, a demande into one generated function
(`generate`), so writing 20k demandes costs about what the hand-written JSON did; validation
writes each demande straight from its rows (`render_object` with the product's `Sources`,
`core/demande_fields.py`), without making its canonical fields first.
The same tree reads a deposit file back into canonical values (`read_file`: verify and the
register work on any format) and says which canonical field a JSON pointer of the portal's
JSON comes from (`field_at`: a schema error points at its spreadsheet cell).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from segur_desktop.core.formats.canonical import Catalog, canonical_catalog
from segur_desktop.core.normalise.amounts import format_amount

ABSENT: Any = object()  # a value left out of the rendered JSON
DEMANDES = "demandes"
PIECES = "pieces"
DIRECTIVES = ("$champ", "$constante", "$chaque", "$a_renseigner")
DATE_TOKENS = (("AAAA", "%Y"), ("MM", "%m"), ("JJ", "%d"))
AMOUNT_FORMS = ("texte", "nombre", "virgule", "centimes")
MEMO_LIMIT = 4096
FILE_WIDE = frozenset({"demande.couloir", "demande.type"})  # one couloir and one type per deposit file

# A context: (the list item being rendered, the demande's fields, the file's fields).
Context = tuple[dict[str, Any], dict[str, Any], dict[str, Any]]


class TemplateError(ValueError):
    """A template that cannot be compiled; `str()` is French and names the JSON path."""


@dataclass(frozen=True, slots=True)
class Gap:
    path: str  # "lignes[].codeX"
    note: str  # what the official model had there


@dataclass(slots=True)
class _Node:
    """One compiled node: how to write it, and how to read it back."""
    kind: str  # "field", "constant", "object", "each", "list", "gap"
    render: Callable[[Context], Any]
    field_id: str | None = None
    value: Any = None  # a constant's value
    children: dict[str, _Node] = field(default_factory=dict)  # an object's
    items: list[_Node] = field(default_factory=list)  # a literal list's
    over: str | None = None  # what `$chaque` iterates over
    model: _Node | None = None  # `$chaque`'s item node
    parse: Callable[[Any], Any] | None = None  # a field's reading back
    slot: int = 1  # a field's context: 0 the list item, 1 the demande, 2 the file
    key: str = ""  # a field's name in its context
    write: Callable[[Any], Any] | None = None  # a field's formatting


def _date_writer(pattern: str) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    if pattern in ("AAAA-MM-JJ", ""):
        return date.isoformat, lambda text: date.fromisoformat(text)
    strf = pattern
    for token, code in DATE_TOKENS:
        strf = strf.replace(token, code)
    if strf == pattern:
        raise TemplateError(f"format de date « {pattern} » : utilisez AAAA, MM et JJ (ex. JJ/MM/AAAA)")
    return (lambda value: value.strftime(strf)), (lambda text: datetime.strptime(text, strf).date())


def _amount_writer(form: str) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    if form in ("texte", ""):
        return format_amount, Decimal
    if form == "nombre":
        return (lambda value: float(format_amount(value))), (lambda number: Decimal(str(number)))
    if form == "virgule":
        return (lambda value: format_amount(value).replace(".", ",")), (lambda text: Decimal(text.replace(",", ".")))
    if form == "centimes":
        return (lambda value: int(value * 100)), (lambda number: Decimal(number) / 100)
    raise TemplateError(f"format de montant « {form} » : {', '.join(AMOUNT_FORMS)}")


class _Memo:
    """Most demandes repeat a few amounts and dates: each is formatted once. The generated renderers read `seen`
    themselves and call the memo only for a value not seen yet (a Python call per amount cost 0.01 s at 20k)."""

    __slots__ = ("write", "seen")

    def __init__(self, write: Callable[[Any], Any]) -> None:
        self.write = write
        self.seen: dict[Any, Any] = {}

    def __call__(self, value: Any) -> Any:
        found = self.seen.get(value, ABSENT)
        if found is ABSENT:
            found = self.write(value)
            if len(self.seen) < MEMO_LIMIT:
                self.seen[value] = found
        return found


class _Compiler:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.gaps: list[Gap] = []
        self.demandes_path: list[str] | None = None
        self.used: set[str] = set()

    def node(self, spec: Any, path: list[str], scope: str) -> _Node:
        """Compile `spec` at `path`; `scope`: "fichier", "demande" or "pieces" (inside a piece)."""
        where = ".".join(path) or "/"
        if isinstance(spec, dict) and any(key in spec for key in DIRECTIVES):
            if "$champ" in spec:
                return self.field(spec, where, scope)
            if "$constante" in spec:
                return self.constant(spec["$constante"])
            if "$a_renseigner" in spec:
                self.gaps.append(Gap(where, str(spec["$a_renseigner"])))
                return _Node("gap", lambda ctx: ABSENT)
            return self.each(spec, path, scope)
        if isinstance(spec, dict):
            children = {key: self.node(sub, [*path, key], scope) for key, sub in spec.items()}
            pairs = [(key, child.render) for key, child in children.items()]

            def render_object(ctx: Context) -> Any:
                out = {}
                for key, render in pairs:
                    value = render(ctx)
                    if value is not ABSENT:
                        out[key] = value
                return out if out else ABSENT
            return _Node("object", render_object, children=children)
        if isinstance(spec, list):
            items = [self.node(sub, _item_path(path), scope) for sub in spec]
            renders = [item.render for item in items]
            return _Node("list", lambda ctx: [v for r in renders if (v := r(ctx)) is not ABSENT], items=items)
        return self.constant(spec)

    @staticmethod
    def constant(value: Any) -> _Node:
        return _Node("constant", lambda ctx: value, value=value)

    def field(self, spec: dict[str, Any], where: str, scope: str) -> _Node:
        field_id = spec["$champ"]
        qualified = f"{PIECES}[].{field_id}" if scope == PIECES and "." not in field_id else field_id
        known = self.catalog.get(qualified)
        if known is None:
            raise TemplateError(f"« {where} » : le champ « {field_id} » n'existe pas dans la demande canonique")
        if scope == "fichier" and known.level != "fichier" and known.id not in FILE_WIDE:
            raise TemplateError(f"« {where} » : « {field_id} » est une valeur par demande ; placez-la dans le "
                                "« $modele » des demandes")
        self.used.add(known.id)
        form = str(spec.get("$format", ""))
        write: Callable[[Any], Any] | None = None
        parse: Callable[[Any], Any] | None = None
        if known.type == "date":
            write, parse = _date_writer(form)
            write = _Memo(write)
        elif known.type == "montant":
            write, parse = _amount_writer(form)
            write = _Memo(write)
        elif known.type == "entier" and form == "texte":  # « "nbDemandes": "12" » in the official model
            write, parse = str, int
        elif form:
            raise TemplateError(f"« {where} » : « $format » ne s'applique qu'aux dates, aux montants et aux nombres "
                                "entiers (« texte »)")
        codes = spec.get("$valeurs")
        if codes is not None:
            if not isinstance(codes, dict):
                raise TemplateError(f"« {where} » : « $valeurs » doit associer chaque code à celui du portail")
            back = {portal: ours for ours, portal in codes.items()}
            write = lambda value, codes=codes: codes.get(value, value)  # noqa: E731
            parse = lambda value, back=back: back.get(value, value)  # noqa: E731
        slot = 0 if qualified != field_id else (2 if scope == "fichier" or known.level == "fichier" else 1)
        name = field_id if slot == 0 else qualified
        if write is None:
            def render(ctx: Context) -> Any:
                return ctx[slot].get(name, ABSENT)
        else:
            def render(ctx: Context) -> Any:
                value = ctx[slot].get(name, ABSENT)
                return value if value is ABSENT else write(value)
        return _Node("field", render, field_id=known.id if slot else name, parse=parse, slot=slot, key=name,
                     write=write)

    def each(self, spec: dict[str, Any], path: list[str], scope: str) -> _Node:
        over, where = spec.get("$chaque"), ".".join(path) or "/"
        if "$modele" not in spec:
            raise TemplateError(f"« {where} » : « $chaque » sans « $modele »")
        if over == DEMANDES:
            if scope != "fichier" or self.demandes_path is not None:
                raise TemplateError(f"« {where} » : « $chaque »: « demandes » une seule fois, hors de toute liste")
            self.demandes_path = path
            model = self.node(spec["$modele"], _item_path(path), "demande")
            fast = generate(model)
            model.render = lambda ctx: fast(ctx[1], ctx[2])
            # Rendering the file: ctx[1] holds the list of the demandes' fields.
            return _Node("each", lambda ctx: [fast(d, ctx[2]) for d in ctx[1][DEMANDES]], over=over, model=model)
        if over == PIECES and scope == "demande":
            model = self.node(spec["$modele"], _item_path(path), PIECES)
            item = model.render
            return _Node("each", lambda ctx: [v for p in ctx[1].get(PIECES, ())
                                              if (v := item((p, ctx[1], ctx[2]))) is not ABSENT] or ABSENT,
                         over=over, model=model)
        raise TemplateError(f"« {where} » : « $chaque » porte sur « demandes » (dans le fichier) ou « pieces » (dans "
                            f"une demande), pas « {over} » ici")


@dataclass(frozen=True, slots=True)
class Sources:
    """Where an object's canonical fields are, as Python expressions: a demande rendered without its fields dict.

    Written by the product (`core/demande_fields.py`), never by a template: `fields` maps a canonical
    field to an expression over `d` (the object) and the `prelude`'s names, `A` when absent; `pieces`
    is the object's pieces, `piece_fields` an item field's expression over `{p}` (the piece);
    `helpers` are the functions the expressions call. `shared` names an object many demandes share
    (their solution's fields), and `shared_fields` the fields read from it alone: a part of the JSON
    made of these only is written once per shared object, and the same dict given to its demandes.
    """
    prelude: tuple[str, ...]
    fields: Mapping[str, str]
    shared: str
    shared_fields: frozenset[str]
    pieces: str
    piece_fields: Mapping[str, str]
    helpers: Mapping[str, Any]


@dataclass(slots=True)
class Template:
    """A compiled output template."""
    root: _Node
    demandes_path: tuple[str, ...]  # where the demandes' list sits in the file
    gaps: list[Gap]  # keys of the official model with no source yet
    used: frozenset[str]  # the canonical fields it writes
    # id(sources) -> (sources, its generated renderer of a demande), made on first use (`render_object`)
    direct: dict[int, tuple[Sources, Callable[[Any, dict[str, Any]], Any]]] = field(default_factory=dict)

    @property
    def demande(self) -> _Node:
        node = self.root
        for key in self.demandes_path:
            node = node.children[key]
        assert node.model is not None
        return node.model

    def render_demande(self, fields: dict[str, Any], file_fields: dict[str, Any]) -> dict[str, Any]:
        value = self.demande.render(({}, fields, file_fields))
        return {} if value is ABSENT else value

    def render_object(self, sources: Sources, obj: Any, file_fields: dict[str, Any]) -> dict[str, Any]:
        """What `render_demande(fields of obj, file_fields)` gives, read from obj through `sources` (generated once)."""
        known = self.direct.get(id(sources))
        if known is None:
            known = self.direct[id(sources)] = (sources, generate(self.demande, sources))
        value = known[1](obj, file_fields)
        return {} if value is ABSENT else value

    def render_file(self, file_fields: dict[str, Any], demandes: list[dict[str, Any]]) -> Any:
        value = self.root.render(({}, {DEMANDES: demandes}, file_fields))
        return {} if value is ABSENT else value

    def field_at(self, parts: list[str]) -> tuple[str | None, int | None]:
        """(canonical field, piece index) a JSON pointer inside one rendered demande comes from."""
        node, index = self.demande, None
        for part in parts:
            if node.kind == "object" and part in node.children:
                node = node.children[part]
            elif node.kind == "each" and part.isdigit():
                index = int(part)
                assert node.model is not None
                node = node.model
            elif node.kind == "list" and part.isdigit() and int(part) < len(node.items):
                node = node.items[int(part)]
            else:
                break
            if node.kind == "field":
                return (f"{PIECES}[].{node.field_id}" if index is not None and "." not in str(node.field_id)
                        else node.field_id), index
        return None, index

    def pointer_of(self, field_id: str, index: int = 0) -> str | None:
        """The JSON pointer inside a rendered demande where `field_id` is written (first place); `index`: the
        piece's, for a field of the pieces."""
        bare = field_id.removeprefix(f"{PIECES}[].")
        for parts, node in _leaves(self.demande, []):
            if node.field_id in (field_id, bare) and (bare == field_id) == ("@" not in parts):
                return "".join(f"/{str(index) if p == '@' else p}" for p in parts)
        return None

    def read_demande(self, item: Any) -> dict[str, Any]:
        """A rendered demande read back into canonical fields; values that do not parse are left out."""
        found: dict[str, Any] = {}
        _read(self.demande, item, found)
        return found

    def read_file(self, document: Any) -> tuple[dict[str, Any], list[Any] | None]:
        """(file-level canonical fields, the demandes as the file holds them: None when it has no such list)."""
        here = document
        found: dict[str, Any] = {}
        _read(self.root, document, found)
        for key in self.demandes_path:
            if not isinstance(here, dict) or key not in here:
                return found, None
            here = here[key]
        return found, (here if isinstance(here, list) else None)


def generate(model: _Node, sources: Sources | None = None) -> Callable[[Any, dict[str, Any]], Any]:
    """The demande's node as one Python function `(fields, file_fields) -> JSON`, generated once per template;
    with `sources`, `(object, file_fields) -> JSON`, each field read where `sources` says.

    Rendering is done for every demande at validation and again at deposit: the closures of the
    tree cost one Python call per key (0.15 s for 20k demandes), straight-line code a third of
    it. Keys and field names are written with `repr`, formatters and constants are passed in the
    function's namespace: nothing from the template is ever executed (`sources` is the product's).
    """
    namespace: dict[str, Any] = {"A": ABSENT, "MEMO_LIMIT": MEMO_LIMIT}
    lines = ["def render(f, F):"]
    if sources is not None:
        namespace.update(sources.helpers)
        lines = ["def render(d, F):", *(f"    {line}" for line in sources.prelude)]
    counter = iter(range(1_000_000))

    def var(prefix: str) -> str:
        return f"{prefix}{next(counter)}"

    def read(node: _Node, item: str) -> str:
        if node.slot == 2 or sources is None:
            return f"{ {0: item, 1: 'f', 2: 'F'}[node.slot]}.get({node.key!r}, A)"
        if node.slot == 0:
            return sources.piece_fields.get(node.key, "A").format(p=item)
        return sources.fields.get(node.key, "A")

    def shared_only(node: _Node) -> bool:
        if node.kind == "field":
            return sources is not None and node.slot == 1 and node.key in sources.shared_fields
        return node.kind == "object" and all(map(shared_only, node.children.values()))

    def emit(node: _Node, item: str, depth: int, share: bool = True) -> str:
        pad = "    " * depth
        name = var("v")
        if share and sources is not None and node.kind == "object" and node.children and shared_only(node):
            # Written once per shared object; the memo holds the object too, so that its id is not reused meanwhile.
            memo = var("M")
            namespace[memo] = {}
            lines.append(f"{pad}{name} = {memo}.get(id({sources.shared}))")
            lines.append(f"{pad}if {name} is None:")
            value = emit(node, item, depth + 1, share=False)
            lines.append(f"{pad}    if len({memo}) >= MEMO_LIMIT: {memo}.clear()")
            lines.append(f"{pad}    {name} = {memo}[id({sources.shared})] = ({sources.shared}, {value})")
            lines.append(f"{pad}{name} = {name}[1]")
            return name
        if node.kind == "field":
            lines.append(f"{pad}{name} = {read(node, item)}")
            if isinstance(node.write, _Memo):  # what it wrote already, else the memo (a falsy result: the memo again)
                seen, writer = var("S"), var("W")
                namespace[seen], namespace[writer] = node.write.seen, node.write
                lines.append(f"{pad}if {name} is not A: {name} = {seen}.get({name}) or {writer}({name})")
            elif node.write is not None:
                writer = var("W")
                namespace[writer] = node.write
                lines.append(f"{pad}if {name} is not A: {name} = {writer}({name})")
        elif node.kind == "constant":
            constant = var("C")
            namespace[constant] = node.value
            lines.append(f"{pad}{name} = {constant}")
        elif node.kind == "gap":
            lines.append(f"{pad}{name} = A")
        elif node.kind == "object":
            lines.append(f"{pad}{name} = {{}}")
            for key, child in node.children.items():
                value = emit(child, item, depth, share)
                lines.append(f"{pad}if {value} is not A: {name}[{key!r}] = {value}")
            lines.append(f"{pad}if not {name}: {name} = A")
        elif node.kind == "list":
            lines.append(f"{pad}{name} = []")
            for child in node.items:
                value = emit(child, item, depth, share)
                lines.append(f"{pad}if {value} is not A: {name}.append({value})")
        else:  # each piece
            assert node.model is not None
            piece = var("p")
            lines.append(f"{pad}{name} = []")
            lines.append(f"{pad}for {piece} in {sources.pieces if sources else f'f.get({PIECES!r}, ())'}:")
            value = emit(node.model, piece, depth + 1, share)
            lines.append(f"{pad}    if {value} is not A: {name}.append({value})")
            lines.append(f"{pad}if not {name}: {name} = A")
        return name

    result = emit(model, "None", 1)
    lines.append(f"    return {result}")
    exec(compile("\n".join(lines), "<deposit template>", "exec"), namespace)
    return namespace["render"]


def generate_fields(sources: Sources) -> Callable[[Any], dict[str, Any]]:
    """The function `object -> canonical fields` (a dict without the absent ones) that `sources` describes."""
    namespace: dict[str, Any] = {"A": ABSENT, **sources.helpers}
    lines = ["def fields(d):", *(f"    {line}" for line in sources.prelude), "    out = {}"]
    for field_id, expression in sources.fields.items():
        lines.append(f"    v = {expression}")
        lines.append(f"    if v is not A: out[{field_id!r}] = v")
    lines.append("    return out")
    exec(compile("\n".join(lines), "<canonical fields>", "exec"), namespace)
    return namespace["fields"]


def _item_path(path: list[str]) -> list[str]:
    """"lignes" -> "lignes[]": how a list's elements are named in messages."""
    return [*path[:-1], (path[-1] if path else "") + "[]"]


def _leaves(node: _Node, parts: list[str]) -> Iterator[tuple[list[str], _Node]]:
    if node.kind == "field":
        yield parts, node
    for key, child in node.children.items():
        yield from _leaves(child, [*parts, key])
    if node.kind == "each" and node.model is not None:
        yield from _leaves(node.model, [*parts, "@"])
    for i, item in enumerate(node.items):
        yield from _leaves(item, [*parts, str(i)])


def _read(node: _Node, value: Any, found: dict[str, Any]) -> None:
    if node.kind == "field":
        try:
            found[str(node.field_id)] = node.parse(value) if node.parse else value
        except (ValueError, TypeError, ArithmeticError, InvalidOperation):
            pass
    elif node.kind == "object" and isinstance(value, dict):
        for key, child in node.children.items():
            if key in value:
                _read(child, value[key], found)
    elif node.kind == "each" and node.over == PIECES and isinstance(value, list) and node.model is not None:
        pieces = []
        for element in value:
            piece: dict[str, Any] = {}
            _read(node.model, element, piece)
            pieces.append(piece)
        found[PIECES] = pieces
    elif node.kind == "list" and isinstance(value, list):
        for child, element in zip(node.items, value, strict=False):  # a document may hold fewer or more
            _read(child, element, found)


def compile_template(spec: Any, catalog: Catalog | None = None) -> Template:
    """Compile `spec`; TemplateError (French) when it names an unknown field or has no `$chaque: demandes`."""
    compiler = _Compiler(catalog or canonical_catalog())
    root = compiler.node(spec, [], "fichier")
    if compiler.demandes_path is None:
        raise TemplateError("le modèle n'a pas de liste « $chaque »: « demandes » (où vont les demandes du fichier)")
    if any("[]" in part for part in compiler.demandes_path):
        raise TemplateError("la liste des demandes doit être directement dans des objets, pas dans une autre liste")
    return Template(root, tuple(compiler.demandes_path), compiler.gaps, frozenset(compiler.used))
