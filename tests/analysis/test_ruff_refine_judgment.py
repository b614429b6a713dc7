"""The judgment tier's ruff codes made worth adopting (issue 21): each false-positive class read
in real packages, next to its true-positive twin, on ruff's real output; then the same through
the CLI's batch path, which refines on a tree of only the statements around the findings."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from python_architect.analysis import ruff_bridge
from python_architect.analysis.context import is_test_path
from python_architect.analysis.ruff_refine import post_process
from trees import write_tree

LOG = "import logging\nlog = logging.getLogger(__name__)\n\n"

# (code, false positive, its true-positive twin); None where one shape stands alone
TWINS = [
    # TRY400: the traceback is recorded (exc_info=), the exception raised on or handed on (broad
    # handlers: one of a named type is dropped as an expected failure, test_precision_logging).
    ("TRY400", LOG + "def f(g):\n    try:\n        g()\n    except Exception as e:\n        log.error('x %s', e, exc_info=e)\n",
     LOG + "def f(g):\n    try:\n        g()\n    except Exception as e:\n        log.error('x %s', e)\n"),
    ("TRY400", LOG + "def f(g):\n    try:\n        g()\n    except Exception:\n        log.error('x', exc_info=(1, 2, 3))\n",
     LOG + "def f(g):\n    try:\n        g()\n    except Exception:\n        log.error('x', exc_info=False)\n"),
    ("TRY400", LOG + "def f(g):\n    try:\n        g()\n    except Exception as e:\n        log.error('x')\n        raise LookupError('y') from e\n",
     LOG + "def f(g):\n    try:\n        g()\n    except Exception as e:\n        log.error('x')\n        return e.args\n"),
    ("TRY400", LOG + "def f(g, h):\n    try:\n        g()\n    except Exception as e:\n        log.error('x: %s', e)\n        h.handle_exception(e)\n",
     LOG + "def f(g, h):\n    try:\n        g()\n    except Exception as e:\n        log.error('x: %s', e)\n        h.handle_exception(str(e))\n"),
    ("TRY400", ("import logging\nimport sys\nlog = logging.getLogger(__name__)\n\ndef f(load):\n    try:\n        load()\n"
               "    except Exception as exc:\n        log.error(exc)\n        sys.exit(3)\n"),
     ("import logging\nlog = logging.getLogger(__name__)\n\ndef f(load):\n    try:\n        load()\n"
     "    except Exception as exc:\n        log.error(exc)\n        return None\n")),
    # S608: not SQL, a message for an exception or a warning, constants only, a migration.
    ("S608", "def ask(llm, t):\n    return llm(f'Answer briefly. If the table {t} is empty, reply SELECT 1 FROM dual')\n",
     "def ask(cur, t):\n    return cur.execute(f'SELECT 1 FROM {t} WHERE x = 1')\n"),
    ("S608", "def ask(llm, t):\n    return llm(f'Select the best answer from {t} and explain')\n",
     "def ask(cur, t):\n    return cur.execute(f'select best from {t} where x = 1')\n"),
    ("S608", "def f(stmt):\n    raise ValueError(\"Select statement '%r' returned no FROM clauses\" % stmt)\n",
     "def f(cur, col, v):\n    cur.execute('INSERT INTO t (%s) VALUES (1)' % col)\n"),
    ("S608", "def f(cur, fast):\n    view = 'sys.views' if fast else 'sys.all_views'\n    cur.execute(f'SELECT name FROM {view} WHERE 1 = 1')\n",
     "def f(cur, fast, row):\n    view = 'sys.views' if fast else row[0]\n    cur.execute(f'SELECT name FROM {view} WHERE 1 = 1')\n"),
    ("S608", "def f(cur, p, schema):\n    s = '%s.' % p.quote_identifier(schema)\n    cur.execute('SELECT sql FROM %(s)ssqlite_master WHERE 1 = 1' % {'s': s})\n",
     "def f(cur, p, schema):\n    s = '%s.' % schema\n    cur.execute('SELECT sql FROM %(s)ssqlite_master WHERE 1 = 1' % {'s': s})\n"),
    ("S608", ("revision = 'a1'\ndown_revision = None\n\ndef upgrade():\n    def batch(n):\n"
             "        return f'UPDATE flow SET done = 1 WHERE id IN (SELECT id FROM flow LIMIT {n})'\n"),
     ("revision = 'a1'\n\ndef upgrade():\n    def batch(n):\n"
     "        return f'UPDATE flow SET done = 1 WHERE id IN (SELECT id FROM flow LIMIT {n})'\n")),
    ("S608", ("def f(cur, quote_name, keys):\n    t = quote_name('cache')\n"
             "    cur.execute('SELECT v FROM %s WHERE k IN (%s)' % (t, ', '.join(['%s'] * len(keys))), keys)\n"),
     ("def f(cur, quote_name, keys):\n    t = quote_name('cache')\n"
     "    cur.execute('SELECT v FROM %s WHERE k IN (%s)' % (t, ', '.join(keys * 2)))\n")),
    # S301: a round trip of our own object, and a module reading back the pickles it writes.
    ("S301", "import pickle\n\ndef copy(x):\n    return pickle.loads(pickle.dumps(x))\n",
     "import pickle\n\ndef handle(request):\n    return pickle.loads(request.body)\n"),
    ("S301", ("import pickle\n\nclass Jar:\n    def save(self, f):\n        pickle.dump(self.c, f)\n\n"
             "    def load(self, f):\n        self.c = pickle.load(f)\n"),
     "import pickle\n\nclass Jar:\n    def load(self, f):\n        self.c = pickle.load(f)\n"),
    ("S301", None, "import pickle\n\ndef f(x, sock):\n    pickle.dumps(x)\n    return pickle.loads(sock.recv(1024))\n"),
    # S311: jitter, sampling, ids of links: only a value that becomes a secret is reported.
    ("S311", "import random\nimport time\n\ndef backoff(n):\n    time.sleep(random.uniform(0, 2 ** n))\n",
     "import random\n\ndef reset(user):\n    user.password = ''.join(random.choice('abc') for _ in range(12))\n"),
    ("S311", "import random\n\ndef pick(items):\n    return random.choice(items)\n",
     "import random\n\ndef make_token():\n    return random.randint(0, 10 ** 9)\n"),
    ("S311", "import random\n\ndef f(d):\n    d['link_id'] = random.randint(0, 999999)\n",
     "import random\n\ndef f(new):\n    return new(session_id=random.randint(0, 10 ** 9))\n"),
    # a record picked from a collection and unpacked (stanza's ``pid, sid = random.choice(ids)``)
    ("S311", "import random\n\ndef batch(ids):\n    pid, sid = random.choice(ids)\n    return pid, sid\n",
     "import random\n\ndef keys():\n    sid = random.choice(range(10 ** 9))\n    return sid\n"),
    # S307: eval of annotations in a module's namespace, or of compiled syntax trees.
    ("S307", "import sys\n\ndef hint(expression, module):\n    ns = sys.modules[module].__dict__\n    return eval(expression, ns)\n",
     "def calc(expression):\n    return eval(expression, {'__builtins__': {}})\n"),
    ("S307", "import ast\n\ndef default(node, ns):\n    code = compile(ast.Expression(node), '<s>', 'eval')\n    return eval(code, ns)\n",
     "def calc(request):\n    return eval(request.args['q'])\n"),
    ("S307", "def in_ipython():\n    try:\n        eval('__IPYTHON__')\n    except NameError:\n        return False\n    return True\n",
     "def f(line):\n    return eval(line.strip())\n"),
    ("S307", "def resolve(f, source):\n    f_globals = f.__globals__.copy()\n    return eval(source, f_globals)\n", None),
    # ASYNC240: path functions that do no I/O; a directory walk stays.
    ("ASYNC240", "import os.path\n\nasync def f(p):\n    return os.path.expanduser(p)\n",
     "import os.path\n\nasync def f(p):\n    return os.path.isfile(p)\n"),
    ("ASYNC240", "from pathlib import Path\n\nasync def f():\n    return Path('.').resolve()\n",
     "from pathlib import Path\n\nasync def f(p):\n    return list(Path(p).rglob('*'))\n"),
    # ASYNC110: a task kept alive for ever has nothing to wait for; a busy-wait on a flag does.
    ("ASYNC110", "import asyncio\n\nasync def serve():\n    while True:\n        await asyncio.sleep(3600)\n",
     "import asyncio\n\nasync def wait(server):\n    while not server.started:\n        await asyncio.sleep(0.1)\n"),
    # ASYNC110: a poll its test bounds by a deadline waits for state outside the loop (nicegui's
    # unlink retry, deepeval's wait for a value another thread sets); the unbounded twin stays.
    ("ASYNC110", "import asyncio\nimport time\n\nasync def unlink(p, timeout=1.0):\n    deadline = time.monotonic() + timeout\n"
                 "    while not try_unlink(p, deadline=deadline):\n        await asyncio.sleep(0.02)\n",
     "import asyncio\n\nasync def unlink(p):\n    while not try_unlink(p):\n        await asyncio.sleep(0.02)\n"),
    ("ASYNC110", "import asyncio\nfrom time import monotonic\n\nasync def wait(self, deadline):\n"
                 "    while self.value is None and monotonic() < deadline:\n        await asyncio.sleep(0.05)\n",
     "import asyncio\n\nasync def flush(self):\n    while len(self.pending) > 0:\n        await asyncio.sleep(0.01)\n"),
    # ASYNC115: the zero sleep of a busy-wait is ASYNC110's finding; a periodic yield stays.
    ("ASYNC115", "import anyio\n\nasync def wait(q):\n    while q.empty():\n        await anyio.sleep(0)\n",
     ("import anyio\n\nasync def copy(items, out):\n    for i, x in enumerate(items):\n        out.append(x)\n"
     "        if i % 1000 == 0:\n            await anyio.sleep(0)\n")),
    # BLE001: deliberate boundaries.
    ("BLE001", LOG + "def run(jobs):\n    for job in jobs:\n        try:\n            job()\n        except Exception:\n"
                     "            log.warning('job %s failed', job)\n            continue\n",
     LOG + "def run(job):\n    try:\n        job()\n    except Exception:\n        log.warning('job %s failed', job)\n"),
    ("BLE001", "def f(future, call):\n    try:\n        future.set_result(call())\n    except Exception as exc:\n        future.set_exception(exc)\n",
     "def f(future, call):\n    try:\n        future.set_result(call())\n    except Exception:\n        return None\n"),
    ("BLE001", "def f(parse, text):\n    try:\n        return parse(text)\n    except Exception as exc:\n        raise ValueError(f'bad: {exc}') from None\n",
     "def f(parse, text):\n    try:\n        return parse(text)\n    except Exception:\n        pass\n"),
    ("BLE001", LOG + "error = log.error\n\ndef f(g):\n    try:\n        g()\n    except Exception as exc:\n        error('failed: %r', exc, exc_info=True)\n",
     LOG + "error = log.error\n\ndef f(g):\n    try:\n        g()\n    except Exception:\n        error('failed')\n"),
    ("BLE001", "import sys\n\ndef main(run):\n    try:\n        run()\n    except Exception as exc:\n        print(exc)\n        sys.exit(1)\n",
     None),
    ("BLE001", "def f(conn):\n    try:\n        conn.close()\n    except Exception:\n        pass\n",
     "def f(conn):\n    try:\n        conn.commit()\n    except Exception:\n        pass\n"),
    ("BLE001", "def f(obj, name):\n    try:\n        return None, getattr(obj, name)\n    except Exception as error:\n        return (error, None)\n",
     "def f(obj, name):\n    try:\n        return getattr(obj, name)\n    except Exception:\n        return None\n"),
    # S110: a probe with an else, best-effort cleanup, a value with a fallback after.
    ("S110", "def f(x, dumps):\n    try:\n        dumps(x)\n    except Exception:\n        pass\n    else:\n        return x\n",
     "def f(notify, x):\n    try:\n        notify(x)\n    except Exception:\n        pass\n"),
    ("S110", "def f(obj):\n    found = None\n    try:\n        if hasattr(obj, 'x'):\n            found = obj.x()\n    except Exception:\n        pass\n    return found\n",
     "def f(obj):\n    try:\n        if hasattr(obj, 'x'):\n            obj.x()\n    except Exception:\n        pass\n"),
    ("S110", "import os\n\ndef restore(keys):\n    for key in keys:\n        try:\n            del os.environ[key]\n        except Exception:\n            pass\n",
     None),
    ("S110", "def f(conns):\n    for c in conns:\n        try:\n            c.close()\n        except Exception:\n            pass\n",
     "def f(conns):\n    for c in conns:\n        try:\n            c.send(b'bye')\n        except Exception:\n            pass\n"),
    ("S110", "import os\n\ndef f():\n    n = None\n    try:\n        n = os.sysconf('SC_NGROUPS_MAX')\n    except Exception:\n        pass\n    return n\n",
     "def f(self, load):\n    try:\n        self.config = load()\n    except Exception:\n        pass\n"),
    # G004: reported at a quiet level in a loop; a one-off or a loud message is not.
    ("G004", LOG + "def start(name):\n    log.info(f'Started {name}')\n",
     LOG + "def each(events):\n    for e in events:\n        log.debug(f'Received {e}')\n"),
    ("G004", LOG + "def each(events):\n    for e in events:\n        log.info(f'Got {e}')\n",
     LOG + "def each(events):\n    return [log.debug(f'Got {e}') for e in events]\n"),
    ("G004", LOG + "def once(name):\n    log.debug(f'Started {name}')\n",
     LOG + "import logging\n\ndef each(events):\n    for e in events:\n        log.log(logging.DEBUG, f'Got {e}')\n"),
    # T201: a CLI's output, an output function, a given stream; library prints stay.
    ("T201", "import argparse\n\ndef run(args):\n    print(args.name)\n",
     "def run(args):\n    print(args.name)\n"),
    ("T201", "try:\n    from ._main import main\nexcept ImportError:\n    def main():\n        print('install the cli extra')\n",
     "try:\n    from ._main import run\nexcept ImportError:\n    def run():\n        print('install the cli extra')\n"),
    ("T201", "import curses\n\ndef draw(screen, exc):\n    print(f'Connection lost: {exc!r}')\n", None),
    ("T201", "def created(sites, verbosity=1):\n    for s in sites:\n        if verbosity >= 2:\n            print('Creating', s)\n",
     "def created(sites, quiet=False):\n    for s in sites:\n        if not quiet:\n            print('Creating', s)\n"),
    ("T201", "from django.core.management.base import BaseCommand\n\nclass Command(BaseCommand):\n    def handle(self):\n        print('done')\n",
     None),
    ("T201", "def print_report(rows):\n    for r in rows:\n        print(r)\n",
     "import sys\n\ndef load(rows):\n    print('loading', file=sys.stderr)\n"),
    ("T201", None, "def report(total):\n    print('total:', total)\n"),  # a name that does not say "print"
    # B019: the default maxsize of lru_cache is 128: bounded.
    ("B019", "import functools\n\nclass A:\n    @functools.lru_cache()\n    def f(self):\n        return 1\n",
     "import functools\n\nclass A:\n    @functools.cache\n    def f(self):\n        return 1\n"),
    # A method of the class itself (wrapped into a class-or-instance method later, as Django does).
    ("B019", "import functools\n\nclass A:\n    @functools.cache\n    def lookups(cls):\n        return 1\n", None),
]


def _codes(text: str, code: str) -> tuple[list[str], list[str]]:
    """What ruff reports for ``code``, and what is left after the post-processing."""
    raw = ruff_bridge.run_ruff(text, Path("mod.py"), [code])
    kept = post_process(ast.parse(text), text.splitlines(), raw)
    return [f.code for f in raw], [f.code for f in kept]


@pytest.mark.parametrize(("code", "false_positive", "twin"), TWINS,
                         ids=[f"{code}-{n}" for n, (code, _, _) in enumerate(TWINS)])
def test_the_false_positive_is_dropped_and_its_twin_kept(code: str, false_positive: str | None, twin: str | None) -> None:
    if false_positive is not None:
        reported, kept = _codes(false_positive, code)
        assert reported == [code], "ruff must report the shape, or the judge is not what drops it"
        assert kept == []
    if twin is not None:
        reported, kept = _codes(twin, code)
        assert reported == [code]
        assert kept == [code]


def test_a_packages_testing_folder_is_test_code() -> None:
    assert is_test_path("sqlalchemy/testing/assertions.py")
    assert is_test_path("celery/contrib/testing/app.py")
    assert not is_test_path("app/attestation.py")  # a module named testing.py is test support (issue 21)


def _run(root: Path, select: str) -> list[tuple[str, str]]:
    completed = subprocess.run(
        [sys.executable, "-m", "python_architect", "check", "--format", "json", "--no-cache", "--select", select],
        cwd=root, check=False, capture_output=True, text=True, encoding="utf-8", timeout=120, stdin=subprocess.DEVNULL)
    assert completed.returncode in (0, 1), completed.stderr
    return sorted((f["path"], f["code"]) for f in json.loads(completed.stdout)["findings"])


# A class large enough that the batch re-parses only the method around each finding: the pickle
# is written in one method and read in another, and the log call's loop is inside the method.
_BIG_CLASS = ("import logging\nimport pickle\nlog = logging.getLogger(__name__)\n\n\nclass Store:\n"
              "    def save(self, f):\n        pickle.dump(self.data, f)\n\n"
              + "".join(f"    def m{i}(self):\n        return {i}\n\n" for i in range(40))
              + "    def load(self, f):\n        self.data = pickle.load(f)\n\n"
              "    def each(self, events):\n        for e in events:\n            log.debug(f'got {e}')\n\n"
              "    def once(self, name):\n        log.info(f'started {name}')\n")


def test_the_cli_batch_path_judges_on_partial_trees(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", {
        "pyproject.toml": '[project]\nname = "app"\n',
        "app/__init__.py": "",
        "app/store.py": _BIG_CLASS,
        "app/evil.py": "import pickle\n\n\ndef handle(request):\n    return pickle.loads(request.body)\n",
        "app/waits.py": "import asyncio\n\n\nasync def f(timeout=None):\n    await asyncio.sleep(timeout)\n",
    })
    # S301 and G004 are opt-in (issue 21's blind readings): named, they are judged on the batch path.
    found = _run(root, "ALL,S301,G004")
    mine = [(path, code) for path, code in found if code in {"S301", "G004", "ASYNC109"}]
    assert mine == [("app/evil.py", "S301"), ("app/store.py", "G004")]
    assert not [code for _path, code in _run(root, "ALL") if code in {"S301", "G004"}]


def test_async109_is_adopted_only_by_its_exact_code(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", {
        "pyproject.toml": '[project]\nname = "app"\n',
        "app/__init__.py": "",
        "app/waits.py": "import asyncio\n\n\nasync def f(timeout=None):\n    await asyncio.sleep(timeout)\n",
    })
    assert ("app/waits.py", "ASYNC109") not in _run(root, "ASYNC")
    assert ("app/waits.py", "ASYNC109") in _run(root, "ASYNC109")


def test_ble001_s110_and_s608_are_adopted_only_by_their_exact_code(tmp_path: Path) -> None:
    shapes = {"app/blind.py": ("BLE001", "def f(g):\n    try:\n        return g()\n    except Exception:\n        return None\n"),
              "app/swallow.py": ("S110", "def f(notify):\n    try:\n        notify()\n    except Exception:\n        pass\n"),
              "app/query.py": ("S608", "def f(cur, name):\n    cur.execute(f\"SELECT * FROM t WHERE name = '{name}'\")\n")}
    root = write_tree(tmp_path / "ws", {"pyproject.toml": '[project]\nname = "app"\n', "app/__init__.py": "",
                                        **{path: text for path, (_, text) in shapes.items()}})
    wanted = sorted((path, code) for path, (code, _) in shapes.items())
    assert [f for f in _run(root, "ALL") if f in wanted] == []
    assert [f for f in _run(root, "ALL,BLE001,S110,S608") if f in wanted] == wanted


def test_the_batch_refines_only_what_it_will_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a default run most of ruff's output is an un-adopted judgment code the finalizer drops:
    none of it is worth the parse a refinement costs (it made the batch's ruff step 5x slower)."""
    from python_architect.analysis import ruff_refine
    from python_architect.workspace import batch

    path = tmp_path / "mod.py"
    path.write_text("def f(items):\n    for i in items:\n        print(i)\n", encoding="utf-8")
    raw = ruff_bridge.run_ruff(path.read_text(encoding="utf-8"), path, ["T201"])
    assert [f.code for f in raw] == ["T201"]
    refined: list[list[str]] = []
    real = ruff_refine.post_process
    monkeypatch.setattr(ruff_refine, "post_process",
                        lambda tree, lines, found, *where: refined.append([f.code for f in found]) or real(tree, lines, found, *where))

    assert batch._ruff_findings(path, raw, (), lambda found, p, lines: [], tmp_path) == []
    assert refined == []  # dropped by the finalizer: never parsed nor judged

    kept = batch._ruff_findings(path, raw, (), lambda found, p, lines: list(found), tmp_path)
    assert refined == [["T201"]]  # reported: judged on the parse
    assert [f.code for f in kept] == ["T201"]  # a library's print stays
