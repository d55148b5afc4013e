"""`make mutate`: mutation testing of the modules that hold the rules, with their own tests.

Each mutant (`partnerapp_infra.mutants`) changes one thing in one module and runs, with
`-x`, the tests that can notice it: a mutant they do not notice "survives". The source tree
is never written to: the runner imports the libraries once, then forks one child per
mutant, and the child imports the mutated module from memory (an import hook) before pytest
imports the tests, so a mutant costs a fork and its tests, not an interpreter start.

A baseline run per group of modules (unmutated, traced) records, test by test, the lines of
those modules each test runs and the classes of theirs it uses, and how long it takes. A
mutant then runs only the tests that reach it: the ones that run its line (a change in a
function body), that use its class or function (a change made at import: a class body, a
decorator, a default), or that use its module at all (other module-level code). A mutant no
test reaches that way survives without running anything ("not covered"). Each
mutant's time limit is five times what its tests took in the baseline, plus the start-up;
a mutant that exceeds it (a loop that never ends) counts as killed and is listed apart.

    python -m partnerapp_infra.mutate [--jobs 2] [--module partnerapp.store.guards ...]
"""

from __future__ import annotations

import argparse
import ast
import enum
import functools
import gc
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import signal
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType, FrameType, ModuleType
from typing import Any

import pytest

from partnerapp_infra.mutants import Mutant, mutants_of, mutated_code

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = ROOT / "functions"

UNIT_RULES = (
    "tests/unit/test_domain.py",
    "tests/unit/test_lifecycle_rules.py",
    "tests/unit/test_management.py",
    "tests/unit/test_feedback.py",
    "tests/unit/test_properties.py",
    "tests/unit/test_article_votes.py",
    "tests/unit/test_summary_periods.py",
    "tests/unit/test_earnings_chart.py",
    "tests/unit/test_wire_numbers.py",
    "tests/unit/test_mail.py",
    "tests/unit/test_bounds.py",
)
MAIL_TESTS = (
    "tests/integration/test_lifecycle.py",
    "tests/integration/test_invitations.py",
    "tests/integration/test_ses_feedback.py",
    "tests/integration/test_mailer_records.py",
    "tests/integration/test_faults.py",
)

# The schemas and most rules are also reached through the routes that use them: these drive
# the handlers in process, against moto (the conformance suite runs curl against a server in
# another process, where no mutant is). Many of them reach every schema, so a mutant runs
# only the quickest of those that reach it (BUDGET_SECONDS); every other test of its
# module's list that reaches it runs.
ROUTE_TESTS = (
    "tests/integration/test_create_license.py",
    "tests/integration/test_rules_and_bad_input.py",
    "tests/integration/test_earnings.py",
    "tests/integration/test_billing_events.py",
    "tests/integration/test_profile.py",
    "tests/integration/test_partners_and_tokens.py",
    "tests/integration/test_webhooks.py",
    "tests/integration/test_invitation_acceptance.py",
    "tests/integration/test_summaries.py",
    "tests/integration/test_solution_section.py",
    "tests/site/test_license_page.py",
    "tests/site/test_article_feedback.py",
)

# Which tests judge which modules (a pattern ending in "/" stands for every module of that
# package): the pure rules by their unit tests, the store and services by integration tests
# against moto. Each mutant runs only those of them that reach it (see the module's doc).
TESTS: dict[str, tuple[str, ...]] = {
    "partnerapp/api/idempotency.py": (
        "tests/integration/test_idempotency_rules.py",
        "tests/integration/test_idempotency.py",
    ),
    "partnerapp/store/guards.py": (
        "tests/integration/test_client_guard.py",
        "tests/integration/test_create_license.py",
        "tests/integration/test_dry_run.py",
    ),
    "partnerapp/services/sign_in.py": ("tests/site/test_sign_in.py",),
    "partnerapp/store/outbox.py": MAIL_TESTS,
    "partnerapp/services/delivery.py": MAIL_TESTS,
    "partnerapp/catalog.py": (
        "tests/unit/test_catalog.py",
        "tests/unit/test_schemas.py",
        *UNIT_RULES,
        *ROUTE_TESTS,
    ),
    "partnerapp/schemas/": (
        "tests/unit/test_schemas.py",
        "tests/unit/test_properties.py",
        "tests/unit/test_license_rows.py",
        "tests/unit/test_wire_numbers.py",
        "tests/unit/test_bounds.py",
        "tests/infra/test_openapi_document.py",
        *ROUTE_TESTS,
    ),
    "partnerapp/domain/": (*UNIT_RULES, *ROUTE_TESTS),
}

