"""Conversations that last: each chat conversation of a workspace stored as one JSON file, so a
window reload or a server restart finds it again, and what every turn looked at (the code in
view, the ADRs cited, the files the tools read) is kept for the follow-ups.

* **Where.** ``<user_cache_dir(root)>/conversations/`` — the server's per-workspace cache folder
  (``workspace.cache``), never the workspace itself. One file per conversation, named by a digest
  of its id (ids come from the client and may hold any character), written atomically.
* **What.** A ``Turn`` holds the question and answer *as sent and received* — redacted again
  here before anything is written, so a secret that never left the machine is never stored
  either — the code context reference (path relative to the root, selected lines), the ADRs
  cited and the tool steps ``{tool, path, line}``.
* **Bounds.** At most ``max_conversations`` files (the least recently updated are deleted first)
  and ``max_file_bytes`` per file (the oldest turns' answers are shortened to their summary, then
  the oldest turns dropped). Reading is defensive: the folder is the user's, but a file is read
  with ``root_paths.read_bounded`` (no symlinks, no devices, size-capped), parsed as JSON only
  and schema-checked; a file that fails is skipped with one log line, never trusted.
* **Ownership and locking.** A ``ConversationStore`` owns its folder within one process (front
  ends take ``ConversationStore.shared(root)``, one per folder); its ``_lock`` serialises every
  read-modify-write (the language server calls it from worker threads). Two processes on one workspace (two windows) each write whole files through
  ``os.replace``: a reader sees one complete version; the last writer of a conversation wins.
* **Follow-ups.** ``history_messages`` (in ``followups``) turns the stored turns into the
  history of the next request within a token budget; ``StoredConversation.context_terms()``
  gives the files and ADRs earlier turns looked at, for the ranking. The values and their JSON
  schema live in ``conversation_model``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..root_paths import NotReadable, read_bounded
from ..workspace.cache import CONVERSATIONS_FOLDER, user_cache_dir
from ..workspace.fingerprint import atomic_write
from .conversation_model import (
    ContextTerms,
    StoredConversation,
    ToolStep,
    Turn,
    parse_conversation,
    selection_or_none,
    step_of,
    title_of,
)
from .redaction import Redactor

__all__ = ["ContextTerms", "ConversationStore", "StoredConversation", "ToolStep", "Turn"]

log = logging.getLogger(__name__)

FOLDER = CONVERSATIONS_FOLDER
MAX_CONVERSATIONS = 64
MAX_FILE_BYTES = 256 * 1024
MAX_TEXT_CHARS = 100_000
"""A single stored question or answer longer than this is cut (the file cap would drop it anyway)."""
MAX_STEPS_PER_TURN = 200

_SHARED: dict[Path, ConversationStore] = {}
_SHARED_LOCK = threading.Lock()


class ConversationStore:
    """The stored conversations of one workspace (see the module docstring for the rules)."""

    def __init__(
        self,
        directory: Path,
        root: Path | None = None,
        *,
        max_conversations: int = MAX_CONVERSATIONS,
        max_file_bytes: int = MAX_FILE_BYTES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.directory = Path(directory)
        self.root = Path(root).resolve() if root is not None else None
        self.max_conversations = max_conversations
        self.max_file_bytes = max_file_bytes
        self._clock = clock
        self._lock = threading.Lock()

    @classmethod
    def for_workspace(cls, root: Path, **options: Any) -> ConversationStore:
        return cls(user_cache_dir(root) / FOLDER, root, **options)

    @classmethod
    def shared(cls, root: Path) -> ConversationStore:
        """The one store of ``root`` in this process (every front end asks here, so one lock
        guards each folder)."""
        key = Path(root).resolve()
        with _SHARED_LOCK:
            store = _SHARED.get(key)
            if store is None:
                store = _SHARED[key] = cls.for_workspace(key)
            return store

    # -- reading ----------------------------------------------------------------------------

    def get(self, conversation_id: str) -> StoredConversation | None:
        with self._lock:
            return self._read(self._file(conversation_id), expected_id=conversation_id)

    def list(self) -> list[StoredConversation]:
        """Every readable conversation, most recently updated first."""
        with self._lock:
            found = [c for c in (self._read(p) for p in self._files()) if c is not None]
        return sorted(found, key=lambda c: c.updated, reverse=True)

    def history(self, conversation_id: str, max_tokens: int) -> list[dict[str, Any]]:
        """The earlier turns as Messages API history within ``max_tokens`` (``followups``)."""
        from .followups import history_messages

        conversation = self.get(conversation_id)
        return history_messages(conversation.turns, max_tokens) if conversation is not None else []

    # -- writing ----------------------------------------------------------------------------

    def append(
        self,
        conversation_id: str,
        *,
        question: str,
        answer: str,
        path: Path | str | None = None,
        selection: tuple[int, int] | None = None,
        adrs: Iterable[str] = (),
        steps: Iterable[ToolStep | dict[str, Any]] = (),
    ) -> StoredConversation | None:
        """Adds one completed turn and writes the conversation; None when it could not be
        written (logged: losing the history must not lose the answer)."""
        redactor = Redactor()
        turn = Turn(
            question=redactor(question[:MAX_TEXT_CHARS], question=True),
            answer=redactor(answer[:MAX_TEXT_CHARS]),
            path=self._relative(path),
            selection=selection_or_none(selection),
            adrs=tuple(dict.fromkeys(str(a) for a in adrs)),
            steps=tuple(s for s in (step_of(raw, self._relative) for raw in steps) if s is not None)[:MAX_STEPS_PER_TURN],
            at=self._clock(),
        )
        with self._lock:
            file = self._file(conversation_id)
            conversation = self._read(file, expected_id=conversation_id) or StoredConversation(
                conversation_id, title_of(turn.question), turn.at, turn.at
            )
            conversation.turns.append(turn)
            conversation.updated = turn.at
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                atomic_write(file, self._encode_within_cap(conversation))
            except OSError as exc:
                log.warning("could not store conversation %s: %s", conversation_id, exc)
                return None
            self._evict(keep=file)
        return conversation

    def delete(self, conversation_id: str) -> bool:
        with self._lock:
            try:
                self._file(conversation_id).unlink()
            except FileNotFoundError:
                return False
            except OSError as exc:
                log.warning("could not delete conversation %s: %s", conversation_id, exc)
                return False
        return True

    # -- internals (called under the lock) ------------------------------------------------

    def _file(self, conversation_id: str) -> Path:
        name = hashlib.sha256(conversation_id.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return self.directory / f"{name}.json"

    def _files(self) -> list[Path]:
        try:
            return [p for p in self.directory.iterdir() if p.suffix == ".json" and not p.name.startswith(".")]
        except OSError:
            return []

    def _read(self, file: Path, expected_id: str | None = None) -> StoredConversation | None:
        try:
            data = read_bounded(file, self.max_file_bytes, follow_symlinks=False)
        except FileNotFoundError:
            return None
        except (NotReadable, OSError) as exc:
            log.warning("skipped stored conversation %s: %s", file.name, exc)
            return None
        try:
            conversation = parse_conversation(json.loads(data.decode("utf-8")))
        except (ValueError, UnicodeDecodeError) as exc:
            log.warning("skipped stored conversation %s: %s", file.name, exc)
            return None
        if expected_id is not None and conversation.id != expected_id:
            log.warning("skipped stored conversation %s: it holds another conversation's id", file.name)
            return None
        if file.name != self._file(conversation.id).name:
            log.warning("skipped stored conversation %s: its name does not match its id", file.name)
            return None
        return conversation

    def _encode_within_cap(self, conversation: StoredConversation) -> bytes:
        """The file's bytes within ``max_file_bytes``: the oldest answers shortened first, then
        the oldest turns dropped (the newest turn is always kept, cut if it must be)."""
        from .followups import summarise_answer

        def encode() -> bytes:
            return json.dumps(conversation.to_json(), ensure_ascii=False).encode("utf-8")

        data = encode()
        index = 0
        while len(data) > self.max_file_bytes and index < len(conversation.turns) - 1:
            turn = conversation.turns[index]
            conversation.turns[index] = Turn(turn.question, summarise_answer(turn.answer), turn.path,
                                             turn.selection, turn.adrs, turn.steps, turn.at)
            index += 1
            data = encode()
        while len(data) > self.max_file_bytes and len(conversation.turns) > 1:
            del conversation.turns[0]
            data = encode()
        if len(data) > self.max_file_bytes:
            last = conversation.turns[-1]
            room = max(0, self.max_file_bytes // 8)
            conversation.turns[-1] = Turn(last.question[:room], last.answer[:room], last.path, last.selection,
                                          last.adrs, last.steps[:20], last.at)
            data = encode()
        return data

    def _evict(self, keep: Path) -> None:
        files = self._files()
        if len(files) <= self.max_conversations:
            return
        dated: list[tuple[float, Path]] = []
        for file in files:
            try:
                dated.append((file.stat().st_mtime, file))
            except OSError:
                continue
        for _, file in sorted(dated)[: len(files) - self.max_conversations]:
            if file != keep:
                try:
                    file.unlink()
                    log.info("forgot the oldest stored conversation %s", file.name)
                except OSError as exc:
                    log.info("could not remove %s: %s", file.name, exc)

    def _relative(self, path: Path | str | None) -> str | None:
        if path is None or path == "":
            return None
        candidate = Path(path)
        if self.root is not None and candidate.is_absolute():
            try:
                return candidate.resolve().relative_to(self.root).as_posix()
            except (ValueError, OSError):
                return None  # outside the workspace: not stored
        return candidate.as_posix()[:500]
