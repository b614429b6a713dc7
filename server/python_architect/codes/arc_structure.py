"""The metadata of the codes about a project's structure: its ADR files and configuration
(ARC001-ARC006) and its imports and dependencies (ARC101-ARC111), in code order.

The code constants are spelled in ``codes.arc``; ``codes`` joins these records with the others
into ``METADATA``.
"""

from __future__ import annotations

from ..findings import Severity
from .arc import (
    ARC001,
    ARC002,
    ARC003,
    ARC004,
    ARC005,
    ARC006,
    ARC101,
    ARC102,
    ARC103,
    ARC104,
    ARC105,
    ARC106,
    ARC110,
    ARC111,
)
from .model import CheckInfo

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

ARC001_INFO = CheckInfo(
    code=ARC001,
    title="ADR frontmatter does not parse",
    principle="knowledge",
    severity=ERROR,
    scope="adr",
    rationale=(
        "A decision whose YAML header cannot be read enforces nothing: its rules, "
        "status and scope are silently lost until the header is fixed."
    ),
    instead="Fix the YAML at the reported line (indentation, quoting, a missing colon).",
)
ARC002_INFO = CheckInfo(
    code=ARC002,
    title="Unknown rule kind, option, check code or status in an ADR",
    principle="knowledge",
    severity=ERROR,
    scope="adr",
    rationale=(
        "A misspelt rule kind or option is not enforced, so the team believes a "
        "decision is guarded when it is not."
    ),
    instead="Use one of the documented kinds, options, statuses and check codes.",
)
ARC003_INFO = CheckInfo(
    code=ARC003,
    title="ADR refers to an ADR that does not exist",
    principle="knowledge",
    severity=WARNING,
    scope="adr",
    rationale=(
        "A supersedes / superseded-by link to a missing record breaks the decision "
        "history readers rely on to know what is current."
    ),
    instead="Point the link at an existing ADR id, or add the missing record.",
)
ARC004_INFO = CheckInfo(
    code=ARC004,
    title="Two ADRs share an id",
    principle="knowledge",
    severity=ERROR,
    scope="adr",
    rationale=(
        "Findings, links and conversations cite decisions by id; two records with "
        "one id make every citation ambiguous."
    ),
    instead="Give one of the records the next free number.",
)
ARC005_INFO = CheckInfo(
    code=ARC005,
    title="ADR path glob matches no file",
    principle="knowledge",
    severity=WARNING,
    scope="adr",
    rationale=(
        "A scope that matches nothing usually means a typo or a moved folder: the "
        "decision then governs no code at all."
    ),
    instead="Correct the glob (relative to the workspace root, gitignore syntax).",
)
ARC006_INFO = CheckInfo(
    code=ARC006,
    title="Configuration problem",
    principle="knowledge",
    severity=ERROR,
    scope="engine",
    rationale=(
        "A misspelt or mistyped key in [tool.python-architect] would otherwise be ignored "
        "silently, and the checks would run with settings nobody chose."
    ),
    instead="Correct the key or value named in the message (see the known keys listed).",
)
ARC101_INFO = CheckInfo(
    code=ARC101,
    title="Forbidden import",
    principle="framework-isolation",
    severity=ERROR,
    default_enabled=False,
    rationale=(
        "An ADR decided that this part of the code must not depend on certain modules, most "
        "often to keep a framework, a vendor SDK or an infrastructure library out of the core "
        "so that the core can be tested and changed on its own. One import is enough to break "
        "that promise, because everything that imports this module now depends on the forbidden"
        " one too."
    ),
    instead=(
        "Depend on an interface owned by this layer and let an adapter at the edge import the "
        "framework or SDK."
    ),
)
ARC102_INFO = CheckInfo(
    code=ARC102,
    title="Import from a higher layer",
    principle="layering",
    severity=ERROR,
    default_enabled=False,
    rationale=(
        "Layers only work when dependencies point one way: the outer layers (API, CLI, jobs) "
        "use the inner ones (services, domain), never the reverse. An inner module that imports"
        " an outer one drags the web framework into the domain, invites import cycles, and "
        "means the core can no longer be reused or tested without the whole application."
    ),
    instead=(
        "Move the shared code down into the lower layer, or invert the dependency: the lower "
        "layer defines an interface and the higher layer passes in an implementation."
    ),
)
ARC103_INFO = CheckInfo(
    code=ARC103,
    title="Import cycle that can fail at import time",
    principle="layering",
    severity=WARNING,
    scope="workspace",
    default_options={"include-deferred": False, "structural": False},
    option_types={"include-deferred": "bool", "structural": "bool"},
    rationale=(
        "Modules that import each other while they are being imported make import order matter: "
        "when one asks a partially initialised module for a name it has not defined yet "
        "(`from pkg import NAME` running before `pkg` reaches `NAME = ...`, or `pkg.sub.NAME` "
        "read at module level while `pkg.sub` is still running), the import fails with "
        "\"partially initialized module\" in some orders and not in others. The check replays the "
        "module-level statements of every group of mutually importing modules, each member "
        "imported first, and reports the groups where one order fails, with that order and its "
        "chain. It follows imports inside a function the module calls at import time (one level),"
        " its own or one it imported by name (`from .context import setup` then `setup()`, which "
        "may import the package's API before any submodule runs),"
        " and a package's `__init__` run first by an import of its submodule. Cycles that cannot "
        "fail are not reported: `import pkg`, `import pkg.sub as s` or `from pkg import submodule`"
        " with names read only inside functions, annotations under `from __future__ import "
        "annotations` or in quotes, imports under `if TYPE_CHECKING:` or under a flag a module "
        "binds to it (`__optional_imports__ = TYPE_CHECKING`, imported and tested elsewhere). Not modelled (taken as "
        "succeeding): `try`/`except ImportError` around an import, `from x import *` of a partial"
        " module, calls two levels deep. A group too large to replay within the check's budget is not "
        "reported either (unknown to fail). `structural = true` reports every import-time cycle "
        "instead, for a team that wants none; `include-deferred = true` also counts imports "
        "inside functions (implies `structural`)."
    ),
    instead=(
        "Move the shared piece into a lower module both can import, or invert the dependency "
        "with an interface owned by the lower module. To stop the failure itself: bind the name "
        "before the import that leads back, import the module (`import pkg`) and read the name "
        "inside the function that needs it, or move the import under `TYPE_CHECKING` when only "
        "annotations use it."
    ),
)
ARC104_INFO = CheckInfo(
    code=ARC104,
    title="Import past a module's public interface",
    principle="deep-modules",
    severity=ERROR,
    default_enabled=False,
    rationale=(
        "An ADR declared which members of a module are its public interface (Tach's interfaces). "
        "Code outside the module that imports anything else reaches into its internals: the "
        "module can no longer change them without breaking callers it does not know about, and "
        "the interface stops meaning anything."
    ),
    instead=(
        "Import the member through the module's declared interface, or add it to the rule's "
        "`expose` list if it is meant to be public."
    ),
)
ARC105_INFO = CheckInfo(
    code=ARC105,
    title="Modules declared independent import each other",
    principle="layering",
    severity=ERROR,
    scope="workspace",
    default_enabled=False,
    rationale=(
        "An ADR decided that these modules stay independent, so that each can be changed, "
        "tested, owned or extracted on its own. One import between them, direct or through "
        "other modules, welds them together again."
    ),
    instead=(
        "Move what both need into a module below them, or let a module above them wire them "
        "together."
    ),
)
ARC106_INFO = CheckInfo(
    code=ARC106,
    title="Import of a deprecated module",
    principle="dependencies",
    severity=WARNING,
    default_enabled=False,
    rationale=(
        "An ADR deprecated this module in favour of a replacement. Every new import of it is "
        "more code to migrate later and keeps the old path alive."
    ),
    instead="Import the replacement the rule names (`use`).",
)
ARC110_INFO = CheckInfo(
    code=ARC110,
    title="Dependency not pinned as the policy requires",
    principle="dependencies",
    severity=WARNING,
    scope="dependencies",
    default_enabled=False,
    rationale=(
        "A requirement without an exact pin (or at least an upper bound) lets every new install"
        " pick up whatever was released last night: builds stop being reproducible and a major "
        "release of a library can break production without a single line of our code changing. "
        "The team decided how tightly dependencies are pinned; this keeps every file to that "
        "decision."
    ),
    instead=(
        "Pin the requirement (`==` for the exact policy) or give it an upper bound such as `<3`"
        " (bounded policy), and upgrade deliberately."
    ),
)
ARC111_INFO = CheckInfo(
    code=ARC111,
    title="Third-party import not declared, or declared dependency never imported",
    principle="dependencies",
    severity=ERROR,
    scope="workspace",
    default_enabled=False,
    rationale=(
        "A package the code imports but the project does not declare works only where it happens"
        " to be installed already, and breaks on a clean install; a declared dependency nothing "
        "imports is installed, audited and upgraded for nothing."
    ),
    instead=(
        "Declare the package in pyproject.toml ([project] dependencies or an extra) or a "
        "requirements file, or remove the declaration nothing uses."
    ),
)

ENTRIES = tuple(info for name, info in sorted(globals().items()) if name.endswith("_INFO"))
"""This module's records, in code order."""
