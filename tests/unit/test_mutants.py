"""The mutants `make mutate` makes: where each change sits (which decides the tests that
judge it), what is never changed, and the declarations of equivalent changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnerapp_infra.mutants import mutants_of, mutated_code

SOURCE = '''\
"""A docstring: never changed."""
from aws_lambda_powertools import Logger

logger = Logger(child=True)
LIMIT = 3


def pick(value: int = 2) -> bool:
    logger.info("picked", extra={"n": 1})
    return value < LIMIT


class Rule:
    size = 4

    def fits(self, n: int) -> bool:
        return n <= self.size
'''


def _write(tmp_path: Path, source: str) -> Path:
    path = tmp_path / "sample.py"
    path.write_text(source)
    return path


def test_each_change_knows_where_it_sits_and_logging_is_left_alone(tmp_path: Path) -> None:
    mutants, spans = mutants_of("sample", _write(tmp_path, SOURCE))
    assert [(m.line, m.change, m.scope) for m in mutants] == [
        (5, "3 -> 4", ("module", "")),
        (8, "2 -> 3", ("def", "pick")),
        (10, "Lt -> LtE", ("function", "")),
        (14, "4 -> 5", ("class", "Rule")),
        (17, "LtE -> Lt", ("function", "")),
    ]
    assert spans == {"pick": (8, 10), "Rule": (13, 17)}


def test_a_mutant_changes_its_one_place(tmp_path: Path) -> None:
    mutants, _ = mutants_of("sample", _write(tmp_path, SOURCE))
    namespace: dict[str, object] = {"__name__": "sample"}
    exec(mutated_code(mutants[2]), namespace)  # noqa: S102 - the sample's own code
    pick = namespace["pick"]
    assert callable(pick) and pick(3) is True  # 3 <= LIMIT now


def test_a_declared_equivalent_change_carries_its_reason(tmp_path: Path) -> None:
    source = SOURCE.replace(
        "LIMIT = 3", "# mutate-equivalent: 3 -> 4 -- only ever compared\n# with values below 3\nLIMIT = 3"
    ).replace("return n <= self.size", "return n <= self.size  # mutate-equivalent: LtE -> Lt -- n < 4")
    mutants, _ = mutants_of("sample", _write(tmp_path, source))
    declared = {(m.change, m.equivalent) for m in mutants if m.equivalent}
    assert declared == {("3 -> 4", "only ever compared with values below 3"), ("LtE -> Lt", "n < 4")}


def test_a_declaration_naming_no_change_of_its_line_is_an_error(tmp_path: Path) -> None:
    source = SOURCE.replace("LIMIT = 3", "LIMIT = 3  # mutate-equivalent: Lt -> LtE -- stale")
    with pytest.raises(SystemExit, match="no mutant there is `Lt -> LtE`"):
        mutants_of("sample", _write(tmp_path, source))
