"""What every job does with an item that raised: the reason it keeps, and the metric that
makes a dead letter visible to the operator (template.yaml's JobDeadLettersAlarm watches it).

A job takes its items one at a time, so one bad item (a header the email library refuses, a
template error) costs that item an attempt and never the items after it.
"""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit, single_metric

DEAD_LETTER_METRIC = "JobItemDeadLettered"
REASON_LENGTH = 300


def reason_of(error: Exception) -> str:
    """`Type: message`, short: kept on the item; its type alone is what is logged (the
    message may quote what the item holds, such as an address)."""
    return f"{type(error).__name__}: {error}"[:REASON_LENGTH]


def count_dead_letter() -> None:
    """One item given up for good: emitted at once (EMF), whatever the handler flushes."""
    with single_metric(name=DEAD_LETTER_METRIC, unit=MetricUnit.Count, value=1):
        pass
