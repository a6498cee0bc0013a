"""A small mutation run: change one operator at a time in a module, run its tests, list the mutants that survive.

A surviving mutant is a change no test notices: either a test is missing (write it) or the change is
harmless (say why). Issue #19 asked for one over `core/validate/rules.py`, `core/normalise/amounts.py` and
`gui/session.py`; `TARGETS` maps each to the test files that exercise it.

Operators, few on purpose (mutmut's full set triples the run for little more):
- comparisons flipped (`==`/`!=`, `<`/`>=`, `>`/`<=`, `in`/`not in`, `is`/`is not`) and moved by one (`<`/`<=`, `>`/`>=`);
- boolean negation: `and`/`or` swapped, a `not` dropped, an `if` condition negated;
- constants: `True`/`False` swapped, a number plus one.
Strings and docstrings are left alone (messages are checked by their own tests).

Each mutant is the module parsed, changed at one node and unparsed (comments lost, meaning kept), written
into a copy of the repository (one per `--jobs`, under `--work`, never the checkout itself), tested there
with `pytest -x` in a subprocess (the copy's `segur_desktop` first on the path), and the copy's file
restored whatever happens:

    .venv/bin/python -m tools.mutate --jobs 2            # the three modules
    .venv/bin/python -m tools.mutate --list segur_desktop/gui/session.py

 It prints each survivor as
`module:line  what changed` and a count per module; exit status 0 (a report, not a test).
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

TARGETS: dict[str, list[str]] = {
    "segur_desktop/core/validate/rules.py": [
        "tests/core/test_rules.py", "tests/core/test_funding.py", "tests/core/test_register.py",
        "tests/core/test_register_avenants.py", "tests/core/test_demo.py", "tests/core/test_pieces_symlink.py"],
    "segur_desktop/core/normalise/amounts.py": [
        "tests/core/normalise/test_amounts.py", "tests/core/test_amounts_hostile.py"],
    "segur_desktop/gui/session.py": ["tests/gui/test_session.py", "tests/gui/test_main_window.py"],
}

_FLIPS: dict[type, list[type]] = {
    ast.Eq: [ast.NotEq], ast.NotEq: [ast.Eq], ast.Lt: [ast.GtE, ast.LtE], ast.GtE: [ast.Lt, ast.Gt],
    ast.Gt: [ast.LtE, ast.GtE], ast.LtE: [ast.Gt, ast.Lt], ast.In: [ast.NotIn], ast.NotIn: [ast.In],
    ast.Is: [ast.IsNot], ast.IsNot: [ast.Is],
}
_SYMBOLS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.In: "in",
            ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not"}


@dataclass(frozen=True)
class Mutant:
    module: str
    index: int  # the n-th mutation site of the module, in `_sites` order
    line: int
    what: str


def _skipped(tree: ast.Module) -> set[int]:
    """Nodes never mutated: docstrings, f-string parts, annotations."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            skip.add(id(body[0].value))
        if isinstance(node, ast.JoinedStr):
            skip.update(id(n) for n in ast.walk(node))
        for annotation in (getattr(node, "annotation", None), getattr(node, "returns", None)):
            if annotation is not None:
                skip.update(id(n) for n in ast.walk(annotation))
    return skip


