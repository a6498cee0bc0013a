"""The user guide's generated chapter and its HTML export (issue #22).

    python -m tools.make_guide                 # rewrite docs/guide/04-problemes.md from the catalogue
    python -m tools.make_guide --check         # exit 1 when it is stale or a code has no explanation
    python -m tools.make_guide --html DIR      # the whole guide as HTML pages in DIR (`make guide`)

« Problèmes et corrections » is made from `segur_desktop/core/messages.py` (each code's
severity, title, message and fix: what the window and the command line print) and from a
hand-written explanation per code in `docs/guide/sources/explications.md` (what it means, why
it matters to the portal, how to fix it in Excel), under the introduction
`docs/guide/sources/problemes-intro.md`. A code added to the catalogue without an explanation
stops the generation, and `tests/core/test_guide.py` fails.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from html import escape
from pathlib import Path

from segur_desktop.core import guide
from segur_desktop.core.messages import MESSAGES, Severity

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "guide"
SOURCES = GUIDE / "sources"
EXPLANATIONS = SOURCES / "explications.md"
INTRODUCTION = SOURCES / "problemes-intro.md"
CHAPTER = GUIDE / f"{guide.PROBLEMS_CHAPTER}.md"
PARTS = ("Ce que cela veut dire", "Pourquoi c'est important", "Comment corriger")
SEVERITIES = {Severity.ERROR: "Erreur", Severity.WARNING: "Avertissement", Severity.INFO: "Information"}
# What a message's placeholder stands for, in the guide's words (a placeholder not listed reads « … »).
PLACEHOLDERS = {
    "label": "identifiant", "field": "la valeur", "header": "colonne", "value": "valeur", "couloir": "COULOIR",
    "type": "type", "avance": "ID_AVANCE", "numero": "N", "paid": "décidée et payée", "format": "format",
    "aliases_file": "aliases.json", "example": "{…}", "example_code": "CODE", "name": "nom", "advice": "…",
}


def explanations(path: Path = EXPLANATIONS) -> dict[str, str]:
    """Each code's hand-written explanation: the Markdown under its `## code` heading."""
    found: dict[str, str] = {}
    code = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := re.fullmatch(r"## ([a-z0-9_]+)", line.strip()):
            code = match.group(1)
            found[code] = ""
        elif code is not None:
            found[code] += line + "\n"
    return {code: text.strip() for code, text in found.items()}


def problems(path: Path = EXPLANATIONS) -> list[str]:
    """What keeps the chapter from being made: codes without explanation, unknown codes, missing parts."""
    written = explanations(path)
    found = [f"« {code} » n'a pas d'explication dans {path.name}" for code in MESSAGES if code not in written]
    found += [f"« {code} » est expliqué dans {path.name} mais n'est pas dans messages.py"
              for code in written if code not in MESSAGES]
    for code, text in written.items():
        found += [f"l'explication de « {code} » n'a pas de paragraphe « {part} »"
                  for part in PARTS if f"**{part}.**" not in text]
    return found


def template(text: str) -> str:
    """A catalogue message with its placeholders in words: « Renseignez {field} » → « Renseignez *la valeur* »."""
    return re.sub(r"\{(\w+)\}", lambda m: f"*{PLACEHOLDERS.get(m.group(1), '…')}*", text)


def render() -> str:
    written = explanations()
    lines = [INTRODUCTION.read_text(encoding="utf-8").rstrip(), "",
             "## Tous les problèmes, d'un coup d'œil", "",
             "| Problème | Gravité | Code |", "|---|---|---|"]
    lines += [f"| [{m.title}](#{code}) | {SEVERITIES[m.severity]} | `{code}` |" for code, m in MESSAGES.items()]
    lines.append("")
    for code, message in MESSAGES.items():
        lines += [f'<a id="{code}"></a>', f"### {message.title}", "",
                  f"{SEVERITIES[message.severity]} · code `{code}`", "",
                  f"**Message affiché.** {template(message.message)}", "",
                  written.get(code, "").strip(), "",
                  f"**Correction proposée par Segur Desktop.** {template(message.fix)}", ""]
    lines += ["---", "", "*Chapitre produit par `python -m tools.make_guide` à partir du catalogue des messages "
              "(`segur_desktop/core/messages.py`) et de `docs/guide/sources/explications.md` : modifiez ces "
              "fichiers, pas celui-ci.*", ""]
    return "\n".join(lines)


