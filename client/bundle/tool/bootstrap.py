"""Starts the Python Architect language server for the VS Code extension (owned by packaging).

Run as ``<python> <extension>/bundled/tool/bootstrap.py``. It owns what happens before the
server's first byte:

- refuses Python older than 3.10 with one stderr line and exit code 3 (this file therefore
  parses under any Python: no f-strings, no annotations);
- puts the bundled libraries on ``sys.path``: ``bundled/libs-cp3XX`` (compiled parts for this
  CPython) and ``bundled/libs`` (pure files) FIRST for ``useBundled`` (the default), LAST for
  ``fromEnvironment`` (env ``PYTHON_ARCHITECT_IMPORT_STRATEGY``); run from the repository (no
  ``bundled/`` next to ``tool/``) it uses the repository's ``server/`` directory instead;
- UTF-8 mode (``PYTHONUTF8=1`` semantics) for the server and the processes it starts;
- keeps the real stdin/stdout for JSON-RPC and points file descriptors 0 and 1 at /dev/null and
  stderr, so nothing a dependency or a child process prints can corrupt the protocol;
- points ruff_bridge at the bundled ruff executable (``PYTHON_ARCHITECT_RUFF``);
- writes bytecode under ``PYTHON_ARCHITECT_PYCACHE_PREFIX`` (the client sets it when the
  extension's folder is read-only) unless the bundle ships the server's own bytecode for this
  CPython, which a prefix would hide (``client/scripts/bytecode.py``: most targets ship it for
  CPython 3.11, so a read-only install there compiles nothing at start; elsewhere, and for the
  other versions, it compiles everything once, under the prefix);
- starts the start-up clock (``PYTHON_ARCHITECT_STARTED``, read by ``python_architect.lsp.startup``).

Exit codes: 3 Python too old, no bundled libraries for this CPython, or the universal build
(``bundled/tool`` alone) run with ``useBundled``; 4 the server cannot be imported (one line names
the missing module).
"""

# ruff: noqa: UP031 - %-formatting on purpose: this file must parse under old Pythons
import os
import sys
import time

MIN_VERSION = (3, 10)
IMPORT_STRATEGY_ENV = "PYTHON_ARCHITECT_IMPORT_STRATEGY"
STARTED_ENV = "PYTHON_ARCHITECT_STARTED"  # the start-up clock's zero (python_architect.lsp.startup)
RUFF_ENV = "PYTHON_ARCHITECT_RUFF"
PYCACHE_PREFIX_ENV = "PYTHON_ARCHITECT_PYCACHE_PREFIX"
EXIT_UNSUPPORTED = 3
EXIT_IMPORT = 4


def version_error(version_info):
    """The one-line refusal for an unsupported interpreter, or None when it is supported."""
    if tuple(version_info[:2]) >= MIN_VERSION:
        return None
    return "python-architect: Python %d.%d is too old: the server needs Python %d.%d or newer (%s)" % (
        version_info[0], version_info[1], MIN_VERSION[0], MIN_VERSION[1], sys.executable)


def library_paths(tool_dir, version_info, strategy):
    """(paths to put first, paths to put last, error) for the layout around ``tool_dir``."""
    root = os.path.dirname(os.path.abspath(tool_dir))
    libs = os.path.join(root, "libs")
    if not os.path.isdir(libs):
        # Running from a clone: client/bundle/tool/bootstrap.py -> <repo>/server.
        server = os.path.join(os.path.dirname(os.path.dirname(root)), "server")
        if not os.path.isdir(os.path.join(server, "python_architect")):
            # The universal VSIX: the server comes from the interpreter's environment only.
            if strategy == "fromEnvironment":
                return [], [], None
            return [], [], ("python-architect: this build bundles no libraries (the universal VSIX): set "
                            "pythonArchitect.importStrategy to fromEnvironment and run "
                            "'%s -m pip install python-architect'" % sys.executable)
        return ([server], [], None) if strategy != "fromEnvironment" else ([], [server], None)
    compiled = os.path.join(root, "libs-cp%d%d" % (version_info[0], version_info[1]))
    paths = [compiled, libs] if os.path.isdir(compiled) else [libs]
    if strategy == "fromEnvironment":
        return [], paths, None
    if not os.path.isdir(compiled):
        shipped = sorted(name[len("libs-cp"):] for name in os.listdir(root) if name.startswith("libs-cp"))
        return [], [], ("python-architect: the bundled server has no libraries for Python %d.%d (bundled: %s); "
                        "select a supported interpreter or set pythonArchitect.importStrategy to fromEnvironment"
                        % (version_info[0], version_info[1], ", ".join(v[0] + "." + v[1:] for v in shipped)))
    return paths, [], None


