"""Stored conversations and proposed edits over LSP, and the "Fix with the architect" command.

Wire contract (camelCase JSON; times in epoch seconds; lines 1-based as stored):
- request ``pythonArchitect/listConversations`` ``{folderUri?}`` -> ``[{id, title, updated, turns,
  folderUri}]``, most recently updated first, over every workspace folder (or the one given);
- request ``pythonArchitect/getConversation`` ``{conversationId, folderUri?}`` -> ``{id, title,
  created, updated, folderUri, turns: [{question, answer, uri, path, selection, adrs, steps:
  [{tool, path, uri, line}], at}]}`` or null;
- request ``pythonArchitect/deleteConversation`` ``{conversationId, folderUri?}`` -> ``{deleted}``;
- command ``pythonArchitect.fixWithArchitect`` ``{uri, range, code, message, adrs, question}``:
  the chat on that finding asking for a fix (the VS Code client routes it to its chat panel;
  other clients get the answer as the command's result, as with ``askAboutFinding``);
- ``proposal_result``: the ``proposals`` member of a chat result, ``{edit: WorkspaceEdit, files:
  [{path, startLine, endLine, create, newText, how}], refused: [{path, reason}], diff}`` — never
  applied by the server: the client applies ``edit`` after the user's click.

The stores are ``ConversationStore.shared(root)``: one per folder in the process, so the chat's
appends and these requests share one lock. Disk work runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lsprotocol import types

from ..advisor.conversations import ConversationStore, StoredConversation
from ..advisor.proposals import ProposalSet, parse_proposals, read_workspace_text
from ..explain.positions import LineIndex
from .chat_routes import DELETE_CONVERSATION, FIX_WITH_ARCHITECT, GET_CONVERSATION, LIST_CONVERSATIONS
from .convert import path_of, span_range, uri_of

log = logging.getLogger("python_architect")


def register_conversations(server: Any, router: Any, on: Any = None) -> None:
    """Registers the requests and the command on ``on`` (``server`` unless given: see
    ``chat.register_chat``); ``router`` is the chat's ``ChatRouter``."""
    from .chat import finding_request, plain

    on = server if on is None else on

    @on.feature(LIST_CONVERSATIONS)
    async def list_conversations(ls: Any, params: Any) -> list[dict[str, Any]]:
        return await asyncio.to_thread(_list, _roots(ls, plain(params)))

    @on.feature(GET_CONVERSATION)
    async def get_conversation(ls: Any, params: Any) -> dict[str, Any] | None:
        request = plain(params)
        conversation_id = _conversation_id(request)
        if conversation_id is None:
            return None
        return await asyncio.to_thread(_get, _roots(ls, request), conversation_id)

    @on.feature(DELETE_CONVERSATION)
    async def delete_conversation(ls: Any, params: Any) -> dict[str, bool]:
        request = plain(params)
        conversation_id = _conversation_id(request)
        if conversation_id is None:
            return {"deleted": False}
        deleted = await asyncio.to_thread(_delete, _roots(ls, request), conversation_id)
        for advisor in router.advisors.values():  # the in-memory copy too
            advisor.forget(conversation_id)
        return {"deleted": deleted}

    @on.command(FIX_WITH_ARCHITECT)
    async def fix_with_architect(ls: Any, *arguments: Any) -> dict[str, Any]:
        first = plain(arguments[0]) if arguments else None
        if not isinstance(first, dict) or not (first.get("code") or first.get("question")):
            return await router.answer_safely(None)
        return await router.answer_safely(finding_request(first))


def store_of(root: Path) -> ConversationStore:
    return ConversationStore.shared(root)


def proposal_result(ls: Any, root: Path, answer: str) -> dict[str, Any] | None:
    """The edits an answer proposes, as the chat result's ``proposals`` (None when none)."""
    if "path=" not in answer and "file=" not in answer:
        return None  # the common case costs one substring search
    try:
        found = parse_proposals(answer, root, read_text=lambda path: _editor_text(ls, path))
    except Exception:  # a malformed answer must not lose the answer itself
        log.exception("reading the proposals of an answer failed")
        return None
    if not found:
        return None
    payload = found.to_json()
    payload["files"] = payload.pop("proposals")
    payload["edit"] = ls.protocol._converter.unstructure(workspace_edit(ls, found)) if found.proposals else None
    return payload


