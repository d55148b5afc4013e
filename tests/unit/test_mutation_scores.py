"""`make mutate`'s table: mutmut's per-mutant results (`mutmut results --all true`, as it
prints them) counted and scored by module."""

from __future__ import annotations

from partnerapp_infra.quality.mutation_scores import by_module, table

RESULTS = """\
    partnerapp.domain.money.x_percent_of__mutmut_1: killed
    partnerapp.domain.money.x_percent_of__mutmut_2: killed
    partnerapp.domain.money.x_percent_of__mutmut_3: timeout
    partnerapp.domain.money.x_percent_of__mutmut_10: survived
    partnerapp.domain.money.x_dollars_text__mutmut_1: no tests
    partnerapp.domain.delivery.xǁRetryPolicyǁdelay_after__mutmut_1: killed
    partnerapp.domain.delivery.xǁRetryPolicyǁdelay_after__mutmut_2: not checked
    partnerapp.catalog.x_partner_manages__mutmut_1: not checked
"""


def test_each_module_is_scored_on_the_mutants_the_run_judged() -> None:
    shown = table(by_module(RESULTS.splitlines())).splitlines()
    assert shown[0].split() == ["module", "mutants", "killed", "survived", "no", "tests", "score"]
    rows = {line.split()[0]: line.split()[1:] for line in shown[1:]}
    # found 3 (2 killed, 1 timeout) of 5: the survivor and the one no test reaches count against it
    assert rows["partnerapp.domain.money"] == ["5", "3", "1", "1", "60%"]
    # a method's mutant counts for its module; a mutant not yet run is not judged
    assert rows["partnerapp.domain.delivery"] == ["2", "1", "0", "0", "100%"]
    assert rows["partnerapp.catalog"] == ["1", "0", "0", "0", "-"]
    assert list(rows) == sorted(rows)
