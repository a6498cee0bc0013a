"""The Windows version resource (Explorer → Propriétés → Détails), from the package version."""

from pathlib import Path

TEMPLATE = """VSVersionInfo(
  ffi=FixedFileInfo(filevers={tuple}, prodvers={tuple}, mask=0x3f, flags=0x0, OS=0x40004, fileType=0x1,
                    subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040C04B0', [
      StringStruct('CompanyName', 'Segur Desktop'),
      StringStruct('FileDescription', 'Segur Desktop — demandes de financement Ségur numérique'),
      StringStruct('FileVersion', '{version}'),
      StringStruct('InternalName', 'segur-desktop'),
      StringStruct('OriginalFilename', 'segur-desktop.exe'),
      StringStruct('ProductName', 'Segur Desktop'),
      StringStruct('ProductVersion', '{version}')])]),
    VarFileInfo([VarStruct('Translation', [1036, 1200])])
  ]
)
"""


def write_version_file(version: str, path: Path) -> str:
    numbers = [int(part) for part in version.split(".")[:3] if part.isdigit()]
    four = tuple((numbers + [0, 0, 0, 0])[:4])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEMPLATE.format(tuple=four, version=version), encoding="utf-8")
    return str(path)
