"""ARC201 (concrete inheritance), ARC202 (deep chains across modules), ARC203 (shallow wrappers)."""

from __future__ import annotations

from analysis_harness import Workspace, lines_of, run_check

BASES = {
    "app.core.base": """
        from abc import ABC, abstractmethod
        from typing import Protocol

        class Repository:
            def __init__(self):
                self.items = []

            def save(self, item):
                self.items.append(item)

        class Port(ABC):
            @abstractmethod
            def send(self): ...

        class Reader(Protocol):
            def read(self) -> bytes: ...

        class DomainError(Exception):
            pass

        class NotFound(DomainError):
            pass
    """,
    "app.core": "from .base import Repository as Repository\n",
}


def workspace() -> Workspace:
    return Workspace(modules=dict(BASES))


def test_arc201_fires_on_concrete_first_party_base_imported_or_local():
    findings = run_check(
        "ARC201",
        """
        from app.core.base import Repository

        class Helper:
            def __init__(self): self.n = 1
            def help(self): return self.n

        class OrderRepository(Repository):
            pass

        class Special(Helper):
            pass
        """,
        workspace=workspace(),
    )
    assert lines_of(findings) == [8, 11]
    assert "app.core.base.Repository" in findings[0].message
    assert findings[1].data["base"] == "app.services.orders.Helper"


def test_arc201_follows_a_reexport_from_the_package():
    findings = run_check(
        "ARC201",
        "from app.core import Repository\nclass Orders(Repository):\n    pass\n",
        workspace=workspace(),
    )
    assert findings and findings[0].data["base"] == "app.core.base.Repository"


def test_arc201_quiet_for_abc_protocol_exceptions_enums_and_third_party():
    assert not run_check(
        "ARC201",
        """
        import enum
        from typing import NamedTuple, TypedDict
        from pydantic import BaseModel
        from app.core.base import Port, Reader, NotFound, DomainError

        class Color(enum.Enum):
            RED = 1
        class Shade(Color):
            pass
        class EmailPort(Port):
            def send(self): ...
        class FileReader(Reader):
            def read(self) -> bytes: return b""
        class OrderMissing(NotFound):
            pass
        class Point(NamedTuple):
            x: int
        class Options(TypedDict):
            a: int
        class User(BaseModel):
            name: str
        """,
        workspace=workspace(),
    )


def test_arc201_allow_bases_option():
    source = "from app.core.base import Repository\nclass Orders(Repository):\n    pass\n"
    assert run_check("ARC201", source, workspace=workspace())
    assert not run_check(
        "ARC201", source, workspace=workspace(), options={"ARC201": {"allow-bases": ["app.core.base.Repository"]}}
    )


CHAIN = {
    "app.a": "class A:\n    def run(self):\n        return 1\n",
    "app.b": "from app.a import A\nclass B(A):\n    def b(self):\n        return 2\n",
    "app.c": "from app import b\nclass C(b.B):\n    def c(self):\n        return 3\n",
}


def test_arc202_fires_when_chain_across_modules_exceeds_max_depth():
    findings = run_check(
        "ARC202",
        """
        from app.c import C

        class D(C):
            def d(self): return 4

        class E(D):
            def e(self): return 5
        """,
        workspace=Workspace(modules=dict(CHAIN)),
    )
    # E has code of its own (an empty E would add nothing to read and is not reported).
    assert lines_of(findings) == [7]
    assert findings[0].data["chain"] == ["app.services.orders.D", "app.c.C", "app.b.B", "app.a.A"]
    assert "E → D → C → B → A" in findings[0].message


def test_arc202_respects_max_depth_option_and_stays_quiet_on_short_chains():
    source = "from app.c import C\nclass D(C):\n    def d(self):\n        return 4\n"
    assert not run_check("ARC202", source, workspace=Workspace(modules=dict(CHAIN)))
    tight = run_check("ARC202", source, workspace=Workspace(modules=dict(CHAIN)), options={"ARC202": {"max-depth": 2}})
    assert lines_of(tight) == [2]


def test_arc202_survives_an_inheritance_cycle():
    modules = {"app.x": "from app.y import Y\nclass X(Y): pass\n", "app.y": "from app.x import X\nclass Y(X): pass\n"}
    assert not run_check("ARC202", "from app.x import X\nclass Z(X): pass\n", workspace=Workspace(modules=modules))


def test_arc203_fires_on_a_class_that_only_forwards_to_one_attribute():
    findings = run_check(
        "ARC203",
        """
        class CacheClient:
            def __init__(self, client):
                self._client = client

            def get(self, key):
                return self._client.get(key)

            def set(self, key, value, *, ttl=None):
                \"\"\"Store a value.\"\"\"
                return self._client.set(key, value, ttl=ttl)

            async def delete(self, *keys):
                await self._client.delete(*keys)
        """,
    )
    assert lines_of(findings) == [2]
    assert findings[0].data["attribute"] == "_client"


def test_arc203_quiet_when_a_method_does_real_work_or_targets_differ():
    assert not run_check(
        "ARC203",
        """
        class Cache:
            def get(self, key):
                return self._client.get(self._prefix + key)
            def set(self, key, value):
                return self._client.set(key, value)
            def delete(self, key):
                return self._client.delete(key)

        class TwoThings:
            def a(self, x):
                return self._one.a(x)
            def b(self, x):
                return self._two.b(x)
            def c(self, x):
                return self._one.c(x)

        class Small:
            def get(self, key):
                return self._client.get(key)
        """,
    )


def test_arc202_diamond_of_mixins_stays_fast_and_correct():
    # 30 levels, each class with two first-party bases: without memoising, 2**30 paths. The roots
    # keep state on self, so they are levels, not helpers shaped like mixins.
    lines = ["class L0A:", "    def run(self): self.ran = 1", "class L0B:", "    def run(self): self.ran = 2"]
    for level in range(1, 31):
        for side in "AB":
            lines.append(f"class L{level}{side}(L{level - 1}A, L{level - 1}B):")
            lines.append(f"    def m{level}(self): return {level}")
    findings = run_check("ARC202", "\n".join(lines) + "\n", dedent=False)
    deepest = [f for f in findings if f.message.startswith("`L30A`")]
    assert deepest and len(deepest[0].data["chain"]) == 30
    assert len(findings) == 2 * (30 - 3)


def test_arc201_data_model_hierarchies_are_not_implementation_reuse():
    models = {
        "app.models.base": """
            from pydantic import BaseModel
            from sqlalchemy.orm import DeclarativeBase

            class Schema(BaseModel):
                model_config = {"frozen": True}

            class Table(DeclarativeBase):
                pass

            class Plain:
                def __init__(self):
                    self.rows = []

                def save(self):
                    return self.rows
        """,
    }
    source = """
        from app.models.base import Plain, Schema, Table

        class QuoteIn(Schema):
            sku: str

        class QuoteRow(Table):
            __tablename__ = "quotes"

        class Special(Plain):
            pass
    """
    findings = run_check("ARC201", source, workspace=Workspace(modules=models))
    assert [f.data["base"] for f in findings] == ["app.models.base.Plain"]