def bundled_ruff(paths):
    for base in paths:
        candidate = os.path.join(base, "bin", "ruff.exe" if os.name == "nt" else "ruff")
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def shipped_bytecode(paths, cache_tag):
    """True when the bundled server itself comes with bytecode for this CPython (``cpython-311``)."""
    for base in paths:
        if os.path.isfile(os.path.join(base, "python_architect", "__pycache__", "__init__.%s.pyc" % cache_tag)):
            return True
    return False


def bytecode_prefix(paths, cache_tag, requested):
    """Where this start writes bytecode: ``requested`` (a writable folder the client chose because
    the bundle's own is not), or None (beside the sources, or the shipped bytecode is used)."""
    if not requested or shipped_bytecode(paths, cache_tag):
        return None
    return requested


def protect_stdio():
    """The protocol's (stdin, stdout) binary streams; fds 0 and 1 no longer reach the client.

    A ``print`` from any module goes to stderr (``sys.stdout`` and fd 1 both point there), and a
    child process inheriting stdin reads /dev/null instead of the client's requests.
    """
    # Buffered: pygls reads a message body with read(n), which must return all n bytes.
    proto_in = os.fdopen(os.dup(0), "rb")
    proto_out = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    sys.stdout = sys.stderr
    return proto_in, proto_out


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not os.environ.get("PYTHON_ARCHITECT_NO_REEXEC") or STARTED_ENV not in os.environ:
        os.environ[STARTED_ENV] = repr(time.time())  # kept across the re-execution below
    message = version_error(sys.version_info)
    if message:
        sys.stderr.write(message + "\n")
        return EXIT_UNSUPPORTED
    if not sys.flags.utf8_mode and os.name == "posix" and not os.environ.get("PYTHON_ARCHITECT_NO_REEXEC"):
        # UTF-8 mode is decided at start-up (open(), std streams, subprocess text): restart in it.
        os.environ["PYTHONUTF8"] = "1"
        os.environ["PYTHON_ARCHITECT_NO_REEXEC"] = "1"
        os.execv(sys.executable, [sys.executable, "-X", "utf8", os.path.abspath(__file__)] + list(argv))
    os.environ["PYTHONUTF8"] = "1"  # for the processes the server starts (ruff)
    if hasattr(sys.stderr, "reconfigure"):
        sys.stderr.reconfigure(encoding="utf-8", errors="backslashreplace")

    strategy = os.environ.get(IMPORT_STRATEGY_ENV) or "useBundled"
    if strategy not in ("useBundled", "fromEnvironment"):
        sys.stderr.write("python-architect: unknown %s=%r, using useBundled\n" % (IMPORT_STRATEGY_ENV, strategy))
        strategy = "useBundled"
    tool_dir = os.path.dirname(os.path.abspath(__file__))
    first, last, error = library_paths(tool_dir, sys.version_info, strategy)
    if error:
        sys.stderr.write(error + "\n")
        return EXIT_UNSUPPORTED
    if sys.path and os.path.abspath(sys.path[0] or os.curdir) == tool_dir:
        del sys.path[0]  # this folder holds nothing importable
    sys.path[:0] = first
    sys.path.extend(last)
    # ruff's own finder prefers the interpreter's scripts folder; the bundled ruff must win for
    # useBundled. For fromEnvironment the environment's ruff, else the bundled one, is found there.
    ruff = bundled_ruff(first)
    if ruff:
        os.environ[RUFF_ENV] = ruff
    prefix = bytecode_prefix(first, sys.implementation.cache_tag, os.environ.pop(PYCACHE_PREFIX_ENV, ""))
    if prefix:
        sys.pycache_prefix = prefix  # read by every import from here on

    proto_in, proto_out = protect_stdio()
    try:
        import logging

        try:  # what attrs and cattrs compiled at the last start (older servers have no such module)
            from python_architect.lsp import generated_code
        except ImportError:
            pass
        else:  # with the code the bundle ships for this CPython (its libs-cp3XX folder)
            shipped = first[0] if first and os.path.basename(first[0]).startswith("libs-cp") else None
            generated_code.install(shipped)
        try:
            from python_architect.lsp.app import create_server
        except ModuleNotFoundError as missing:  # an environment's python-architect from before lsp/app.py
            if missing.name != "python_architect.lsp.app":
                raise
            from python_architect.lsp.server import create_server  # type: ignore[attr-defined,no-redef]
    except ImportError as exc:
        sys.stderr.write("python-architect: cannot start the server with %s (%s, importStrategy %s): %s\n"
                         % (sys.executable, sys.version.split()[0], strategy, exc))
        return EXIT_IMPORT
    # pygls logs whole messages at INFO (initialization options included): keep it quiet.
    logging.getLogger("pygls").setLevel(logging.WARNING)
    create_server().start_io(proto_in, proto_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
