"""Rows an export adds to its list that are no list rows: totals and subtotals (« Total général », Excel's
« CLT0001 Total »), and notes typed under the list (« Source : ERP Cegid, extraction du 05/12/2022 », « Page 1 / 1 »).

Read as list rows, they gave errors that were none (« client non désigné », a date and an amount missing) and hid
the real ones. Each is left out of the table and said at its row (`normalise/rows.py`); a row that may be a list
row, incomplete, is kept, and its errors said at its cells. The words are data: « lignes_total » and « lignes_note »
in resources/mappings/fields.json.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from functools import cache
from itertools import compress
from operator import itemgetter
from typing import cast

from segur_desktop.core.datafiles import load_resource, well_formed
from segur_desktop.core.normalise.text import clean_text, match_key


@cache
def total_keys() -> tuple[str, ...]:
    """`match_key`s of the words opening a total or subtotal row's label (« lignes_total » in fields.json), which
    accounting and ERP exports put under the list or between clients (« Total Pharmacie du Port », « Total général »).
    An override of fields.json written before the list existed has none."""
    data_file = load_resource("mappings/fields.json")
    return well_formed(data_file.path, lambda: tuple(
        match_key(words) for words in data_file.data.get("lignes_total", [])))


@cache
def _total_words() -> tuple[str, ...]:
    """What a column's text is searched for, at once, before a cell is read closer (`_total_label`): the first four
    letters of a word of each of the total's words, one stem serving several (« tota » for « Total », « Sous-total »,
    « Montant total »). The longest word's: « s » of « S/total » would match most cells; a word shorter than four
    letters (« Tot. », in a user's fields.json) is searched whole, never left out."""
    stems: set[str] = set()
    for key in sorted(total_keys(), key=len):
        words = [word[:4] for word in key.split()]
        if words and not stems.intersection(words):
            stems.add(max(words, key=len))
    return tuple(sorted(stems))


def _labelled(cells: list[object]) -> list[int]:
    """Indices of the cells of a column that hold a total's label (« Total », « Sous-total Marseille », Excel's
    « Total général » or « CLT0001 Total »): one search of the column's text joined, in C, for each word."""
    try:
        joined = "\x1f".join(cast(list[str], cells)).lower()
    except TypeError:  # empty cells, numbers or dates among the text: printed, they hold no total's word
        joined = "\x1f".join(map(str, cells)).lower()
    if joined.count("\x1f") != len(cells) - 1:  # a cell holds the separator: never mind, look at each
        return [i for i, cell in enumerate(cells) if _total_label([cell]) is not None]
    if not joined.isascii():  # « Récap. »: searched without its accents, as the stems (`match_key`s) are written
        joined = unicodedata.normalize("NFKD", joined).encode("ascii", "ignore").decode("ascii")
    found: set[int] = set()
    for word in _total_words():
        at = joined.find(word)
        while at >= 0:
            found.add(joined.count("\x1f", 0, at))
            at = joined.find(word, at + len(word))
    return sorted(i for i in found if _total_label([cells[i]]) is not None)


def _total_label(cells: list[object]) -> str | None:
    """The first text cell of a row that a total's words open or end (« Total général », « CLT0001 Total »)."""
    keys = total_keys()
    for cell in cells:
        if isinstance(cell, str) and cell.strip():
            key = match_key(cell)
            if any(key == words or key.startswith(words + " ") or key.endswith(" " + words) for words in keys):
                return clean_text(cell)
    return None


def total_rows(rows: list[tuple[int, list[object]]], key_columns: list[int]) -> dict[int, str]:
    """Excel number -> label of the rows that are totals, not list rows: nothing in the key columns (the BDC number
    and the client keys: a list row lacking them is an error at its cells, not a total), and a label a total's
    words open.

    A cell that holds the label itself counts as empty: « Total » typed in the BDC number's column A, beside a sum.
    The rows lacking each such column's value are kept column after column, in C (`compress`, and `_labelled`'s
    one search of the column): a 20k-row list costs a few milliseconds.
    """
    candidates = rows
    for index in key_columns:
        try:
            cells = list(map(itemgetter(index), map(itemgetter(1), candidates)))
        except IndexError:  # a CSV line shorter than the header
            cells = [row[index] if index < len(row) else None for _number, row in candidates]
        kept = list(map(operator.not_, cells))
        for i in _labelled(cells):
            kept[i] = True
        candidates = list(compress(candidates, kept))
        if not candidates:
            return {}
    if candidates is rows:  # no BDC number, no key column: nothing tells a total from a row
        return {}
    return {number: label for number, row in candidates if (label := _total_label(row)) is not None}



@cache
def note_keys() -> tuple[str, ...]:
    """`match_key`s of the words opening a note typed under the list (« lignes_note » in fields.json): where the
    export comes from, its page, who printed it when, what the amounts are. An override of fields.json written
    before the list existed has none."""
    data_file = load_resource("mappings/fields.json")
    return well_formed(data_file.path, lambda: tuple(
        match_key(words) for words in data_file.data.get("lignes_note", [])))


_FOOTNOTE_MARKS = ("*", "(*)", "(1)", "¹", "†")
# « Source : … », « Nombre de lignes : 42 »: a label of up to four words, a colon, its value (« : » or « :  »).
# Words of letters (« BC-1 : … » is no label), one space apart: nothing to backtrack over.
_LABEL_AND_VALUE = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?: [^\W\d_'’.-]+){0,3} ?: \S")


def footer_notes(rows: list[tuple[int, list[object]]]) -> dict[int, str]:
    """Excel number -> text of the notes under the list: the last rows, up from the end until a row that is none.

    A note is a row of one cell of text, in any column, that a note's words or a footnote mark open, or a label and
    its value (« Source : … »): no BDC number, identifier or amount reads so. A row above the list's last row is a
    list row whatever it holds: an incomplete BDC row stays an error at its cells.
    """
    notes: dict[int, str] = {}
    for number, row in reversed(rows):
        text = _note_text(row)
        if text is None:
            break
        notes[number] = text
    return dict(sorted(notes.items()))


def _note_text(row: list[object]) -> str | None:
    filled = [cell for cell in row if cell not in (None, "")]
    if len(filled) != 1 or not isinstance(filled[0], str):
        return None
    text = clean_text(filled[0])
    if text is None:
        return None
    if text.startswith(_FOOTNOTE_MARKS) or _LABEL_AND_VALUE.match(text):
        return text
    key, first = match_key(text), match_key(text.split()[0])  # « Export-001 » is a number, « Export du … » a note
    if any(note.split()[0] == first and (key == note or key.startswith(note + " ")) for note in note_keys()):
        return text
    return None
