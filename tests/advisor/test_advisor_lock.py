"""The chat analyses the code in view and gathers context while holding the project's lock (the
language server passes the folder lock), so it never races the editor's analyses or a reload."""

from __future__ import annotations

from chat_support import collect
from owned_lock import OwnedLock
from python_architect.advisor.service import Advisor
from python_architect.engine import Project


async def test_the_chat_analyses_under_the_projects_lock(project: Project) -> None:
    lock = OwnedLock()
    held_while_analysing: list[bool] = []
    analyze = project.analyze

    def recording_analyze(*args, **kwargs):
        held_while_analysing.append(lock.held_here())
        return analyze(*args, **kwargs)

    project.analyze = recording_analyze  # type: ignore[method-assign]
    advisor = Advisor(project, lock=lock)
    path = next(p for p in project.workspace_files.python if p.name == "money.py")
    _, final = await collect(advisor.ask("q", "What does this module do?", path=path, offline=True))
    assert final.error is None
    assert held_while_analysing == [True]
