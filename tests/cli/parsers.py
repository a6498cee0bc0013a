"""Every parser of the `segur-desktop` command, for the tests that read all their helps at once."""

from __future__ import annotations

import argparse
from collections.abc import Iterator


def every_parser(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """`parser` and each subcommand's parser below it, once each (a hidden French alias shares its English parser)."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                yield from every_parser(child)
