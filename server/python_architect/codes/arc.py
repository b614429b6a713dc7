"""One constant per architect code (``ARC...``) and the metadata of each, in code order.

The constants are the only place a code's string is spelled; everything else imports them. The
implementations live in ``analysis`` and ``workspace`` (``@check(ARC201)``); ``catalog`` joins
them to these records. A per-check ``tier`` and option schema (issue 8) go into these records.
"""

from __future__ import annotations

from ..findings import Severity
from .model import JUDGMENT, OPT_IN, CheckInfo

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# -- the ADR files and the configuration (produced by the knowledge loader and the engine) ------
ARC001 = "ARC001"
ARC002 = "ARC002"
ARC003 = "ARC003"
ARC004 = "ARC004"
ARC005 = "ARC005"
ARC006 = "ARC006"
# -- imports and dependencies --------------------------------------------------------------------
ARC101 = "ARC101"
ARC102 = "ARC102"
ARC103 = "ARC103"
ARC104 = "ARC104"
ARC105 = "ARC105"
ARC106 = "ARC106"
ARC110 = "ARC110"
ARC111 = "ARC111"
# -- design, runtime ----------------------------------------------------------------------------
ARC201 = "ARC201"
ARC202 = "ARC202"
ARC203 = "ARC203"
ARC301 = "ARC301"
ARC302 = "ARC302"
ARC402 = "ARC402"
ARC502 = "ARC502"
ARC701 = "ARC701"
# -- the engine -----------------------------------------------------------------------------------
ARC900 = "ARC900"

