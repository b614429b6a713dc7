"""False-positive classes of ARC201/ARC202/ARC203 seen on real packages (issue 8), each next to
its true-positive twin that must still be reported."""

from __future__ import annotations

from analysis_harness import Workspace, lines_of, run_check

CONCRETE_TWIN = """
class Engine:
    def __init__(self):
        self.speed = 1

    def run(self):
        return self.speed


class TurboEngine(Engine):
    def run(self):
        return super().run() * 2
"""


def test_concrete_parent_is_still_reported():
    assert lines_of(run_check("ARC201", CONCRETE_TWIN)) == [10]


def test_mixin_base_is_not_implementation_inheritance():
    source = """
    class JsonMixin:
        def to_json(self):
            return str(vars(self))


    class Order(JsonMixin):
        pass
    """
    assert run_check("ARC201", source) == []


def test_interface_by_convention_raising_not_implemented_is_not_concrete():
    # httpx's SyncByteStream / Auth shape: methods that raise NotImplementedError, no state.
    source = """
    class ByteStream:
        def __iter__(self):
            raise NotImplementedError("subclasses must implement")

        def close(self):
            pass


    class FileStream(ByteStream):
        def __iter__(self):
            yield b""
    """
    assert run_check("ARC201", source) == []


def test_exception_hierarchy_is_not_reported_nor_counted_as_depth():
    source = """
    class AppProblem(Exception):
        pass


    class StorageProblem(AppProblem):
        pass


    class DiskProblem(StorageProblem):
        pass


    class DiskFull(DiskProblem):
        pass


    class DiskFullAgain(DiskFull):
        pass
    """
    assert run_check("ARC201", source) == []
    assert run_check("ARC202", source, options={"ARC202": {"max-depth": 1}}) == []


def test_subclass_of_another_librarys_model_is_a_framework_extension_point():
    # A first-party model deriving from a third-party model base, and a model deriving from it.
    source = """
    from sqlmodel_extras import TimestampedModel


    class Record(TimestampedModel):
        name: str = ""


    class Invoice(Record):
        total: int = 0
    """
    assert run_check("ARC201", source) == []


def test_class_under_type_checking_is_a_typing_stand_in():
    source = """
    from typing import TYPE_CHECKING


    class Engine:
        def __init__(self):
            self.speed = 1


    if TYPE_CHECKING:
        class FastEngine(Engine):
            pass
    """
    assert run_check("ARC201", source) == []


def test_mixins_do_not_add_depth_but_concrete_levels_do():
    mixins = """
    class Base:
        def __init__(self):
            self.x = 1


    class LoggingMixin:
        def log(self):
            return 1


    class CachingMixin(LoggingMixin):
        def cache(self):
            return 2


    class RetryMixin(CachingMixin):
        def retry(self):
            return 3


    class Service(RetryMixin, Base):
        pass
    """
    assert run_check("ARC202", mixins, options={"ARC202": {"max-depth": 1}}) == []
    concrete = """
    class A:
        def __init__(self):
            self.x = 1


    class B(A):
        def b(self):
            return 1


    class C(B):
        def c(self):
            return 2
    """
    assert lines_of(run_check("ARC202", concrete, options={"ARC202": {"max-depth": 1}})) == [12]


def test_cross_module_interface_base_is_judged_by_its_definition():
    workspace = Workspace(modules={"app.ports": """
        class Repository:
            def get(self, key):
                raise NotImplementedError
        """})
    source = """
    from app.ports import Repository


    class SqlRepository(Repository):
        def get(self, key):
            return key
    """
    assert run_check("ARC201", source, workspace=workspace) == []


def test_adapter_that_translates_names_is_real_work_not_a_shallow_wrapper():
    adapter = """
    class PriceSource:
        def __init__(self, client):
            self._client = client

        def price_of(self, sku):
            return self._client.fetch(sku)

        def prices_of(self, skus):
            return self._client.fetch_many(skus)

        def refresh(self, sku):
            return self._client.invalidate(sku)
    """
    assert run_check("ARC203", adapter) == []
    converting = """
    class Prices:
        def __init__(self, client):
            self._client = client

        def get(self, sku):
            return self._client.get(str(sku))

        def set(self, sku, price):
            return self._client.set(str(sku), price.cents)

        def delete(self, sku):
            return self._client.delete(sku.code)
    """
    assert run_check("ARC203", converting) == []  # translating types is real work too
    passthrough = """
    class PriceCache:
        def __init__(self, client):
            self._client = client

        def get(self, key):
            return self._client.get(key)

        def set(self, key, value):
            return self._client.set(key, value)

        def delete(self, key):
            return self._client.delete(key)
    """
    assert lines_of(run_check("ARC203", passthrough)) == [2]