def workspace_edit(ls: Any, found: ProposalSet) -> types.WorkspaceEdit:
    """``documentChanges`` (with ``CreateFile`` for new files, versioned for open documents);
    plain ``changes`` for a client without ``documentChanges`` when no file is new."""
    encoding = getattr(ls, "position_encoding", "utf-16")
    entries: list[Any] = []
    changes: dict[str, list[types.TextEdit]] = {}
    for path, proposals in found.files().items():
        uri = uri_of(path)
        first = proposals[0]
        lines = LineIndex(first.old_text, encoding)
        edits = [types.TextEdit(range=span_range(p.edit.span, lines), new_text=p.edit.new_text) for p in proposals]
        version = None
        if first.create:
            entries.append(types.CreateFile(uri=uri, options=types.CreateFileOptions(overwrite=False, ignore_if_exists=False)))
        else:
            document = ls.workspace.text_documents.get(uri)
            version = document.version if document is not None else None
        entries.append(types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version), edits=edits))
        changes[uri] = edits
    if _supports_document_changes(ls) or any(p.create for p in found.proposals):
        return types.WorkspaceEdit(document_changes=entries)
    return types.WorkspaceEdit(changes=changes)


def _supports_document_changes(ls: Any) -> bool:
    workspace = getattr(getattr(ls, "client_capabilities", None), "workspace", None)
    edit = workspace.workspace_edit if workspace is not None else None
    return bool(edit and edit.document_changes)


def _editor_text(ls: Any, path: Path) -> str | None:
    """The open document's unsaved text (what the user sees and the model read), else the disk."""
    uri = uri_of(path)
    documents = ls.workspace.text_documents
    document = documents.get(uri) or documents.get(unquote(uri))
    if document is not None:
        return document.source
    return read_workspace_text(path)


def _roots(ls: Any, request: Any) -> list[Path]:
    if isinstance(request, dict) and isinstance(request.get("folderUri"), str):
        path = path_of(unquote(request["folderUri"]))
        if path is not None:
            return [path]
    roots = [folder.root for folder in list(getattr(ls, "folders", {}).values())]
    if not roots:
        root = getattr(ls.workspace, "root_path", None)
        roots = [Path(root)] if root else []
    return roots


def _conversation_id(request: Any) -> str | None:
    value = request.get("conversationId") if isinstance(request, dict) else None
    return value if isinstance(value, str) and value else None


def _list(roots: list[Path]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for root in roots:
        for conversation in store_of(root).list():
            entries.append({**conversation.summary(), "folderUri": uri_of(root)})
    return sorted(entries, key=lambda entry: entry["updated"], reverse=True)


def _get(roots: list[Path], conversation_id: str) -> dict[str, Any] | None:
    for root in roots:
        conversation = store_of(root).get(conversation_id)
        if conversation is not None:
            return _conversation_json(root, conversation)
    return None


def _delete(roots: list[Path], conversation_id: str) -> bool:
    deleted = [store_of(root).delete(conversation_id) for root in roots]  # from every folder, not the first
    return any(deleted)


def _conversation_json(root: Path, conversation: StoredConversation) -> dict[str, Any]:
    def uri(relative: str | None) -> str | None:
        return uri_of(root / relative) if relative else None

    return {
        "id": conversation.id,
        "title": conversation.title,
        "created": conversation.created,
        "updated": conversation.updated,
        "folderUri": uri_of(root),
        "turns": [
            {
                "question": turn.question,
                "answer": turn.answer,
                "path": turn.path,
                "uri": uri(turn.path),
                "selection": list(turn.selection) if turn.selection else None,
                "adrs": list(turn.adrs),
                "steps": [{"tool": s.tool, "path": s.path, "uri": uri(s.path), "line": s.line} for s in turn.steps],
                "at": turn.at,
            }
            for turn in conversation.turns
        ],
    }
