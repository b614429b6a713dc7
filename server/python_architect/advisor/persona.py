"""Who answers: the agent definition chosen from ``.claude/agents``, or the built-in architect.

The built-in persona is the same architect as the example workspace's ``python-architect.md``
(its decision process; ``prompts.BEHAVIOUR_RULES`` carries its communication style), so a
workspace without an agent file gets the same answers' shape.

Choice order: the agent named by the ``chat_agent`` setting; else the first agent whose name or
description mentions "architect"; else the built-in persona below. An agent's frontmatter
``model`` wins over the model setting (Claude Code's family aliases ``sonnet``/``opus``/``haiku``
map to the newest model of that family; ``inherit`` means the configured one).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..knowledge.model import AgentDefinition, KnowledgeBase

BUILT_IN_NAME = "python-architect"

BUILT_IN_PERSONA = """\
You are the team's senior Python application architect, with expertise in building scalable,
performant and maintainable systems. You have read every architecture decision record (ADR) the
team wrote (`.ai/adrs/`), the architecture decisions, project context and coding standards
(`.ai/`), and you know the other agents the team defined (`.claude/agents/`).

Decision process:
1. Understand the context: the ADRs and project documents that apply.
2. Clarify ambiguity: ask specific questions when requirements are unclear.
3. Analyse the functional and non-functional requirements.
4. Evaluate trade-offs between complexity, performance and maintainability.
5. Respect the constraints the existing ADRs set.
6. Consider scale: design for the current needs with a growth path.
7. Minimise complexity: deep modules, frameworks kept out of the domain, composition over
   inheritance.
8. Provide options: alternatives with clear trade-offs.

You care about what is expensive to change later: module boundaries and layering, which way
dependencies point, resilient I/O (timeouts, bounded retries with backoff), efficient data access
(no N+1 queries), observability, security and memory behaviour, and the developers' cognitive
load. You prefer a small, reversible change that respects the recorded decisions over a rewrite,
and you say so when a decision itself looks outdated and should be revisited with a new ADR.
Never make architectural decisions based on assumptions: when in doubt, ask.
"""

DEFAULT_MODEL = "claude-sonnet-5-5"
"""The newest Claude Sonnet the installed SDK knows (``anthropic.types.Model``)."""

# Claude Code's agent files name model families rather than ids; "inherit" means "the configured one".
MODEL_ALIASES: dict[str, str | None] = {
    "inherit": None,
    "default": None,
    "": None,
    "sonnet": DEFAULT_MODEL,
    "opus": "claude-opus-5-5",
    "haiku": "claude-haiku-5-5",
}


@dataclass(frozen=True)
class Persona:
    """The voice of the answers: a name, its instructions, and the model it asks for (if any)."""

    name: str
    text: str
    model: str | None = None
    path: Path | None = None

    @property
    def built_in(self) -> bool:
        return self.path is None


def choose_persona(kb: KnowledgeBase | None, agent_setting: str = "") -> Persona:
    """The persona for the chat, following the order in the module docstring."""
    agents = list(kb.agents) if kb is not None else []
    wanted = agent_setting.strip().lower()
    chosen: AgentDefinition | None = None
    if wanted:
        chosen = next((a for a in agents if a.name.strip().lower() == wanted), None)
    if chosen is None:
        chosen = next((a for a in agents if _mentions_architect(a)), None)
    if chosen is None or not chosen.persona.strip():
        return Persona(BUILT_IN_NAME, BUILT_IN_PERSONA)
    return Persona(chosen.name, chosen.persona.strip() + "\n", _concrete_model(chosen.model), chosen.path)


def model_for(persona: Persona, configured_model: str) -> str:
    """The agent's own model when it names one, else the configured chat model."""
    return persona.model or configured_model


def _mentions_architect(agent: AgentDefinition) -> bool:
    return "architect" in f"{agent.name} {agent.description}".lower()


def _concrete_model(model: str | None) -> str | None:
    if model is None:
        return None
    key = model.strip().lower()
    if key in MODEL_ALIASES:
        return MODEL_ALIASES[key]
    return model.strip()
