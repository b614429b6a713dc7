"""The single facts pass: imports (resolution, bound/used, TYPE_CHECKING, deferred), classes,
defines, and spans counted in characters."""

from __future__ import annotations

import ast
import textwrap

from python_architect.analysis.extract import (
    extract_facts,
    resolve_relative,
    tree_index,
)
from python_architect.findings import Span


def facts_of(source: str, module: str | None = "app.services.orders", **kwargs):
    text = textwrap.dedent(source)
    return extract_facts(ast.parse(text), text, module, **kwargs)


def by_module(facts):
    return {fact.module: fact for fact in facts.imports}


def test_relative_imports_resolve_against_module_and_package():
    facts = facts_of(
        """
        from . import sibling
        from ..core.base import Base
        from .models import Order
        """
    )
    modules = [fact.module for fact in facts.imports]
    assert modules == ["app.services", "app.core.base", "app.services.models"]
    package = facts_of("from .models import Order\n", module="app.services", is_package=True)
    assert package.imports[0].module == "app.services.models"
    assert package.imports[0].level == 1


def test_relative_import_without_module_keeps_dots():
    assert resolve_relative(None, 2, "x", False) == "..x"
    assert resolve_relative("app.a", 3, "x", False) == "...x"


def test_bound_and_used_names():
    facts = facts_of(
        """
        import os, sys as system
        import app.domain
        from app.core import used_one, unused_one
        from helpers import exported
        __all__ = ["exported"]
        print(os.sep, app.domain.X, used_one)
        """
    )
    imports = by_module(facts)
    assert imports["os"].bound == ("os",) and imports["os"].used
    assert imports["sys"].bound == ("system",) and not imports["sys"].used
    assert imports["sys"].unused == ("system",)
    assert imports["app.domain"].bound == ("app",) and imports["app.domain"].used
    core = imports["app.core"]
    assert core.used and core.unused == ("unused_one",)
    assert imports["helpers"].used, "a name listed in __all__ counts as used"


def test_import_of_several_modules_has_per_alias_span_and_statement_span():
    facts = facts_of("import os, sys\n")
    os_fact, sys_fact = facts.imports
    assert os_fact.span == Span(1, 8, 1, 10)
    assert sys_fact.span == Span(1, 12, 1, 15)
    assert os_fact.statement_span == sys_fact.statement_span == Span(1, 1, 1, 15)


def test_type_checking_and_deferred_imports():
    facts = facts_of(
        """
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from app.models import Model
        else:
            import json
        def load(m: "Model"):
            import yaml
            return yaml, json
        """
    )
    imports = by_module(facts)
    assert imports["app.models"].type_checking and not imports["app.models"].deferred
    assert imports["app.models"].used, "used in a string annotation"
    assert not imports["json"].type_checking
    assert imports["yaml"].deferred
    assert imports["typing"].used


def test_classes_resolve_bases_and_abstract_markers():
    facts = facts_of(
        """
        import abc
        from abc import ABC, abstractmethod
        from typing import Protocol
        from app.domain import base as b
        from ..core.base import Base

        class Service(Base, b.Thing):
            def run(self): ...
            def _helper(self): ...
            async def stop(self): ...

        class Port(ABC):
            @abstractmethod
            def send(self): ...

        class Reader(Protocol):
            def read(self) -> bytes: ...

        class Meta(metaclass=abc.ABCMeta):
            pass

        def factory():
            class Inner(Service):
                pass
            return Inner
        """
    )
    classes = {fact.name: fact for fact in facts.classes}
    service = classes["Service"]
    assert service.bases == ("app.core.base.Base", "app.domain.base.Thing")
    assert service.public_methods == ("run", "stop")
    assert not service.is_abstract
    assert classes["Port"].is_abstract and classes["Port"].abstract_methods == ("send",)
    assert classes["Reader"].is_abstract
    assert classes["Meta"].is_abstract and classes["Meta"].keywords == ("metaclass=abc.ABCMeta",)
    assert classes["Inner"].nested and classes["Inner"].bases == ("Service",)
    assert facts.defines == ("Service", "Port", "Reader", "Meta", "factory")


def test_defines_include_assignments_and_conditional_definitions():
    facts = facts_of(
        """
        A = 1
        B: int = 2
        C, D = 3, 4
        try:
            import ujson as json
        except ImportError:
            json = None
        def f():
            local = 1
        """
    )
    assert facts.defines == ("A", "B", "C", "D", "json", "f")


def test_spans_count_characters_after_unicode():
    source = 'prix = "€€€"; import os\nclass Café: pass\n'
    tree = ast.parse(source)
    facts = extract_facts(tree, source, "app.x")
    # "prix = "€€€"; " is 14 characters but 20 UTF-8 bytes.
    assert facts.imports[0].span == Span(1, 15, 1, 24)
    assert facts.classes[0].span == Span(2, 7, 2, 11)


def test_tree_index_records_loops_classes_and_bound_strings():
    source = textwrap.dedent(
        """
        TOKEN = "abc"
        connect(password="pw")
        settings = {"api_key": "k"}
        for x in y:
            z = [i for i in x]
        class K: pass
        """
    )
    tree = ast.parse(source)
    extract_facts(tree, source, None)
    index = tree_index(tree, source)
    assert [type(loop).__name__ for loop in index.loops] == ["For", "ListComp"]
    assert [node.name for node in index.classes] == ["K"]
    assert sorted((literal.value, name or "") for literal, name in index.strings) == [
        ("abc", "TOKEN"), ("api_key", ""), ("k", "api_key"), ("pw", "password")
    ]


def test_tree_index_runs_the_pass_when_missing():
    source = "while True:\n    pass\n"
    index = tree_index(ast.parse(source), source)
    assert len(index.loops) == 1