# Imported once in the parent, so that forked children start with them loaded; the
# libraries each baseline run imported are added to them. Never the app's own packages:
# each child must import those itself, after the mutated module is in place.
PRELOAD = (
    "boto3",
    "botocore.session",
    "moto",
    "marshmallow",
    "jinja2",
    "yaml",
    "hypothesis",
    "aws_lambda_powertools",
    "pytest",
    "_pytest.assertion.rewrite",
)
OWN = ("partnerapp", "tests.", "conftest", "__main__")
OWN_CODE = tuple(str(ROOT / d) for d in ("functions", "infra", "client", "tests"))
WATCHED_CALLERS = (str(PACKAGE_DIR), str(Path(enum.__file__)))
WATCHED_LIBRARIES = ("marshmallow",)
# A mutant runs the quickest of the route tests that reach it, up to this many seconds of
# their baseline time (see `within_budget`).
BUDGET_SECONDS = 1.5
WRONG_SELECTION = 97  # a child's exit status: a test the baseline ran was not collected


class _MutantLoader(importlib.abc.Loader):
    def __init__(self, code: CodeType) -> None:
        self._code = code

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        exec(self._code, module.__dict__)  # noqa: S102 - the module's own code, mutated  # nosec B102


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


class _Only:
    """A pytest plugin that keeps only the named tests, in the order given (the quickest
    first: with -x, a killed mutant costs its quickest failing test)."""

    def __init__(self, ids: Sequence[str]) -> None:
        self._rank = {test: rank for rank, test in enumerate(ids)}

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        kept = [item for item in items if item.nodeid in self._rank]
        kept.sort(key=lambda item: self._rank[item.nodeid])
        if len(kept) != len(self._rank):
            os._exit(WRONG_SELECTION)
        items[:] = kept


class _Recorder:
    """A pytest plugin and tracer: per test, the lines of the watched files it runs, the
    watched classes whose instances it uses (a marshmallow schema's fields are run by
    marshmallow, a dataclass's `__init__` is generated: their own lines never run), and its
    time. What runs outside a test (imports, collection) is recorded under ""."""

    def __init__(self, modules: dict[str, str]) -> None:
        self._paths = set(modules.values())
        self._modules = modules  # dotted name -> file
        self._current = ""
        self.lines: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        self.classes: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.seconds: dict[str, float] = {}
        self.order: list[str] = []
        self._owners: dict[type, list[tuple[str, str]]] = {}
        self._looked: dict[str, bool] = {}

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, object, object]:
        self._current = item.nodeid
        self.order.append(item.nodeid)
        started = time.monotonic()
        try:
            return (yield)
        finally:
            self.seconds[item.nodeid] = time.monotonic() - started
            self._current = ""

    def trace(self, frame: FrameType, event: str, _: Any) -> Any:
        code = frame.f_code
        if code.co_filename in self._paths:
            self.lines[self._current][code.co_filename].add(frame.f_lineno)
            return self._line
        if code.co_argcount and code.co_varnames[0] == "self" and self._looks_at(code):
            for path, name in self._owners_of(type(frame.f_locals.get("self"))):
                self.classes[self._current][path].add(name)
        return None

    def _looks_at(self, code: CodeType) -> bool:
        """Whether a method's `self` may be one of the watched classes: in the app's code,
        a library that runs classes declared in it (marshmallow's schemas, enum), or code a
        dataclass generated; never the SDK, the emulator or pytest (most of the calls, and
        reading a frame's locals is what makes tracing slow)."""
        looks = self._looked.get(code.co_filename)
        if looks is None:
            looks = code.co_filename.startswith(WATCHED_CALLERS) or code.co_filename == "<string>"
            looks = looks or any(f"{os.sep}{name}{os.sep}" in code.co_filename for name in WATCHED_LIBRARIES)
            self._looked[code.co_filename] = looks
        return looks

    def _line(self, frame: FrameType, event: str, _: Any) -> Any:
        if event == "line":
            self.lines[self._current][frame.f_code.co_filename].add(frame.f_lineno)
        return self._line

    def _owners_of(self, kind: type) -> list[tuple[str, str]]:
        owners = self._owners.get(kind)
        if owners is None:
            owners = [
                (self._modules[c.__module__], c.__qualname__.split(".")[0])
                for c in getattr(kind, "__mro__", ())
                if c.__module__ in self._modules
            ]
            self._owners[kind] = owners
        return owners


