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
