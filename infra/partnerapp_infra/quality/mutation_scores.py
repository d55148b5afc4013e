"""`make mutate`'s scores by module, from mutmut's per-mutant results.

mutmut (configured in pyproject.toml, [tool.mutmut]) reports each mutant on its own
(`mutmut results --all true`) and one total (`mutmut export-cicd-stats`), not a score per
module: this reads the first and prints, per mutated module, how many mutants the tests
killed and the ones that survived, by name (`mutmut show NAME` prints a mutant's diff).

    python -m partnerapp_infra.quality.mutation_scores   # in the directory mutmut ran in (build/mutmut)
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable

# `    partnerapp.domain.money.x_percent_of__mutmut_3: survived`; a method's mutant is named
# `xǁClassǁmethod__mutmut_N` after its module.
RESULT = re.compile(r"^\s*(?P<module>[\w.]+?)\.x[_ǁ](?P<rest>\S+): (?P<status>.+)$")
# What counts as found: a test failed, or the mutant ran out of time (a loop that never ends).
FOUND = frozenset({"killed", "timeout", "caught by type check"})
# Not judged: the run did not get to it. A mutant no test reaches ("no tests") counts against
# the score, as in mutmut's own badge: nothing would notice that change.
UNJUDGED = frozenset({"not checked", "skipped"})


def by_module(lines: Iterable[str]) -> dict[str, Counter[str]]:
    """Each module's mutants counted by mutmut's status."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for line in lines:
        found = RESULT.match(line)
        if found:
            counts[found["module"]][found["status"].strip()] += 1
    return dict(counts)


def score(counts: Counter[str]) -> float | None:
    """Found out of judged, in percent; None when no mutant of the module was judged."""
    judged = sum(n for status, n in counts.items() if status not in UNJUDGED)
    if not judged:
        return None
    return 100 * sum(counts[status] for status in FOUND) / judged


def table(modules: dict[str, Counter[str]]) -> str:
    lines = [f"{'module':<44} {'mutants':>7} {'killed':>7} {'survived':>8} {'no tests':>8} {'score':>6}"]
    # "killed" here is every found mutant (killed, timed out, caught by the type check).
    for module, counts in sorted(modules.items()):
        found = sum(counts[status] for status in FOUND)
        value = score(counts)
        shown = "-" if value is None else f"{value:.0f}%"
        lines.append(
            f"{module:<44} {sum(counts.values()):>7} {found:>7} {counts['survived']:>8} "
            f"{counts['no tests']:>8} {shown:>6}"
        )
    return "\n".join(lines)


def main() -> int:
    command = [sys.executable, "-m", "mutmut", "results", "--all", "true"]
    answer = subprocess.run(command, capture_output=True, text=True, check=False)
    if answer.returncode != 0:
        print(answer.stderr or answer.stdout, file=sys.stderr)
        return answer.returncode
    modules = by_module(answer.stdout.splitlines())
    if not modules:
        print("No mutmut results here: run `make mutate` (or `mutmut run`) first.", file=sys.stderr)
        return 1
    print(table(modules))
    return 0


if __name__ == "__main__":
    sys.exit(main())
