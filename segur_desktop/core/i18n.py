"""One gettext catalog for the core's user-facing messages.

Source strings are French (the users' language). `N_` marks a string for
extraction without translating it at import time; `_` translates at use time,
so a catalog in `resources/i18n/` can add a language without code changes.
"""

from __future__ import annotations

import gettext

from segur_desktop.core.paths import resources_dir

_catalog = gettext.translation(
    "segur_desktop", localedir=str(resources_dir() / "i18n"), fallback=True
)


def _(message: str) -> str:
    return _catalog.gettext(message)


def N_(message: str) -> str:
    return message
