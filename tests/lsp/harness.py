"""The end-to-end test client: a pytest-lsp client that keeps every published diagnostic, answers
``workspace/applyEdit`` and ``client/registerCapability``, and a ``Session`` that tracks the text
of open documents so edits and positions are computed on the client side, independently of the
server's own position code."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any, Union

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

SERVER_COMMAND = [sys.executable, "-m", "python_architect", "serve"]
PROFILES = ("visual_studio_code", "neovim", "pull_client")


def capabilities_for(profile: str) -> types.ClientCapabilities:
    """The named pytest-lsp profile; ``pull_client`` is VS Code's profile declaring pull
    diagnostics and ``workspace/diagnostic/refresh`` as current VS Code does."""
    if profile != "pull_client":
        return client_capabilities(profile)
    capabilities = client_capabilities("visual_studio_code")
    capabilities.text_document.diagnostic = types.DiagnosticClientCapabilities(dynamic_registration=False)
    capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    return capabilities


def _record_publish(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)  # type: ignore[attr-defined]
    _wake(client)


def _wake(client: LanguageClient) -> None:
    """Wakes every ``wait_published`` caller: they re-check their condition on each publish."""
    waiters, client.waiters = client.waiters, []  # type: ignore[attr-defined]
    for waiter in waiters:
        if not waiter.done():
            waiter.set_result(None)


async def wait_until(client: LanguageClient, condition: Any, timeout: float = 20.0, what: str = "a condition") -> Any:
    """Awaits the first truthy ``condition()`` and returns it. Driven by what the server sends,
    not by polling: the condition is re-checked whenever a publish, registration, diagnostics
    refresh, applied edit, progress report or log message arrives."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = condition()
        if result:
            return result
        remaining = deadline - loop.time()
        if remaining <= 0:
            raise AssertionError(f"the server sent nothing that satisfied {what} within {timeout}s")
        waiter = loop.create_future()
        client.waiters.append(waiter)  # type: ignore[attr-defined]
        try:
            await asyncio.wait_for(waiter, remaining)
        except asyncio.TimeoutError:
            pass


async def wait_published(client: LanguageClient, found: Any, timeout: float = 20.0, what: str = "a publish") -> Any:
    """Awaits the first ``found(client.published)`` that is truthy (see ``wait_until``)."""
    return await wait_until(client, lambda: found(client.published), timeout, what)  # type: ignore[attr-defined]


def _waking(handler: Any) -> Any:
    def run(client: LanguageClient, params: Any) -> Any:
        result = handler(client, params)
        _wake(client)
        return result

    return run


def _register_capability(client: LanguageClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)  # type: ignore[attr-defined]
    _wake(client)


def _unregister_capability(client: LanguageClient, params: types.UnregistrationParams) -> None:
    gone = {(u.id, u.method) for u in params.unregisterations}
    client.registrations[:] = [r for r in client.registrations if (r.id, r.method) not in gone]  # type: ignore[attr-defined]
    _wake(client)


