"""Draw the app icon once and derive every format from it: PNG, Windows .ico, macOS .icns.

One source (this drawing) so the three never disagree. Run
`python -m tools.make_icons` after changing it; the results are committed in
`resources/icons/` (the window uses the PNG, PyInstaller the .ico and .icns).
Needs Pillow (the `package` extra) for .ico and .icns.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath, QPen

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZE = 1024


def draw() -> QImage:
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    gradient = QLinearGradient(0, 0, 0, SIZE)
    gradient.setColorAt(0, QColor("#2f7fd8"))
    gradient.setColorAt(1, QColor("#1a4f8f"))
    p.setBrush(gradient)
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(QRectF(40, 40, SIZE - 80, SIZE - 80), 200, 200)
    # A sheet of paper with a folded corner: the funding request.
    sheet = QPainterPath()
    sheet.moveTo(290, 200)
    sheet.lineTo(620, 200)
    sheet.lineTo(740, 320)
    sheet.lineTo(740, 830)
    sheet.lineTo(290, 830)
    sheet.closeSubpath()
    p.setBrush(QColor("#ffffff"))
    p.drawPath(sheet)
    p.setBrush(QColor("#c9dcf2"))
    fold = QPainterPath()
    fold.moveTo(620, 200)
    fold.lineTo(620, 320)
    fold.lineTo(740, 320)
    fold.closeSubpath()
    p.drawPath(fold)
    p.setPen(QPen(QColor("#9bb8dc"), 28, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    for y in (400, 480, 560):
        p.drawLine(QPointF(360, y), QPointF(670, y))
    # The green check: accepted on the first try.
    p.setPen(QPen(QColor("#2e9d4a"), 70, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    check = QPainterPath()
    check.moveTo(420, 690)
    check.lineTo(510, 770)
    check.lineTo(700, 590)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(check)
    p.end()
    return image


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # QPainter needs one
    ICONS.mkdir(parents=True, exist_ok=True)
    png = ICONS / "segur-desktop.png"
    draw().scaled(512, 512, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation).save(str(png))
    big = ICONS / ".source-1024.png"
    draw().save(str(big))
    with Image.open(big) as source:
        source.save(ICONS / "segur-desktop.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
        source.save(ICONS / "segur-desktop.icns")
    big.unlink()
    for name in ("segur-desktop.png", "segur-desktop.ico", "segur-desktop.icns"):
        print(ICONS / name, (ICONS / name).stat().st_size)
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
