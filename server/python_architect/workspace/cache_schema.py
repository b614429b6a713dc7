"""The check cache's schema: ``ModuleFacts`` and ``Finding`` (and everything nested in them) as
plain values — tuples, lists, dicts, str, int, float, bool, None — and back. ``workspace.cache``
serialises the plain form with ``marshal`` (only ever on bytes whose MAC verified, see
``workspace.cache_key``); nothing here can build any other type. Findings are rebuilt through
their constructors; the thousands of spans, imports and classes of a pack through builders that
fill exactly their dataclass's fields (checked against ``dataclasses.fields`` at import).

Decoding validates the shape as it goes: a wrong type or length anywhere raises ``ValueError``
and the whole pack is discarded. A pack names the code fingerprint of the package that wrote it
(``workspace.fingerprint``), so a change to any layout below never meets packs of the old one.

Layouts (``span`` is ``(line, column, end_line, end_column)``; in imports and classes, the
thousands of records of a pack, its four ints are inlined as ``*span`` so that one type check
covers the record):

* facts: ``(module, imports, classes, defines, load_order)`` or None (the text does not parse)
* import: ``(module, names, *span, is_from, level, bound, used, type_checking, deferred,
  statement, unused)``; ``statement`` is True when the statement span is the span (nearly
  always), else the statement span or None
* class: ``(name, *span, bases, keywords, decorators, public_methods, abstract_methods,
  is_abstract, nested, type_checking, traits)``
* finding: ``(code, message, severity, path, span, adrs, fix, principle, source, rule_id, data,
  related)``; fix ``(title, ((span, new_text), ...), safe)``; related ``(path, span, message)``
* ``data``: a dict with str keys of plain values (what ``Diagnostic.data`` can carry).
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from ..analysis.facts import ClassFact, ImportFact, ModuleFacts
from ..findings import Finding, Fix, Related, Severity, Span, TextEdit

_SEVERITIES = {severity.value: severity for severity in Severity}
_PLAIN_LEAVES = (str, int, float, bool, type(None), bytes)
_MAX_DEPTH = 32


# --- to plain values ---------------------------------------------------------------------------

def _span(span: Span) -> tuple[int, int, int, int]:
    return (span.line, span.column, span.end_line, span.end_column)


def facts_to_plain(facts: ModuleFacts | None) -> tuple | None:
    if facts is None:
        return None
    imports = tuple(
        (i.module, tuple(i.names), *_span(i.span), i.is_from, i.level, tuple(i.bound), i.used, i.type_checking,
         i.deferred, _statement(i), tuple(i.unused))
        for i in facts.imports)
    classes = tuple(
        (c.name, *_span(c.span), tuple(c.bases), tuple(c.keywords), tuple(c.decorators), tuple(c.public_methods),
         tuple(c.abstract_methods), c.is_abstract, c.nested, c.type_checking, tuple(c.traits))
        for c in facts.classes)
    return (facts.module, imports, classes, tuple(facts.defines), tuple(facts.load_order))


def _statement(fact: ImportFact) -> bool | tuple[int, int, int, int] | None:
    if fact.statement_span is None:
        return None
    return True if fact.statement_span == fact.span else _span(fact.statement_span)


def finding_to_plain(finding: Finding) -> tuple:
    fix = finding.fix
    plain_fix = None if fix is None else (
        fix.title, tuple((_span(edit.span), edit.new_text) for edit in fix.edits), fix.safe)
    related = tuple((str(r.path), _span(r.span), r.message) for r in finding.related)
    return (finding.code, finding.message, finding.severity.value, str(finding.path), _span(finding.span),
            tuple(finding.adrs), plain_fix, finding.principle, finding.source, finding.rule_id,
            dict(finding.data), related)


# --- from plain values (validating) --------------------------------------------------------------

def _fail(what: str, value: Any) -> ValueError:
    return ValueError(f"unexpected {what}: {type(value).__name__}")


# Type signatures of the records, compared in one go (``tuple(map(type, value))``): a Django-sized
# pack holds thousands of records, and a check per field cost more than the rest of the decoding.
_NONE = type(None)
_SPAN_TYPES = (int, int, int, int)
_FACTS_TYPES = {(str, tuple, tuple, tuple, tuple), (_NONE, tuple, tuple, tuple, tuple)}
_IMPORT_TYPES = {(str, tuple, *_SPAN_TYPES, bool, int, tuple, bool, bool, bool, statement, tuple)
                 for statement in (bool, tuple, _NONE)}
_CLASS_TYPES = (str, *_SPAN_TYPES, tuple, tuple, tuple, tuple, tuple, bool, bool, bool, tuple)
_FINDING_TYPES = {(str, str, str, str, tuple, tuple, fix, str, str, rule, dict, tuple)
                  for fix in (tuple, _NONE) for rule in (str, _NONE)}
_FIX_TYPES = (str, tuple, bool)
_EDIT_TYPES = (tuple, str)
_RELATED_TYPES = (str, tuple, str)


def _checked_layout(cls: type, names: tuple[str, ...]) -> tuple[str, ...]:
    """``names`` when they are ``cls``'s fields in order (the builders below assign exactly these):
    a field added to a value type fails here, at import, not silently in a pack."""
    if tuple(field.name for field in dataclass_fields(cls)) != names or hasattr(cls, "__post_init__"):
        raise TypeError(f"cache_schema: the layout of {cls.__name__} no longer matches its fields")
    return names


_checked_layout(Span, ("line", "column", "end_line", "end_column"))
_checked_layout(ImportFact, ("module", "names", "span", "is_from", "level", "bound", "used", "type_checking",
                             "deferred", "statement_span", "unused"))
_checked_layout(ClassFact, ("name", "span", "bases", "keywords", "decorators", "public_methods",
                            "abstract_methods", "is_abstract", "nested", "type_checking", "traits"))
_new = object.__new__

# The builders fill a frozen dataclass's fields from values already validated, as its generated
# __init__ does but without one ``object.__setattr__`` per field: a Django-sized pack holds ~13,000
# of these, and building them through ``__init__`` made decoding twice as slow as unpickling.


def _build_span(value: tuple) -> Span:
    span = _new(Span)
    fields = span.__dict__
    fields["line"], fields["column"], fields["end_line"], fields["end_column"] = value
    return span


def _build_import(value: tuple) -> ImportFact:
    """From an import record (``_IMPORT_TYPES`` checked, its strings too)."""
    span = _new(Span)
    fields = span.__dict__
    fields["line"], fields["column"], fields["end_line"], fields["end_column"] = value[2:6]
    statement = value[12]
    if statement is True:
        statement = span
    elif statement is not None:  # False is no layout
        statement = _to_span(statement)
    fact = _new(ImportFact)
    fields = fact.__dict__
    fields["module"], fields["names"], fields["span"] = value[0], value[1], span
    (fields["is_from"], fields["level"], fields["bound"], fields["used"], fields["type_checking"],
     fields["deferred"]) = value[6:12]
    fields["statement_span"], fields["unused"] = statement, value[13]
    return fact


def _build_class(value: tuple) -> ClassFact:
    """From a class record (``_CLASS_TYPES`` checked, its strings too)."""
    fact = _new(ClassFact)
    fields = fact.__dict__
    fields["name"], fields["span"] = value[0], _build_span(value[1:5])
    (fields["bases"], fields["keywords"], fields["decorators"], fields["public_methods"],
     fields["abstract_methods"], fields["is_abstract"], fields["nested"], fields["type_checking"],
     fields["traits"]) = value[5:]
    return fact


def _check_records(records: tuple, types: set, string_fields: tuple[int, ...], what: str) -> None:
    """Every record in ``records`` is a tuple with one of the type signatures ``types`` and only str
    in its ``string_fields`` (tuples): one pass in C over all of a module's records, no Python
    call per record."""
    try:
        if not set(map(tuple, map(map, repeat(type), records))) <= types:
            raise ValueError(f"unexpected {what} record")
        for position in string_fields:
            "".join(chain.from_iterable(map(itemgetter(position), records)))
    except TypeError:
        raise ValueError(f"unexpected {what} record") from None


def _record(value: Any, types: tuple | set, what: str) -> tuple:
    """``value`` when it is a tuple whose items have exactly the types given (or one of a set)."""
    if type(value) is not tuple:
        raise _fail(what, value)
    found = tuple(map(type, value))
    if found != types and (type(types) is not set or found not in types):
        raise ValueError(f"unexpected {what}: {', '.join(t.__name__ for t in found)}")
    return value


def _strings(value: tuple, what: str) -> tuple:
    """A tuple (its type already checked) of str only; ``join`` checks every item in C."""
    try:
        "".join(value)
    except TypeError:
        raise ValueError(f"unexpected {what}: not all strings") from None
    return value


def _to_span(value: Any) -> Span:
    if type(value) is not tuple or tuple(map(type, value)) != _SPAN_TYPES:
        raise _fail("span", value)
    return _build_span(value)


def facts_from_plain(value: Any) -> ModuleFacts | None:
    if value is None:
        return None
    module, imports, classes, defines, load_order = _record(value, _FACTS_TYPES, "facts")
    _check_records(imports, _IMPORT_TYPES, (1, 8, 13), "import")  # names, bound, unused
    _check_records(classes, {_CLASS_TYPES}, (5, 6, 7, 8, 9, 13), "class")  # bases ... abstract methods, traits
    return ModuleFacts(module=module, imports=tuple(map(_build_import, imports)),
                       classes=tuple(map(_build_class, classes)), defines=_strings(defines, "defines"),
                       load_order=_strings(load_order, "load order"))


def finding_from_plain(value: Any) -> Finding:
    (code, message, severity, path, span, adrs, fix, principle, source, rule_id, data,
     related) = _record(value, _FINDING_TYPES, "finding")
    if severity not in _SEVERITIES:
        raise ValueError(f"unexpected severity {severity!r}")
    _check_plain(data, 0)
    return Finding(
        code=code, message=message, severity=_SEVERITIES[severity], path=Path(path), span=_to_span(span),
        adrs=_strings(adrs, "adrs"), fix=None if fix is None else _fix_from_plain(fix), principle=principle,
        source=source, rule_id=rule_id, data=data,
        related=tuple(_related_from_plain(item) for item in related),
    )


def _fix_from_plain(value: Any) -> Fix:
    title, edits, safe = _record(value, _FIX_TYPES, "fix")
    plain_edits = (_record(edit, _EDIT_TYPES, "edit") for edit in edits)
    return Fix(title=title, safe=safe, edits=tuple(TextEdit(_to_span(span), text) for span, text in plain_edits))


def _related_from_plain(value: Any) -> Related:
    path, span, message = _record(value, _RELATED_TYPES, "related")
    return Related(Path(path), _to_span(span), message)


def _check_plain(value: Any, depth: int) -> None:
    """``value`` holds only plain values (no code objects, sets or other types ``marshal`` knows)."""
    if depth > _MAX_DEPTH:
        raise ValueError("finding data nested too deeply")
    if type(value) in _PLAIN_LEAVES:
        return
    if type(value) in (list, tuple):
        for item in value:
            _check_plain(item, depth + 1)
    elif type(value) is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise _fail("finding data key", key)
            _check_plain(item, depth + 1)
    else:
        raise _fail("finding data value", value)
