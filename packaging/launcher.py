"""The frozen app's one entry point: the window, or the command line when a command is given.

Both executables of the frozen folder run this script: `segur-desktop`
(windowed, what users double-click) and `segur-desktop-cli` (console, for the
command line on Windows, where a windowed program has no terminal output).
`segur-desktop validate …` therefore works too where a console exists.
"""

import sys

from segur_desktop.cli import build_parser, main as cli_main


def _cli_commands() -> set[str]:
    parser = build_parser()
    return {name for action in parser._subparsers._group_actions for name in action.choices}  # noqa: SLF001


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in _cli_commands():
        sys.exit(cli_main())
    from segur_desktop.app import main as gui_main

    sys.exit(gui_main())
