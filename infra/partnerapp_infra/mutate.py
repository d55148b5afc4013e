"""`make mutate`: mutation testing of the modules that hold the rules, with their own tests.

Each mutant changes one thing in one module (a comparison, an arithmetic or boolean
operator, a number, a truth value, a negated condition) and runs that module's tests with
`-x`: a mutant the tests do not notice "survives". The source tree is never written to: the
runner imports the heavy libraries once, then forks one child per mutant, and the child
imports the mutated module from memory (an import hook) before pytest imports the tests, so
every mutant costs a fork and the tests, not an interpreter start.

A baseline run per module (unmutated, traced) records which lines its tests execute: a
mutant on a line they never reach survives without running them.

    python -m partnerapp_infra.mutate [--jobs 2] [--module partnerapp.store.guards ...]
"""

from __future__ import annotations

import argparse
import ast
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType, FrameType, ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = ROOT / "functions"

UNIT_RULES = (
    "tests/unit/test_domain.py",
    "tests/unit/test_lifecycle_rules.py",
    "tests/unit/test_management.py",
    "tests/unit/test_feedback.py",
    "tests/unit/test_properties.py",
)
MAIL_TESTS = ("tests/integration/test_lifecycle.py", "tests/integration/test_invitations.py")

# Which tests judge which modules: the fast, closest ones first (-x stops at the first
# failure), and few enough that a mutant the tests miss costs seconds, not minutes (the pure
# rules by their unit tests, the store and services by integration tests against moto). A
# pattern ending in "/" stands for every module of that package. The modules whose mutants
# must all die come first.
TESTS: dict[str, tuple[str, ...]] = {
    "partnerapp/api/idempotency.py": (
        "tests/integration/test_idempotency_rules.py",
        "tests/integration/test_idempotency.py",
    ),
    "partnerapp/store/guards.py": (
        "tests/integration/test_client_guard.py",
        "tests/integration/test_create_license.py",
    ),
    "partnerapp/services/sign_in.py": ("tests/site/test_sign_in.py",),
    "partnerapp/store/outbox.py": MAIL_TESTS,
    "partnerapp/services/delivery.py": MAIL_TESTS,
    "partnerapp/catalog.py": ("tests/unit/test_catalog.py", "tests/unit/test_properties.py"),
    "partnerapp/schemas/": (
        "tests/unit/test_schemas.py",
        "tests/unit/test_properties.py",
        "tests/integration/test_rules_and_bad_input.py",
    ),
    "partnerapp/domain/": UNIT_RULES,
}

# Imported once in the parent, so that forked children start with them loaded. Never the
# app's own packages: each child must import those itself, after the mutated module is in place.
PRELOAD = (
    "boto3",
    "botocore.session",
    "moto",
    "moto.dynamodb.models",
    "moto.ses.models",
    "moto.sesv2.models",
    "moto.kms.models",
    "moto.secretsmanager.models",
    "marshmallow",
    "jinja2",
    "yaml",
    "hypothesis",
    "aws_lambda_powertools",
    "aws_lambda_powertools.utilities.idempotency",
    "cfnlint",
    "pytest",
    "_pytest.assertion.rewrite",
)

COMPARE_SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
BINOP_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.FloorDiv,
    ast.FloorDiv: ast.Mult,
    ast.Div: ast.Mult,
}


@dataclass(frozen=True)
class Mutant:
    module: str
    path: Path
    index: int
    line: int
    end_line: int
    change: str


