"""Replays Python's import of first-party modules to find the import cycles that can fail.

A cycle fails at import only when a module asks a partially initialised module for a name it has
not bound yet: ``from pkg import NAME`` (or a module-level read of ``pkg.NAME``) running while
``pkg`` is still executing the import that led here. ``import pkg``, ``import pkg.sub as s`` and
``from pkg import submodule`` never fail on a partial module (3.7+ looks the submodule up in
``sys.modules``), and names read inside functions are read after the import is over.

``first_failure(index, entry)`` replays ``import entry`` in a fresh interpreter, as CPython
does it: ancestors packages run first, each module runs its ``load_order`` steps (see
``analysis.load_order``) top to bottom, an import of a module already started returns at once.
It returns the first failure with the chain of modules that were running, or None. Modules the
index does not hold are taken as importing cleanly. A failure raised inside a ``try:`` whose
handler catches it (``load_order``'s ``g`` steps) is caught there, as the interpreter does: the
modules it was importing are dropped (a later import runs them again) and the catching module
goes on after its ``try:`` body. What the replay does not model, and treats as running (or
succeeding): imports the import system finds through ``sys.path`` tricks, ``from x import *`` of
a partial module (it binds what is there), handlers inside functions called at import, and calls
more than one level deep. A function imported by name (``from .context import init_base_classes``)
and called at import runs its imports there, as the module's own functions do (pyinfra's package
``__init__`` imports ``pyinfra.api`` that way before any submodule runs).

State is local to one call; nothing here is shared.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.facts import ImportFact
from .index import WorkspaceIndex


@dataclass(frozen=True)
class Link:
    """One module of a failing chain and the import statement it was running (None for the
    module that failed, whose statement is ``ImportFailure.fact``)."""

    module: str
    fact: ImportFact | None
    via_call: bool = False
    """The import is inside a function the module calls at import time."""
    loads: str = ""
    """The module that statement started (the next link, or a package it runs first)."""


@dataclass(frozen=True)
class ImportFailure:
    """``import entry`` fails: ``module`` (running ``fact``) asks partially initialised
    ``partial`` for ``name``, which it has not bound yet; ``chain`` runs from ``partial`` to
    ``module`` (each link importing the next)."""

    entry: str
    module: str
    fact: ImportFact
    partial: str
    name: str
    chain: tuple[Link, ...]

    @property
    def cycle(self) -> tuple[str, ...]:
        return (*(link.module for link in self.chain), self.partial)

    def explain(self) -> str:
        if self.name.startswith("."):
            return (f"`import {self.entry}` fails: `{self.module}` reads `{self.name[1:]}` while it is imported, "
                    f"before `{self.partial}` has finished")
        return (f"`import {self.entry}` fails: `{self.module}` imports `{self.name}` from `{self.partial}` "
                f"before `{self.partial}` defines it")

    def short(self) -> str:
        """``explain()`` in the few words a one-line message has room for: which first import
        fails, on which name (of the partial module, when that is not the one imported)."""
        name = self.name.lstrip(".")
        where = name if self.partial == self.entry else f"{self.partial}.{name}"
        return f"`import {self.entry}` first fails on `{where}`"


class ReplayBudget:
    """How many more module runs the replays of one check may make: a group of hundreds of
    mutually importing modules costs a replay per member, each running most of them."""

    def __init__(self, runs: int) -> None:
        self.runs = runs


class OutOfBudget(Exception):
    """The replays of one check used up their ``ReplayBudget``."""


class _Frame:
    __slots__ = ("actions", "fact", "guards", "loads", "module", "pending", "position", "via_call")

    def __init__(self, module: str, actions: list[tuple]) -> None:
        self.module = module
        self.actions = actions
        self.position = 0
        self.fact: ImportFact | None = None
        self.via_call = False
        self.loads = ""
        self.pending: list[str] = []
        """Modules the running ``load`` still has to enter, the next last (packages first)."""
        self.guards: list[tuple[str, int]] = []
        """The ``try:`` bodies running, innermost last: what each catches and its end action."""


class _Replay:
    def __init__(self, index: WorkspaceIndex, actions: dict[str, list[tuple]], relevant: set[str] | None,
                 budget: ReplayBudget | None, members: set[str] | None) -> None:
        self.index = index
        self.members = members
        self.budget = budget
        self.cached_actions = actions
        self.relevant = relevant
        self.started: set[str] = set()
        self.complete: set[str] = set()
        self.defined: dict[str, set[str]] = {}
        self.listings: dict[str, frozenset[str]] = {}
        """Folder listings ``is_unindexed_module`` read, per replay."""

    # -- what each step does -------------------------------------------------------------------
    def _load(self, module: str, fact: ImportFact | None, via_call: bool) -> tuple:
        """Load ``module``: its packages first, as the import system does (entered last first)."""
        parts = module.split(".")
        chain = [name for name in (".".join(parts[:end]) for end in range(len(parts), 0, -1)) if name in self.index]
        return ("load", module, fact, via_call, chain)

    def _actions(self, module: str) -> list[tuple]:
        facts = self.index.lookup_module(module)
        path = self.index.path_of(module)
        if facts is None or (path is not None and path.suffix == ".pyi"):
            # Only a stub stands for it (a compiled module's, asyncpg's protocol.pyi): what the
            # module runs at import is not in the stub, whose imports are for type checkers.
            return []
        aliases: dict[str, tuple[str, bool]] = {}
        actions: list = []
        open_guards: list[int] = []
        skipping = 0  # depth inside an ``if flag:`` whose flag is the type-checking one
        for step in facts.load_order:
            kind, rest = step[0], step[1:]
            if kind == "t":
                if skipping or (rest != "-" and rest in aliases and self._type_checking_flag(aliases[rest][0])):
                    skipping += 1 if rest != "-" else -1
                continue
            if skipping:
                continue
            if kind == "g":
                if rest != "-":
                    open_guards.append(len(actions))
                    actions.append(["guard", rest, -1])  # its end is set at the matching ``g-``
                elif open_guards:
                    actions[open_guards.pop()][2] = len(actions)
                    actions.append(("unguard",))
            elif kind in "ir":
                try:
                    fact = facts.imports[int(rest)]
                except (ValueError, IndexError):
                    continue
                for action in self._import_actions(fact):
                    if action[0] == "load":
                        actions.append(self._load(action[1], fact, kind == "r"))
                    else:
                        actions.append((*action, fact, kind == "r"))
                if kind == "i":
                    for bound, target in _bindings(fact):
                        aliases[bound] = target
            elif kind == "c":
                if rest in aliases:
                    binding = self._binding_fact(module, aliases[rest][0])
                    for fact in called_imports(self.index, aliases[rest][0]):
                        for action in self._import_actions(fact):
                            # Stated on the caller's own import of the function (the function's
                            # imports are in another file).
                            if action[0] == "load":
                                actions.append(self._load(action[1], binding, True))
                            else:
                                actions.append((*action, binding, True))
            elif kind == "d":
                if actions and actions[-1][0] == "define":  # one action per run of bindings
                    actions[-1][1].append(rest)
                else:
                    actions.append(("define", [rest]))
            elif kind == "u":
                head, _, tail = rest.partition(".")
                if head in aliases and tail:
                    target, is_module = aliases[head]
                    actions.append(("read", target, is_module, tail.split("."), None, False))
        return actions

    def _type_checking_flag(self, target: str) -> bool:
        """``target`` (``pkg.NAME``) is bound in ``pkg`` to the type-checking flag (its ``a`` step)."""
        owner, _, name = target.rpartition(".")
        facts = self.index.lookup_module(owner) if owner else None
        return facts is not None and f"a{name}" in facts.load_order

    def _import_actions(self, fact: ImportFact) -> list[tuple]:
        if not self.index.roots.is_first_party(fact.module):
            return []
        if not fact.is_from:
            return [("load", target) for target in self.index.resolve(fact)]
        actions: list[tuple] = [("load", fact.module)] if fact.module in self.index else []
        for name in fact.names:
            if name == "*":
                continue
            submodule = f"{fact.module}.{name}"
            if submodule in self.index:
                actions.append(("load", submodule))  # a partial submodule is found in sys.modules
            elif self.index.roots.is_unindexed_module(submodule, self.listings):
                # A compiled submodule (sklearn's ``_hierarchical_fast``, pymongo's ``_cmessage``),
                # or a generated one discovery leaves out (pyqtgraph's pyuic templates): the import
                # system loads and binds it even while its package is partial, and its own imports
                # are not ours to replay (issue 21, third and twenty-fourth readings).
                continue
            elif fact.module in self.index:
                actions.append(("need", fact.module, name))
        return actions

    def _has(self, module: str, name: str) -> bool:
        # A module never run here (outside the index, or only loaded by a package taken as
        # imported at once) is not judged.
        if module in self.complete or module not in self.started:
            return True
        bound = self.defined.get(module, set())
        return (name in bound or "*" in bound or "__getattr__" in bound or name in IMPORT_SYSTEM_NAMES
                or self.index.roots.is_unindexed_module(f"{module}.{name}", self.listings)
                or not self._may_bind(module, name))

    def _may_bind(self, module: str, name: str) -> bool:
        """Whether ``module`` can bind ``name``. A private name no statement of it binds and no
        file of the tree holds (scipy's ``from scipy.linalg import _fblas_64`` under ``if
        HAS_ILP64:``) is a compiled module of another build: not this cycle's failure. A public
        name bound nowhere stays a failure (the import is broken in every order)."""
        facts = self.index.lookup_module(module)
        if facts is None or not name.startswith("_"):
            return True
        if any(step[0] == "d" and step[1:] == name for step in facts.load_order):
            return True
        return any(name in fact.bound or (not fact.is_from and fact.module.split(".")[0] == name)
                   for fact in facts.imports)  # a star import binds no ``_private`` name without ``__all__``

    # -- the replay ----------------------------------------------------------------------------
    def run(self, entry: str) -> ImportFailure | None:
        stack = [_Frame("", [self._load(entry, None, False)])]
        started, complete, relevant = self.started, self.complete, self.relevant
        while stack:
            frame = stack[-1]
            if frame.pending:
                module = frame.pending.pop()
                if module in started:
                    continue
                started.add(module)
                if relevant is not None and module not in relevant:
                    complete.add(module)  # cannot lead back to the modules asked about
                    continue
                if self.budget is not None:
                    self.budget.runs -= 1
                    if self.budget.runs < 0:
                        raise OutOfBudget(module)
                frame.loads = module
                self.defined[module] = set()
                actions = self.cached_actions.get(module)
                if actions is None:
                    actions = self.cached_actions[module] = self._actions(module)
                stack.append(_Frame(module, actions))
                continue
            if frame.position >= len(frame.actions):
                stack.pop()
                if frame.module:
                    complete.add(frame.module)
                continue
            action = frame.actions[frame.position]
            frame.position += 1
            kind = action[0]
            if kind == "load":
                if action[1] not in complete:
                    frame.fact, frame.via_call, frame.pending = action[2], action[3], list(action[4])
            elif kind == "define":
                self.defined[frame.module].update(action[1])
            elif kind == "guard":
                frame.guards.append((action[1], action[2]))
            elif kind == "unguard":
                if frame.guards:
                    frame.guards.pop()
            elif kind == "need":
                _, target, name, fact, via_call = action
                if not self._has(target, name) and self._counts(frame.module):
                    failure = self._failure(entry, stack, fact, via_call, target, name)
                    if failure is not None and not self._caught(stack, "i"):
                        return failure
            elif kind == "read":
                partial = self._read(action[1], action[2], action[3])
                if partial is not None and self._counts(frame.module):
                    read = ".".join([action[1], *action[3]])
                    failure = self._failure(entry, stack, self._binding_fact(frame.module, action[1]), False,
                                            partial, "." + read)
                    if failure is not None and not self._caught(stack, "a"):
                        return failure
        return None

    def _caught(self, stack: list[_Frame], raised: str) -> bool:
        """A failure (``i``: ImportError, ``a``: AttributeError) raised in ``stack[-1]``, caught by
        the innermost running ``try:`` that catches it: as in the interpreter, each module between
        is dropped (its import failed; a later import runs it again) and the catching module goes
        on after its ``try:`` body. False when nothing catches it (the import fails)."""
        for depth in range(len(stack) - 1, -1, -1):
            frame = stack[depth]
            for k in range(len(frame.guards) - 1, -1, -1):
                catches, end = frame.guards[k]
                if raised not in catches:
                    continue
                for dropped in stack[depth + 1:]:
                    self.started.discard(dropped.module)
                    self.complete.discard(dropped.module)
                    self.defined.pop(dropped.module, None)
                del stack[depth + 1:]
                del frame.guards[k + 1:]  # the ``unguard`` at ``end`` closes guard k itself
                frame.position = end if end >= 0 else len(frame.actions)
                frame.pending = []
                return True
        return False

    def _counts(self, module: str) -> bool:
        """A failure in ``module`` ends the replay; one outside the modules asked about is
        another group's (reported there) and the replay goes on as if it had succeeded, so
        that it cannot hide or shift this group's."""
        return self.members is None or module in self.members

    def _read(self, target: str, is_module: bool, attributes: list[str]) -> str | None:
        """A module-level read of ``target.a.b``: the partial module it fails on, if any."""
        if not is_module or target not in self.index:
            return None
        current = target
        for attribute in attributes:
            child = f"{current}.{attribute}"
            if child in self.index:
                if child not in self.started:
                    return None  # never run here: not judged
                if attribute in self.defined.get(current, ()) or child in self.complete or current in self.complete:
                    current = child
                    continue
                # A submodule is set on its package only once it has finished running.
                return child if child in self.started else None
            return None if self._has(current, attribute) else current
        return None

    def _binding_fact(self, module: str, target: str) -> ImportFact:
        facts = self.index.lookup_module(module)
        assert facts is not None
        for fact in facts.imports:
            if any(bound_target == target for _, (bound_target, _) in _bindings(fact)):
                return fact
        return facts.imports[0]

    def _failure(self, entry: str, stack: list[_Frame], fact: ImportFact, via_call: bool,
                 partial: str, name: str) -> ImportFailure | None:
        """The failure, with the chain from ``partial`` up; None when ``partial`` is not running
        (then nothing is partial: the replay goes on)."""
        modules = [frame.module for frame in stack]
        if partial not in modules:
            return None
        start = modules.index(partial)
        chain = tuple(Link(frame.module, frame.fact, frame.via_call, frame.loads) for frame in stack[start:-1])
        chain += (Link(stack[-1].module, fact, via_call, partial),)
        return ImportFailure(entry, stack[-1].module, fact, partial, name, chain)


