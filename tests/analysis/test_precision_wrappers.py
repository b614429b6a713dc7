"""ARC203 (shallow wrapper) false-positive classes seen on real packages (issue 21), each beside
the true-positive twin that must still be reported."""

from __future__ import annotations

from analysis_harness import lines_of, run_check

FORWARDER = """
class Prices:
    def __init__(self, cache):
        self._cache = cache

    def get(self, key):
        return self._cache.get(key)

    def set(self, key, value):
        return self._cache.set(key, value)

    def delete(self, key):
        return self._cache.delete(key)
"""


def test_a_pure_forwarder_is_still_reported():
    assert lines_of(run_check("ARC203", FORWARDER)) == [2]


def test_a_lazily_created_inner_object_is_the_wrappers_work():
    # litestar's _LazyEvent: the event is created on first use, inside the running loop.
    source = FORWARDER.replace(
        "    def get(self, key):",
        "    @property\n    def _cache(self):\n        return self.__cache or make()\n\n    def get(self, key):",
    )
    assert run_check("ARC203", source) == []


def test_a_class_that_speaks_a_protocol_adapts_the_inner_object():
    # aiohttp's request context manager: send/throw/close forward, __aenter__ awaits and enters.
    source = FORWARDER + """
    async def __aenter__(self):
        self._resp = await self._cache
        return await self._resp.__aenter__()
"""
    assert run_check("ARC203", source) == []


# -- fourth reading: adapters to an async interface or an abstract base (redis) ----------------

# A sync detector behind the async interface callers ``await``: each ``async def`` forwards to a
# sync method, and the class implements the abstract base the async client is typed against.
ASYNC_ADAPTER = """
from abc import ABC, abstractmethod


class AsyncDetector(ABC):
    @abstractmethod
    async def register_failure(self, error): ...

    @abstractmethod
    async def register_call(self, call): ...

    @abstractmethod
    def set_executor(self, executor): ...


class DetectorAsyncWrapper(AsyncDetector):
    def __init__(self, detector):
        self._detector = detector

    async def register_failure(self, error):
        self._detector.register_failure(error)

    async def register_call(self, call):
        self._detector.register_call(call)

    def set_executor(self, executor):
        self._detector.set_executor(executor)
"""


def test_an_adapter_to_an_abstract_base_is_not_a_shallow_wrapper():
    assert run_check("ARC203", ASYNC_ADAPTER) == []
    # Implementing the base is enough on its own, with plain sync forwarders too.
    sync = ASYNC_ADAPTER.replace("async def", "def")
    assert run_check("ARC203", sync) == []
    # The twin: the same forwarders without the base are a shallow wrapper.
    assert lines_of(run_check("ARC203", sync.replace("(AsyncDetector):", ":"))) == [16]
    # A protocol or an interface by name counts like an ABC.
    for base in ("DetectorProtocol", "DetectorInterface"):
        named = sync.replace("AsyncDetector", base).replace(f"class {base}(ABC):", f"class {base}:")
        named = named.replace("    @abstractmethod\n", "")
        assert run_check("ARC203", named) == [], base


def test_async_methods_over_sync_calls_adapt_the_inner_object():
    # Without the base, the ``async def`` forwarders still turn a sync object into an async one.
    plain = ASYNC_ADAPTER.replace("class DetectorAsyncWrapper(AsyncDetector):", "class DetectorAsyncWrapper:")
    assert run_check("ARC203", plain) == []


def test_an_async_forwarder_that_awaits_an_async_inner_object_is_still_reported():
    # The twins: awaiting the inner object's own coroutines adapts nothing, and a concrete base
    # with state of its own is no contract the wrapper implements.
    awaiting = """
    class Base:
        def __init__(self):
            self.calls = 0

        def count(self):
            self.calls += 1


    class Detector(Base):
        def __init__(self, detector):
            super().__init__()
            self._detector = detector

        async def register_failure(self, error):
            return await self._detector.register_failure(error)

        async def register_call(self, call):
            return await self._detector.register_call(call)

        async def set_executor(self, executor):
            await self._detector.set_executor(executor)
    """
    findings = run_check("ARC203", awaiting)
    assert lines_of(findings) == [10]
    assert findings[0].data["attribute"] == "_detector"