class Mutator(ast.NodeTransformer):
    """Walks a module in a fixed order, numbering every place it can change; with `target`
    set, it changes that one place. Annotations, docstrings, strings, log calls and
    `if TYPE_CHECKING:` blocks are left alone: changing them changes no behaviour."""

    def __init__(self, target: int | None = None) -> None:
        self.target = target
        self.points: list[tuple[int, int, str]] = []

    def _point(self, node: ast.AST, change: str) -> bool:
        line: int = getattr(node, "lineno", 0)
        self.points.append((line, getattr(node, "end_lineno", None) or line, change))
        return len(self.points) - 1 == self.target

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        # Everything but the annotations.
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        node.args.defaults = [self.visit(d) for d in node.args.defaults]
        node.args.kw_defaults = [self.visit(d) if d is not None else None for d in node.args.kw_defaults]
        node.body = [self.visit(s) for s in node.body]
        return node

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        if node.value is not None:
            node.value = self.visit(node.value)
        return node

    def visit_If(self, node: ast.If) -> ast.AST:
        if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return node
        if self._point(node.test, "negate the condition"):
            node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
            return node
        return self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "logger":
            return node
        return self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return node  # a docstring
        return self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        for position, op in enumerate(node.ops):
            swap = COMPARE_SWAPS.get(type(op))
            if swap and self._point(node, f"{type(op).__name__} -> {swap.__name__}"):
                node.ops[position] = swap()
                return node
        return self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        swap = BINOP_SWAPS.get(type(node.op))
        string_format = isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)
        if swap and not string_format and self._point(node, f"{type(node.op).__name__} -> {swap.__name__}"):
            node.op = swap()
            return node
        return self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        swap = BINOP_SWAPS.get(type(node.op))
        if swap and self._point(node, f"{type(node.op).__name__}= -> {swap.__name__}="):
            node.op = swap()
            return node
        return self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        swap: ast.boolop = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        if self._point(node, f"{type(node.op).__name__} -> {type(swap).__name__}"):
            node.op = swap
            return node
        return self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        if isinstance(node.op, ast.Not) and self._point(node, "drop `not`"):
            return node.operand
        return self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        value = node.value
        if isinstance(value, bool):
            if self._point(node, f"{value} -> {not value}"):
                return ast.Constant(value=not value)
        elif isinstance(value, int | float) and self._point(node, f"{value} -> {value + 1}"):
            return ast.Constant(value=value + 1)
        return node


def mutants_of(module: str, path: Path) -> list[Mutant]:
    mutator = Mutator()
    mutator.visit(ast.parse(path.read_text(), str(path)))
    return [
        Mutant(module, path, n, line, end, change) for n, (line, end, change) in enumerate(mutator.points)
    ]


def mutated_code(mutant: Mutant) -> CodeType:
    tree = Mutator(mutant.index).visit(ast.parse(mutant.path.read_text(), str(mutant.path)))
    return compile(ast.fix_missing_locations(tree), str(mutant.path), "exec")


class _MutantLoader(importlib.abc.Loader):
    def __init__(self, code: CodeType) -> None:
        self._code = code

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        exec(self._code, module.__dict__)  # noqa: S102 - the module's own code, mutated


class _MutantFinder(importlib.abc.MetaPathFinder):
    """Serves one module from the mutated code; every other import is left to Python."""

    def __init__(self, mutant: Mutant) -> None:
        self._mutant = mutant
        self._code = mutated_code(mutant)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != self._mutant.module:
            return None
        return importlib.util.spec_from_file_location(
            fullname, self._mutant.path, loader=_MutantLoader(self._code)
        )