def _quiet_pytest(tests: Sequence[str], plugin: object) -> int:
    import hypothesis

    # The same examples in the baseline and in every mutant, and no example database that
    # one mutant's failure would carry into the next run.
    hypothesis.settings.register_profile("mutate", database=None, derandomize=True)
    hypothesis.settings.load_profile("mutate")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    args = [*tests, "-x", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"]
    return int(pytest.main(args, plugins=[plugin]))


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
class Group:
    """Modules judged by the same tests."""

    modules: list[tuple[str, Path]]
    tests: list[str]


@dataclass
class Coverage:
    """What the baseline runs found, test by test."""

    passed: bool = True
    start_up: float = 0.0  # a run's time outside its tests: start-up and collection
    order: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    lines: dict[str, dict[str, set[int]]] = field(default_factory=dict)  # test -> file -> lines
    classes: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # test -> file -> classes
    libraries: set[str] = field(default_factory=set)


def _start_baseline(tests: Sequence[str], modules: dict[str, str], report: Path) -> int:
    def run() -> int:
        import threading

        recorder = _Recorder(modules)
        sys.settrace(recorder.trace)
        threading.settrace(recorder.trace)
        status = _quiet_pytest(tests, recorder)
        sys.settrace(None)
        libraries = sorted(
            name
            for name, module in list(sys.modules.items())
            if not name.startswith(OWN)
            and not str(getattr(module, "__file__", "") or "").startswith(OWN_CODE)
        )
        as_lists = {
            "order": recorder.order,
            "seconds": recorder.seconds,
            "lines": {t: {p: sorted(s) for p, s in files.items()} for t, files in recorder.lines.items()},
            "classes": {t: {p: sorted(s) for p, s in files.items()} for t, files in recorder.classes.items()},
            "libraries": libraries,
        }
        report.write_text(json.dumps(as_lists))
        return status

    return _fork(run)


def shards(tests: Sequence[str], jobs: int) -> list[list[str]]:
    """The test files split into `jobs` runs of about the same length (a test against the
    emulator counts three of a unit test)."""

    def weight(test: str) -> int:
        tests_in_file = (ROOT / test).read_text().count("\ndef test_")
        return tests_in_file * (1 if test.startswith("tests/unit/") else 3)

    runs: list[list[str]] = [[] for _ in range(max(1, jobs))]
    loads = [0] * len(runs)
    for test in sorted(tests, key=weight, reverse=True):
        lightest = loads.index(min(loads))
        runs[lightest].append(test)
        loads[lightest] += weight(test)
    return [run for run in runs if run]


def run_baselines(runs: Sequence[Sequence[str]], modules: dict[str, str]) -> Coverage:
    """The unmutated tests, traced, one child per run at once; what they found, merged."""
    started = time.monotonic()
    running: dict[int, Path] = {}
    for tests in runs:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
            report = Path(out.name)
        running[_start_baseline(tests, modules, report)] = report
    coverage = Coverage()
    start_ups = []
    while running:
        pid, status = os.wait()
        report = running.pop(pid)
        coverage.passed &= os.waitstatus_to_exitcode(status) == 0
        found = json.loads(report.read_text()) if report.stat().st_size else {}
        report.unlink()
        coverage.order += found.get("order", [])
        coverage.seconds.update(found.get("seconds", {}))
        for test, files in found.get("lines", {}).items():
            coverage.lines.setdefault(test, {}).update({p: set(s) for p, s in files.items()})
        for test, files in found.get("classes", {}).items():
            coverage.classes.setdefault(test, {}).update({p: set(s) for p, s in files.items()})
        coverage.libraries.update(found.get("libraries", []))
        took = time.monotonic() - started
        start_ups.append(max(0.0, took - sum(found.get("seconds", {}).values())))
    coverage.start_up = min(start_ups, default=0.0)
    return coverage


def _uses(coverage: Coverage, test: str, path: str, span: tuple[int, int] | None, name: str | None) -> bool:
    """Whether `test` runs a line of `path` within `span` (all of it with no span) or uses
    an instance of class `name` defined there (any of its classes with no name)."""
    lines = coverage.lines.get(test, {}).get(path, set())
    if span is None:
        return bool(lines) or bool(coverage.classes.get(test, {}).get(path))
    if any(span[0] <= line <= span[1] for line in lines):
        return True
    return name is not None and name in coverage.classes.get(test, {}).get(path, set())


def tests_for(
    coverage: Coverage, pool: Sequence[str], mutant: Mutant, spans: dict[str, tuple[int, int]]
) -> list[str]:
    """The tests of `pool` (files) that can notice `mutant`, in the order the baseline ran them."""
    path = str(mutant.path)
    kind, name = mutant.scope
    order = [t for t in coverage.order if t.split("::")[0] in pool]
    if kind == "function":
        return [t for t in order if _uses(coverage, t, path, (mutant.line, mutant.end_line), None)]
    if kind in ("class", "def"):
        users = [t for t in order if _uses(coverage, t, path, spans[name], name if kind == "class" else None)]
        if users:
            return users
    # Module-level code, or a class no test is seen using (whose values another module may
    # still read): every test that uses the module, and every test of a file that imports
    # it (a test that reads a constant runs none of the module's lines). None: the change
    # is never judged.
    return [
        t
        for t in order
        if _uses(coverage, t, path, None, None) or mutant.module in imported_by(t.split("::")[0])
    ]


@functools.cache
def imported_by(test_file: str) -> frozenset[str]:
    """The modules a test file imports by name: `import a.b`, `from a.b import c` (a.b and,
    c being a module or not, a.b.c)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse((ROOT / test_file).read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return frozenset(names)


def _quickest_first(coverage: Coverage, tests: Sequence[str]) -> list[str]:
    return sorted(tests, key=lambda t: coverage.seconds.get(t, 0.0))


def within_budget(coverage: Coverage, tests: Sequence[str], budget: float) -> list[str]:
    """The quickest of `tests` whose baseline times add up to at most `budget` seconds (the
    quickest one always, when there is one): a mutant that survives them is not run on
    slower ones, which keeps a run short however many route tests reach a schema."""
    chosen: list[str] = []
    spent = 0.0
    for test in _quickest_first(coverage, tests):
        spent += coverage.seconds.get(test, 0.0)
        if chosen and spent > budget:
            break
        chosen.append(test)
    return chosen


@dataclass
class Outcome:
    mutant: Mutant
    verdict: str  # killed, timeout, survived, not covered, equivalent, error
    tests: int = 0  # the tests it ran against
    reaching: int = 0  # the tests that reach it (more than it ran when over the budget)


@dataclass
class _Job:
    mutant: Mutant
    tests: list[str]  # the quickest first: -x stops at the first failure
    files: list[str]
    limit: float
    reaching: int


def _start(job: _Job) -> int:
    def run() -> int:
        sys.meta_path.insert(0, _MutantFinder(job.mutant))
        return _quiet_pytest(job.files, _Only(job.tests))

    return _fork(run)


def _verdict(code: int) -> str:
    if code == 0:
        return "survived"
    return "error" if code == WRONG_SELECTION else "killed"


def run_mutants(jobs_to_run: Sequence[_Job], jobs: int) -> Generator[Outcome, None, None]:
    pending = list(jobs_to_run)
    running: dict[int, tuple[_Job, float]] = {}
    while pending or running:
        while pending and len(running) < jobs:
            job = pending.pop(0)
            running[_start(job)] = (job, time.monotonic())
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid:
            job, _ = running.pop(pid)
            verdict = _verdict(os.waitstatus_to_exitcode(status))
            yield Outcome(job.mutant, verdict, len(job.tests), job.reaching)
            continue
        for pid, (job, started) in list(running.items()):
            if time.monotonic() - started > job.limit:
                os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                running.pop(pid)
                yield Outcome(job.mutant, "timeout", len(job.tests), job.reaching)
        time.sleep(0.02)


def plan(group: Group, coverage: Coverage, budget: float) -> tuple[list[Outcome], list[_Job]]:
    """The outcomes known without running (equivalent, not covered) and the mutants to run."""
    known: list[Outcome] = []
    to_run: list[_Job] = []
    for module, path in group.modules:
        mutants, spans = mutants_of(module, path)
        for mutant in mutants:
            if mutant.equivalent:
                known.append(Outcome(mutant, "equivalent"))
                continue
            reaching = tests_for(coverage, group.tests, mutant, spans)
            if not reaching:
                known.append(Outcome(mutant, "not covered"))
                continue
            own = [t for t in reaching if t.split("::")[0] not in ROUTE_TESTS]
            routes = [t for t in reaching if t.split("::")[0] in ROUTE_TESTS]
            tests = _quickest_first(coverage, own) + within_budget(coverage, routes, budget)
            files = list(dict.fromkeys(test.split("::")[0] for test in tests))
            expected = coverage.start_up + sum(coverage.seconds.get(test, 0.0) for test in tests)
            to_run.append(_Job(mutant, tests, files, 10.0 + 5 * expected, len(reaching)))
    return known, to_run


def modules_for(pattern: str) -> list[tuple[str, Path]]:
    base = PACKAGE_DIR / pattern
    paths = (
        sorted(p for p in base.glob("*.py") if p.name != "__init__.py") if pattern.endswith("/") else [base]
    )
    return [(".".join(p.relative_to(PACKAGE_DIR).with_suffix("").parts), p) for p in paths]


def _existing(tests: Sequence[str]) -> list[str]:
    return [t for t in tests if (ROOT / t).exists()]


def _preload(names: Iterable[str]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: S112 - a library that cannot load here is loaded by the child, or not at all  # nosec B112
            continue
    leaked = [name for name in sys.modules if name == "partnerapp" or name.startswith("partnerapp.")]
    assert not leaked, f"the app was imported before forking: {leaked}"
    # What is loaded now lives as long as the children: kept out of their garbage
    # collections (pytest collects several times as it ends, over every object it can reach).
    gc.freeze()


SURVIVING = ("survived", "not covered", "error")


def _tally(outcomes: Sequence[Outcome]) -> tuple[int, int, int, int]:
    """Killed (timeouts included), of them timeouts, judged (all but equivalent), equivalent."""
    killed = sum(o.verdict in ("killed", "timeout") for o in outcomes)
    timeouts = sum(o.verdict == "timeout" for o in outcomes)
    equivalent = sum(o.verdict == "equivalent" for o in outcomes)
    return killed, timeouts, len(outcomes) - equivalent, equivalent


def _where(outcome: Outcome) -> str:
    m = outcome.mutant
    reason = f": {m.equivalent}" if m.equivalent else ""
    if outcome.verdict == "survived" and outcome.reaching > outcome.tests:
        reason = f": the quickest {outcome.tests} of the {outcome.reaching} tests that reach it"
    return f"{m.path.relative_to(ROOT)}:{m.line}: {m.change} ({outcome.verdict}{reason})"


def _score(killed: int, total: int) -> str:
    return f"{100 * killed / total:.0f}%" if total else "no mutants"


def report(results: dict[str, list[Outcome]], seconds: float) -> None:
    print("\nsurvivors:")
    for outcomes in results.values():
        for outcome in outcomes:
            if outcome.verdict in SURVIVING:
                print(f"  {_where(outcome)}")
    print("\ndeclared equivalent (not run):")
    for outcomes in results.values():
        for outcome in outcomes:
            if outcome.verdict == "equivalent":
                print(f"  {_where(outcome)}")
    print("\nscore per module (killed / mutants; equivalent ones not counted):")
    totals = [0, 0, 0, 0]
    for module, outcomes in results.items():
        killed, timeouts, judged, equivalent = _tally(outcomes)
        totals = [a + b for a, b in zip(totals, (killed, timeouts, judged, equivalent), strict=True)]
        extra = f"  ({timeouts} by timeout, {equivalent} equivalent)" if timeouts or equivalent else ""
        print(f"  {module:45} {killed:4} / {judged:<4} {_score(killed, judged):>5}{extra}")
    print(f"  {'all':45} {totals[0]:4} / {totals[2]:<4} {_score(totals[0], totals[2]):>5}")
    print(f"in {seconds:.0f} s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--module", action="append", help="only this module (dotted name)")
    parser.add_argument(
        "--budget",
        type=float,
        default=BUDGET_SECONDS,
        help="seconds of baseline time: a mutant runs the quickest route tests that reach it, up to this",
    )
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    started = time.monotonic()
    _preload(PRELOAD)
    groups = []
    for pattern, tests in TESTS.items():
        modules = [(m, p) for m, p in modules_for(pattern) if not args.module or m in args.module]
        if modules:
            groups.append(Group(modules, _existing(tests)))
    every_test = list(dict.fromkeys(test for group in groups for test in group.tests))
    runs = shards(every_test, args.jobs)
    coverage = run_baselines(runs, {m: str(p) for group in groups for m, p in group.modules})
    if not coverage.passed:
        raise SystemExit(f"the unmutated tests fail: {' '.join(every_test)}")
    _preload(sorted(coverage.libraries))
    print(f"baselines of {len(coverage.order)} tests in {time.monotonic() - started:.0f} s", flush=True)
    results: dict[str, list[Outcome]] = defaultdict(list)
    to_run: list[_Job] = []
    for group in groups:
        known, jobs = plan(group, coverage, args.budget)
        for outcome in known:
            results[outcome.mutant.module].append(outcome)
        to_run += jobs
    to_run.sort(key=lambda job: job.limit, reverse=True)  # the longest first: both cores busy to the end
    print(f"{len(to_run)} mutants to run", flush=True)
    for done, outcome in enumerate(run_mutants(to_run, args.jobs), start=1):
        results[outcome.mutant.module].append(outcome)
        if done % 100 == 0:
            print(f"{done} / {len(to_run)} run, {time.monotonic() - started:.0f} s", flush=True)
        if outcome.verdict in SURVIVING:
            print(f"  survivor {_where(outcome)}", flush=True)
    ordered = {m: sorted(results[m], key=lambda o: o.mutant.index) for g in groups for m, _ in g.modules}
    report(ordered, time.monotonic() - started)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
