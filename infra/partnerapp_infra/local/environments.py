"""Many Lambda execution environments at once, locally.

In one process a function's handler is called by one thread at a time (`gateway.invoke`).
Real concurrency, many environments at once against the same tables, is a pool of worker
processes (`EnvironmentPool`), each one environment of the API function with its own
gateway; the concurrency tests and `make bench` use it against moto run as a server.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor

from partnerapp_infra.local.apigw import HttpRequest, HttpResponse
from partnerapp_infra.local.gateway import LocalGateway

# This worker process's gateway (None in the parent).
_gateway: LocalGateway | None = None


def _start_environment(environment: Mapping[str, str], quiet: bool) -> None:
    from partnerapp_infra.local import faults

    global _gateway
    if quiet:  # the handlers' JSON logs and metrics go to standard output: nowhere, here
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.environ.update(environment)
    faults.install_from_environment()  # `make soak` loses some write answers here
    _gateway = LocalGateway()


def _handle(request: HttpRequest) -> tuple[HttpResponse, float]:
    assert _gateway is not None, "called in a worker, after _start_environment"
    started = time.perf_counter()
    answer = _gateway.handle(request)
    return answer, time.perf_counter() - started


def _ready(_: int) -> int:
    return os.getpid()


class EnvironmentPool:
    """`size` execution environments of the API, each a process calling the handler through
    its own local gateway, with `environment` (which must point AWS_ENDPOINT_URL at an
    emulator every process can reach); `quiet` drops what the handlers print."""

    def __init__(self, size: int, environment: Mapping[str, str], quiet: bool = False) -> None:
        # spawn, not fork: the parent runs threads (moto's server) that a fork would copy mid-step.
        self._pool = ProcessPoolExecutor(
            max_workers=size,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_environment,
            initargs=(dict(environment), quiet),
        )
        self.size = size
        # Start every process now, so start-up is not counted as the first requests' latency.
        list(self._pool.map(_ready, range(size)))

    def handle_all(self, requests: Iterable[HttpRequest]) -> list[tuple[HttpResponse, float]]:
        """Each request's answer and the seconds its handler took, in the requests' order;
        the requests are spread over the environments and run at the same time."""
        return list(self._pool.map(_handle, requests))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> EnvironmentPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
