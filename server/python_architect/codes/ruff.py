"""The curated ruff codes: the principle, default severity, title and rationale of each.

Ruff implements these; the ruff bridge (``analysis.ruff_bridge``) runs it and decides what is
selected. Their metadata lives here, with every other code's, so hover, SARIF, relevance and
the rules doc never need the bridge. Severity and tier changes for the curated set are made here (``error`` is kept for
high-confidence merge blockers, which no curated ruff code is on its own).
"""

from __future__ import annotations

from ..findings import Severity
from .model import CORE, JUDGMENT, OPT_IN, CheckInfo

WARN, ERR, INFO = Severity.WARNING, Severity.ERROR, Severity.INFO
_SECURITY_WHY = "Untrusted input reaching this call can run code or leak data; the safe form costs nothing."
_CONSTANT_SHELL = (" Not reported when the command line is a literal (a string or a list of strings) with nothing "
                   "interpolated but constants named in capitals (`f\"irm {Bun.INSTALL_URL}|iex\"`): no input reaches the shell. "
                   "On real code a variable command line was a deliberate user command (a pager, an editor, a "
                   "`pipe` lookup) far more often than injection.")
_BLOCKING_WHY = ("A blocking call inside `async def` stalls the event loop: every other request served "
                 "by that loop waits until it returns. Not reported in a coroutine that runs alone on a loop "
                 "of its own (defined in a plain function and only driven there by `asyncio.run` or "
                 "`run_until_complete`, also from a worker thread: `pool.submit(asyncio.run, main(path))`), "
                 "nor on a call the process ends right after (`os._exit(...)` is the next statement).")

