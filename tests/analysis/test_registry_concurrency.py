"""The check registry is complete for every thread, from the first moment anyone can see it.

The old registry marked itself loaded before importing the check modules, so a thread asking
while another was still importing saw a handful of checks and ``lookup("ARC502") is None``.
Here a fresh interpreter pauses the building thread between two check-module imports (an import
hook waits on an event) while a second thread asks; the builder resumes only once the asker has
either answered or is about to wait on the catalog's import lock, which a trace hook reports.
No sleeps: each step waits on an event the other thread sets.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import importlib.abc, json, sys, threading

    PAUSE_AT = "python_architect.analysis.checks_runtime"
    CATALOG = "python_architect.catalog"
    paused, asker_progress = threading.Event(), threading.Event()

    class PauseBetweenImports(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name == PAUSE_AT and threading.current_thread().name == "builder":
                paused.set()
                asker_progress.wait()
            return None

    sys.meta_path.insert(0, PauseBetweenImports())

    def about_to_wait_for_the_catalog(frame, event, arg):
        # Called for every function the asker enters; importlib's own functions included.
        if event == "call" and frame.f_locals.get("name") == CATALOG and "importlib" in frame.f_code.co_filename:
            asker_progress.set()
        return None

    def builder():
        import python_architect.catalog  # noqa: F401

    result = {}

    def asker():
        sys.settrace(about_to_wait_for_the_catalog)
        try:
            from python_architect.catalog import REGISTRY
        finally:
            sys.settrace(None)
        result["count"] = len(REGISTRY.all())
        result["ARC502"] = REGISTRY.lookup("ARC502") is not None
        result["module_checks"] = sorted(info.code for info in REGISTRY.by_scope("module"))
        asker_progress.set()

    build = threading.Thread(target=builder, name="builder")
    build.start()
    paused.wait()
    ask = threading.Thread(target=asker, name="asker")
    ask.start()
    ask.join()
    build.join()
    print(json.dumps(result))
    """
)


def test_a_thread_asking_while_another_builds_sees_every_check() -> None:
    from python_architect.codes import METADATA

    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["count"] == len(METADATA)
    assert result["ARC502"] is True
    assert {"ARC201", "ARC402", "ARC502", "ARC701", "ARC101"} <= set(result["module_checks"])


def test_every_declared_code_with_an_implementation_scope_has_one() -> None:
    from python_architect.catalog import REGISTRY
    from python_architect.codes import METADATA

    assert [info.code for info in REGISTRY.all()] == sorted(METADATA)
    runnable = [info for info in REGISTRY if info.scope in ("module", "workspace", "dependencies")]
    assert runnable and all(info.run is not None for info in runnable)
    assert REGISTRY.lookup("ASYNC999") is not None  # a ruff family member outside the curated list
    assert REGISTRY.lookup("NOPE123") is None