# --- HTML export -----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{title} — Guide d'utilisation de Segur Desktop</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 58em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }}
img {{ max-width: 100%; border: 1px solid #ccc; }} pre {{ background: #f4f4f4; padding: .6em; overflow-x: auto; }}
code {{ background: #f4f4f4; }} table {{ border-collapse: collapse; }} th, td {{ padding: .3em .6em; }}
nav {{ margin: 1em 0; padding: .5em 0; border-top: 1px solid #ddd; border-bottom: 1px solid #ddd; }}
blockquote {{ border-left: 4px solid #ddd; margin-left: 0; padding-left: 1em; color: #444; }}
</style></head><body>
<nav>{nav}</nav>
{body}
<nav>{nav}</nav>
</body></html>
"""


def export_html(destination: Path) -> list[Path]:
    """Every chapter as `NN-slug.html` with an `index.html` table of contents; pictures copied to `screenshots/`."""
    chapters = guide.chapters(GUIDE)
    destination.mkdir(parents=True, exist_ok=True)
    pictures = destination / "screenshots"
    pictures.mkdir(exist_ok=True)
    written = []

    def link(url: str) -> str:
        if "://" in url or url.startswith("#"):
            return url
        target, _, anchor = url.partition("#")
        if target.endswith(".md"):
            return Path(target).stem + ".html" + (f"#{anchor}" if anchor else "")
        source = (GUIDE / target).resolve()
        if source.is_file() and source.suffix.lower() in (".png", ".jpg", ".svg"):
            shutil.copy2(source, pictures / source.name)
            return f"screenshots/{source.name}"
        return url

    contents = "<ul>" + "".join(f'<li><a href="{c.id}.html">{escape(c.title)}</a></li>' for c in chapters) + "</ul>"
    for i, chapter in enumerate(chapters):
        nav = ['<a href="index.html">Sommaire</a>']
        if i:
            nav.insert(0, f'<a href="{chapters[i - 1].id}.html">← {escape(chapters[i - 1].title)}</a>')
        if i + 1 < len(chapters):
            nav.append(f'<a href="{chapters[i + 1].id}.html">{escape(chapters[i + 1].title)} →</a>')
        path = destination / f"{chapter.id}.html"
        path.write_text(PAGE.format(title=escape(chapter.title), nav=" · ".join(nav),
                                    body=guide.to_html(chapter.markdown, link)), encoding="utf-8")
        written.append(path)
    index = destination / "index.html"
    index.write_text(PAGE.format(title="Sommaire", nav="Guide d'utilisation de Segur Desktop",
                                 body="<h1>Guide d'utilisation de Segur Desktop</h1>" + contents), encoding="utf-8")
    return [index, *written]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the generated chapter is stale")
    parser.add_argument("--html", type=Path, metavar="DIR", help="export the whole guide as HTML into DIR")
    args = parser.parse_args(argv)
    if found := problems():
        print("Le chapitre « Problèmes et corrections » ne peut pas être produit :", *found, sep="\n  ", file=sys.stderr)
        return 1
    if args.html:
        pages = export_html(args.html)
        print(f"{len(pages)} pages HTML dans {args.html}")
        return 0
    text = render()
    if args.check:
        if not CHAPTER.is_file() or CHAPTER.read_text(encoding="utf-8") != text:
            print(f"{CHAPTER.relative_to(ROOT)} n'est pas à jour : lancez python -m tools.make_guide", file=sys.stderr)
            return 1
        return 0
    CHAPTER.write_text(text, encoding="utf-8")
    print(f"{CHAPTER.relative_to(ROOT)} écrit ({len(MESSAGES)} problèmes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