# code: (principle, severity, title, rationale)
CURATED: dict[str, tuple[str, Severity, str, str]] = {
    "ASYNC100": ("async", WARN, "Cancel scope without a checkpoint", "A timeout scope with no `await` inside can never fire: the deadline is checked only at checkpoints."),
    "ASYNC105": ("async", WARN, "Trio call not awaited", "An un-awaited async call does nothing; the work silently never happens."),
    "ASYNC109": ("async", WARN, "Async function takes a `timeout` parameter", "Timeouts belong to the caller's cancel scope (`asyncio.timeout`), not to each coroutine's signature. A structured-concurrency (trio, anyio) convention: asyncio's own API takes `timeout=` arguments, so `select = [\"ALL\"]` or a prefix does not adopt this check; name `ASYNC109` itself, or adopt it in an ADR."),
    "ASYNC110": ("async", WARN, "Busy-wait with sleep in a loop", "Polling with `sleep` in a loop wastes the loop and adds latency; wait on an Event instead. Not reported for `while True: await sleep(n)` with nothing else in the loop: keeping a task alive, there is no condition to wait for. Nor for a poll whose test reads a deadline (`while value is None and monotonic() < deadline`, `while not try_unlink(path, deadline=deadline)`): a bounded wait for state outside the loop (a file another process holds, a value a thread sets), where no Event of the loop's own would fire."),
    "ASYNC115": ("async", INFO, "`sleep(0)` used as a checkpoint", "A zero sleep hides intent; the explicit checkpoint says what it is for. Not reported inside a `while` loop that only sleeps: that busy-wait is ASYNC110's finding."),
    "ASYNC116": ("async", INFO, "Very long sleep", "A sleep longer than a day is really 'forever' and should say so."),
    "ASYNC210": ("async", WARN, "Blocking HTTP call in async function", _BLOCKING_WHY),
    "ASYNC212": ("async", WARN, "Blocking httpx call in async function", _BLOCKING_WHY),
    "ASYNC220": ("async", WARN, "Blocking subprocess creation in async function", _BLOCKING_WHY),
    "ASYNC221": ("async", WARN, "Blocking process run in async function", _BLOCKING_WHY),
    "ASYNC222": ("async", WARN, "Blocking process wait in async function", _BLOCKING_WHY),
    "ASYNC230": ("async", WARN, "Blocking file open in async function", _BLOCKING_WHY + " Opt-in: read in the source on packages nobody tuned it on (`benchmarks/precision_verdicts.jsonl`), 1 of 5 adopted findings was one a reviewer would act on; the rest were a tiny local read or write (a few-hundred-byte JSON at start-up, one appended cache line), a developer-only endpoint, or a coroutine only ever driven by `asyncio.run` from sync code, and whether a file is small or read once is not in the syntax. Name `ASYNC230`, or adopt it in an `async` ADR, where every file read on the loop matters. Whole-tree work (ARC301) and processes (ASYNC221) stay core."),
    "ASYNC240": ("async", WARN, "Blocking path operation in async function", _BLOCKING_WHY + " Not reported for path functions that read no file and list no folder (`os.path.join`, `normpath`, `expanduser`, `abspath`, `realpath`, `Path.resolve()`, `Path.absolute()`); `exists`, `stat`, `glob`, `rglob`, `iterdir` stay. Opt-in: of 3 adopted findings read in the source on packages nobody tuned it on, none was one a reviewer would act on (one `mkdir(exist_ok=True)`, a `getsize` of a file an awaited subprocess just wrote): a single metadata syscall costs microseconds, and the syntax cannot tell it from a walk over a large tree. Name `ASYNC240`, or adopt it in an `async` ADR."),
    "ASYNC250": ("async", WARN, "Blocking `input()` in async function", _BLOCKING_WHY),
    "ASYNC251": ("async", WARN, "`time.sleep` in async function", _BLOCKING_WHY),
    "RUF006": ("async", WARN, "Dangling asyncio task", "The loop keeps only a weak reference to a task; without one of your own it can be garbage-collected mid-flight."),
    "S113": ("resilience", WARN, "HTTP request without timeout", "Without a timeout one slow dependency hangs the caller forever and exhausts its workers. Not reported for an explicit `timeout=None`: the author decided, in the code, to wait (every one read blind on registry packages was deliberate: a client whose short default broke large uploads, a proxy to its own local process). Nor in a wrapper that forwards its caller's `**kwargs` (the timeout is the caller's to give), nor where the options handed on (`**params`) are a dict the function builds, every time, with a `timeout` key, nor in a click or Typer command or a method of a command-line command class (a base named `…Command` and declared command-line options: `cmd_options`, `add_arguments`, `user_options`, `get_parser`; or Django's `BaseCommand` with `handle`; a command-pattern class a web request runs declares none and stays reported), nor in a helper that only command-line code calls: within its module every caller is a click/Typer command, a function that parses `sys.argv` or builds an `ArgumentParser`, the `if __name__ == \"__main__\":` block (a maintainer's script), or another such helper, and no sibling module of its folder imports and calls it (a person at a terminal watches it and presses Ctrl-C). A helper library code calls too, one listed in `__all__`, or one handed on as a callback stays reported. In a command-line front end beside its library (a package `<name>_cli` next to `<name>`), a helper no module-mate calls counts as command-line code too. Nor for a one-shot request whose URL the function spells as a loopback address (`http://localhost:…`, `127.0.0.1`, `[::1]`): the program's own local server, started by it (a prediction posted to the container an SDK started for local debugging). A probe stays reported: a request in a loop or in a function named for a health check, ping, readiness or wait, whose caller's deadline a hung request defeats; so does any URL whose host comes from a variable or configuration."),
    "BLE001": ("resilience", WARN, "Blind `except Exception`", "Catching everything hides bugs as well as the failures you meant to handle; name the exceptions you can recover from. Not reported for a deliberate boundary: the handler logs the traceback (`logger.exception`, `exc_info=`), hands the exception on (`future.set_exception(exc)`, `self._error = exc`), raises in its place, exits the program, guards one cleanup call, returns the error to its caller, or logs at warning or above as the per-item boundary of a loop. `except Exception: pass`, a silent `return None` and a logged message around one call that has a narrower error stay. On real code most of what remains are deliberate fallbacks around calls that can raise anything (`repr`, `getattr`, `eval`, plug-ins), so `select = [\"ALL\"]` or a prefix does not adopt this check: name `BLE001`, or adopt it in an ADR."),
    "S110": ("resilience", WARN, "`try`-`except`-`pass`", "A swallowed exception leaves no trace: the failure resurfaces later, far from its cause. Not reported for a probe with an `else:`, best-effort cleanup (`conn.close()` and the like), or a value computed with a fallback after the handler (`try: return hash(obj)`, `n = os.sysconf(...)`). What remains on real code is nearly always deliberate (best-effort cache writes, probes, repr helpers), so `select = [\"ALL\"]` or a prefix does not adopt this check: name `S110`, or adopt it in an ADR."),
    "S608": ("data-layer", WARN, "SQL built from strings", "Query text assembled from values invites SQL injection; pass values as bound parameters. Not reported when every interpolated value is a quoted identifier (`\"{table}\"`, a `quote_identifier(...)` call). Nor when the text is not an SQL statement (it must start with `SELECT ... FROM`, `INSERT INTO`, `UPDATE ... SET`, `DELETE FROM`, `WITH ... AS (`; a sentence such as \"Select the best answer from ...\" is prose), when it is the message of an exception or a warning, in an Alembic migration, or when every interpolated value is a constant of the function. Most of what remains on real code is an ORM's own SQL compiler, so `select = [\"ALL\"]` or a prefix does not adopt this check: name `S608`, or adopt it in an ADR."),
    "T201": ("observability", INFO, "`print` instead of logging", "Printed output has no level, no logger name and no structure; operators cannot route or filter it. Not reported in a command-line module (one importing `argparse`, `click`, `typer`, `fire`, `curses`, a Django `BaseCommand`, defining `def main(` or a `@...command(` entry) or in a function whose job is to print (`print_*`, `show_*`, `dump*`, `display*`, `pprint*`), or under `if verbosity >= 2:` (output the user asked for). Opt-in: on packages read after the tuning, what remains was still mostly output that is the program's job (reporters, interactive shells, admin tools), which the syntax cannot tell from stray debugging; name `T201`, or adopt it in an `observability` ADR."),
    "G004": ("observability", INFO, "f-string in a logging call", "Formatting before the level check wastes work and loses the message template that log tools group by. Reported only where it costs: at `debug` level inside a loop, where the message is built for nothing, over and over, when the level is off. A one-off message (also one in a loop that returns, raises or breaks out right after it), or one at `info` and above (built anyway), is not reported. Nor is one built only when it is emitted: under a level guard (`if logger.isEnabledFor(logging.DEBUG):`, any logger and level; `if debug:` where `debug` is only ever bound from that test; `if is_debug_log_enabled():`, a helper named for the test or a function of the file that returns it; `if logger.level <= logging.DEBUG:` or `getEffectiveLevel()` compared with a level; an attribute flag named for diagnostics, `if self.trace_enabled:`, `if options.debug:`), or in an `except` handler of the loop (a retry loop's redirect: built once per error caught)."),
    "TRY400": ("observability", INFO, "`logging.error` in an except block", "`logger.exception` records the traceback; `error` throws away the evidence needed to debug. Not reported when the handler ends in a bare `raise`: the traceback travels on. Nor when the call records the traceback anyway (`exc_info=e`, `exc_info=1`, a tuple, a flag), the handler raises (or the branch that logs re-raises the caught exception: `raise` or `raise e`) or exits the program (its message is for the user), or it hands the exception object to a call that records it. Nor when the same handler logged the traceback before (`log.exception` then a `log.error` hint), the message is built from the traceback (`traceback.format_exc()`, `sys.exc_info()` among the arguments), or it catches only named exception types (`except ValueError`, `except redis.ConnectionError`, `except asyncio.TimeoutError`): an expected failure whose message states the cause, where a traceback per occurrence is noise. What stays is the case the rule exists for: a broad handler (`except Exception`, `BaseException`, a bare `except`) that keeps only the message of an unexpected error."),
    "S301": ("security", WARN, "`pickle` deserialisation", _SECURITY_WHY + " Not reported for `pickle.loads(pickle.dumps(x))` (a copy or a picklability probe) or in a module that writes the pickles it reads (its own cache or save file), nor in a worker program whose file a sibling module of its package launches with a pickle it writes (a job shipped to a compute node), unless the data visibly comes from a request, a socket or an upload."),
    "S506": ("security", WARN, "Unsafe `yaml.load`", _SECURITY_WHY + " Not reported when the loader is a safe one: "
             "`SafeLoader`/`BaseLoader` (or their C versions), or a class of the project built on a safe constructor "
             "and nothing unsafe, followed through the file and the package's own modules, also when a "
             "function makes it (`Loader=get_yaml_loader()`, a class defined inside it). A constructor added "
             "for one named type (`python/object/apply:pathlib.Path`) keeps it safe; a generic `python/object` "
             "one does not. Nor when the document is a file the package ships beside its code (opened from a "
             "path built on `__file__`): as trusted as the code itself."),
    "S602": ("security", WARN, "`subprocess` with `shell=True`", _SECURITY_WHY + " Opt-in because it could not be made "
             "precise: on eleven registry packages nobody tuned on (`benchmarks/bench_precision.py`) none of its "
             "findings was one a reviewer would act on: each ran a command the operator supplies on purpose (a "
             "`$PAGER`, a `pipe` lookup, a developer's build script), and whether the text can come from someone "
             "else is not visible in the code. Name `S602` where no shell command is ever meant to run."),
    "S604": ("security", WARN, "Call with `shell=True`", _SECURITY_WHY + _CONSTANT_SHELL + " Nor when the call runs "
             "nothing: `dict(..., shell=True)`, `options.update(shell=...)`, a record's constructor."),
    "S307": ("security", WARN, "`eval` on data", _SECURITY_WHY + " Not reported for `eval` of a literal string (`eval(\"__IPYTHON__\")`), nor of annotations and forward references: a code object compiled from a syntax tree (in a local, or in an attribute its class only ever fills with `compile(...)`), or evaluation in a module's namespace (`globals()`, `f.__globals__`, `module.__dict__`, `sys.modules[...]`), nor of a value the enclosing `if` just held to a literal list (`if node.id in (\"True\", \"False\", \"None\"): eval(node.id)`). `eval(text)`, `eval(text, {\"__builtins__\": {}})` and `if name in ALLOWED: eval(name)` stay."),
    "S501": ("security", WARN, "TLS certificate verification disabled", "`verify=False` lets anyone on the network impersonate the server."),
    "S311": ("security", INFO, "Non-cryptographic random", "The `random` module is predictable; use `secrets` for tokens, keys and passwords. Reported only where the value becomes a secret: assigned to, passed as, keyed by or returned from a name with a word such as token, password, secret, key, nonce, salt, session, otp, csrf (stored under a key, the key is its name: `session['ClientGuid']` is an id). Nor when it only sizes secure bytes (`os.urandom(random.randint(lo, hi))`), nor for a record picked from a collection and unpacked into its parts (`pid, sid = random.choice(sentence_ids)`). A name beyond a call is not the value's: the keyword of a lambda handed on (`sort(key=lambda g: (g.load, random.random()))`, a tie-break), the target of a call the value was handed to (`token = fetch(url, headers={'DEVICE-ID': random_hex()})`); calls that only respell the value (`''.join`, `hexdigest`, `str`) keep the name. Jitter, backoff, sampling, shuffling and ids are not secrets, and a name that says so (`session_sampling_decision`, `auth_retry_jitter`) is no secret either."),
    "B006": ("memory", WARN, "Mutable default argument", "The default is created once and shared by every call: state leaks between callers. Reported when the function changes it (a mutating method, an item or attribute assigned, `+=`), directly, through an alias or closure, or by storing it on `self` where the class changes that attribute, or hands the object itself out (`return items`); a default that is only read, copied or passed on changes nothing and is not reported (a callee that mutates what it gets is not seen). Nor is a private parameter's default (`_cache={}`): not for callers, a memo kept on purpose. Nor one the function rebinds to a new object before any other use (`body = convert(body)`, `body = {}`): what it changes later is the new object; the same for a write that a copy made earlier in its own block precedes (`if new: settings = settings.copy()` then `settings[k] = v` there). An empty default (`{}`, `[]`) is falsy and has nothing in it: not reported when every path replaces it (`x = x or {}`), leaves on a test it passes (`if not x:`, `if KEY not in x: raise`) or an assert it fails (`assert len(x) > 0`), or only changes it under `if x:` / `if KEY in x:`, while iterating it (`for k, v in x.items(): x[k] = ...`) or by removing from it (`x.pop(k, None)`). A nested function that returns the default only to calls in its own function hands nothing out."),
    "B019": ("memory", WARN, "`lru_cache` on a method", "The cache holds `self` alive for ever: instances are never freed. Not reported when an explicit `maxsize=N` bounds the cache. Nor for a bare `lru_cache` / `lru_cache()` (its default `maxsize` is 128, bounded too), nor on a classmethod or staticmethod (no instance is kept)."),
}