def _pytest_in_child(tests: Sequence[str]) -> int:
    import pytest

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    return int(pytest.main([*tests, "-x", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"]))


def _trace_lines(lines: dict[str, set[int]]) -> Any:
    """A tracer that notes the lines run in the files named by `lines`' keys."""

    def calls(frame: FrameType, event: str, _: Any) -> Any:
        seen = lines.get(frame.f_code.co_filename)
        if seen is None:
            return None
        seen.add(frame.f_lineno)

        def local(frame: FrameType, event: str, _: Any) -> Any:
            if event == "line":
                seen.add(frame.f_lineno)
            return local

        return local

    return calls


def _fork(run: Any) -> int:
    pid = os.fork()
    if pid == 0:
        os.setpgid(0, 0)
        status = 3
        try:
            status = run()
        finally:
            os._exit(status)
    return pid


@dataclass
class Baseline:
    passed: bool
    seconds: float
    lines: dict[str, set[int]] = field(default_factory=dict)


def baseline(paths: Sequence[Path], tests: Sequence[str]) -> Baseline:
    """The unmutated tests, traced: whether they pass, how long they take, which lines of
    `paths` they run."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        report = Path(out.name)

    def run() -> int:
        import threading

        lines: dict[str, set[int]] = {str(p): set() for p in paths}
        tracer = _trace_lines(lines)
        sys.settrace(tracer)
        threading.settrace(tracer)
        status = _pytest_in_child(tests)
        sys.settrace(None)
        report.write_text(json.dumps({p: sorted(seen) for p, seen in lines.items()}))
        return status

    started = time.monotonic()
    _, status = os.waitpid(_fork(run), 0)
    seconds = time.monotonic() - started
    traced = json.loads(report.read_text()) if report.stat().st_size else {}
    report.unlink()
    lines = {p: set(seen) for p, seen in traced.items()}
    return Baseline(os.waitstatus_to_exitcode(status) == 0, seconds, lines)


@dataclass
class Outcome:
    mutant: Mutant
    verdict: str  # killed, timeout, survived, not covered


def _run_mutants(mutants: list[Mutant], tests: Sequence[str], timeout: float, jobs: int) -> Iterator[Outcome]:
    pending = list(mutants)
    running: dict[int, tuple[Mutant, float]] = {}
    while pending or running:
        while pending and len(running) < jobs:
            mutant = pending.pop(0)

            def run(mutant: Mutant = mutant) -> int:
                sys.meta_path.insert(0, _MutantFinder(mutant))
                return _pytest_in_child(tests)

            running[_fork(run)] = (mutant, time.monotonic())
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid:
            mutant, _ = running.pop(pid)
            code = os.waitstatus_to_exitcode(status)
            yield Outcome(mutant, "survived" if code == 0 else "killed")
            continue
        for pid, (mutant, started) in list(running.items()):
            if time.monotonic() - started > timeout:
                os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                running.pop(pid)
                yield Outcome(mutant, "timeout")
        time.sleep(0.02)


def _covered(mutant: Mutant, lines: set[int]) -> bool:
    return any(line in lines for line in range(mutant.line, mutant.end_line + 1))


def modules_for(pattern: str) -> list[tuple[str, Path]]:
    base = PACKAGE_DIR / pattern
    paths = (
        sorted(p for p in base.glob("*.py") if p.name != "__init__.py") if pattern.endswith("/") else [base]
    )
    return [(".".join(p.relative_to(PACKAGE_DIR).with_suffix("").parts), p) for p in paths]


def _existing(tests: Sequence[str]) -> list[str]:
    return [t for t in tests if (ROOT / t).exists()]


def mutate_group(
    modules: Sequence[tuple[str, Path]], tests: Sequence[str], jobs: int
) -> dict[str, list[Outcome]]:
    """Every mutant of `modules`, judged by `tests` (one traced baseline for the group)."""
    base = baseline([path for _, path in modules], tests)
    if not base.passed:
        raise SystemExit(f"the unmutated tests fail: {' '.join(tests)}")
    timeout = max(20.0, 2 * base.seconds)
    results: dict[str, list[Outcome]] = {}
    for module, path in modules:
        mutants = mutants_of(module, path)
        lines = base.lines.get(str(path), set())
        outcomes = [Outcome(m, "not covered") for m in mutants if not _covered(m, lines)]
        covered = [m for m in mutants if _covered(m, lines)]
        outcomes += list(_run_mutants(covered, tests, timeout, jobs))
        results[module] = sorted(outcomes, key=lambda o: o.mutant.index)
        print(f"{module}: {_score(*_tally(results[module]))}", flush=True)
        for outcome in results[module]:
            if outcome.verdict in ("survived", "not covered"):
                print(f"  survivor {_where(outcome)}", flush=True)
    return results


def _tally(outcomes: Sequence[Outcome]) -> tuple[int, int]:
    return sum(o.verdict in ("killed", "timeout") for o in outcomes), len(outcomes)


def _preload() -> None:
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
    leaked = [name for name in sys.modules if name == "partnerapp" or name.startswith("partnerapp.")]
    assert not leaked, f"the app was imported before forking: {leaked}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--module", action="append", help="only this module (dotted name)")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    _preload()
    started = time.monotonic()
    results: dict[str, list[Outcome]] = {}
    for pattern, tests in TESTS.items():
        modules = [(m, p) for m, p in modules_for(pattern) if not args.module or m in args.module]
        if modules:
            results.update(mutate_group(modules, _existing(tests), args.jobs))
    rows = [(module, *_tally(outcomes)) for module, outcomes in results.items()]
    survivors = [
        o for outcomes in results.values() for o in outcomes if o.verdict in ("survived", "not covered")
    ]
    print("\nsurvivors:")
    for outcome in survivors:
        print(f"  {_where(outcome)}")
    print("\nscore per module (killed / mutants):")
    for module, killed, total in rows:
        print(f"  {module:45} {killed:4} / {total:<4} {_score(killed, total)}")
    killed_all, total_all = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"  {'all':45} {killed_all:4} / {total_all:<4} {_score(killed_all, total_all)}")
    print(f"in {time.monotonic() - started:.0f} s")
    return 0


def _where(outcome: Outcome) -> str:
    m = outcome.mutant
    return f"{m.path.relative_to(ROOT)}:{m.line}: {m.change} ({outcome.verdict})"


def _score(killed: int, total: int) -> str:
    return f"{100 * killed / total:.0f}%" if total else "no mutants"


if __name__ == "__main__":
    raise SystemExit(main())
