"""The core stays Qt-free: importing all of it must not load PySide6."""

import pkgutil
import subprocess
import sys

import segur_desktop.core


def test_core_imports_no_qt() -> None:
    modules = [m.name for m in pkgutil.walk_packages(segur_desktop.core.__path__, "segur_desktop.core.")]
    assert "segur_desktop.core.pipeline" in modules
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules) + (
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(bad)\nsys.exit(1 if bad else 0)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
