"""What the OpenAPI document says about an operation, written on its route.

`@Doc("Create an API token", ...)` above a `@router.post(...)` keeps the operation's summary,
prose and shape beside the code that answers it; the document's builder
(partnerapp_infra/openapi.py) reads it from the route function. Schemas are named as
`"<module>.<Class>"` in `partnerapp.schemas`, not imported: a route imports marshmallow on
its first request, not when the handler loads (a cold start pays only for what it uses).
Field prose is the schema fields' own `metadata={"description": ...}`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

Handler = TypeVar("Handler", bound=Callable[..., Any])

# The attribute on a route function: {Flask-style path or None (every path): its Doc}.
ATTRIBUTE = "openapi_docs"


@dataclass(frozen=True)
class OtherSuccess:
    """A second success answer of one operation (e.g. a create's dry run: 200, not 201)."""

    status: int
    description: str
    response: str


@dataclass(frozen=True)
class Doc:
    """What the code cannot say about one operation: its summary and which schemas it reads."""

    summary: str
    description: str = ""
    body: str | None = None
    query: str | None = None
    success: int = 200
    success_description: str = "Done."
    # The success body's marshmallow schema: the route dumps its answer through it, and the
    # document states it from the same class.
    response: str | None = None
    response_many: bool = False
    # The success answer has no payload (204, or a 201/202 with none).
    no_body: bool = False
    # The success answer is a file, not JSON (`text/csv`, `application/pdf`).
    media: str | None = None
    public: bool = False
    errors: tuple[int, ...] = (400, 401, 404)
    # Honours an Idempotency-Key (the route runs its change through api/idempotency.once).
    idempotent: bool = False
    also: tuple[OtherSuccess, ...] = ()
    # Path parameters' prose, by name (a body's or query's is on its schema's fields).
    parameters: Mapping[str, str] = field(default_factory=dict)
    # Set when one function serves two paths that are documented apart: the one this is for.
    path: str | None = None

    def __call__(self, handler: Handler) -> Handler:
        docs: dict[str | None, Doc] = handler.__dict__.setdefault(ATTRIBUTE, {})
        docs[self.path] = self
        return handler


def doc_of(handler: Callable[..., Any], path: str) -> Doc | None:
    """The Doc of `handler` for one of its Flask-style paths, if it has one."""
    docs: dict[str | None, Doc] = getattr(handler, ATTRIBUTE, {})
    return docs.get(path, docs.get(None))