RULE_DRIVEN = {
    "forbidden-import": ARC101, "layers": ARC102, "interface": ARC104, "independence": ARC105,
    "deprecated-import": ARC106, "pinned-dependencies": ARC110, "external-dependencies": ARC111,
}
"""Checks that only ADR rules of one kind drive: they run when such rules exist."""

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
        " and a package's `__init__` run first by an import of its submodule. Cycles that cannot "
        "fail are not reported: `import pkg`, `import pkg.sub as s` or `from pkg import submodule`"
        " with names read only inside functions, annotations under `from __future__ import "
        "annotations` or in quotes, imports under `if TYPE_CHECKING:`. Not modelled (taken as "
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
ARC201_INFO = CheckInfo(
    code=ARC201,
    title="Inherits implementation from a concrete class",
    principle="composition",
    severity=WARNING,
    default_options={"allow-bases": []},
    option_types={"allow-bases": "strings"},
    tier=OPT_IN,
    rationale=(
        "Subclassing a concrete class of our own couples the child to every detail of the "
        "parent's implementation: a change in the parent silently changes the child, and the "
        "child can only be understood by reading both. Inheriting from an interface (an ABC or "
        "a Protocol) keeps the contract and drops the coupling; holding the collaborator as a "
        "field keeps the behaviour."
    ),
    instead=(
        "Hold the other class as a collaborator (composition), or extract an ABC or Protocol "
        "that both implement. Opt-in: read in the source on eleven registry packages nobody tuned "
        "it on (`benchmarks/bench_precision.py`), the subclasses it still finds were a language "
        "or protocol variant of a base built for it (`SearchFrench(SearchLanguage)`, "
        "`BoundedSemaphore(Semaphore)`, `TCP4ServerEndpoint(_TCPServerEndpoint)`) far more often "
        "than coupling a reviewer would undo; which one it is lies in the authors' intent, not the "
        "syntax. Name `ARC201`, or tag an ADR `composition`, where the team wants it."
    ),
    not_reported=(
        "Stub files (.pyi), tests and test-support packages; bases that are interfaces, mixins or"
        " extension points by their body rather than their name: no constructor anywhere up the "
        "chain (a mixin), no methods (a marker or role), only dunders, a cooperative "
        "`super().__init__(**kw)` from no base, a default hook that does nothing (template "
        "method), `__init_subclass__` or a metaclass (a registry), a data class, a module "
        "named `interfaces`/`abc`/`protocols`, or anything below a third-party or standard-library "
        "framework class (`unittest.TestCase`); data-class records, and subclasses that only set "
        "class attributes or only pass fixed arguments to `super().__init__`. One finding per class, naming every concrete base."
    ),
)
ARC202_INFO = CheckInfo(
    code=ARC202,
    title="Deep inheritance chain",
    principle="composition",
    severity=WARNING,
    default_options={"max-depth": 3},
    option_types={"max-depth": "int"},
    tier=JUDGMENT,
    rationale=(
        "Every level of a class hierarchy is another file to read before a method call can be "
        "understood, and another place where an override can change behaviour from afar. Past a"
        " few levels the hierarchy is usually doing the job that small collaborating objects do"
        " better."
    ),
    instead=(
        "Flatten the hierarchy: move shared behaviour into collaborators the classes hold, and "
        "keep inheritance for interfaces."
    ),
    not_reported=(
        "Chains rooted in a framework's base class, by where the base is imported from: a "
        "third-party class (Tornado handlers, Django views and forms, DRF viewsets, Click "
        "commands, pydantic and SQLAlchemy models) or a standard-library framework "
        "(`unittest.TestCase`, `logging.Handler`, ...). Interfaces by convention (every method a stub) "
        "are not levels; classes without methods of their own (role markers, aliases) or with only private helpers and no constructor (capability "
        "mixins such as `HasCacheKey`) are passed through without counting as a level. A mixin is "
        "known by its name (`...Mixin`) or by its shape: a class with no base but `object`, no "
        "constructor and no method that stores anything on `self`, listed beside another base "
        "(`class BaseEstimator(ReprMixin, _MetadataRequester)`) is not a level; the same class as "
        "a lone base still is."
    ),
)
ARC203_INFO = CheckInfo(
    code=ARC203,
    title="Shallow wrapper class",
    principle="deep-modules",
    severity=INFO,
    default_options={"min-methods": 3},
    option_types={"min-methods": "int"},
    tier=JUDGMENT,
    rationale=(
        "A class whose every public method just hands its arguments to the same inner object "
        "adds a name and a file but hides nothing: callers still have to know everything about "
        "the inner object's behaviour. Good modules are deep: a small interface in front of "
        "real work, such as retries, caching, translation to domain terms or validation."
    ),
    instead=(
        "Let callers use the wrapped object directly, or give the wrapper real work (a domain "
        "vocabulary, caching, retries, validation) behind a smaller interface."
    ),
    not_reported=(
        "Adapters that rename or convert, and wrappers whose work is elsewhere: the inner object "
        "is a property of the class (created lazily), or the class speaks a protocol through its "
        "dunders (`__aenter__`, `__await__`, `__iter__`, `__call__`, `__getattr__`)."
    ),
)
ARC301_INFO = CheckInfo(
    code=ARC301,
    title="Whole file-tree work on the event loop",
    principle="async",
    severity=WARNING,
    rationale=(
        "`shutil.copytree`, `rmtree`, archives and `os.walk` inside `async def` (or a process "
        "run or one of these in a plain function it calls) run on the event loop: every other "
        "request served by that loop waits, seconds on a real tree. Ruff reports `open()` and "
        "`subprocess` made right in `async def`, not these, and not behind a call. One-file "
        "`shutil.move`/`copy` are not reported (mostly a rename or a small copy)."
    ),
    instead=(
        "Run it in a thread (`await asyncio.to_thread(shutil.copytree, src, dst)`, "
        "`loop.run_in_executor`) or use an async file API (anyio, aiofiles)."
    ),
)
ARC302_INFO = CheckInfo(
    code=ARC302,
    title="Busy wait on `sleep(0)` in async code",
    principle="async",
    severity=WARNING,
    rationale=(
        "A `while` loop whose only await is `sleep(0)` (or a sleep of a millisecond or less) and "
        "which otherwise only checks a condition spins the CPU at full speed until another task "
        "changes it, and without a deadline it never gives up. A loop that does work between "
        "zero sleeps, or awaits a queue, an event or a read, is not reported."
    ),
    instead=(
        "Wait on an `asyncio.Event`, `Condition` or `Queue` that the producer sets, inside "
        "`asyncio.timeout(...)`."
    ),
)
ARC402_INFO = CheckInfo(
    code=ARC402,
    title="Retry loop without backoff or bound",
    principle="resilience",
    severity=WARNING,
    tier=JUDGMENT,
    rationale=(
        "A loop that catches a failure and immediately tries again turns one outage into a "
        "storm: it hammers the failing service as fast as the CPU allows, never gives up, and "
        "hides the error from whoever could act on it. Retries need a pause that grows between "
        "attempts and a limit after which the error is raised."
    ),
    instead=(
        "Retry a bounded number of times with exponential backoff and jitter (for example with "
        "tenacity or backoff), then re-raise."
    ),
    not_reported=(
        "Loops that bound their attempts: a counter advanced and tested (`attempts += 1` then "
        "`if attempts > limit`, `left = left - 1` then `if not left`, `for attempt in "
        "itertools.count()` then `if attempt == n`), a test of a name that states the bound "
        "(`max_retries`, `retries`, `attempts`, `deadline`), a comparison against the clock "
        "(`time.monotonic() - start > timeout`, `now >= deadline`, `elapsed > timeout`), or a "
        "pause: a sleep/backoff/wait, or a readiness wait each time round (`select.select(..., "
        "timeout)`, `selector.select(timeout)`, `poller.poll(timeout)`, `queue.get(timeout=0.5)` "
        "then `except Empty: continue`; `get_nowait()` is no wait); loops that catch a "
        "cancellation and wait again (re-acquiring a lock after `CancelledError`, awaiting the "
        "same shielded future), which repeats a wait, not a failed operation, or that repeat only "
        "an interrupted system call (`if e.errno != errno.EINTR: raise`); loops that "
        "ask a person (input, prompts, a key press), walk pages, redirects or a queue, or turn the "
        "error into a status they test to leave (`ret = e.args[0]` then `if ret != AGAIN: break`)."
    ),
)
ARC502_INFO = CheckInfo(
    code=ARC502,
    title="N+1 query: a query per loop iteration",
    principle="data-layer",
    severity=WARNING,
    tier=JUDGMENT,
    rationale=(
        "Issuing one query per item of a loop makes the number of round trips grow with the "
        "data: fast with ten rows in a test, slow with ten thousand in production. The database"
        " can answer the whole question at once, and the repository is the place to ask it that"
        " way."
    ),
    instead=(
        "Load everything the loop needs in one query (an IN clause, a join, selectinload, or a "
        "repository method that takes many ids) before the loop."
    ),
    not_reported=(
        "Building a query nothing runs in the loop (`.filter(...)`, `.subquery()`); reading rows "
        "of one statement (`cursor.fetchmany`); batches (a loop over `chunks(...)`, "
        "`itertools.batched`, `groupby`, `range(0, n, step)` or a slice per pass, an `.in_(...)` "
        "or a list of parameter rows); a `while` loop that pages (`.limit(n)`, `.offset(...)`); a "
        "different statement per pass (`table.delete()`, DDL constructs, `PRAGMA`, `CREATE`, "
        "`LISTEN`); data migrations (a `migrations/` folder or a `migration.py` module). A query chain is one finding, named by the call that runs it."
    ),
)
ARC701_INFO = CheckInfo(
    code=ARC701,
    title="Hard-coded credential",
    principle="security",
    severity=ERROR,
    rationale=(
        "A secret written into the source is shared with everyone who can read the repository, "
        "its history, its forks and every log or model prompt the code passes through, and it "
        "cannot be rotated without a deploy. Credentials belong in the environment or a secret "
        "store."
    ),
    instead=(
        "Read the secret from the environment or a secret manager at start-up, and rotate the "
        "one that was committed."
    ),
)
ARC900_INFO = CheckInfo(
    code=ARC900,
    title="File does not parse",
    principle="knowledge",
    severity=ERROR,
    scope="engine",
    rationale=(
        "A file that is not valid Python cannot be checked against any decision: every "
        "other check is silent on it until the syntax error is fixed."
    ),
    instead="Fix the syntax error; the architecture checks run again once the file parses.",
)

ENTRIES = tuple(info for name, info in sorted(globals().items()) if name.endswith("_INFO"))
"""Every ``ARC`` record, in code order."""
