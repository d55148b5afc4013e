"""The progress bar of an import (rich): rows done, created, refused and the time left.
Shown only on a terminal, never with --quiet, so scripts and logs get no control codes."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from partnerapp.schemas import license_rows
from partnerapp.schemas.license_rows import Outcome


class ImportProgress:
    def __init__(self, total: int, *, dry_run: bool, quiet: bool, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.shown = not quiet and self.console.is_terminal
        made = "would create" if dry_run else "created"
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("rows · {task.fields[created]} " + made),
            TextColumn("· {task.fields[existed]} existed · {task.fields[refused]} refused"),
            TextColumn("· ETA"),
            TimeRemainingColumn(),
            console=self.console,
            disable=not self.shown,
            transient=False,
        )
        self._counts = {"created": 0, "existed": 0, "refused": 0}
        self._task = self._progress.add_task(
            "Dry run" if dry_run else "Import", total=total, created=0, existed=0, refused=0
        )

    def __enter__(self) -> ImportProgress:
        self._progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._progress.stop()

    def row_done(self, outcome: Outcome) -> None:
        if outcome.status in (license_rows.CREATED, license_rows.WOULD_CREATE):
            self._counts["created"] += 1
        elif outcome.status == license_rows.EXISTED:
            self._counts["existed"] += 1
        elif outcome.status != license_rows.NOT_RUN:
            self._counts["refused"] += 1
        counts = self._counts
        self._progress.update(
            self._task,
            advance=1,
            created=counts["created"],
            existed=counts["existed"],
            refused=counts["refused"],
        )
