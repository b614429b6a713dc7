"""ARC201 (implementation inheritance) false-positive classes seen on real packages (issue 21),
each beside the true-positive twin that must still be reported: a class extending a concrete
first-party class that holds state and behaviour."""

from __future__ import annotations

from analysis_harness import lines_of, run_check

ENGINE = """
class Engine:
    def __init__(self, speed):
        self.speed = speed

    def run(self):
        return self.speed
"""


def test_extending_a_stateful_concrete_class_is_still_reported_once_per_class():
    source = ENGINE + """
class Gearbox:
    def __init__(self):
        self.gear = 1

    def shift(self):
        self.gear += 1


class Car(Engine, Gearbox):
    def drive(self):
        return self.run() * self.gear
"""
    findings = run_check("ARC201", source)
    assert lines_of(findings) == [17]
    assert findings[0].data["bases"] == ["app.services.orders.Engine", "app.services.orders.Gearbox"]
    assert "(and 1 more)" in findings[0].message


def test_a_stub_file_declares_types_only():
    source = ENGINE + "\nclass Turbo(Engine):\n    def run(self): ...\n"
    assert lines_of(run_check("ARC201", source)) == [9]
    assert run_check("ARC201", source, path="src/app/services/orders.pyi") == []


def test_test_support_code_subclasses_to_stub():
    source = ENGINE + "\nclass RecordingEngine(Engine):\n    def run(self):\n        return 0\n"
    assert run_check("ARC201", source, path="src/app/testing/fixtures.py") == []
    assert run_check("ARC201", source, path="tests/test_engine.py") == []


def test_data_class_taxonomies_are_records_not_reuse():
    source = """
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Event:
        id: str

        def describe(self):
            return self.id

    @dataclass(frozen=True)
    class OrderPlaced(Event):
        total: int

    class Audited(Event):
        def describe(self):
            return "audited " + super().describe()
    """
    # A frozen data class is a record type: its subclasses are more kinds of record.
    assert run_check("ARC201", source) == []


def test_markers_and_roles_carry_no_implementation():
    source = """
    class SQLRole:
        _role_name = "sql"

    class InElementRole(SQLRole):
        __slots__ = ()

    class ClauseList(InElementRole):
        def __init__(self, *clauses):
            self.clauses = clauses
    """
    assert run_check("ARC201", source) == []


def test_a_class_without_a_constructor_is_a_mixin_whatever_its_name():
    source = ENGINE + """

class HasHints:
    def with_hint(self, hint):
        self._hints = self._hints + (hint,)
        return self


class Select(HasHints, Engine):
    pass


class Evictable:
    def evict(self):
        while self._evictcount:
            self._evict1()


class Messagebuffer(Evictable):
    def __init__(self):
        self._evictcount = 0
"""
    findings = run_check("ARC201", source)
    # Only the stateful parent of ``Select`` is reported; the two constructor-less helpers are not.
    assert lines_of(findings) == [16]
    assert findings[0].data["bases"] == ["app.services.orders.Engine"]


def test_a_cooperative_init_is_written_to_be_mixed_in():
    source = """
    class _NumericType:
        def __init__(self, unsigned=False, **kw):
            self.unsigned = unsigned
            super().__init__(**kw)

    class NUMERIC(_NumericType, Numeric):
        pass
    """
    assert run_check("ARC201", source) == []


def test_template_bases_with_hooks_or_registries_are_extension_points():
    hooks = """
    class Transform:
        def __init__(self, context):
            self.context = context

        async def __aenter__(self):
            await self.before_transition(self.context)
            return self.context

        async def before_transition(self, context):
            \"\"\"Override to act before the transition.\"\"\"

    class SetStartTime(Transform):
        async def before_transition(self, context):
            context.start = 1
    """
    assert run_check("ARC201", hooks) == []
    registry = """
    class Step:
        def __init_subclass__(cls, **kw):
            STEPS.append(cls)

        def __init__(self, parent):
            self.parent = parent

    class Timer(Step):
        def start(self):
            return self.parent
    """
    assert run_check("ARC201", registry) == []


def test_a_configured_variant_only_sets_class_attributes():
    source = ENGINE + """

class FastEngine(Engine):
    default_speed = 10
"""
    assert run_check("ARC201", source) == []
    # An empty subclass is still an alias that inherits everything: reported.
    assert lines_of(run_check("ARC201", ENGINE + "\nclass Alias(Engine):\n    pass\n")) == [9]


def test_a_standard_library_framework_base_is_an_extension_point():
    # tornado.testing: AsyncHTTPTestCase(AsyncTestCase), AsyncTestCase(unittest.TestCase).
    source = """
    import unittest

    class AsyncTestCase(unittest.TestCase):
        def __init__(self, name):
            super().__init__(name)
            self.loop = None

        def get_loop(self):
            return self.loop

    class AsyncHTTPTestCase(AsyncTestCase):
        def get_app(self):
            return self.loop
    """
    assert run_check("ARC201", source, path="src/app/testkit.py") == []


def test_a_variant_that_only_fixes_the_parents_arguments_reuses_nothing():
    # dagster's config scalars: ``class Int(BuiltinConfigScalar)`` only passes its kind on.
    source = ENGINE + """

class Fast(Engine):
    def __init__(self):
        \"\"\"A fast engine.\"\"\"
        super().__init__(speed=10)
"""
    assert run_check("ARC201", source) == []
    # The twin: an __init__ that does more than pass fixed arguments on.
    twin = source.replace('        super().__init__(speed=10)', '        super().__init__(speed=10)\n        self.turbo = True')
    assert lines_of(run_check("ARC201", twin)) == [10]


def test_a_functional_named_tuple_base_is_a_record():
    source = """
    from typing import NamedTuple

    class AssetResult(NamedTuple("_AssetResult", [("key", str), ("metadata", dict)])):
        def __new__(cls, key, metadata=None):
            return super().__new__(cls, key, metadata or {})

    class ObserveResult(AssetResult):
        def describe(self):
            return self.key
    """
    assert run_check("ARC201", source) == []
