"""Fixtures for the chat tests: the fake Anthropic API, the fixture workspace (with a live-looking
payment key planted at test time, so no secret-shaped string is committed) and the example one."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_anthropic import FakeAnthropic
from python_architect.advisor.service import Advisor
from python_architect.engine import Project
from python_architect.settings import EditorSettings

REPO = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "workspace"
EXAMPLE = REPO / "examples" / "service"
# Assembled at run time: a committed literal would trip secret scanners.
STRIPE_KEY = "sk_" + "live_" + "51HqLyjWDarjtT1zdp7dcQx9Vb"
API_KEY = "sk-ant-" + "api03-" + "fakeKeyForTheChatTests0123456789abcdef"


def render_workspace(target: Path) -> Path:
    shutil.copytree(FIXTURE, target)
    template = target / "src" / "shop" / "services" / "checkout.py.template"
    template.with_suffix("").write_text(template.read_text().replace("{STRIPE_KEY}", STRIPE_KEY))
    template.unlink()
    return target


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return render_workspace(tmp_path / "shop")


@pytest.fixture
def project(workspace: Path) -> Project:
    return Project.load(workspace)


@pytest.fixture(scope="session")
def example_project() -> Project:
    return Project.load(EXAMPLE)


@pytest.fixture
def fake_api():
    fake = FakeAnthropic()
    fake.start()
    yield fake
    fake.stop()


def make_advisor(project: Project, fake: FakeAnthropic | None = None, *, max_retries: int = 0, **settings) -> Advisor:
    return Advisor(
        project,
        EditorSettings(**settings),
        api_key=API_KEY if fake is not None else None,
        base_url=fake.base_url if fake is not None else None,
        max_retries=max_retries,
        environ={},
    )


async def collect(events) -> tuple[list[str], object]:
    """The chunks' texts and the final event of one ``ask`` (tool steps are in ``final.steps``)."""
    from python_architect.advisor.service import ChatChunk, ChatFinal, ChatStep

    chunks: list[str] = []
    final = None
    async for event in events:
        if isinstance(event, ChatChunk):
            assert final is None, "a chunk arrived after the final event"
            chunks.append(event.text)
        elif isinstance(event, ChatStep):
            assert final is None, "a step arrived after the final event"
        else:
            assert isinstance(event, ChatFinal)
            final = event
    assert final is not None, "no final event"
    return chunks, final
