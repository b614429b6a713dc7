"""The check cache's schema: ``ModuleFacts`` and ``Finding`` (and everything nested in them) as
plain values — tuples, lists, dicts, str, int, float, bool, None — and back through their own
constructors. ``workspace.cache`` serialises the plain form with ``marshal`` (only ever on bytes
whose MAC verified, see ``workspace.cache_key``); nothing here can build any other type.

Decoding validates the shape as it goes: a wrong type or length anywhere raises ``ValueError``
and the whole pack is discarded. A pack names the code fingerprint of the package that wrote it
(``workspace.fingerprint``), so a change to any layout below never meets packs of the old one.

Layouts (``span`` is ``(line, column, end_line, end_column)``):

* facts: ``(module, imports, classes, defines)`` or None (the text does not parse)
* import: ``(module, names, span, is_from, level, bound, used, type_checking, deferred,
  statement_span, unused)``
* class: ``(name, span, bases, keywords, decorators, public_methods, abstract_methods,
  is_abstract, nested, type_checking)``
* finding: ``(code, message, severity, path, span, adrs, fix, principle, source, rule_id, data,
  related)``; fix ``(title, ((span, new_text), ...), safe)``; related ``(path, span, message)``
* ``data``: a dict with str keys of plain values (what ``Diagnostic.data`` can carry).
"""

from __future__ import annotations

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
        (i.module, tuple(i.names), _span(i.span), i.is_from, i.level, tuple(i.bound), i.used, i.type_checking,
         i.deferred, None if i.statement_span is None else _span(i.statement_span), tuple(i.unused))
        for i in facts.imports)
    classes = tuple(
        (c.name, _span(c.span), tuple(c.bases), tuple(c.keywords), tuple(c.decorators), tuple(c.public_methods),
         tuple(c.abstract_methods), c.is_abstract, c.nested, c.type_checking)
        for c in facts.classes)
    return (facts.module, imports, classes, tuple(facts.defines))


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


def _str(value: Any, what: str) -> str:
    if type(value) is not str:
        raise _fail(what, value)
    return value


def _optional_str(value: Any, what: str) -> str | None:
    if value is not None and type(value) is not str:
        raise _fail(what, value)
    return value


def _bool(value: Any, what: str) -> bool:
    if type(value) is not bool:
        raise _fail(what, value)
    return value


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if type(value) is not tuple or not all(type(item) is str for item in value):
        raise _fail(what, value)
    return value


def _record(value: Any, length: int, what: str) -> tuple:
    if type(value) is not tuple or len(value) != length:
        raise _fail(what, value)
    return value


def _to_span(value: Any) -> Span:
    if type(value) is not tuple or len(value) != 4 or not all(type(number) is int for number in value):
        raise _fail("span", value)
    return Span(*value)


def facts_from_plain(value: Any) -> ModuleFacts | None:
    if value is None:
        return None
    module, imports, classes, defines = _record(value, 4, "facts")
    if type(imports) is not tuple or type(classes) is not tuple:
        raise _fail("facts", value)
    return ModuleFacts(
        module=_optional_str(module, "module name"),
        imports=tuple(_import_from_plain(item) for item in imports),
        classes=tuple(_class_from_plain(item) for item in classes),
        defines=_strings(defines, "defines"),
    )


def _import_from_plain(value: Any) -> ImportFact:
    (module, names, span, is_from, level, bound, used, type_checking, deferred, statement_span,
     unused) = _record(value, 11, "import")
    if type(level) is not int:
        raise _fail("import level", level)
    return ImportFact(
        module=_str(module, "import module"), names=_strings(names, "import names"), span=_to_span(span),
        is_from=_bool(is_from, "is_from"), level=level, bound=_strings(bound, "bound names"),
        used=_bool(used, "used"), type_checking=_bool(type_checking, "type_checking"),
        deferred=_bool(deferred, "deferred"),
        statement_span=None if statement_span is None else _to_span(statement_span),
        unused=_strings(unused, "unused names"),
    )


def _class_from_plain(value: Any) -> ClassFact:
    (name, span, bases, keywords, decorators, public_methods, abstract_methods, is_abstract, nested,
     type_checking) = _record(value, 10, "class")
    return ClassFact(
        name=_str(name, "class name"), span=_to_span(span), bases=_strings(bases, "bases"),
        keywords=_strings(keywords, "keywords"), decorators=_strings(decorators, "decorators"),
        public_methods=_strings(public_methods, "public methods"),
        abstract_methods=_strings(abstract_methods, "abstract methods"),
        is_abstract=_bool(is_abstract, "is_abstract"), nested=_bool(nested, "nested"),
        type_checking=_bool(type_checking, "type_checking"),
    )


def finding_from_plain(value: Any) -> Finding:
    (code, message, severity, path, span, adrs, fix, principle, source, rule_id, data,
     related) = _record(value, 12, "finding")
    if type(severity) is not str or severity not in _SEVERITIES:
        raise _fail("severity", severity)
    if type(data) is not dict or not all(type(key) is str for key in data):
        raise _fail("finding data", data)
    _check_plain(data, 0)
    if type(related) is not tuple:
        raise _fail("related", related)
    return Finding(
        code=_str(code, "code"), message=_str(message, "message"), severity=_SEVERITIES[severity],
        path=Path(_str(path, "path")), span=_to_span(span), adrs=_strings(adrs, "adrs"),
        fix=None if fix is None else _fix_from_plain(fix), principle=_str(principle, "principle"),
        source=_str(source, "source"), rule_id=_optional_str(rule_id, "rule id"), data=data,
        related=tuple(_related_from_plain(item) for item in related),
    )


def _fix_from_plain(value: Any) -> Fix:
    title, edits, safe = _record(value, 3, "fix")
    if type(edits) is not tuple:
        raise _fail("fix edits", edits)
    return Fix(title=_str(title, "fix title"), safe=_bool(safe, "fix safety"), edits=tuple(
        TextEdit(_to_span(span), _str(text, "edit text")) for span, text in (_record(e, 2, "edit") for e in edits)))


def _related_from_plain(value: Any) -> Related:
    path, span, message = _record(value, 3, "related")
    return Related(Path(_str(path, "related path")), _to_span(span), _str(message, "related message"))


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