def _sites(tree: ast.Module) -> Iterator[tuple[ast.AST, str, object]]:
    """(node, description, change) for every mutation of the module, in a stable order."""
    skip = _skipped(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                for new in _FLIPS.get(type(op), []):
                    yield node, f"{_SYMBOLS[type(op)]} -> {_SYMBOLS[new]}", ("compare", i, new)
        elif isinstance(node, ast.BoolOp):
            yield node, "and -> or" if isinstance(node.op, ast.And) else "or -> and", ("boolop",)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, "not x -> x", ("drop_not",)
        elif isinstance(node, ast.If):
            yield node, "if c -> if not c", ("negate_if",)
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            yield node, f"{node.value} -> {not node.value}", ("bool",)
        elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            yield node, f"{node.value!r} -> {node.value + 1!r}", ("plus_one",)


class _Replace(ast.NodeTransformer):
    def __init__(self, target: ast.AST, change: tuple) -> None:
        self.target, self.change = target, change

    def visit(self, node: ast.AST) -> ast.AST:
        if node is not self.target:
            return self.generic_visit(node)
        kind = self.change[0]
        if kind == "compare":
            node.ops[self.change[1]] = self.change[2]()
        elif kind == "boolop":
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        elif kind == "drop_not":
            return node.operand
        elif kind == "negate_if":
            node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
        elif kind == "bool":
            node.value = not node.value
        elif kind == "plus_one":
            node.value = node.value + 1
        return node


def mutants(module: str, root: Path) -> list[Mutant]:
    tree = ast.parse((root / module).read_text(encoding="utf-8"))
    return [Mutant(module, i, getattr(node, "lineno", 0), what) for i, (node, what, _c) in enumerate(_sites(tree))]


def mutated_source(mutant: Mutant, root: Path) -> str:
    tree = ast.parse((root / mutant.module).read_text(encoding="utf-8"))
    node, _what, change = list(_sites(tree))[mutant.index]
    tree = ast.fix_missing_locations(_Replace(node, change).visit(tree))
    return ast.unparse(tree) + "\n"


def run_tests(root: Path, tests: list[str], timeout: float) -> str:
    """"killed", "survived" or "timeout" (counted as killed: the mutant hangs the tests)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(root), PYTHONDONTWRITEBYTECODE="1")
    try:
        completed = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                                   cwd=root, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    return "survived" if completed.returncode == 0 else "killed"


def _copy(root: Path, into: Path) -> Path:
    """The repository without what tests never read (history, venv, builds, generated benchmark workspaces)."""
    skip = shutil.ignore_patterns(".git", ".venv", "dist", "build", "docs", "__pycache__", ".pytest_cache",
                                  ".hypothesis")

    def ignore(folder: str, names: list[str]) -> set[str]:
        return set(skip(folder, names)) | ({"out"} if Path(folder).resolve() == root / "bench" else set())

    shutil.copytree(root, into, ignore=ignore)
    return into


def _run_mutant(mutant: Mutant, *, root: Path, free: list[Path], tests: list[str], timeout: float,
                original: str) -> tuple[Mutant, str]:
    """Test one mutant in a copy taken from `free` (one per job), and put the copy back as it was.

    A function of its own, not a closure in the loop over modules, so each module's copies, tests and
    original text are bound when its jobs start, never read from a later iteration."""
    copy = free.pop()
    try:
        (copy / mutant.module).write_text(mutated_source(mutant, root), encoding="utf-8")
        return mutant, run_tests(copy, tests, timeout)
    finally:
        (copy / mutant.module).write_text(original, encoding="utf-8")
        free.append(copy)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=list(TARGETS), help="modules (paths from the root)")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository copy to mutate")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None, help="where the per-job copies go (default: a temp dir)")
    parser.add_argument("--list", action="store_true", help="list the mutants and run nothing")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    work = Path(tempfile.mkdtemp(prefix="mutate-", dir=args.work))
    copies = [_copy(root, work / f"job{n}") for n in range(args.jobs)]
    survivors: dict[str, list[Mutant]] = {}
    for module in args.modules:
        tests = TARGETS[module]
        todo = mutants(module, root)
        if args.list:
            for m in todo:
                print(f"{m.module}:{m.line}  {m.what}")
            continue
        start = time.perf_counter()
        if run_tests(copies[0], tests, 600) != "survived":
            print(f"{module}: the tests fail before any mutation; skipped", file=sys.stderr)
            continue
        baseline = time.perf_counter() - start
        print(f"{module}: {len(todo)} mutants, tests {baseline:.1f} s each", flush=True)
        one = partial(_run_mutant, root=root, free=list(copies), tests=tests, timeout=max(30.0, 4 * baseline),
                      original=(root / module).read_text(encoding="utf-8"))
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(one, todo))
        lost = [m for m, outcome in results if outcome == "survived"]
        survivors[module] = lost
        print(f"{module}: {len(todo) - len(lost)} killed, {len(lost)} survived "
              f"({time.perf_counter() - start:.0f} s)", flush=True)
        for m in lost:
            print(f"  SURVIVED {m.module}:{m.line}  {m.what}", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
