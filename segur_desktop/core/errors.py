"""Errors that stop the pipeline because an input cannot be used at all.

A problem inside a usable file is a `Diagnostic`, never an exception. An
`InputError` is for the file itself: missing, unreadable, wrong format. Its
message is one French paragraph naming the file and what to do; the CLI prints
it and exits with status 2, the GUI shows it in a dialog.
"""

from __future__ import annotations


class InputError(Exception):
    """An input file or folder that cannot be used; `str()` is the French message."""


class Cancelled(Exception):
    """The user cancelled a long operation."""