IMPORT_SYSTEM_NAMES = frozenset({
    "__name__", "__file__", "__path__", "__spec__", "__loader__", "__package__", "__cached__",
    "__doc__", "__builtins__", "__dict__",
})
"""Set on a module before its first line runs: reading one from a half-imported module never
fails (``streamlit.__file__`` read by a submodule while ``streamlit`` imports it; issue 21)."""


def _bindings(fact: ImportFact) -> list[tuple[str, tuple[str, bool]]]:
    """The names an import binds and what each stands for: (dotted name, is it a module)."""
    if fact.deferred and not fact.is_from and not fact.bound:
        return []
    if not fact.is_from:
        name = fact.bound[0] if fact.bound else fact.module.split(".")[0]
        aliased = name != fact.module.split(".")[0]
        return [(name, (fact.module if aliased else fact.module.split(".")[0], True))]
    out = []
    for original, bound in zip((n for n in fact.names if n != "*"), fact.bound, strict=False):
        out.append((bound, (f"{fact.module}.{original}", True)))
    return out


def called_imports(index: WorkspaceIndex, target: str) -> list[ImportFact]:
    """The imports ``target`` (``pkg.mod.function``, a function a module imported by name) runs
    when it is called: its module's ``f`` step (``analysis.load_order``); none when the module is
    not in the index or the name is no function that imports."""
    owner, _, function = target.rpartition(".")
    facts = index.lookup_module(owner) if owner else None
    if facts is None:
        return []
    prefix = f"f{function}="
    step = next((step for step in facts.load_order if step.startswith(prefix)), None)
    if step is None:
        return []
    out = []
    for number in step[len(prefix):].split(","):
        if number.isdigit() and int(number) < len(facts.imports):
            out.append(facts.imports[int(number)])
    return out


