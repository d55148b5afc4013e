"""Lambda SnapStart's runtime hooks for the API function (template.yaml: SnapStart on its
published versions, the HTTP API invoking their alias).

Lambda initialises a published version once: it imports the handler module, runs
`before_snapshot`, snapshots the environment, and resumes every new environment of that
version from the snapshot, running `after_restore` first. So the init does everything a first
request would (partnerapp.api.warm_up.prime) and no partner's request pays for it; and each
restored environment renews what it must not share with the others (partnerapp.per_environment:
random's state, the SDK session with its credentials and connections, the secrets read before
the snapshot, per-environment state other modules register), then rebuilds its clients.

Outside SnapStart (an on-demand init, the dev server, the tests) nothing runs at import: the
first request builds what it needs, lazily, and the import stays cheap (`make bench`).

`snapshot_restore_py` is part of Lambda's Python managed runtimes (not packaged with the
functions); the dev tools install the same release.
"""

from __future__ import annotations

from snapshot_restore_py import register_after_restore, register_before_snapshot

from partnerapp import per_environment


@register_before_snapshot
def before_snapshot() -> None:
    from partnerapp.api import warm_up

    warm_up.prime()


@register_after_restore
def after_restore() -> None:
    from partnerapp.api import warm_up

    per_environment.forget_all()
    warm_up.reconnect()
