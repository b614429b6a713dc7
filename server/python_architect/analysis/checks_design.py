"""Design checks on class hierarchies: implementation inheritance (ARC201) and deep first-party
inheritance chains (ARC202). Shallow wrappers (ARC203) live in ``checks_wrappers``.

Bases are followed across modules through the workspace index (``ctx.lookup_module``), including
re-exports (``from .base import Base`` in a package ``__init__``), so a chain that spans files is
seen as one chain.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..codes import ARC201, ARC202
from .context import is_test_path, relative_to_root
from .facts import ClassFact, ModuleFacts
from .registry import ModuleContext, RawFinding, check

_MAX_REEXPORT_HOPS = 3
# ``Base`` in a name is not enough: ``BaseDiscount`` with state and behaviour is exactly the
# concrete parent ARC201 is about. Mixins, interfaces and ``Abstract*`` say how they are meant.
_EXTENSION_NAME = re.compile(r"^_*Abstract(?:[A-Z_]|$)|Mixin|Interface$|Protocol$")
_MIXIN = re.compile(r"Mixin|Interface$|Protocol$")
_EXCEPTION_SUFFIXES = ("Error", "Exception", "Warning", "BaseException")
_EXEMPT_BASES = frozenset(
    {
        "ABC", "Protocol", "Generic", "object", "Enum", "IntEnum", "StrEnum", "Flag", "IntFlag",
        "TypedDict", "NamedTuple", "BaseException", "Exception",
    }
)

_INTERFACE_MODULES = frozenset({"interfaces", "interface", "abc", "abcs", "protocols", "ports", "contracts", "spi"})

# Standard-library frameworks whose base classes their users must extend.
_STDLIB_FRAMEWORKS = ("unittest.", "logging.", "socketserver.", "http.server.", "argparse.", "cmd.", "tkinter.")

# Declarative data models are built by subclassing a shared first-party base (common fields,
# config, a metadata registry); that is the frameworks' intended use, not implementation reuse.
DATA_MODEL_BASES = frozenset(
    {
        "pydantic.BaseModel", "pydantic.main.BaseModel", "pydantic.RootModel",
        "pydantic_settings.BaseSettings",
        "sqlalchemy.orm.DeclarativeBase", "sqlalchemy.orm.DeclarativeBaseNoMeta",
        "sqlalchemy.orm.MappedAsDataclass", "sqlmodel.SQLModel",
        "django.db.models.Model", "msgspec.Struct", "marshmallow.Schema",
    }
)


@dataclass(frozen=True)
class ResolvedClass:
    """A first-party class found for a base: its dotted name and facts."""

    qualified: str
    fact: ClassFact
    module: str | None


def _local_class(facts: ModuleFacts, name: str) -> ClassFact | None:
    for fact in facts.classes:
        if fact.name == name and not fact.nested:
            return fact
    return None


def resolve_base(ctx: ModuleContext, facts: ModuleFacts, base: str) -> ResolvedClass | None:
    """The first-party class a base (as recorded in ``facts``) refers to, or None."""
    if "." not in base:
        fact = _local_class(facts, base)
        if fact is None:
            return None
        qualified = f"{facts.module}.{base}" if facts.module else base
        return ResolvedClass(qualified, fact, facts.module)
    module, _, name = base.rpartition(".")
    for _ in range(_MAX_REEXPORT_HOPS):
        if not ctx.is_first_party(module):
            return None
        other = ctx.facts if module == ctx.module else ctx.lookup_module(module)
        if other is None:
            return None
        fact = _local_class(other, name)
        if fact is not None:
            return ResolvedClass(f"{module}.{name}", fact, module)
        # Follow a re-export: ``from .base import Name`` in the package's ``__init__``.
        target = next(
            (f"{imp.module}.{name}" for imp in other.imports if imp.is_from and name in imp.bound),
            None,
        )
        if target is None:
            return None
        module, _, name = target.rpartition(".")
    return None


def _facts_of(ctx: ModuleContext, module: str | None) -> ModuleFacts | None:
    if module is None or module == ctx.module:
        return ctx.facts
    return ctx.lookup_module(module)


def named_as_extension_point(name: str) -> bool:
    """``SyncBackendMixin``, ``AbstractStore``, ``StreamInterface``: a class named to be mixed in or
    implemented. Its author designed the inheritance; the child is using it as meant."""
    return bool(_EXTENSION_NAME.search(name))


def _is_third_party(ctx: ModuleContext, base: str) -> bool:
    """A base imported from an installed library (not the standard library, not our own code)."""
    if "." not in base:
        return False  # a builtin (``dict``) or a name that did not resolve
    return not ctx.is_first_party(base) and not ctx.is_stdlib(base.split(".", 1)[0])


def _is_exempt(ctx: ModuleContext, resolved: ResolvedClass, allowed: set[str], seen: set[str]) -> bool:
    """ABCs, protocols, interfaces by convention (``raise NotImplementedError``), mixins and other
    classes named as extension points, exceptions, enums, typed dicts, data-model roots, typing
    stand-ins under ``TYPE_CHECKING``, subclasses of a third-party class (the framework's extension
    point, such as a model deriving from another library's model) and allowed bases, or anything
    below them."""
    fact = resolved.fact
    if fact.is_abstract or fact.type_checking or fact.name.endswith(_EXCEPTION_SUFFIXES):
        return True
    if named_as_extension_point(fact.name) or _designed_for_extension(resolved):
        return True
    if resolved.qualified in seen:
        return False
    if resolved.qualified in allowed or fact.name in allowed:
        return True
    seen.add(resolved.qualified)
    facts = _facts_of(ctx, resolved.module)
    for base in fact.bases:
        short = base.split("[", 1)[0].split("(", 1)[0].rsplit(".", 1)[-1]  # ``NamedTuple("_R", [...])``
        if (
            named_as_extension_point(short)
            or short in _EXEMPT_BASES
            or short.endswith(_EXCEPTION_SUFFIXES)
            or base in allowed
            or short in allowed
            or base in DATA_MODEL_BASES
            or _is_third_party(ctx, base)
            or base.startswith(_STDLIB_FRAMEWORKS)
        ):
            return True
        parent = resolve_base(ctx, facts, base) if facts is not None else None
        if parent is not None and _is_exempt(ctx, parent, allowed, seen):
            return True
    return False


def _is_exception(ctx: ModuleContext, facts: ModuleFacts, fact: ClassFact, seen: set[str]) -> bool:
    """An exception class, by name or by an ancestor that is one (``AppProblem(Exception)``)."""
    if fact.name.endswith(_EXCEPTION_SUFFIXES):
        return True
    for base in fact.bases:
        if base.rsplit(".", 1)[-1].endswith(_EXCEPTION_SUFFIXES):
            return True
        parent = resolve_base(ctx, facts, base)
        if parent is None or parent.qualified in seen:
            continue
        seen.add(parent.qualified)
        parent_facts = _facts_of(ctx, parent.module)
        if parent_facts is not None and _is_exception(ctx, parent_facts, parent.fact, seen):
            return True
    return False


def _counts_as_level(ctx: ModuleContext, resolved: ResolvedClass, beside_another: bool) -> bool:
    """Whether a base adds a level to a hierarchy: mixins, interfaces (also by convention: every
    method a stub) and typing stand-ins add behaviour or a contract beside the chain, not depth
    to read through. A mixin is known by its name or by its shape (``_stateless_mixin``) when it
    is listed beside another base (``class BaseEstimator(ReprMixin, _MetadataRequester)``). The
    same class as a lone base is the parent a reader walks through, so it counts."""
    if beside_another and _stateless_mixin(ctx, resolved, frozenset()):
        return False
    return not stands_for_a_contract(resolved.fact)


def stands_for_a_contract(fact: ClassFact) -> bool:
    """An ABC or protocol, a class named as a mixin or interface, an interface by convention or a
    typing stand-in: a contract or a capability, never a level."""
    return fact.is_abstract or fact.type_checking or bool(_MIXIN.search(fact.name)) or "interface" in fact.traits


# Bases that keep a class a mixin: they add neither state nor a level.
_NEUTRAL_BASES = frozenset({"object", "Protocol", "ABC", "Generic"})


def _stateless_mixin(ctx: ModuleContext, resolved: ResolvedClass, seen: frozenset[str]) -> bool:
    """A class shaped like a capability mixin: no constructor, nothing stored on ``self``
    (``stateless``), or no methods at all (a bundle of mixins), and every base a mixin too: a
    contract (``class BasicKeyCommands(CommandsProtocol)``), ``object``, or a class of the same
    shape (``class AsyncModuleCommands(ModuleCommands)``). One base with state of its own, or
    one that does not resolve to our code, and the class is a level like any other."""
    fact = resolved.fact
    if not {"stateless", "no-methods"} & set(fact.traits) or resolved.qualified in seen:
        return False
    facts = _facts_of(ctx, resolved.module)
    for base in fact.bases:
        if base.split("[", 1)[0].rsplit(".", 1)[-1] in _NEUTRAL_BASES:
            continue
        parent = resolve_base(ctx, facts, base) if facts is not None else None
        if parent is None:
            return False
        if not (stands_for_a_contract(parent.fact) or _stateless_mixin(ctx, parent, seen | {resolved.qualified})):
            return False
    return True


def _designed_for_extension(resolved: ResolvedClass) -> bool:
    """A class whose own body or place says subclasses are expected: default hooks that do
    nothing (a template method), ``__init_subclass__`` or a metaclass (subclasses register), a
    data-class decorator (a record type in a taxonomy of records), or a module named for
    interfaces (``engine/interfaces.py``)."""
    fact = resolved.fact
    if {"hooks", "subclass-hook"} & set(fact.traits):
        return True
    if any(keyword.startswith("metaclass=") for keyword in fact.keywords):
        return True
    if "data" in fact.traits:
        return True
    return (resolved.module or "").rsplit(".", 1)[-1] in _INTERFACE_MODULES


def _carries_implementation(ctx: ModuleContext, resolved: ResolvedClass, seen: set[str]) -> bool:
    """Whether the class or a first-party ancestor defines a method: a role or marker class
    (``class InElementRole(SQLRole): _role_name = "..."``) passes on a type, not code."""
    return _up_the_chain(ctx, resolved, seen, lambda traits: "no-methods" not in traits)


def _holds_state(ctx: ModuleContext, resolved: ResolvedClass, seen: set[str]) -> bool:
    """Whether the class or a first-party ancestor has its own constructor. A class without one
    (``HasHints``, ``Evictable``, ``HasMemoized``) lends methods that work on whatever state the
    class it is mixed into has: a mixin whatever its name; one that hands its arguments on with
    ``super().__init__(**kw)`` from no base is one too."""
    return _up_the_chain(ctx, resolved, seen, lambda traits: "stateful" in traits and "cooperative" not in traits)


def _up_the_chain(ctx: ModuleContext, resolved: ResolvedClass, seen: set[str],
                  holds: Callable[[set[str]], bool]) -> bool:
    """Whether ``holds`` is true of the class's traits or of a first-party ancestor's."""
    if holds(set(resolved.fact.traits)):
        return True
    facts = _facts_of(ctx, resolved.module)
    for base in resolved.fact.bases:
        parent = resolve_base(ctx, facts, base) if facts is not None else None
        if parent is not None and parent.qualified not in seen:
            seen.add(parent.qualified)
            if _up_the_chain(ctx, parent, seen, holds):
                return True
    return False


def _reuses_nothing(fact: ClassFact) -> bool:
    """A child that takes no implementation of its own: a data class without methods
    (``@dataclass class OrderPlaced(Event): order_id: str``, one more record in a taxonomy), a
    configured variant that only sets class attributes the parent reads or only passes fixed
    arguments to ``super().__init__`` (``class Int(BuiltinConfigScalar)``), or a child that is
    itself named as an extension point (a mixin or ``Abstract*`` layer; its own subclasses are
    judged)."""
    traits = set(fact.traits)
    if "settings-only" in traits or {"no-methods", "data"} <= traits:
        return True
    return named_as_extension_point(fact.name)


def _is_test_support(ctx: ModuleContext) -> bool:
    """Tests and test-support packages (``sqlalchemy/testing/``): test doubles and fixture classes
    subclass real classes on purpose, to spy on or stub one method."""
    relative = PurePosixPath(str(relative_to_root(ctx.path, ctx.root) or ctx.path.name))
    return is_test_path(relative) or "testing" in relative.parts[:-1]


@check(ARC201)
def concrete_inheritance(ctx: ModuleContext) -> Iterator[RawFinding]:
    if ctx.path.suffix == ".pyi" or _is_test_support(ctx):
        return  # a stub declares types, never behaviour; tests subclass to stub
    allowed = set(ctx.options_for(ARC201).get("allow-bases") or [])
    for fact in ctx.facts.classes:
        if fact.type_checking or _reuses_nothing(fact):
            continue
        concrete: list[ResolvedClass] = []
        for base in fact.bases:
            resolved = resolve_base(ctx, ctx.facts, base)
            if resolved is None or _is_exempt(ctx, resolved, allowed, set()):
                continue
            if "dunders-only" in resolved.fact.traits or not _carries_implementation(ctx, resolved, set()):
                continue  # repr/eq helpers, markers and roles
            if not _holds_state(ctx, resolved, set()):
                continue  # no constructor up its chain: a mixin or helper base, whatever its name
            concrete.append(resolved)
        if not concrete:
            continue
        others = f" (and {len(concrete) - 1} more)" if len(concrete) > 1 else ""
        yield RawFinding(
            code=ARC201,
            message=f"`{fact.name}` inherits implementation from the concrete class "
            f"`{concrete[0].qualified}`{others}",
            span=fact.span,
            data={"base": concrete[0].qualified, "bases": [c.qualified for c in concrete]},
        )


def _passed_through(fact: ClassFact) -> bool:
    """A level with nothing in it for a reader of the chain: no code of its own
    (``class StrictFromClauseRole(FromClauseRole): ...``, ``class Alias(Base): pass``), or only
    private helpers and no constructor (``HasCacheKey``'s ``_gen_cache_key``: a capability lent to
    the hierarchy, not a layer of its interface). Its ancestors still count."""
    if "no-methods" in fact.traits:
        return True
    return not fact.public_methods and "stateful" not in fact.traits


def _longest_chain(
    ctx: ModuleContext, facts: ModuleFacts, fact: ClassFact, seen: frozenset[str], memo: dict[str, list[str]]
) -> list[str]:
    """The longest first-party ancestor chain above ``fact`` (nearest first).

    ``memo`` keeps each ancestor's own chain so diamond-shaped mixin hierarchies stay linear;
    ``seen`` stops an inheritance cycle (possible across broken modules) from recursing forever.
    """
    best: list[str] = []
    beside_another = len(fact.bases) > 1
    for base in fact.bases:
        resolved = resolve_base(ctx, facts, base)
        if resolved is None or resolved.qualified in seen or not _counts_as_level(ctx, resolved, beside_another):
            continue
        parent_facts = _facts_of(ctx, resolved.module)
        if parent_facts is None:
            continue
        above = memo.get(resolved.qualified)
        if above is None:
            above = memo[resolved.qualified] = _longest_chain(
                ctx, parent_facts, resolved.fact, seen | {resolved.qualified}, memo
            )
        chain = above if _passed_through(resolved.fact) else [resolved.qualified, *above]
        if len(chain) > len(best):
            best = chain
    return best




def _framework_hierarchy(ctx: ModuleContext, fact: ClassFact, chain: list[str]) -> bool:
    """A chain rooted in a framework's base class (a Tornado ``RequestHandler``, Django view, form
    or admin, a DRF viewset, a Click command, a ``unittest.TestCase``, a pydantic or SQLAlchemy
    model): the framework asks for the hierarchy, and its levels follow the framework's. Decided by
    where each level's bases are imported from, never by their names."""
    levels: list[tuple[ModuleFacts | None, ClassFact]] = [(ctx.facts, fact)]
    for qualified in chain:
        module, _, name = qualified.rpartition(".")
        facts = _facts_of(ctx, module or None)
        found = _local_class(facts, name) if facts is not None else None
        if found is not None:
            levels.append((facts, found))
    for _, level in levels:
        for base in level.bases:
            plain = base.split("[", 1)[0]
            if plain in DATA_MODEL_BASES or _is_third_party(ctx, plain) or plain.startswith(_STDLIB_FRAMEWORKS):
                return True
    return False


@check(ARC202)
def deep_inheritance(ctx: ModuleContext) -> Iterator[RawFinding]:
    try:
        max_depth = int(ctx.options_for(ARC202).get("max-depth", 3))
    except (TypeError, ValueError):
        max_depth = 3
    memo: dict[str, list[str]] = {}
    for fact in ctx.facts.classes:
        if fact.type_checking or _is_exception(ctx, ctx.facts, fact, set()):
            continue  # exception trees are deep by design: each level is a finer ``except``
        if "no-methods" in fact.traits:
            continue  # adds nothing to read: the depth is its bases', reported where they are defined
        own = f"{ctx.module}.{fact.name}" if ctx.module else fact.name
        chain = _longest_chain(ctx, ctx.facts, fact, frozenset({own}), memo)
        if len(chain) <= max_depth or _framework_hierarchy(ctx, fact, chain):
            continue
        shown = " → ".join([fact.name, *(name.rsplit(".", 1)[-1] for name in chain)])
        yield RawFinding(
            code=ARC202,
            message=f"`{fact.name}` is {len(chain)} levels deep in a first-party inheritance chain "
            f"({shown}); the limit is {max_depth}",
            span=fact.span,
            data={"chain": chain, "max_depth": max_depth},
        )