# Judgment calls: right in some codebases, noise in others (measured on twelve real packages by
# benchmarks/bench_real.py): a CLI prints, a top-level handler catches everything, backoff jitter
# uses `random`, `eval` of annotation code has no `literal_eval` replacement, SQL text built from
# quoted identifiers is not injection. They report once the team adopts them (see ``JUDGMENT``).
JUDGMENT_CODES = frozenset({
    "ASYNC109", "ASYNC110", "ASYNC115", "ASYNC116", "ASYNC240", "BLE001", "S110", "S608", "T201",
    "G004", "TRY400", "S301", "S307", "S311", "B019",
    # Issue 21, read in the source on held-out packages: `shell=True` with a variable command was
    # by design every time (a user's PAGER or editor, ansible's `pipe` lookup, a dev script), and
    # `open()` in `async def` was a CLI command's or a tiny local read every time.
    "S602", "S604", "ASYNC230", "RUF006",
    # Issue 21's readings: mutable defaults, YAML loaders and `verify=False` (see ``OPT_IN_CODES``).
    "B006", "S506", "S501",
})

# Off unless named or adopted by an ADR (see ``OPT_IN``): measured imprecise on held-out code,
# each with its reason in the rationale above (benchmarks/bench_precision.py, issue 21):
# S602 (shell by design every time); ASYNC109: 47 of 47 on aiohttp, prefect and litestar were
# asyncio APIs taking a `timeout` as asyncio's own functions do; BLE001: after its deliberate
# boundaries were dropped, about one finding in four on twelve packages was one a reviewer would
# narrow (the rest guard calls that can raise anything and fall back on purpose); S110: none of 14
# on six packages read after the tuning; S608: of 18 left on sqlalchemy and django, 2 were worth
# acting on (the rest are an ORM's own SQL compiler). A team's raw SQL is another matter: adopt it
# by name or with a `data-layer` ADR.
# T201 too: after command-line modules, printing helpers and verbosity-gated output were dropped,
# 1 of 12 findings on six packages read after the tuning (django's `ogrinfo()`, hypothesis'
# reporter: printing is their job) was one a reviewer would act on.
# ASYNC230 and ASYNC240 (second reading, issue 21): 1 of 5 and 0 of 3 adopted findings right;
# tiny local reads, one metadata syscall, coroutines only run by `asyncio.run` from sync code.
# G004, S301 and S307 (third to fifth readings, issue 21: three sets of eight registry packages,
# each read blind on the code of its day): adopted findings right 3 of 40, 0 of 3 and 0 of 10. Each
# reading's wrong classes were fixed and the next set showed new ones (level guards spelled five
# ways, a pickle the package wrote itself, `eval` of a value held to a literal list, test helpers):
# whether the message costs, or the data is the program's own, lies outside the syntax.
# B019 (third to eighth readings): 1 of 4 adopted findings right; the cached methods were on
# objects made once per process (a CLI run's environment), whose lifetime the cache does not change.
# TRY400 (third to tenth readings): 44 of 93 adopted findings right after its classes were fixed
# reading by reading; whether a traceback adds anything to a stated cause is the team's call.
# RUF006 (eleventh reading): of 215 dangling tasks on litellm and pulumi, the readers disagreed on
# 133; the stricter verdict leaves 77 right: most coroutines never suspended (they ran to the end in
# their first step) or handed their work to a task a registry already tracked, which is outside
# the call site. Third to tenth readings: 3 of 4.
# B006, S506 and S501 (issue 21's blind readings, `benchmarks/precision_verdicts.jsonl`): 5 of 28,
# 0 of 8 and 1 of 6 default findings right, with each reading's refinements in place
# (ruff_refine_default.py, ruff_refine_empty_default.py, yaml_loaders.py); every new set of
# packages showed a shape the last fix did not cover. Whether a default changes only when the
# caller passed another value, a loader built through a factory is safe, or a host is the
# program's own lies outside the syntax. The refinements still apply where a team names the code
# or adopts it with a `memory` or `security` ADR.
# S604 and ASYNC115 (seventeenth to twenty-second readings): 0 of 16 and 0 of 1: a sandbox's
# shell API run with quoted values and constants, a documented zero sleep. ASYNC110 (seventeenth
# to twenty-fifth): 0 of 10, polls of state outside the loop.
OPT_IN_CODES = frozenset({"S602", "ASYNC109", "BLE001", "S110", "S608", "T201", "ASYNC230", "ASYNC240",
                          "G004", "S301", "S307", "B019", "TRY400", "RUF006", "S604", "ASYNC115", "ASYNC110", "B006", "S506", "S501"})

