"""`python -m segur_desktop` is the `segur-desktop` command."""

import sys

from segur_desktop.cli import main

sys.exit(main())
