"""What one execution environment must not share with another.

Under Lambda SnapStart every environment of a published version resumes from one memory
snapshot: whatever the process held when the snapshot was taken, each of them holds too. Most
of it is meant to be shared (imported code, settings, the services' models, compiled
templates), but not what must be unique or fresh per environment: `random`'s state (botocore's
retry jitter draws from it: copies would back off in step), SDK sessions with their cached
credentials and open connections, secrets read at snapshot time, and any per-environment
identity or allowance a module keeps in memory.

A module that keeps such state registers how to forget it, at import:

    per_environment.register(_allowances.clear)

and the after-restore hook (partnerapp.handlers.snapstart) calls `forget_all()` in each
restored environment, before it serves anything. A module never imported holds nothing to
forget. `secrets`, `uuid.uuid4` and `os.urandom` keep no state in the process (each call asks
the kernel): they need nothing here.

This module imports only the standard library: the handler imports it at cold start.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TypeVar

Forget = Callable[[], object]
F = TypeVar("F", bound=Forget)

# `random.seed()` without an argument reseeds from os.urandom: a state of this environment's own.
_forgetters: list[Forget] = [random.seed]


def register(forget: F) -> F:
    """Call `forget` in every environment restored from a snapshot (returns it: a decorator)."""
    if forget not in _forgetters:
        _forgetters.append(forget)
    return forget


def forget_all() -> None:
    """Drop every registered piece of per-environment state, in the order registered."""
    for forget in list(_forgetters):
        forget()


def registered() -> tuple[Forget, ...]:
    return tuple(_forgetters)