OPT_IN_WHY = {
    "S604": "Opt-in: read blind on registry packages nobody tuned it on (seventeenth to twenty-second "
            "sets), none of 16 findings was one a reviewer would act on: each called an API whose job "
            "is to run shell commands (a sandbox backend's `run(..., shell=True)`), with every value "
            "put into the line quoted (`shlex.quote`) or a constant, or was a shipped test suite. "
            "Name `S604`, or adopt it in a `security` ADR, where no shell command should ever run.",
    "ASYNC110": "Opt-in: read blind on registry packages nobody tuned it on (seventeenth to "
                "twenty-fifth sets), none of 10 findings was one a reviewer would act on: the loops "
                "polled state no Event of the loop's own could signal (a process's `returncode`, a "
                "file another process writes, a thread's future, a paced clock), or were test "
                "helpers; 2 of 2 before that. Name `ASYNC110` where every wait should be an Event.",
    "ASYNC115": "Opt-in: read blind on registry packages nobody tuned it on, the one zero sleep found "
                "was documented in its function (`yield once so queued callbacks run`), and "
                "`anyio.sleep(0)` is the checkpoint. Name `ASYNC115` where the team prefers the "
                "explicit spelling.",
    "G004": "Opt-in: read blind on three sets of registry packages nobody tuned it on "
            "(`benchmarks/bench_precision.py`), 3 of 40 adopted findings were worth changing: the "
            "message was built under a level guard, once per error or at start-up far more often "
            "than over and over for nothing. Name `G004` where the team wants lazy logging everywhere.",
    "S301": "Opt-in: read blind on registry packages nobody tuned it on, none of its findings "
            "loaded data from outside: the pickles were the program's own (a job file it wrote, a "
            "cache). Name `S301` where pickles may come from users.",
    "S307": "Opt-in: read blind on four sets of registry packages nobody tuned it on, none of 10 "
            "adopted findings evaluated outside input: a developer's own templates, a debugger's "
            "`eval` API, test helpers, a guarded constant. Name `S307` where user input can reach `eval`.",
    "TRY400": "Opt-in: read blind on eight sets of registry packages nobody tuned it on, 44 of 93 "
              "adopted findings were worth changing, after each set's classes were fixed: most of the "
              "rest wrapped one call whose error already states its cause (`os.remove`, a request), "
              "or a failure the code expects and explains. Name `TRY400`, or tag an ADR "
              "`observability`, where the team wants every broad handler to keep its traceback.",
    "RUF006": "Opt-in: read blind on registry packages nobody tuned it on, 80 of 219 findings were "
              "worth changing (two readers disagreed on most; the stricter verdict counts): the "
              "wrapped coroutine often never suspends, so it finishes in its first step and cannot be "
              "collected mid-flight, or it hands its work to a task the project already tracks. "
              "Whether a task can be lost depends on the coroutine, not the call site. Name `RUF006`, "
              "or tag an ADR `async`, where fire-and-forget tasks should always be kept.",
    "B019": "Opt-in: read blind on registry packages nobody tuned it on, 1 of 4 adopted findings was "
            "worth changing: the others cached methods of objects made once per process (a command "
            "run's environment), which live as long as the cache anyway. Name `B019` where instances "
            "come and go.",
    "B006": "Opt-in: read blind on registry packages nobody tuned it on, 5 of 28 findings were worth "
            "changing, after each set's classes were fixed: the rest were defaults only read or popped, "
            "changed only when the caller passed a value of its own (`feat_idx=[0]` advanced only when "
            "`feat_cache` is given), written over and over with the same constants, or rebound through "
            "a helper before any change. Whether the shared object ever changes depends on the callers, "
            "not the signature. Name `B006`, or tag an ADR `memory`, where no default may be shared.",
    "S506": "Opt-in: read blind on registry packages nobody tuned it on, none of 8 findings loaded "
            "untrusted YAML with an unsafe loader: the loaders were the project's own, built on "
            "`SafeLoader` through factories and subclasses spelled a new way in each package, or the "
            "documents were the package's own shipped files. Name `S506`, or tag an ADR `security`, "
            "where YAML may come from users.",
    "S501": "Opt-in: read blind on registry packages nobody tuned it on, 1 of 6 findings was worth "
            "changing: the others turned verification off towards the program's own local backend (an "
            "emulator's own processes on 127.0.0.1, self-signed by design) or in a reachability probe "
            "that reads only a status code. Whose server it is lies outside the call. Name `S501`, or "
            "tag an ADR `security`, where every outbound connection must be verified.",
}
"""Why each code added to the opt-in tier by the blind readings is there, appended to its rationale."""

ENTRIES = tuple(
    CheckInfo(code=code, title=title, principle=principle, severity=severity, scope="ruff",
              rationale=f"{rationale} {OPT_IN_WHY[code]}" if code in OPT_IN_WHY else rationale,
              tier=OPT_IN if code in OPT_IN_CODES else JUDGMENT if code in JUDGMENT_CODES else CORE)
    for code, (principle, severity, title, rationale) in CURATED.items()
)


def family_info(code: str) -> CheckInfo | None:
    """A record for a ruff code outside the curated list whose family belongs to one principle
    (every flake8-async code is about blocking the loop); None for anything else."""
    if code.startswith("ASYNC"):
        return CheckInfo(code=code, title=f"{code} (flake8-async)", principle="async", severity=WARN,
                         rationale=_BLOCKING_WHY, scope="ruff")
    return None
