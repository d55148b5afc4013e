"""A local API Gateway: match a request to a template route and call that function's
Lambda handler with a real-shaped HTTP API event.

Lambda hands an execution environment one event at a time, and the handlers rely on it:
powertools' resolver keeps the current event on a class attribute, the logger its correlation
id, metrics their buffer. So, in one process, a function's handler is called by one thread at
a time (`invoke`); many environments at once are `environments.EnvironmentPool`.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from partnerapp_infra.aws import template
from partnerapp_infra.local.apigw import HttpRequest, HttpResponse, build_event, read_result
from partnerapp_infra.local.lambda_context import LocalLambdaContext

NOT_FOUND = HttpResponse(404, {"content-type": "application/json"}, [], b'{"message":"Not Found"}')

_locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
_locks_lock = threading.Lock()


def invoke(function: str, event: Mapping[str, Any]) -> Any:
    """Call `function`'s handler (its logical id in the template) with `event`, waiting while
    another thread of this process is inside it."""
    with _locks_lock:
        lock = _locks[function]
    with lock:
        handler = template.resolve_handler(template.function_handler_path(function))
        return handler(dict(event), LocalLambdaContext())


@dataclass(frozen=True)
class _CompiledRoute:
    route: template.Route
    pattern: re.Pattern[str]


def _compile(route: template.Route) -> _CompiledRoute:
    regex = ""
    for literal, name, greedy in re.findall(r"([^{]*)(?:\{(\w+)(\+?)\})?", route.path):
        regex += re.escape(literal)
        if name:
            regex += f"(?P<{name}>.+)" if greedy else f"(?P<{name}>[^/]+)"
    return _CompiledRoute(route, re.compile(f"^{regex}$"))


class LocalGateway:
    def __init__(self) -> None:
        self._routes = [_compile(r) for r in template.http_routes()]
        self._fallbacks = [_compile(r) for r in template.fallback_routes()]

    def match(self, method: str, path: str) -> tuple[template.Route, dict[str, str]] | None:
        # Literal routes win over parameterised ones, as in API Gateway.
        candidates = sorted(self._routes, key=lambda c: c.route.path.count("{"))
        for compiled in candidates:
            found = compiled.pattern.match(path)
            if found and compiled.route.method in (method, "ANY"):
                return compiled.route, found.groupdict()
        return None

    def fallback(self, path: str) -> tuple[template.Route, dict[str, str]] | None:
        """The catch-all route for a request no operation matched (API Gateway's order)."""
        for compiled in self._fallbacks:
            found = compiled.pattern.match(path)
            if found:
                return compiled.route, found.groupdict()
        return None

    def handle(self, request: HttpRequest) -> HttpResponse:
        matched = self.match(request.method, request.path) or self.fallback(request.path)
        if matched is None:
            return NOT_FOUND
        route, parameters = matched
        request.path_parameters = parameters
        event = build_event(route, request)
        return read_result(invoke(route.function, event))
