"""The frozen app's one entry point: the window, or the command line when a command is given.

Both executables of the frozen folder run this script: `segur-desktop`
(windowed, what users double-click) and `segur-desktop-cli` (console, for the
command line on Windows, where a windowed program has no terminal output).
`segur-desktop validate …` therefore works too where a console exists.
"""

import sys

from segur_desktop.cli import COMMANDS, main as cli_main

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in COMMANDS:
        sys.exit(cli_main())
    from segur_desktop.app import main as gui_main

    sys.exit(gui_main())