def _apply_edit(client: LanguageClient, params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
    client.applied_edits.append(params.edit)  # type: ignore[attr-defined]
    _wake(client)
    return types.ApplyWorkspaceEditResult(applied=True)


def make_client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    client.published = []  # type: ignore[attr-defined]
    client.waiters = []  # type: ignore[attr-defined]
    client.registrations = []  # type: ignore[attr-defined]
    client.applied_edits = []  # type: ignore[attr-defined]
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _record_publish
    features[types.CLIENT_REGISTER_CAPABILITY] = _register_capability
    features[types.CLIENT_UNREGISTER_CAPABILITY] = _unregister_capability
    features[types.WORKSPACE_APPLY_EDIT] = _apply_edit
    for method in (types.WORKSPACE_DIAGNOSTIC_REFRESH, types.WINDOW_LOG_MESSAGE, types.PROGRESS):
        features[method] = _waking(DEFAULT_CLIENT_FEATURES[method])
    register_lsp_features(client, features)
    _structure_code_actions_by_their_command_type(client)
    return client


def _structure_code_actions_by_their_command_type(client: LanguageClient) -> None:
    """lsprotocol's client-side hook reads any object with a ``command`` key as a ``Command``,
    losing code actions that carry a command; real clients look at the key's type, as here."""
    converter = client.protocol._converter

    def structure(obj: Any, _: Any) -> Any:
        if isinstance(obj.get("command"), str):
            return converter.structure(obj, types.Command)
        return converter.structure(obj, types.CodeAction)

    converter.register_structure_hook(Union[types.Command, types.CodeAction], structure)  # noqa: UP007 - the key lsprotocol registered


# -- positions, computed independently of the server's code ------------------------------------
def _units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _chars(line: str, units: int, encoding: str) -> int:
    for index in range(len(line) + 1):
        if _units(line[:index], encoding) >= units:
            return index
    return len(line)


class Session:
    """One initialized client against one workspace."""

    def __init__(self, client: LanguageClient, profile: str, root: Path, result: types.InitializeResult) -> None:
        self.client = client
        self.profile = profile
        self.root = root
        self.pull = client.capabilities.text_document.diagnostic is not None  # type: ignore[union-attr]
        encoding = result.capabilities.position_encoding or "utf-16"
        self.encoding = str(getattr(encoding, "value", encoding))
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        self.result_ids: dict[str, str | None] = {}

    def uri(self, relative: str) -> str:
        return (self.root / relative).resolve().as_uri()

    # documents
    def open(self, relative: str, text: str | None = None, language: str = "python") -> str:
        uri = self.uri(relative)
        if text is None and uri in self.texts:
            return uri  # already open (a shared server): a second didOpen would be a protocol error
        if text is None:
            text = (self.root / relative).read_bytes().decode("utf-8", errors="replace")
        self.texts[uri], self.versions[uri] = text, 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text))
        )
        return uri

    def scratch(self, relative: str, text: str | None = None, language: str | None = None) -> str:
        """Opens an unsaved copy of ``relative`` (or ``text``) under a fresh sibling name, so a test
        sharing a server with others can edit its own document without touching theirs."""
        self.scratch_count = getattr(self, "scratch_count", 0) + 1
        source = Path(relative)
        name = source.with_name(f"{source.stem}_scratch{self.scratch_count}{source.suffix}").as_posix()
        if text is None:
            text = (self.root / relative).read_text(encoding="utf-8")
        if language is None:
            language = "python" if source.suffix == ".py" else "markdown" if source.suffix == ".md" else "plaintext"
        return self.open(name, text, language)

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=uri)))
        self.texts.pop(uri, None)
        self.versions.pop(uri, None)

    def position(self, uri: str, needle: str, offset: int = 0, occurrence: int = 0) -> types.Position:
        text = self.texts[uri]
        index = -1
        for _ in range(occurrence + 1):
            index = text.index(needle, index + 1)
        index += offset
        line = text.count("\n", 0, index)
        line_start = text.rfind("\n", 0, index) + 1
        return types.Position(line=line, character=_units(text[line_start:index], self.encoding))

    def offset(self, uri: str, position: types.Position) -> int:
        lines = self.texts[uri].split("\n")
        base = sum(len(line) + 1 for line in lines[: position.line])
        return base + _chars(lines[position.line] if position.line < len(lines) else "", position.character, self.encoding)

    def edit(self, uri: str, start: types.Position, end: types.Position, new_text: str) -> int:
        text = self.texts[uri]
        self.texts[uri] = text[: self.offset(uri, start)] + new_text + text[self.offset(uri, end) :]
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                content_changes=[types.TextDocumentContentChangePartial(range=types.Range(start=start, end=end), text=new_text)],
            )
        )
        return self.versions[uri]

    def replace(self, uri: str, old: str, new: str) -> int:
        start = self.position(uri, old)
        end = self.position(uri, old, len(old))
        return self.edit(uri, start, end, new)

    def set_text(self, uri: str, new_text: str) -> int:
        """Replaces the whole document (as an editor applying a workspace edit would)."""
        lines = self.texts[uri].split("\n")
        end = types.Position(line=len(lines) - 1, character=_units(lines[-1], self.encoding))
        return self.edit(uri, types.Position(0, 0), end, new_text)

    def apply_text_edits(self, uri: str, edits: list[types.TextEdit]) -> str:
        """Applies edits to the tracked text (not sent to the server) and returns the result."""
        text = self.texts[uri]
        spans = sorted(((self.offset(uri, e.range.start), self.offset(uri, e.range.end), e.new_text) for e in edits), reverse=True)
        for start, end, new_text in spans:
            text = text[:start] + new_text + text[end:]
        return text

    # results
    async def diagnostics(self, uri: str, timeout: float = 20.0) -> list[types.Diagnostic]:
        """The diagnostics for the document's current version (pulled, or awaited when pushed)."""
        if self.pull:
            report = await asyncio.wait_for(
                self.client.text_document_diagnostic_async(
                    types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
                ),
                timeout,
            )
            self.result_ids[uri] = report.result_id
            return list(report.items)
        version = self.versions.get(uri)

        def current(published: list[types.PublishDiagnosticsParams]) -> list | None:
            for params in reversed(published):
                if params.uri == uri and (version is None or params.version == version):
                    return [list(params.diagnostics)]
            return None

        [diagnostics] = await wait_published(self.client, current, timeout, f"{uri} version {version}")
        return diagnostics

    def publish_count(self) -> int:
        return len(self.client.published)  # type: ignore[attr-defined]

    async def next_publish(self, uri: str, after: int, timeout: float = 20.0) -> list[types.Diagnostic]:
        """The diagnostics of the first publish for ``uri`` among those after the ``after``-th."""

        def found(published: list[types.PublishDiagnosticsParams]) -> list | None:
            for params in published[after:]:
                if params.uri == uri:
                    return [list(params.diagnostics)]
            return None

        [diagnostics] = await wait_published(self.client, found, timeout, f"a new publish for {uri}")
        return diagnostics

    async def codes(self, uri: str) -> list[str]:
        return sorted(str(d.code) for d in await self.diagnostics(uri))

    async def hover(self, uri: str, needle: str, offset: int = 1, occurrence: int = 0) -> str | None:
        result = await self.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=self.position(uri, needle, offset, occurrence),
            )
        )
        if result is None:
            return None
        return result.contents.value  # type: ignore[union-attr]

    async def actions(self, uri: str, diagnostics: list[types.Diagnostic], only: list[str] | None = None,
                      range_: types.Range | None = None) -> list[types.CodeAction]:
        if range_ is None:
            range_ = diagnostics[0].range if diagnostics else types.Range(start=types.Position(0, 0), end=types.Position(0, 0))
        result = await self.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=range_,
                context=types.CodeActionContext(diagnostics=diagnostics, only=only),
            )
        )
        return [action for action in result or () if isinstance(action, types.CodeAction)]

    async def resolved(self, action: types.CodeAction) -> types.CodeAction:
        if action.edit is None and action.data is not None:
            return await self.client.code_action_resolve_async(action)
        return action


def edits_for(edit: types.WorkspaceEdit, uri: str) -> list[types.TextEdit]:
    """The text edits a workspace edit makes to ``uri`` (either shape)."""
    found: list[Any] = []
    if edit.changes:
        found.extend(edit.changes.get(uri, ()))
    for change in edit.document_changes or ():
        if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri:
            found.extend(change.edits)
    return found


def initialize_params(profile: str, folders: list[Path], options: dict[str, Any] | None = None) -> types.InitializeParams:
    return types.InitializeParams(
        capabilities=capabilities_for(profile),
        root_uri=folders[0].resolve().as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=f.resolve().as_uri(), name=f.name) for f in folders],
        initialization_options={"pythonArchitect": options or {}},
    )