def called_targets(index: WorkspaceIndex, imports: tuple[ImportFact, ...] | list[ImportFact], name: str
                   ) -> tuple[ImportFact | None, list[str]]:
    """A ``c`` step of a module with these ``imports``: the ``from x import name`` that bound the
    function and the first-party modules its imports run (none when nothing bound it)."""
    binding = next((fact for fact in imports if fact.is_from and not fact.deferred and name in fact.bound), None)
    if binding is None:
        return None, []
    target = next((target for bound, (target, _) in _bindings(binding) if bound == name), "")
    return binding, [module for fact in called_imports(index, target) if index.roots.is_first_party(fact.module)
                     for module in index.resolve(fact)]


def first_failure(index: WorkspaceIndex, entry: str, actions: dict[str, list[tuple]] | None = None,
                  members: set[str] | None = None, relevant: set[str] | None = None,
                  budget: ReplayBudget | None = None) -> ImportFailure | None:
    """The first failure of ``import entry`` in a fresh interpreter, or None when it succeeds.
    ``actions`` (module -> its replay actions) may be shared by calls over the same index.
    ``members``: only failures in these modules count (the others are other groups'). With it,
    ``relevant`` may name the modules from which a member can be run: any other is taken as
    imported at once, which keeps a replay small and changes nothing a member sees (such a
    module is never partial while a member runs, and runs only modules like itself).
    Raises ``OutOfBudget`` when ``budget`` runs out."""
    return _Replay(index, {} if actions is None else actions, relevant, budget, members).run(entry)
