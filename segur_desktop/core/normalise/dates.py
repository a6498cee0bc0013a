"""Dates as vendors type them: real Excel dates, serial numbers, French text.

Day comes before month, always: an American mm/dd is never guessed. An
impossible date (31/02/2022) is an error, not a silent roll-over.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from segur_desktop.core.normalise import NormaliseError
from segur_desktop.core.normalise.text import clean_text, match_key

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's 1900-02-29
_PLAUSIBLE_YEARS = range(2000, 2101)

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:\s+\d{1,2}[:h]\d{2}(?::\d{2})?)?$")
_YMD = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
# « 5 déc. 2022 », « lundi 5 décembre 2022 », and Excel's « 5-déc.-22 » (its d-mmm-yy format, saved as CSV).
# An instant with its offset, as web CRMs and APIs export a date field (Salesforce, HubSpot: « 2022-08-01T22:00:00.000Z »):
# the day is the one in Paris, where the date was typed (22:00 UTC on 1 August is 2 August in Paris).
_ZONED = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})$")
_PARIS = ZoneInfo("Europe/Paris")
_TEXT = re.compile(r"^(?:[a-z]+ )?(\d{1,2})(?: ?er)? ([a-z]+) (\d{4}|\d{2})$")
_SERIAL = re.compile(r"^(\d{5})(?:[.,]0+)?$")  # « 44900 », or « 44900.0 » from a tool that typed the column decimal

_MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1,
    "fevrier": 2, "fevr": 2, "fev": 2,
    "mars": 3, "mar": 3,
    "avril": 4, "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7, "juil": 7,
    "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9,
    "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
}


def _checked(year: int, month: int, day: int, shown: str) -> date:
    try:
        value = date(year, month, day)
    except ValueError:
        raise NormaliseError("date_impossible", value=shown) from None
    if value.year not in _PLAUSIBLE_YEARS:
        raise NormaliseError("date_invraisemblable", value=shown)
    return value


def _from_serial(serial: int | float, shown: str) -> date:
    if not 1 <= serial < 2_958_466:  # Excel's last day is 9999-12-31
        raise NormaliseError("date_illisible", value=shown)
    value = _EXCEL_EPOCH + timedelta(days=int(serial))
    if value.year not in _PLAUSIBLE_YEARS:
        raise NormaliseError("date_invraisemblable", value=shown)
    return value


def parse_date(raw: object) -> tuple[date, None]:
    """A `date` from any of the forms vendors use; the second item is never a repair."""
    if isinstance(raw, datetime):
        return _checked(raw.year, raw.month, raw.day, raw.strftime("%d/%m/%Y")), None
    if isinstance(raw, date):
        return _checked(raw.year, raw.month, raw.day, raw.strftime("%d/%m/%Y")), None
    if isinstance(raw, int) and raw.bit_length() > 64:  # no reader gives one; str() of 5 000 digits raises
        raise NormaliseError("date_illisible", value=f"{Decimal(raw):.3E}")
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return _from_serial(raw, clean_text(raw) or ""), None  # no float(): a huge int overflows
    text = clean_text(raw)
    if text is None:
        raise NormaliseError("date_illisible", value="")
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            year += 2000
        return _checked(year, month, day, text), None
    if match := _YMD.match(text):
        year, month, day = (int(match.group(n)) for n in (1, 3, 4))
        return _checked(year, month, day, text), None
    if _ZONED.match(text):
        try:
            instant = datetime.fromisoformat(text)
        except ValueError:
            raise NormaliseError("date_impossible", value=text) from None
        paris = instant.astimezone(_PARIS)
        return _checked(paris.year, paris.month, paris.day, text), None
    if match := _SERIAL.match(text):
        return _from_serial(int(match.group(1)), text), None
    if match := _TEXT.match(match_key(text).replace(" er ", "er ")):
        named = _MONTHS.get(match.group(2))
        if named is not None:
            year = int(match.group(3)) + (2000 if len(match.group(3)) == 2 else 0)
            return _checked(year, named, int(match.group(1)), text), None
    raise NormaliseError("date_illisible", value=text)


# -- a column written month first ---------------------------------------------------------------
# An export made in an American locale (a web CRM, Salesforce in English) writes « 12/05/2022 » for 5 December. Read
# day first, as every French export writes it, such a cell is 12 May: a wrong date, silently. Only the column tells:
# when one of its dates can only be month first (« 11/28/2022 ») and none only day first (« 28/11/2022 »), every
# date of it whose day and month could be swapped is an error, never read either way.

_MONTH_NAMES = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                "novembre", "décembre")


def _day_month_year(raw: object) -> tuple[int, int, str] | None:
    """The first two numbers and the year of a text date written D/M/Y (or M/D/Y), None for any other cell."""
    match = _DMY.match(raw.strip()) if isinstance(raw, str) else None
    return (int(match.group(1)), int(match.group(2)), match.group(3)) if match else None


def month_first_column(cells: list[object]) -> tuple[int, str] | None:
    """(index, text) of a cell showing that the column writes its dates month first, or None when it does not."""
    found = None
    for index, cell in enumerate(cells):
        parts = _day_month_year(cell)
        if parts is None:
            continue
        first, second, _year = parts
        if second <= 12 < first <= 31:
            return None  # « 28/11/2022 »: day first, as expected
        if found is None and first <= 12 < second <= 31:
            found = (index, str(cell).strip())
    return found


def swappable(raw: object) -> tuple[str, str] | None:
    """(day first, month first) in words for a text date whose day and month could be swapped (« 12/05/2022 »:
    « 12 mai 2022 », « 5 décembre 2022 »), None otherwise."""
    parts = _day_month_year(raw)
    if parts is None:
        return None
    first, second, year = parts
    if first == second or not (1 <= first <= 12 and 1 <= second <= 12):
        return None
    return f"{first} {_MONTH_NAMES[second - 1]} {year}", f"{second} {_MONTH_NAMES[first - 1]} {year}"
