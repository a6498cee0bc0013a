"""Schema patterns that could make validation hang: found when a schema is loaded, never when a cell is checked.

jsonschema-rs, which decides validity, runs patterns in linear time (the
`regex` crate; `fancy-regex` with a backtracking limit for lookarounds), but
jsonschema, which explains a failure in detail, runs them with Python's `re`,
a backtracking engine: `^(a|aa)+$` takes 20 s on a 40-character value, and
one more character doubles it. Such a pattern is refused when its schema is
loaded, with a French message naming the file and the pattern.

The check is static and conservative: inside a group repeated without bound
(`*`, `+`, `{n,}`, or more than 10 times) it refuses
- another quantifier that repeats more than once a variable number of times
  (`(a+)+`, `(\\w+\\s?)*`, `([a-z]{2,})+`): nested quantifiers;
- alternatives that can start with the same character, or an empty one
  (`(a|aa)+`, `(x|)+`, `(\\d|x)+`… once Python has factored common prefixes): overlapping branches.
It accepts what the portal's patterns use: `[0-9]{14}`, `(\\.[0-9]+)?`,
`(\\d{2}\\s?){5}`, `(AV|SO)`, `(\\d{3} ?)+`. It may refuse a harmless pattern
(`([A-Z][a-z]+)+`): rewrite it without the nesting (`[A-Z][A-Za-z]*`).
A pattern Python cannot read is left to the engines, which say so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# The parser `re` itself uses (private, but the public `sre_parse` is deprecated since 3.11).
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from segur_desktop.core.i18n import _

MANY = 10  # a group repeated more than this many times backtracks like an unbounded one
ALPHABET = 256  # first characters compared over Latin-1; beyond it, literal characters only
_EVERYTHING = frozenset(range(ALPHABET)) | frozenset({-1})  # -1: any character beyond the alphabet
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT}
_CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
               sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W"}


def risky(pattern: str) -> str | None:
    """Why `pattern` may backtrack catastrophically under Python's `re` (French), or None."""
    try:
        tree = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError, ValueError):
        return None
    return _walk(list(tree), False)


def patterns(schema: Any, depth: int = 0) -> Iterator[str]:
    """Every regular expression of a JSON Schema: `pattern` values and `patternProperties` names."""
    if depth > 64:
        return
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            elif key == "patternProperties" and isinstance(value, dict):
                yield from (name for name in value if isinstance(name, str))
            if isinstance(value, (dict, list)):
                yield from patterns(value, depth + 1)
    elif isinstance(schema, list):
        for item in schema:
            yield from patterns(item, depth + 1)


def _walk(items: list[tuple[Any, Any]], repeated: bool) -> str | None:
    """`repeated`: these items sit inside a group repeated without bound."""
    for op, av in items:
        if op in _REPEATS:
            low, high, body = av
            many = high == sre.MAXREPEAT or high > MANY
            if repeated and high > 1 and low != high:
                return _("un quantificateur répété dans un groupe lui-même répété")
            if many and _overlaps(list(body)):
                return _("des alternatives qui peuvent commencer par le même caractère, dans un groupe répété")
            found = _walk(list(body), repeated or many)
        elif op is sre.SUBPATTERN:
            found = _walk(list(av[-1]), repeated)
        elif op is sre.BRANCH:
            found = next((r for branch in av[1] if (r := _walk(list(branch), repeated))), None)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            found = _walk(list(av[1]), repeated)
        elif op is sre.GROUPREF_EXISTS:
            found = next((r for branch in av[1:] if branch is not None and (r := _walk(list(branch), repeated))),
                         None)
        else:  # literals, sets, anchors; possessive and atomic groups never backtrack into themselves
            found = None
        if found:
            return found
    return None


def _overlaps(items: list[tuple[Any, Any]]) -> bool:
    """Whether a repeated body holds alternatives (at any depth) that may start with the same character."""
    for op, av in items:
        if op is sre.BRANCH:
            seen: set[int] = set()
            for branch in av[1]:
                first = _first(list(branch))
                if first & seen:
                    return True
                seen |= first
            if any(_overlaps(list(branch)) for branch in av[1]):
                return True
        elif op is sre.SUBPATTERN and _overlaps(list(av[-1])):
            return True
        elif op in _REPEATS and _overlaps(list(av[2])):
            return True
    return False


def _first(items: list[tuple[Any, Any]]) -> frozenset[int]:
    """The characters a sequence may start with (over `ALPHABET`, -1 for any beyond); all of them when unsure,
    or when it may match nothing."""
    for op, av in items:
        if op is sre.AT:
            continue
        if op is sre.LITERAL:
            return frozenset({av} if av < ALPHABET else {av, -1})
        if op is sre.IN:
            return _set(av)
        if op is sre.SUBPATTERN:
            return _first(list(av[-1]))
        if op in _REPEATS and av[0] >= 1:
            return _first(list(av[2]))
        return _EVERYTHING
    return _EVERYTHING  # an empty alternative overlaps with any other


def _set(items: list[tuple[Any, Any]]) -> frozenset[int]:
    if any(op is sre.NEGATE for op, _av in items):
        return _EVERYTHING
    found: set[int] = set()
    for op, av in items:
        if op is sre.LITERAL:
            found.update({av} if av < ALPHABET else {av, -1})
        elif op is sre.RANGE:
            low, high = av
            found.update(range(low, min(high, ALPHABET - 1) + 1))
            if high >= ALPHABET:
                found.add(-1)
        elif op is sre.CATEGORY and av in _CATEGORIES:
            matcher = re.compile(_CATEGORIES[av])
            found.update(c for c in range(ALPHABET) if matcher.match(chr(c)))
            found.add(-1)
        else:
            return _EVERYTHING
    return frozenset(found)
