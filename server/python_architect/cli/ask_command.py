"""``python-architect ask "question"``: the architect chat in the terminal, streamed to stdout.

The same ``Advisor`` as the editor: online with ``ANTHROPIC_API_KEY`` (``ANTHROPIC_BASE_URL``
picks another endpoint), offline otherwise or with ``--offline``. ``--conversation ID`` keeps a
conversation across runs in the same store as the editor's (``advisor.conversations``: the
user's cache directory, per workspace; each turn with the ADRs and files it looked at).
Online, the architect reads the workspace through its tools; each tool call is printed to stderr
as it happens ("Reading `price_cache.py`…"). ``--format json`` prints one JSON object on stdout
at the end: ``{answer, proposals, citations, steps, stopped, redacted, offline, model, error}``
(``proposals``: the answer's code for workspace files as edits and a unified diff; nothing is written).
Exit codes: 0 answered, 1 the API failed (a short message on stderr), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path

ROOT_MARKERS = (".ai", "pyproject.toml", ".git")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ask",
        help="ask the architect a design question (streams the answer)",
        description="Ask the architect about a design question or a piece of code, with your ADRs as context.",
    )
    parser.add_argument("question", help="the question, quoted")
    parser.add_argument("--file", type=Path, help="the file in view (its findings are included)")
    parser.add_argument("--line", type=int, help="1-based line in --file to focus on")
    parser.add_argument("--offline", action="store_true", help="answer from the ADRs alone, without the API")
    parser.add_argument("--conversation", metavar="ID", help="continue the conversation with this id")
    parser.add_argument("--root", type=Path, help="workspace root (default: found from --file or the current directory)")
    parser.add_argument("--model", help="Claude model (default: the agent's model, else the chat default)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text: stream the answer; json: one object with answer, citations and tool steps")
    parser.add_argument("--max-tool-calls", type=int, metavar="N", help="tool calls the architect may make (default 12)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # The final message already says what failed; keep library warnings off the terminal.
    library_log = logging.getLogger("python_architect")
    if not library_log.handlers:
        library_log.addHandler(logging.NullHandler())
    if args.line is not None and args.file is None:
        return _usage("--line needs --file")
    if args.line is not None and args.line < 1:
        return _usage("--line is 1-based")
    if not args.question.strip():
        return _usage("the question is empty")
    file = args.file.resolve() if args.file is not None else None
    if file is not None and not file.is_file():
        return _usage(f"{args.file}: no such file")
    root = (args.root or find_root(file.parent if file else Path.cwd())).resolve()
    if not root.is_dir():
        return _usage(f"{root}: not a directory")
    return asyncio.run(_ask(args, root, file))


def find_root(start: Path) -> Path:
    """The nearest ancestor that looks like a workspace root, else ``start``."""
    for candidate in (start, *start.parents):
        if any((candidate / marker).exists() for marker in ROOT_MARKERS):
            return candidate
    return start


async def _ask(args: argparse.Namespace, root: Path, file: Path | None) -> int:
    from ..advisor.answers import final_to_json
    from ..advisor.question_words import mentions
    from ..advisor.service import Advisor, ChatChunk, ChatStep
    from ..engine import Project
    from ..root_paths import relative_path
    from ..settings import EditorSettings

    try:
        project = await asyncio.to_thread(Project.load, root)
        said = mentions(args.question)
        if said.classes or any(explicit for _, explicit in said.modules):
            # The question names code: index the workspace so the classes and modules resolve.
            await asyncio.to_thread(project.ensure_index)
    except Exception as exc:  # noqa: BLE001 - a broken workspace is a usage error, not a crash
        return _usage(f"cannot load the workspace {root}: {exc}", code=2)
    from dataclasses import replace

    settings = EditorSettings()
    if args.model:
        settings = replace(settings, chat_model=args.model)
    if args.max_tool_calls is not None:
        if args.max_tool_calls < 0:
            return _usage("--max-tool-calls must be 0 or more")
        settings = replace(settings, chat_max_tool_calls=args.max_tool_calls)
    as_json = args.format == "json"
    advisor = Advisor(project, settings)
    conversation = args.conversation or "cli"
    if args.conversation:
        # The same store as the editor's conversations (the user's cache dir, per workspace).
        from ..advisor.conversations import ConversationStore

        advisor.store = ConversationStore.shared(root)
    selection = (args.line, args.line) if args.line else None
    final = None
    out = sys.stdout
    try:
        async for event in advisor.ask(
            conversation, args.question, path=file, selection=selection, offline=args.offline
        ):
            if isinstance(event, ChatChunk):
                if not as_json:
                    out.write(event.text)
                    out.flush()
            elif isinstance(event, ChatStep):
                print(f"  {event.label}", file=sys.stderr, flush=True)
            else:
                final = event
    finally:
        await advisor.aclose()
    if final is None:
        return 1
    if as_json:
        out.write(json.dumps(final_to_json(final, root), ensure_ascii=False, indent=2) + "\n")
        return 1 if final.error else 0
    if final.error:
        print(f"python-architect ask: {final.error}", file=sys.stderr)
        return 1
    if not final.text.endswith("\n"):
        out.write("\n")
    if final.citations:
        out.write("\nSources:\n")
        for citation in final.citations:
            out.write(f"  {citation.id}  {relative_path(citation.path, root)}:{citation.line}  {citation.title}\n")
    return 0


def _usage(message: str, code: int = 2) -> int:
    print(f"python-architect ask: {message}", file=sys.stderr)
    return code
