"""The mutants of one module for `make mutate`: every place a one-token change can be made
(a comparison, an arithmetic or boolean operator, a number, a truth value, a condition),
numbered in a fixed order, and the module's code with one of them changed.

Each place also carries its scope, which tells the runner which tests can notice it: a
change inside a function body matters only to the tests that run that line; a change in a
class body, a decorator or a default is made once, at import, and matters to every test
that uses that class or function; one in other module-level code, to every test that uses
the module.

A change that cannot alter behaviour is declared on its line (or on comment lines just
above it), with the change it names and the reason, and is reported as equivalent rather
than run:

    if attempt > 0:  # mutate-equivalent: Gt -> GtE -- attempt 0 never reaches this check

A declaration that names no change of its line is an error, so one cannot outlive the code
it was written for.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from types import CodeType

COMPARE_SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
BINOP_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.FloorDiv,
    ast.FloorDiv: ast.Mult,
    ast.Div: ast.Mult,
}
EQUIVALENT = re.compile(r"#\s*mutate-equivalent:\s*(?P<change>.+?)\s+--\s+(?P<reason>\S.*)$")

# Where a change sits: ("function", "") in a function or lambda body; ("class", name) in
# the body of top-level class `name`; ("def", name) in top-level function `name`'s
# decorators or defaults; ("module", "") anywhere else.
Scope = tuple[str, str]


@dataclass(frozen=True)
class Mutant:
    module: str
    path: Path
    index: int
    line: int
    end_line: int
    change: str
    scope: Scope
    equivalent: str | None = None  # the declared reason, for a change that cannot matter


class Mutator(ast.NodeTransformer):
    """Walks a module in a fixed order, numbering every place it can change; with `target`
    set, it changes that one place. Annotations, docstrings, strings, logging and
    `if TYPE_CHECKING:` blocks are left alone: changing them changes no behaviour."""

    def __init__(self, target: int | None = None) -> None:
        self.target = target
        self.points: list[tuple[int, int, str, Scope]] = []
        self.spans: dict[str, tuple[int, int]] = {}
        self._scope: Scope = ("module", "")

    def _point(self, node: ast.AST, change: str) -> bool:
        line: int = getattr(node, "lineno", 0)
        self.points.append((line, getattr(node, "end_lineno", None) or line, change, self._scope))
        return len(self.points) - 1 == self.target

    def _span(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        self.spans[node.name] = (start, node.end_lineno or node.lineno)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        # Everything but the annotations; decorators and defaults are evaluated where the
        # function is defined, its body when it is called.
        outer = self._scope
        if outer == ("module", ""):
            self._span(node)
            self._scope = ("def", node.name)
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        node.args.defaults = [self.visit(d) for d in node.args.defaults]
        node.args.kw_defaults = [self.visit(d) if d is not None else None for d in node.args.kw_defaults]
        self._scope = ("function", "")
        node.body = [self.visit(s) for s in node.body]
        self._scope = outer
        return node

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        node.args = self.visit(node.args)
        outer, self._scope = self._scope, ("function", "")
        node.body = self.visit(node.body)
        self._scope = outer
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        if self._scope != ("module", ""):
            return self.generic_visit(node)
        self._span(node)
        outer, self._scope = self._scope, ("class", node.name)
        try:
            return self.generic_visit(node)
        finally:
            self._scope = outer

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        if node.value is not None:
            node.value = self.visit(node.value)
        return node

    def visit_If(self, node: ast.If) -> ast.AST:
        if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return node
        if self._point(node.test, "negate the condition"):
            node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
            return node
        return self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        # Logging: a log call, or making the logger (powertools' `Logger(child=True)`),
        # changes what is logged, never what anyone is answered or stored.
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "logger":
            return node
        if isinstance(func, ast.Name) and func.id == "Logger":
            return node
        return self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return node  # a docstring
        return self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        for position, op in enumerate(node.ops):
            swap = COMPARE_SWAPS.get(type(op))
            if swap and self._point(node, f"{type(op).__name__} -> {swap.__name__}"):
                node.ops[position] = swap()
                return node
        return self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        swap = BINOP_SWAPS.get(type(node.op))
        string_format = isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)
        if swap and not string_format and self._point(node, f"{type(node.op).__name__} -> {swap.__name__}"):
            node.op = swap()
            return node
        return self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        swap = BINOP_SWAPS.get(type(node.op))
        if swap and self._point(node, f"{type(node.op).__name__}= -> {swap.__name__}="):
            node.op = swap()
            return node
        return self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        swap: ast.boolop = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        if self._point(node, f"{type(node.op).__name__} -> {type(swap).__name__}"):
            node.op = swap
            return node
        return self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        if isinstance(node.op, ast.Not) and self._point(node, "drop `not`"):
            return node.operand
        return self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        value = node.value
        if isinstance(value, bool):
            if self._point(node, f"{value} -> {not value}"):
                return ast.Constant(value=not value)
        elif isinstance(value, int | float) and self._point(node, f"{value} -> {value + 1}"):
            return ast.Constant(value=value + 1)
        return node


def _declared(source: str) -> dict[int, tuple[str, str]]:
    """Line -> (change, reason) of the equivalence declarations in `source`. One at the end
    of a line is about that line; one on a line of its own is about the next line of code,
    and the comment lines under it continue its reason."""
    lines = source.splitlines()
    found = {}
    for number, text in enumerate(lines, start=1):
        match = EQUIVALENT.search(text)
        if not match:
            continue
        reason, target = [match["reason"].strip()], number
        if text.lstrip().startswith("#"):
            while target < len(lines) and lines[target].lstrip().startswith("#"):
                reason.append(lines[target].lstrip().lstrip("#").strip())
                target += 1
            target += 1
        found[target] = (match["change"], " ".join(reason))
    return found


def mutants_of(module: str, path: Path) -> tuple[list[Mutant], dict[str, tuple[int, int]]]:
    """The module's mutants, and the line span of each top-level class and function."""
    source = path.read_text()
    mutator = Mutator()
    mutator.visit(ast.parse(source, str(path)))
    declared = _declared(source)
    mutants = []
    for n, (line, end, change, scope) in enumerate(mutator.points):
        named = declared.get(line)
        reason = named[1] if named and named[0] == change else None
        mutants.append(Mutant(module, path, n, line, end, change, scope, reason))
    for line, (change, _) in declared.items():
        if not any(m.line == line and m.change == change for m in mutants):
            raise SystemExit(f"{path.name}:{line}: declared equivalent, but no mutant there is `{change}`")
    return mutants, mutator.spans


def mutated_code(mutant: Mutant) -> CodeType:
    tree = Mutator(mutant.index).visit(ast.parse(mutant.path.read_text(), str(mutant.path)))
    return compile(ast.fix_missing_locations(tree), str(mutant.path), "exec")
