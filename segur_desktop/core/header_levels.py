"""Two-level headers: a group title merged over the sub-titles of the row below, as pivot tables and formatted
exports write them (« Montant » over « HT » and « TTC », « Client » over « Code », « Nom » and « SIRET »).

Read as one row, the header lost a level: the upper row named « Montant » over the HT column only, or the lower
one « HT » and « SIRET » alone, a column of no known title or the wrong client's. Here the structure alone is read
(which cells are merged over which); `mapping` decides, by the fields each reading names, whether the merge was a
group or a title over the list.
"""

from __future__ import annotations

from typing import Any

from segur_desktop.core.normalise.text import clean_text

Levels = dict[int, tuple[str, str]]  # column -> (group title, sub-title)
MAX_GROUP_WORDS = 4  # « Coordonnées du client » heads a group; « Période du 01/06/2022 au 30/11/2022 » is a title


def _groups_over(rows: list[list[Any]], groups: tuple[tuple[int, int, int], ...], index: int) -> dict[int, Levels]:
    """First column -> levels of each text cell of row `index - 1` merged over sub-titles in each of its columns
    (over one empty cell, it is no group). A title over the list is none: more than MAX_GROUP_WORDS words, or one
    cell spanning every title of the two rows (several groups may: « Commande », « Client », « Montant » over all)."""
    if index == 0 or index >= len(rows):
        return {}
    above, row = rows[index - 1], rows[index]
    found: dict[int, Levels] = {}
    for top, left, right in groups:
        if top != index - 1 or left >= len(above) or not isinstance(above[left], str) or right >= len(row):
            continue
        group, subs = clean_text(above[left]), [clean_text(row[column]) for column in range(left, right + 1)]
        if group and all(subs) and len(group.split()) <= MAX_GROUP_WORDS:
            found[left] = {column: (group, str(sub)) for column, sub in enumerate(subs, left)}
    if len(found) == 1:
        (under,) = found.values()
        if {column for line in (above, row) for column, cell in enumerate(line) if cell not in (None, "")} <= under.keys():
            return {}
    return found


def two_level(rows: list[list[Any]], groups: tuple[tuple[int, int, int], ...], index: int) -> tuple[list[Any], Levels]:
    """Row `index` read under the group titles merged over it (`_groups_over`): each column under one is « group
    sub-title », each column of one level keeps its title, written in either row. ({} as levels: no group.)"""
    found = _groups_over(rows, groups, index) if groups else {}
    if not found:
        return rows[index], {}
    levels = {column: pair for group in found.values() for column, pair in group.items()}
    above, row = rows[index - 1], rows[index]
    titles = [f"{levels[column][0]} {levels[column][1]}" if column in levels
              else row[column] if column < len(row) and row[column] not in (None, "")
              else above[column] if column < len(above) else None
              for column in range(max(len(row), len(above)))]
    return titles, levels


def group_heads(rows: list[list[Any]], groups: tuple[tuple[int, int, int], ...], index: int) -> set[int]:
    """The columns of row `index` that are group titles over the row below: read alone, « Client » over « Adresse »
    and « Ville » named the client's name at the address's column."""
    return set(_groups_over(rows, groups, index + 1)) if groups else set()
