"""The launcher on a Linux machine missing a library Qt's X11 plugin needs: a French message naming the Debian
packages, exit 1, instead of Qt's abort."""

import pytest

from segur_desktop import app
from segur_desktop.app import XCB_LIBRARIES, missing_libraries_message, missing_xcb_libraries, uses_xcb


def test_the_missing_libraries_are_named_with_their_debian_packages() -> None:
    missing = missing_xcb_libraries(lambda name: name not in ("libxcb-cursor.so.0", "libxkbcommon-x11.so.0"))
    assert missing == {"libxcb-cursor.so.0": "libxcb-cursor0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0"}
    text = missing_libraries_message(missing)
    assert text.startswith("Segur Desktop ne peut pas ouvrir sa fenêtre : il manque à ce système des bibliothèques")
    assert "(libxcb-cursor.so.0, libxkbcommon-x11.so.0)" in text
    assert "    sudo apt install libxcb-cursor0 libxkbcommon-x11-0\n" in text
    assert missing_xcb_libraries(lambda name: True) == {}
    assert "libxcb-cursor.so.0" in XCB_LIBRARIES


def test_only_linux_with_x11_is_checked() -> None:
    assert uses_xcb("linux", {})
    assert uses_xcb("linux", {"QT_QPA_PLATFORM": "xcb"})
    assert not uses_xcb("linux", {"QT_QPA_PLATFORM": "offscreen"})
    assert not uses_xcb("linux", {"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"})
    assert not uses_xcb("win32", {}) and not uses_xcb("darwin", {})


def test_main_says_it_and_stops_before_qt(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    class NoApplication:  # as on a machine where none was made yet; making one would fail the test
        @staticmethod
        def instance() -> None:
            return None

        def __init__(self, *_args) -> None:
            raise AssertionError("QApplication created despite the missing libraries")

    monkeypatch.setattr(app, "QApplication", NoApplication)
    monkeypatch.setattr(app, "uses_xcb", lambda: True)
    monkeypatch.setattr(app, "missing_xcb_libraries", lambda: {"libxcb-cursor.so.0": "libxcb-cursor0"})
    assert app.main([]) == 1
    assert "sudo apt install libxcb-cursor0" in capsys.readouterr().err
