"""Per-module facts: what one ``ast`` pass over a file learns, kept compact and AST-free.

The workspace index keeps these for every module (never the trees: long-lived ASTs cause GC
pauses in the server), and cross-module checks (import graph, cycles, inheritance chains) read
them. ``extract_facts`` is the single visitor; module checks may also walk the tree they are
given, but must share the one parse.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import Span


@dataclass(frozen=True)
class ImportFact:
    """One imported module, as written in one ``import``/``from`` statement.

    ``module`` is the absolute dotted name (relative imports resolved against the importing
    module); for ``from a import b`` it is ``a`` and ``names`` holds ``("b",)``. ``bound`` lists the
    local names the statement binds, and ``used`` whether any of them is referenced elsewhere in the
    module (for the "remove unused forbidden import" fix). ``type_checking`` is true under
    ``if TYPE_CHECKING:``; ``deferred`` is true inside a function body (not at import time).
    ``span`` covers the whole statement; ``statement_span`` equals it unless one statement imports
    several modules (``import a, b``).
    """

    module: str
    names: tuple[str, ...]
    span: Span
    is_from: bool = False
    level: int = 0
    bound: tuple[str, ...] = ()
    used: bool = True
    type_checking: bool = False
    deferred: bool = False
    statement_span: Span | None = None
    unused: tuple[str, ...] = ()
    """The bound names never referenced elsewhere (``used`` is false when that is all of them)."""


@dataclass(frozen=True)
class ClassFact:
    """A class definition: its bases as written and as resolved to dotted names when imported."""

    name: str
    span: Span
    """The ``class`` line (name token), where class findings are reported."""
    bases: tuple[str, ...]
    """Each base as a dotted name: resolved through the module's imports where possible
    (``from app.domain import Base`` -> ``app.domain.Base``), else as written (``Base``)."""
    keywords: tuple[str, ...] = ()
    """``metaclass=ABCMeta`` and the like, as ``"metaclass=ABCMeta"``."""
    decorators: tuple[str, ...] = ()
    public_methods: tuple[str, ...] = ()
    abstract_methods: tuple[str, ...] = ()
    is_abstract: bool = False
    """Has ABC/ABCMeta/Protocol among bases or metaclass, or any ``@abstractmethod`` (or a method
    whose body only raises ``NotImplementedError``: an interface by convention)."""
    nested: bool = False
    """Defined inside a function or another class (not reachable as ``module.Name``)."""
    type_checking: bool = False
    """Defined under ``if TYPE_CHECKING:`` (a typing stand-in, never instantiated at run time)."""
    traits: tuple[str, ...] = ()
    """How the body says the class is meant to be used (``extract.class_traits``): ``no-methods``
    (a marker or a record), ``dunders-only`` (no constructor, only dunders: a protocol mixin such
    as repr helpers), ``stateful``
    (its own ``__init__``/``__new__``/``__post_init__``), ``hooks`` (a method that does nothing:
    a default for subclasses to override), ``interface`` (every method such a stub, no
    constructor: a contract by convention), ``subclass-hook`` (``__init_subclass__``),
    ``cooperative`` (no bases, yet ``__init__`` calls ``super().__init__``: a mixin), ``data``
    (a dataclass or attrs class: a record type), ``settings-only`` (only class attributes, or
    an ``__init__`` that only calls ``super().__init__(...)``: a configured variant such as
    ``class HttpUrl(AnyUrl): _constraints = ...``), ``stateless`` (methods, but no metaclass, no
    constructor and no method storing anything on ``self``: shaped like a capability mixin
    whatever its name, if its bases are mixins too, which the checks resolve)."""


@dataclass(frozen=True)
class ModuleFacts:
    """Everything the workspace index keeps about one module."""

    module: str | None
    """Dotted module name when the file is under a source root, else ``None``."""
    imports: tuple[ImportFact, ...] = ()
    classes: tuple[ClassFact, ...] = ()
    defines: tuple[str, ...] = ()
    """Top-level names the module defines (classes, functions, assignments)."""
    load_order: tuple[str, ...] = ()
    """What the module does while it is imported, in order (``analysis.load_order``): which
    imports run, which names get bound, which imported modules' names are read. ARC103 replays it
    to tell the import cycles that can fail from those that cannot."""
