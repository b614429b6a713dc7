"""The metadata of the codes about design and runtime behaviour (ARC201-ARC702) and the engine's
own parse problem (ARC900), in code order.

The code constants are spelled in ``codes.arc``; ``codes`` joins these records with the others
into ``METADATA``.
"""

from __future__ import annotations

from ..findings import Severity
from .arc import ARC201, ARC202, ARC203, ARC301, ARC302, ARC402, ARC502, ARC701, ARC702, ARC900
from .model import OPT_IN, CheckInfo

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

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
    tier=OPT_IN,
    rationale=(
        "Every level of a class hierarchy is another file to read before a method call can be "
        "understood, and another place where an override can change behaviour from afar. Past a"
        " few levels the hierarchy is usually doing the job that small collaborating objects do"
        " better."
    ),
    instead=(
        "Flatten the hierarchy: move shared behaviour into collaborators the classes hold, and "
        "keep inheritance for interfaces."
        " Opt-in: read blind on three sets of registry packages nobody tuned it on (`benchmarks/bench_precision.py`), none of 8 findings was a chain a reviewer would flatten: a framework's estimator or command-mixin design, deprecated aliases, empty leaves. Name `ARC202`, or tag an ADR `composition`, where the team wants it."
    ),
    not_reported=(
        "Chains rooted in a framework's base class, by where the base is imported from: a "
        "third-party class (Tornado handlers, Django views and forms, DRF viewsets, Click "
        "commands, pydantic and SQLAlchemy models) or a standard-library framework "
        "(`unittest.TestCase`, `logging.Handler`, ...). Interfaces by convention (every method a stub) "
        "are not levels; classes without methods of their own (role markers, aliases) or with only private helpers and no constructor (capability "
        "mixins such as `HasCacheKey`) are passed through without counting as a level, and a class "
        "without methods is not reported itself (a leaf that only combines its bases adds nothing "
        "to read; the depth is its bases', reported where they are defined). A mixin is "
        "known by its name (`...Mixin`) or by its shape: a class with no constructor and no method "
        "that stores anything on `self`, whose bases are `object`, protocols or ABCs, or classes of "
        "the same shape (`class BasicKeyCommands(CommandsProtocol)`, `class "
        "AsyncModuleCommands(ModuleCommands)`), listed beside another base (`class "
        "BaseEstimator(ReprMixin, _MetadataRequester)`) is not a level; the same class as a lone "
        "base still is, and so is one deriving from a class with state."
    ),
)
ARC203_INFO = CheckInfo(
    code=ARC203,
    title="Shallow wrapper class",
    principle="deep-modules",
    severity=INFO,
    default_options={"min-methods": 3},
    option_types={"min-methods": "int"},
    tier=OPT_IN,
    rationale=(
        "A class whose every public method just hands its arguments to the same inner object "
        "adds a name and a file but hides nothing: callers still have to know everything about "
        "the inner object's behaviour. Good modules are deep: a small interface in front of "
        "real work, such as retries, caching, translation to domain terms or validation."
    ),
    instead=(
        "Let callers use the wrapped object directly, or give the wrapper real work (a domain "
        "vocabulary, caching, retries, validation) behind a smaller interface."
        " Opt-in: read blind on registry packages nobody tuned it on, its findings were test doubles and adapters between a sync and an async interface, not pass-through layers. Name `ARC203`, or tag an ADR with its principle, where the team wants it."
    ),
    not_reported=(
        "Adapters that rename or convert, that turn a sync object into an async interface "
        "(`async def` methods forwarding to sync calls), or that implement an ABC, protocol or "
        "interface base callers are typed against; and wrappers whose work is elsewhere: the inner object "
        "is a property of the class (created lazily), or the class speaks a protocol through its "
        "dunders (`__aenter__`, `__await__`, `__iter__`, `__call__`, `__getattr__`)."
    ),
)
ARC301_INFO = CheckInfo(
    code=ARC301,
    title="Whole file-tree work on the event loop",
    principle="async",
    severity=WARNING,
    tier=OPT_IN,
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
        " Opt-in: read blind on registry packages nobody tuned it on, none of 6 findings was worth "
        "changing: coroutines that nothing runs beside (a tool driving each coroutine with its own "
        "`asyncio.run`), a temporary folder of two log files, a cleanup its guard never runs. Whether the "
        "loop serves anyone else and how big the tree is are the team's knowledge: name `ARC301` where "
        "an event loop serves requests."
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
    tier=OPT_IN,
    rationale=(
        "A loop that catches a failure and immediately tries again turns one outage into a "
        "storm: it hammers the failing service as fast as the CPU allows, never gives up, and "
        "hides the error from whoever could act on it. Retries need a pause that grows between "
        "attempts and a limit after which the error is raised."
    ),
    instead=(
        "Retry a bounded number of times with exponential backoff and jitter (for example with "
        "tenacity or backoff), then re-raise."
        " Opt-in: read blind on three sets of registry packages nobody tuned it on, none of 9 findings retried a failing call at once: optimistic-lock retries (`WatchError`), streaming read loops, waits on a lock or a future. Name `ARC402`, or tag an ADR with its principle, where the team wants it."
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
        "error into a status they test to leave (`ret = e.args[0]` then `if ret != AGAIN: break`); "
        "streaming read loops that read on outside the `try` between passes (`stream.read(BLOCK)`, "
        "`readline()`, `next(it)`, a parser `feed`), whose handler only probes state; and handlers "
        "that raise, return or break on every path (an `if`/`else` of two raises)."
    ),
)
ARC502_INFO = CheckInfo(
    code=ARC502,
    title="N+1 query: a query per loop iteration",
    principle="data-layer",
    severity=WARNING,
    tier=OPT_IN,
    rationale=(
        "Issuing one query per item of a loop makes the number of round trips grow with the "
        "data: fast with ten rows in a test, slow with ten thousand in production. The database"
        " can answer the whole question at once, and the repository is the place to ask it that"
        " way. Read blind on registry packages, 11 of 75 findings were right (the twenty-seventh"
        " set alone: 0 of 46): per-row updates in one-off schema migrations, loops over a few"
        " configured items, and lookups in an in-process SQLite file, where a query costs"
        " microseconds and there is no round trip to save. Whether a loop is long and the database"
        " remote is not in the code, so it is opt-in: name `ARC502`, or adopt it in an ADR tagged"
        " `data-layer`; `select = [\"ALL\"]` does not turn it on."
    ),
    instead=(
        "Load everything the loop needs in one query (an IN clause, a join, selectinload, or a "
        "repository method that takes many ids) before the loop."
    ),
    not_reported=(
        "Building a query nothing runs in the loop (`.filter(...)`, `.subquery()`); reading rows "
        "of one statement (`cursor.fetchmany`); batches (a loop over `chunks(...)`, "
        "`itertools.batched`, `groupby`, `range(0, n, step)` or a slice per pass, an `.in_(...)` "
        "or a list of parameter rows, also one built in a `while` loop: `list(codes) + [pk]`); a "
        "`while` loop that pages (`.limit(n)`, `.offset(...)`); a different statement per pass, "
        "where the loop's item is the table or model read (`table.delete()`, `delete(model)`, "
        "`session.query(model)`, `.select_from(table)`, `.join(model)`, `model.__table__`, "
        "`model._meta.db_table`), DDL constructs, `PRAGMA`, `CREATE`, `LISTEN`, `INSTALL`/`LOAD`, "
        "or a query of the database's catalog (`pg_proc`, `information_schema`, `sqlite_master`); "
        "a loop over values written in the code (`for model in (A, B, C)`, "
        "`for privilege in [\"INSERT\", \"UPDATE\"]`, or a constant bound once to such a literal): "
        "the code fixes the number of passes, so it does not grow with the data; a loop that "
        "returns, breaks or raises on its first pass (no `continue` before): it runs the statement "
        "once; data migrations (a `migrations/` folder or a `migration.py` module) and schema upgrade steps (a function decorated `@….upgrade(...)`, `@migration`, or alembic's `upgrade`/`downgrade`). A query chain "
        "is one finding, named by the call that runs it. A loop over rows inside (or around) a loop "
        "over tables is still reported: each row is its own round trip."
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
        "store. Reported only for what is a credential by its form: a vendor-format key "
        "(`sk_live_`, `ghp_`, `xox…`, `sk-ant-`, an AWS key id, with its secret access key when "
        "one is beside it), a complete private key, a database URL with a chosen password "
        "(percent-encoded too, `pa%23ss`), such a token split "
        "over concatenated literals."
    ),
    instead=(
        "Read the secret from the environment or a secret manager at start-up, and rotate the "
        "one that was committed."
    ),
    not_reported=(
        "A value judged only by the name it is bound to, and shapes without a vendor (a JSON Web "
        "Token, `Bearer`/`Basic` credentials, a non-database URL with a password), and a Google "
        "API key (`AIza…`, whose form does not tell a browser key a site ships in its pages from "
        "a server key: every one read blind was a scraper's copy of a site's public key): those "
        "are ARC702, reported once a team adopts `security` or names it. A truncated private key in "
        "documentation; structural shapes in tests and in docstrings (a database URL whose "
        "password looks chosen is still reported there); in test code only vendor-format keys."
    ),
)
ARC702_INFO = CheckInfo(
    code=ARC702,
    title="Secret-looking value bound to a secret name",
    principle="security",
    severity=WARNING,
    tier=OPT_IN,
    rationale=(
        "A long random-looking literal bound to a name such as `api_key`, `auth_token` or "
        "`DB_PASSWORD`, or a credential shape no vendor owns (a JSON Web Token, `Bearer`/`Basic` "
        "credentials, a URL with a password that is no database's), may be a committed secret. "
        "It is judged by the name and the value's look, not by a form only credentials have: "
        "in blind readings of registry packages (benchmarks/precision_verdicts.jsonl) none of "
        "the 33 ARC701 findings read was right, and besides documentation's truncated keys and "
        "placeholder URLs the wrong ones were values judged by their name: identifiers, a "
        "constant equal to its own name, a wire-protocol sentinel (`_special_secret_sig`), an "
        "alphabet, an Enum of public Active Directory GUIDs, the NT hash of the empty password "
        "bound to `oldPwdHashNT`. Split out as its own code, it was read blind again on four more "
        "sets (seventeenth to twentieth): 0 of 20 right: template placeholders "
        "(`ZULIP_API_KEY = \"0123456789abcdef...\"` under \"Change these values\"), telemetry "
        "project keys meant to ship in clients (PostHog `phc_...`), the published key of a local "
        "storage emulator, generated field maps (`{\"key\": \"CustomerProvidedKeySha256\"}`). "
        "Whether a value is a live secret is not in the code, so it is opt-in: name `ARC702`, or "
        "adopt it in an ADR tagged `security`; `select = [\"ALL\"]` does not turn it on. The "
        "certain kinds stay ARC701 for everyone. The chat's redaction masks both kinds whatever "
        "is adopted."
    ),
    instead=(
        "Read the value from the environment or a secret manager; if it is no secret (a public "
        "id, a sentinel, a published hash), rename it or suppress the line with the reason."
    ),
    not_reported=(
        "Values that cannot be credentials whatever they are bound to: placeholders "
        "(`changeme`, `${VAR}`), templates, the name itself (`FOO_TOKENS = \"foo_tokens\"`), "
        "an environment variable's name, identifiers and import paths, regular expressions, file "
        "names, version-1 UUIDs, hashes of empty input, base64 of plain JSON (a page token); "
        "`auth = \"bearer\"` (a scheme); prose in docstrings; anything in test code."
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
        "other check is silent on it until the syntax error is fixed. Not reported for syntax "
        "of a newer Python than the one the server runs on (PEP 695 type parameters and `type` "
        "statements before 3.12, template strings before 3.14) when ruff's parser reads the file: "
        "the log says once that only ruff's checks ran on it. Nor, in a workspace check, for a "
        "Jinja/cookiecutter template (the failing line holds `{{` or `{%` outside its strings, or "
        "the file sits under a `{{...}}` folder): it is Python only once rendered; nor for test "
        "code (test data broken on purpose, such as a repository of jobs that do not import; a "
        "test file that does not parse fails the test run itself; `in-tests = true` reports it). "
        "The log says each once, and a file open in the editor still shows its parse error."
    ),
    instead="Fix the syntax error; the architecture checks run again once the file parses.",
)

ENTRIES = tuple(info for name, info in sorted(globals().items()) if name.endswith("_INFO"))
"""This module's records, in code order."""
