#!/usr/bin/env bash
# Build the macOS app and its disk image. Run from anywhere on a Mac:
#   bash packaging/macos/build.sh
# Needs: Python 3.11+ (python.org installer or Homebrew) and the Xcode command-line tools
# (hdiutil and codesign ship with macOS). Signing and notarisation need an Apple Developer ID:
# set CODESIGN_IDENTITY to sign; without it the app is ad-hoc signed and Gatekeeper will ask
# users to right-click → Ouvrir on first launch.
set -euo pipefail
cd "$(dirname "$0")/../.."

python3 -m venv .venv
.venv/bin/python -m pip install --upgrade pip
.venv/bin/python -m pip install -e '.[package]'
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build packaging/segur-desktop.spec

APP="dist/Segur Desktop.app"
# Refuse to package a build that does not run.
"$APP/Contents/MacOS/segur-desktop" --self-test

codesign --force --deep --sign "${CODESIGN_IDENTITY:--}" "$APP"

VERSION=$(.venv/bin/python -c "import tomllib; print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])")
STAGE=$(mktemp -d)
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"   # drag-to-install layout
rm -f "dist/segur-desktop-$VERSION.dmg"
hdiutil create -volname "Segur Desktop" -srcfolder "$STAGE" -ov -format UDZO "dist/segur-desktop-$VERSION.dmg"
rm -rf "$STAGE"
echo "Image disque : dist/segur-desktop-$VERSION.dmg"
