"""Delegation, parallel groups and decisions written in prose become inferred structure:
steps with their agents, fan-outs and batches, decisions from consecutive "If …" siblings,
and none of it makes a rule about an element's shape speak (DESIGN §2, provenance)."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from compiler.checks import check_document
from compiler.model import (
    Block,
    Checkpoint,
    DecisionBlock,
    Document,
    LoopBlock,
    ParallelBlock,
    Step,
    iter_blocks,
    iter_steps,
)
from compiler.parse import parse_document, parse_text
from compiler.parse import patterns as p
from compiler.parse.assignments import acting_agents, vocabulary
from compiler.parse.delegation import prose_delegations
from compiler.parse.elements import TextLine
from compiler.parse.text import Passage
from compiler.source import read_source


def parse(text: str) -> Document:
    return parse_text(dedent(text).strip() + "\n", "doc.md")


def blocks(document: Document) -> list[Block]:
    return [b for w in document.workflows for p in w.phases for b in iter_blocks(p.blocks)]


def decision_conditions(document: Document) -> list[str | None]:
    """The conditions of every path of every decision, in document order."""
    return [
        path.condition
        for block in blocks(document)
        if isinstance(block, DecisionBlock)
        for path in block.paths
    ]


def names(text: str) -> list[str]:
    return [found.name for found in prose_delegations(Passage.of([TextLine(text, 1, 1)]))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Use the **codebase-locator** agent to find the files", ["codebase-locator"]),
        ("If relevant, use the **thoughts-locator** agent", ["thoughts-locator"]),
        # "project" ends like "architect", but it is only the first word of the name
        ("Please spawn a project-manager-senior agent to plan it", ["project-manager-senior"]),
        # a kind of agent launched once per item is unnamed, not named after the kind
        ("Dispatch fix subagents for each affected spec", ["subagent"]),
        # the subagent tool run without a name launches an unnamed agent
        ("MANDATORY: Run #tool:runSubagent tool instructing the agent to research", ["subagent"]),
        ("DO NOT do any other tool calls after #tool:runSubagent returns!", []),
        ("**Step 1a — Activate Content Creator**", ["Content Creator"]),
        ("**Etapa 1b — Ativar UI Designer (em paralelo)**", ["UI Designer"]),
        ("**步骤 1a — 激活内容创作者**", ["内容创作者"]),
        ("Spawn Tech Lead for architectural guidance", ["Tech Lead"]),
        # a role's title led by the agent noun is that agent, not an unnamed one
        ("ESCALATE to Agents Orchestrator", ["Agents Orchestrator"]),
        ("Launch the Agent Organizer now", ["Agent Organizer"]),
        ("Spawn Agents In Parallel", ["subagent"]),
        # a word of the launch stressed is still that word
        ("Spawn a **new** implementer subagent with the FIX_PLAN", ["implementer"]),
        ("Launch a *fresh* code-reviewer agent", ["code-reviewer"]),
        # how many, a label in capitals, a long bold phrase, a phase, a verb used as a noun
        ("If both are needed, launch **both Task tools in a single message**.", ["subagent"]),
        ('Escalate using the "SPAWN SSE ON ESCALATION" sequence above', []),
        ("Dispatch **the reviewers for every changed package**", []),
        ("- **通过**：功能完整的应用程序 → 激活第四阶段", []),
        ("this identical dispatch **degrades to serial** automatically", []),
        ("Review the code using the **reviewer** agent", ["reviewer"]),
        # the noun before the marked name, a word of what is handed over before the noun
        ("Delegate the task to agent `test-writer`", ["test-writer"]),
        ("Делегируй задачу агенту `test-writer`. Файл: $ARGUMENTS", ["test-writer"]),
        ("Spusť subagenta podle `./agents/visual-agent.md`:", ["subagent"]),
        ("Jalankan subagen `planner` sekarang", ["planner"]),
        ("Use the output of agent `x`", []),
        # an adjective capitalised, the verb again in a chain, a plural noun capitalised
        ("Parallel dispatch: Independent subagents must be launched in parallel", []),
        (
            "If issues -> spawn Debugger -> re-spawn Reviewer (loop max 3x)",
            ["Debugger", "Reviewer"],
        ),
        ("F --> G[Delegar a Agentes]", ["subagent"]),
        # an instruction naming a role in backticks, in English and in Portuguese
        ("Use `staff-engineer` to plan the change", ["staff-engineer"]),
        ("Chame `staff-engineer` com: `MODO: PLANO | ID | PASTA`.", ["staff-engineer"]),
        ("Use `docker-compose` to start the stack", []),
        ("We use `staff-engineer` sometimes", []),
        # how many, between the verb and the noun (which may be plural then)
        ("Si es una sola feature simple → lanza **1** subagente `implementer`.", ["implementer"]),
        ("Si requiere investigación previa → lanza **2-3** subagentes `explorer`", ["explorer"]),
        ("5. Animacje → agent `animation-expert`", ["animation-expert"]),
        ("build -> agent runtime", []),
        ("Dispatch one #runSubagent per changed file (run all in parallel):", ["subagent"]),
        # what not to do, a skill, a template's alternatives
        ("- ❌ Launch workers one at a time", []),
        ("🚫 Edit - (spawn agents to edit)", []),
        ("2. **writing-testsスキル**を使用してテストを作成", []),
        ("Use the `frontend|backend` agent for it", []),
        # a role word alone in backticks, the English noun after a Chinese verb, Polish "create"
        ("2. Gọi `planner` bẻ mission thành task theo epic/sprint", ["planner"]),
        ("- 水印检测相关 → 调用 detector agent", ["detector"]),
        ("Dla każdego numeru od 1 do $3 utwórz subagenta (narzędzie Task):", ["subagent"]),
        # a clause saying when agents are launched launches none; the main clause may
        ("When spawning agents, include their validation checklist:", []),
        ("Before spawning workers, create an isolated worktree per epic:", []),
        ("After marking a task complete, use the spec-reviewer agent:", ["spec-reviewer"]),
        ("When done, spawn a subagent to verify", ["subagent"]),
        ("Use a Haiku agent to check eligibility", ["Haiku"]),
        ('@agent-security "review authentication"', ["security"]),
        ("Run `Codebase Profiler` as a subagent with `runSubagent`", ["Codebase Profiler"]),
        (
            "Spawn codebase-locator, codebase-analyzer and thoughts-locator",
            [
                "codebase-locator",
                "codebase-analyzer",
                "thoughts-locator",
            ],
        ),
        ("Delegate to `gem-planner` with the clarifications", ["gem-planner"]),
        ("dispatch a generic subagent seeded with the brief", ["subagent"]),
        ("Use a **SUBAGENT** and have it run the command", ["subagent"]),
        ("re-dispatch the implementer with the exact error", ["implementer"]),
        ("<new_task><mode>code</mode><message>Build it</message></new_task>", ["code"]),
        ("- Task research-agent(topic)", ["research-agent"]),
        # the agent alone in the call; a variable there is no name
        (
            "→ Task(expert-backend), Task(expert-security) 동시 호출",
            ["expert-backend", "expert-security"],
        ),
        ("then call Task(prompt) with the brief", []),
        # a name and a word or two before a plural agent noun say which kind, naming none
        # (an instruction to launch them launches unnamed ones; a todo item names a phase)
        ("- Phase 3: Launch use-case example agents", []),
        ("Dispatch the `ceil(n / size)` judge sub-agents", ["subagent"]),
        (
            "Spawn codebase-locator and codebase-analyzer agents",
            ["codebase-locator", "codebase-analyzer"],
        ),
        # a chain of names after a lead-in that launches them, each in turn
        (
            "1) Invoca in ordine con Task tool: system-architect → db-steward → docs-scribe",
            ["system-architect", "db-steward", "docs-scribe"],
        ),
        (
            "Pipeline: planner -> tdd-guide -> code-reviewer",
            ["planner", "tdd-guide", "code-reviewer"],
        ),
        ("Branches: main → develop → release-candidate", []),
        # a stressed word saying how, an article, a chat-wide mention: no agent's names
        ("Launch **parallel** subagents when tasks are independent.", ["subagent"]),
        ("Spawn workers → Background agents with WORKER preamble", ["subagent"]),
        ("delega en **una** tarea de dos líneas", []),
        ("`@here` を使用して通知する", []),
        # work sent to a role written alone in backticks; a program is no role
        ("1. Send the game description to `architect` and wait for the plan.", ["architect"]),
        ("Pass the value to `parser`", []),
        # marked names, then the noun they share
        ("- Run @glm @deepseek @qwen agents in parallel", ["glm", "deepseek", "qwen"]),
        (
            "Use `api-tester`, `ui-tester` and `load-tester` agents",
            ["api-tester", "ui-tester", "load-tester"],
        ),
        # the verb as a bold key, the agent after it
        ("**Delegate to**: @architecture-agent", ["architecture-agent"]),
        ("**Delegar a**: @security-agent", ["security-agent"]),
        ("**Delega a**: `revisor`", ["revisor"]),
        ("delega a la persona responsable", []),
        # the noun, then the marked name, in other languages
        ("- Invoca al subagente `desarrollador` con la ruta del plan", ["desarrollador"]),
        ("Invoque o agente `revisor` no fim", ["revisor"]),
        ("Délègue au sous-agent `critique` la relecture", ["critique"]),
        ("1. **Implement**: Gọi subagent `developer` (Task tool) — đọc spec", ["developer"]),
        ("Sử dụng tác tử `reviewer` để xem lại", ["reviewer"]),
        ("Запустить агент `reviewer`", ["reviewer"]),
        ("запусти субагента `agent-planner`", ["agent-planner"]),
        ("Вызови `@rust-developer` для реализации текущего плана.", ["rust-developer"]),
        ("Вызовите агента `planner`.", ["planner"]),
        ("Delegar al `qa-agent` la revisión", ["qa-agent"]),
        ("Delegar al equipo de soporte", []),
        ("Frontend work → frontend-developer agent", ["frontend-developer"]),
        ("#tool:agent react19-auditor", ["react19-auditor"]),
        ('#runSubagent agentName="planner" prompt="Plan it"', ["planner"]),
        ("使用代码审查员智能体检查改动", ["代码审查员"]),
        # a count or a phrase with 的 after the verb is no name
        # a task spawned is an agent launched; a task run is not
        ("For each phase, spawn a general task with detailed instructions", ["subagent"]),
        ("Run the lint task, then spawn parallel Task agents", ["subagent"]),
        ("Run a task to rebuild the index", []),
        # a parameter set in code is no agent's name
        ("- 긴 작업은 `run_in_background: true` 사용", []),
        ("同时启动多个专业 agent，最大化并行效率", ["subagent"]),
        ("并行启动该批次的所有任务", ["subagent"]),
        ("使用相应的上下文", []),
        ("分配给不同的开发者智能体", ["subagent"]),
        ("Use a Haiku agent to view the PR, and ask the agent to return a summary", ["Haiku"]),
        # how many agents, not which
        ("Spawn **one subagent** for the mission", ["subagent"]),
        ("Launch TWO subagents in parallel to review the plan", ["subagent"]),
        # a quoted name before the noun, a marked name after it
        ('Then, use the "reviewer" agent to review the implementation', ["reviewer"]),
        ('1. First, use the "task" agent to implement: $@', ["task"]),
        ("Use the Task tool to spawn subagent `pm`:", ["pm"]),
        ("Launch the agent named **security-auditor** on the diff", ["security-auditor"]),
        ('Quote it as "reviewer" and move on', []),
        # "agent-teams" is a name of its own, not the noun "agent"
        ("If agents will edit the same files → use agent-teams (worktree isolation)", []),
        # work handed to a hyphenated name called an agent, words between verb and "to"
        ("3. Delegate fix to expert-debug subagent (NOT a teammate) with:", ["expert-debug"]),
        ("Send the summary to the main agent", []),
        ("4. **Launch additional subagents** if needed for deep dives", ["subagent"]),
        # the work, then the agent it is launched as
        ("Launch this as a subsequent role-specific `Architect` subagent", ["Architect"]),
        ("Run it as the `reviewer` subagent", ["reviewer"]),
        ("Dispatch it as its own agent with `run_in_background: true`", []),
        # a list item routing a case to a role; a chain of roles in prose routes nothing
        ("- Frontend tasks → l2-frontend-specialist", ["l2-frontend-specialist"]),
        ("(database-optimizer → performance-engineer → devops-troubleshooter)", []),
        ('/sc:implement "JWT auth"  # → security-engineer auto-activates', []),
        # "run"/"use" in Japanese and Korean: a command, unless called an agent
        ("ユーザーが指示するまで git commit を実行してはならない。", []),
        ("debugger 에이전트를 실행", ["debugger"]),
        # how, or how many, in a word where a name may stand: no name
        ("Before exploring, launch the RIGHT agents - between 1 and 10", ["subagent"]),
        ("Spawn N teammates directly using the Agent/Task tool", ["subagent"]),
        ("- Unclear approach, unfamiliar territory → More agents", []),
        ("-> spawns teammates into the team", ["subagent"]),
        # Chinese "call"/"start": a hyphenated name, a role, an unnamed sub-agent
        ("调用 task-executor：执行实现", ["task-executor"]),
        ("调用一次 `init-architect` 子智能体", ["init-architect"]),
        ("启动研究员来收集资料", ["研究员"]),
        ("启动子代理执行任务。", ["subagent"]),
        ("派遣 3 个子 agent 分头调查", ["subagent"]),
        # work handed to a marked name: by a verb that hands work to someone, or to a role
        ("Delegate sub-steps to the `developer`.", ["developer"]),
        ("Send the results to the `qa-expert` for sign-off.", ["qa-expert"]),
        ("2. Delegiere Teilschritte an den `developer`.", ["developer"]),
        # one launch after another on one line
        (
            "- `/sdd-new <change>` → launch `sdd-explore` then `sdd-propose`",
            ["sdd-explore", "sdd-propose"],
        ),
        (
            "→ delegate to **ghost-explorer**, then **ghost-implementer**",
            ["ghost-explorer", "ghost-implementer"],
        ),
        ("3. Sende die Ergebnisse zur Abnahme an den `qa-expert`.", ["qa-expert"]),
    ],
)
def test_delegation_written_in_prose_names_its_agent(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Use `Read` tool on the file",
        "use `AskUserQuestion` to ask the user",
        "Run tests to verify the fix",
        "Launch Claude Code in a new session",
        "Use plan mode if the change is large",
        "run the /review command",
        "Spawn the `prompt-builder` skill",
        # the tool named in prose, then an ordinary word: no agent is named
        "Continue only after #tool:runSubagent returns!",
        "If #tool:runSubagent is unavailable, do the research yourself",
        # "使用" is "use": a plain name after it needs the agent noun ("continue using the
        # manual fallback procedure")
        "继续使用手动回退程序",
        # command lines and tool calls are not names, in any form a name may take
        "Run `git status` now",
        "Run `npm run lint && npm run test` after completion",
        'Then invoke: Skill(command: "bazinga-db-core")',
        "Run **SuperClaude install --diagnose** to check",
        # a table cell's verdict and the delegation tool itself are not names
        "| Reviewer | ✅ 启用 → run it |",
        "Use `runSubagent` for research",
        # the words of a launch quoted, not a launch
        'You do not always need to say "run a subagent," but it helps.',
        # a kind of agent named in a lead-in: the agents it lists are the launches
        "Spawn these research agents:",
        # "agent" in a compound noun: the sentence is about agents, it launches none
        "Use the exact agent name format specified in the roster.",
        "The workflow commands on main have hardcoded agent lists.",
        # a name that opens a skill's or a command's name: the skill runs, no agent
        "Invoke the project emulation skill:",
        "Dispatch the architect review command",
        # a flag is no name
        "Split large domains into 2 agents; agents use `--simple-compat` mode",
        # Chinese "call"/"start" take commands and tools as often: no agent without a sign
        "# 用户在任意时刻调用查看",
        "// 回退: 将 MCP 调用替换为 Bash CLI",
        "用固定的启动命令：",
        "使用 `ccw team` CLI 作为等效回退",
        # an MCP tool is a function, whatever calls it
        "所有 teammate 必须调用 `mcp__ccw-tools__team_msg` 记录消息",
        # "send"/"pass" feed files and commands as often as agents
        "Pass the output to `jq`.",
        "Send the report to `stdout`.",
        "Sende den Bericht an den `stdout`.",
    ],
)
def test_tools_commands_and_ordinary_words_are_not_agents(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    "line",
    [
        "- strict-tdd: Enforce strict red-green-refactor cycles",
        "- engineering-senior-developer: For premium implementations",
        "repeat worker → fresh-reviewer → synthesized-fixes",
    ],
)
def test_a_known_name_inside_a_longer_hyphenated_name_is_not_that_agent(line: str) -> None:
    known = frozenset({"tdd", "developer", "reviewer"})
    assert acting_agents(Passage.of([TextLine(line, 1, 1)]), known) == []


def test_bold_sentences_and_prompt_contents_are_not_agents_to_launch() -> None:
    """A bold sentence holding a hyphenated word is no agent's name; a bold label holding
    an agent's id in backticks names that agent; the list after "Its prompt must include:"
    is the prompt's contents; advice set apart as a tip launches nothing."""
    doc = parse(
        """
        # Start

        ## Process

        ### 5. The loop

        Spawn **one subagent** for the mission. Its prompt must include:

        - The mission's objective
        - The instruction to follow the `tdd` discipline

        ### 6. Review

        Because this is an afk run, the skill:
        1. **Auto-applies only `safe-fix` findings** — mechanical, test-covered.
        2. **Leaves every `needs-judgment` finding for the user** — prose deprecation.

        ### 7. Team

        Spawn all teammates in a single message:

        - **One `wsbaser:union-dev` agent per track** — each with its own name
        - **One persistent `wsbaser:devils-advocate` agent** — for all gates

        :::tip Keep Tasks Focused
        Use subtasks to maintain clarity.
        :::
        """
    )
    assert [s.agent for s in iter_steps(doc)] == [
        "subagent",
        "wsbaser:union-dev",
        "wsbaser:devils-advocate",
    ]


def test_prose_delegation_becomes_an_inferred_step_and_rules_stay_quiet() -> None:
    doc = parse(
        """
        # Plan

        ## Phase 1: Research
        Use the **codebase-locator** agent to find every file that touches billing.

        ## Phase 2: Write
        - Use Task tool with subagent_type="planner"
        - Prompt: "Plan the change."
        - Output: Plan

        ## Phase 3: Review
        - Use Task tool with subagent_type="reviewer"
        - Prompt: "Review the [plan]."
        - Output: Review
        """
    )
    steps = {step.agent: step for step in iter_steps(doc)}
    assert steps["codebase-locator"].provenance == "inferred"
    assert steps["planner"].provenance == "explicit"
    # The inferred step has no prompt and no output; in a document whose steps carry both,
    # an explicit step like it would be reported (WF104, WF105) — this one is not.
    assert [d.code for d in check_document(doc, source="")] == []


def test_a_spawn_list_after_a_parallel_lead_in_is_one_inferred_parallel_group() -> None:
    doc = parse(
        """
        # Research

        ## Phase 1: Research
        Spawn these research agents in parallel:
        - **codebase-locator** - find the files
        - **codebase-analyzer** - explain how they work
        - **thoughts-locator** - find earlier notes
        """
    )
    (group,) = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    agents = [s.agent for b in group.branches for s in b.blocks if isinstance(s, Step)]
    assert agents == ["codebase-locator", "codebase-analyzer", "thoughts-locator"]
    assert group.provenance == "inferred"


@pytest.mark.parametrize(
    "lead",
    ["Launch these agents **in parallel** to save time:", "Launch these agents in parallel:"],
)
@pytest.mark.parametrize("separator", [" - ", ": "])
def test_members_of_a_spawn_list_named_as_roles_are_those_agents(lead: str, separator: str) -> None:
    """ "1. **DevOps Engineer** - Update benchmarks:": a bold role is the member's agent."""
    doc = parse(
        f"""
        # Release prep

        ## Phase 1: Review
        {lead}

        1. **DevOps Engineer**{separator}update the benchmarks
        2. **Architect**{separator}review the documentation
        3. **Release notes**{separator}draft them
        """
    )
    (group,) = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    agents = [s.agent for b in group.branches for s in b.blocks if isinstance(s, Step)]
    assert agents == ["DevOps Engineer", "Architect"]


def test_one_delegation_run_in_parallel_is_a_fan_out() -> None:
    doc = parse(
        """
        # Review

        ## Phase 1: Review
        Launch 5 parallel Sonnet agents to review the change independently.
        """
    )
    (group,) = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    assert group.fan_out and len(group.branches) == 1


def test_a_fan_out_then_the_calls_it_counts_is_one_parallel_group() -> None:
    doc = parse(
        """
        # Map the codebase

        ## Phase 1: Map
        Spawn 3 parallel codebase-mapper agents.

        Use Task tool with `subagent_type="codebase-mapper"` and `run_in_background=true`.

        **Agent 1: Tech**
        ```
        Task(subagent_type="codebase-mapper", run_in_background=true, prompt="Map the stack.")
        ```

        **Agent 2: Architecture**
        ```
        Task(subagent_type="codebase-mapper", run_in_background=true, prompt="Map the layers.")
        ```

        **Agent 3: Quality**
        ```
        Task(subagent_type="codebase-mapper", run_in_background=true, prompt="Map the tests.")
        ```
        """
    )
    (group,) = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    assert not group.fan_out and len(group.branches) == 3


def test_a_bold_numbered_line_naming_a_known_agent_opens_its_step() -> None:
    doc = parse(
        """
        # Story

        ## Agents

        | Phase | Agent | Responsibility |
        |---|---|---|
        | 1 | product-manager | Requirements |
        | 2 | architecture-supervisor | Technical plan |

        ## Details

        **Phase 1: product-manager**
        ```
        Write requirements.md with the acceptance criteria.
        ```

        **Phase 2: architecture-supervisor** [GATE]
        - Read the requirements and write plan.md

        **Phase 3: Cleanup**
        - Remove the scratch files
        """
    )
    steps = [s for s in iter_steps(doc.workflows[0].phases[-1]) if s.agent]
    assert [(s.title, s.agent, s.provenance) for s in steps] == [
        ("Phase 1: product-manager", "product-manager", "inferred"),
        ("Phase 2: architecture-supervisor", "architecture-supervisor", "inferred"),
    ]


def test_sequential_and_parallel_ways_lettered_alike_are_not_run_together() -> None:
    doc = parse(
        """
        # Execute

        ## 3. Execute the plan

        ### 3a. Sequential execution

        Launch a single `ca-executor` with the step details. Wait for completion.

        ### 3b. Parallel execution

        Launch multiple `ca-executor` agents in the same message, one per step.
        """
    )
    groups = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    titles = [
        [s.title for br in g.branches for s in br.blocks if isinstance(s, Step)] for g in groups
    ]
    assert titles and all("Sequential execution" not in group for group in titles)


def test_consecutive_if_siblings_form_one_inferred_decision() -> None:
    doc = parse(
        """
        # Route

        ## Phase 1: Route the verdict
        - If APPROVED: spawn the **merge-developer** agent
        - If NEEDS_REVISION: send it back to the **implementer** agent
        - Otherwise: stop and ask the user
        """
    )
    (decision,) = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [p.condition for p in decision.paths] == ["APPROVED", "NEEDS_REVISION", None]
    assert decision.paths[-1].is_default
    assert decision.provenance == "inferred"
    agents = [[s.agent for s in p.blocks if isinstance(s, Step)] for p in decision.paths]
    assert agents == [["merge-developer"], ["implementer"], []]


def test_a_lone_if_with_one_step_is_a_conditional_step_not_a_decision() -> None:
    doc = parse(
        """
        # Research

        ## Phase 1: Research
        - If a ticket is mentioned, use the **ticket-reader** agent to read it.
        """
    )
    assert not [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    (step,) = iter_steps(doc)
    assert step.optional and step.condition == "a ticket is mentioned"


def test_an_if_that_loops_back_is_a_loop_of_its_step() -> None:
    doc = parse(
        """
        ## Phase 1: Iterate
        ### Step 1: Build
        - Use Task tool with subagent_type="builder"
        ### Step 2: Test
        - Use Task tool with subagent_type="tester"
        - If tests fail, return to Step 1 (max 3 iterations).
        """
    )
    assert not [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [b.kind for b in doc.workflows[0].phases[0].blocks] == ["loop"]


def test_prose_decision_without_default_is_not_reported_but_a_stated_one_is() -> None:
    prose = parse(
        """
        ## Phase 1: Route
        - If the tests fail: use the **debugger** agent
        - If the build fails: use the **build-fixer** agent
        """
    )
    stated = parse(
        """
        ## Phase 1: Route
        ### If Condition: the tests fail
        - Use Task tool with subagent_type="debugger"
        - Prompt: "Debug the failing tests."
        ### Elif Condition: the build fails
        - Use Task tool with subagent_type="build-fixer"
        - Prompt: "Fix the build."
        """
    )
    assert "WF401" not in {d.code for d in check_document(prose, source="")}
    assert "WF401" in {d.code for d in check_document(stated, source="")}


def test_a_runbook_roster_names_the_agents_its_tree_lines_assign() -> None:
    doc = parse(
        """
        # Incident

        | Agent | Role |
        |-------|------|
        | Infrastructure Maintainer | Production health |
        | DevOps Automator | Deployments |

        ## Step 2: Investigation

        ```
        PARALLEL INVESTIGATION:

        Infrastructure Maintainer:
        ├── Check system metrics
        └── Review error logs

        DevOps Automator:
        └── Review recent deployments
        ```
        """
    )
    agents = [s.agent for s in iter_steps(doc)]
    assert agents == ["Infrastructure Maintainer", "DevOps Automator"]
    (group,) = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    assert group.provenance == "inferred"


def test_a_label_after_a_decision_tree_in_a_block_ends_the_tree() -> None:
    """ "THROUGHOUT:" after the last "IF …:" case of a tree: its lines run on every path,
    not on the last one."""
    doc = parse(
        """
        # Incident

        | Agent | Role |
        |-------|------|
        | Infrastructure Maintainer | Production health |
        | Support Responder | Users |

        ## Step 3: Mitigation

        ```
        IF caused by a deploy:
          → Infrastructure Maintainer: roll back

        IF caused by an external dependency:
          → Support Responder: tell the users

        THROUGHOUT:
          → Support Responder: update the status page every 15 minutes
        ```
        """
    )
    (tree,) = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [[s.title for s in iter_steps_of(path.blocks)] for path in tree.paths] == [
        ["Infrastructure Maintainer: roll back"],
        ["Support Responder: tell the users"],
    ]
    assert "Support Responder: update the status page every 15 minutes" in [
        s.title for s in iter_steps(doc)
    ]


@pytest.mark.parametrize(
    ("pass_word", "fail_word", "last_word"),
    [("IF", "ELIF", "ELIF"), ("IF", "ELSE IF", "ELSE"), ("SE", "SE", "SENÃO")],
)
def test_a_numbered_if_elif_tree_in_a_block_is_one_decision(
    pass_word: str, fail_word: str, last_word: str
) -> None:
    """`4. IF verdict == PASS:` with `ELIF …` aligned under its word (pseudo-code in any
    language of the table): the numbered line opens the tree, each branch is a path."""
    doc = parse(
        f"""
        # Dev-QA loop

        | Agent | Role |
        |-------|------|
        | Evidence Collector | QA |
        | Developer | Builds |

        ## The loop

        ```
        FOR EACH task IN backlog:
          1. Developer IMPLEMENTS the task
          2. Evidence Collector TESTS the task
          3. {pass_word} verdict == PASS:
               Mark the task complete
             {fail_word} verdict == FAIL AND attempts < 3:
               Developer FIXES the issues
             {last_word}:
               ESCALATE to the coordinator
        ```
        """
    )
    (tree,) = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [path.condition for path in tree.paths][:2] == [
        "verdict == PASS",
        "verdict == FAIL AND attempts < 3",
    ]
    assert [s.agent for s in iter_steps_of(tree.paths[1].blocks)] == ["Developer"]


def test_a_tree_inside_a_tree_keeps_its_branches_together() -> None:
    """`WHEN a task fails QA:` over three `IF attempt == N:` lines: a decision of three
    paths inside the path of the outer condition, not three one-path decisions."""
    doc = parse(
        """
        # Failures

        ## Task failure handling

        ```
        WHEN task fails QA:
          IF attempt == 1:
            → Use the **developer** agent to fix the issues QA found
          IF attempt == 2:
            → Use the **developer** agent with the accumulated feedback
          IF attempt == 3:
            → ESCALATE
        ```
        """
    )
    outer, inner = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [path.condition for path in outer.paths] == ["task fails QA"]
    assert outer.paths[0].blocks == (inner,)
    assert [path.condition for path in inner.paths] == [
        "attempt == 1",
        "attempt == 2",
        "attempt == 3",
    ]
    assert [s.agent for s in iter_steps_of(inner.paths[1].blocks)] == ["developer"]


def test_an_unnamed_subagent_takes_the_role_its_lead_in_or_list_names() -> None:
    """ "Dispatch via Agent tool as a fresh subagent" under "**a) Dispatch implementer**:", or
    after "- The reviewer subagent will run `git diff`": the role the list is about; "re-
    dispatch implementer" launches the role the document calls a subagent elsewhere."""
    doc = parse(
        """
        # Implement

        ## Step 3: Execute

        **a) Dispatch implementer**:
        - Read `templates/implementer-prompt.md`
        - The implementer subagent will read the spec files
        - Dispatch via **Agent tool** as a fresh subagent

        **c) Review the task**:
        - The reviewer subagent will run `git diff` itself
        - Dispatch via **Agent tool** as a fresh subagent
        - **REJECTED** → re-dispatch implementer with review feedback

        **g) Debug**:
        - Read `templates/debugger-prompt.md`, with the reviewer findings
        - Dispatch via **Agent tool** as a fresh subagent
        """
    )
    agents = [s.agent for s in iter_steps(doc)]
    assert agents == ["implementer", "reviewer", "implementer", "subagent"]  # "reviewer findings"


def test_bold_cases_under_an_error_scenarios_heading_are_the_paths_of_a_decision() -> None:
    doc = parse(
        """
        # Implement

        ## Step 1: Build

        Use the **builder** agent to implement the task.

        ### Error Scenarios

        **Test Failures**:
        - **Stop Implementation**: Fix failing tests before continuing
        - **Action**: Debug and fix, then re-run

        **All Tasks Blocked**:
        - Stop and report all blocked tasks with reasons

        ### Error handling for silent operations

        **Pattern**:
        - Log the error and continue
        """
    )
    (cases,) = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [path.condition for path in cases.paths] == ["Test Failures", "All Tasks Blocked"]
    assert cases.provenance == "inferred"


@pytest.mark.parametrize("column", ["Task Domain", "User Says", "Task Type"])
def test_a_guide_to_which_agent_to_use_is_a_routing_decision(column: str) -> None:
    doc = parse(
        f"""
        # Delegation

        ## Agent Selection Guide

        | {column} | Agent |
        |---|---|
        | System architecture, component design | `architect` |
        | Feature implementation, coding | `coder` |
        | Test creation, TDD, coverage | `tester` |
        """
    )
    (routing,) = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [path.condition for path in routing.paths] == [
        "System architecture, component design",
        "Feature implementation, coding",
        "Test creation, TDD, coverage",
    ]
    assert [[s.agent for s in iter_steps_of(path.blocks)] for path in routing.paths] == [
        ["architect"],
        ["coder"],
        ["tester"],
    ]


def test_conditions_listed_under_a_condition_are_a_decision_in_its_path() -> None:
    doc = parse(
        """
        # Debug loop

        ## Handle the debug report

        - If `NEXT_ACTION: STOP_FOR_HUMAN` → stop and report to the user
        - If `NEXT_ACTION: RETRY_TASK` → spawn a new **implementer** subagent with the fix plan
          - If the new implementer succeeds → use the **reviewer** agent as usual
          - If the new implementer also fails → repeat the debug cycle
        - If `NEXT_ACTION: BLOCK_TASK` → skip to the next task
        """
    )
    outer, inner = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert len(outer.paths) == 3 and inner in outer.paths[1].blocks
    assert [path.condition for path in inner.paths] == [
        "the new implementer succeeds",
        "the new implementer also fails",
    ]


def test_routes_listed_under_an_otherwise_are_a_decision_in_its_path() -> None:
    doc = parse(
        """
        # Review

        ## Handle the verdict

        - If review mode is `off`: mark the task done
        - Otherwise:
          - **APPROVED** → mark the task done and commit
          - **REJECTED (round 1-2)** → use the **implementer** agent with the feedback
          - **REJECTED (round 3)** → use the **debugger** agent
        """
    )
    outer, inner = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert inner in outer.paths[1].blocks
    assert [path.condition for path in inner.paths] == [
        "APPROVED",
        "REJECTED (round 1-2)",
        "REJECTED (round 3)",
    ]
    assert [[s.agent for s in iter_steps_of(p.blocks)] for p in inner.paths] == [
        [],
        ["implementer"],
        ["debugger"],
    ]


@pytest.mark.parametrize(
    ("label", "agent"),
    [
        ("Sprint Prioritizer activates:", "Sprint Prioritizer"),
        ("Project Shepherd facilitates:", "Project Shepherd"),
        ("工作流优化师主导事后复盘：", "工作流优化师"),
        ("项目领航员主持：", "项目领航员"),
        ("Project Shepherd facilita:", "Project Shepherd"),  # Portuguese and Spanish
        ("Sprint Prioritizer ativa:", "Sprint Prioritizer"),
        ("Workflow Optimizer lidera o post-mortem:", "Workflow Optimizer"),
    ],
)
def test_a_block_labelled_by_who_runs_it_is_that_agents_step(label: str, agent: str) -> None:
    doc = parse(
        f"""
        # Sprint

        ## Sprint Review

        ```
        {label}
        1. Demo completed features
        2. Collect stakeholder feedback

        Output: Sprint Review Summary
        ```

        ## Notes

        ```
        Status report format:
        - Tasks completed today: [list]
        ```
        """
    )
    assert [s.agent for s in iter_steps(doc)] == [agent]


def test_calls_shown_as_examples_or_counter_examples_are_not_steps() -> None:
    doc = parse(
        """
        # How to delegate

        ### Example

        ```python
        Task(subagent_type="code-reviewer", prompt="Review the diff.")
        ```

        ## Phase 1: Review

        ❌ Wrong:

        ```python
        Task(subagent_type="reviewer")
        ```

        - Use Task tool with subagent_type="security-auditor"
        - Prompt: "Audit the diff."
        """
    )
    assert [s.agent for s in iter_steps(doc)] == ["security-auditor"]


def test_xml_tagged_steps_and_mcp_style_spawns() -> None:
    doc = parse(
        """
        # Tagged workflow

        <workflow>
        <step n="1" goal="Gather requirements">
        <action>Route to: Analyst agent</action>
        </step>
        <step n="2" goal="Design">
        <action>Route to: Architect agent</action>
        </step>
        </workflow>

        ```
        agent_spawn {
          agent: "reviewer",
          task: "Review the design"
        }
        ```
        """
    )
    steps = [(s.title, s.agent, s.label) for s in iter_steps(doc)]
    assert steps[:2] == [("Gather requirements", "Analyst", "1"), ("Design", "Architect", "2")]
    assert steps[2][1] == "reviewer"


def test_files_to_read_are_what_the_step_reads() -> None:
    doc = parse(
        """
        ## Phase 1: Review
        - Use Task tool with subagent_type="reviewer"
        - Prompt: "Review the design."

        <files_to_read>
        - docs/brief.md
        - docs/design.md
        </files_to_read>
        """
    )
    (step,) = iter_steps(doc)
    assert [r.text for r in step.consumes if r.kind == "file"] == [
        "docs/brief.md",
        "docs/design.md",
    ]


def test_a_markdown_fence_of_a_plan_template_is_not_the_workflow() -> None:
    path = Path(__file__).parent / "fixtures/lint/clean/shape-plan-template-fence.md"
    doc = parse_document(read_source(path))
    assert [s.agent for s in iter_steps(doc)] == [
        "codebase-locator",
        "codebase-analyzer",
        "ticket-reader",
    ]
    (group,) = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    assert len(group.branches) == 3
    assert [s.optional for s in iter_steps(doc)] == [False, False, True]


def test_conditions_in_scripts_without_spaces_form_decisions() -> None:
    doc = parse(
        """
        ## 阶段 1：处理
        - 如果用户同意：使用 **reviewer** 智能体
        - 否则：停止
        """
    )
    (decision,) = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [p.condition for p in decision.paths] == ["用户同意", None]


def test_negated_delegation_is_not_a_step() -> None:
    assert names("Do NOT spawn sub-agents for this; never delegate to the reviewer agent") == []


def test_every_agent_entry_of_a_workflow_script_is_a_step() -> None:
    text = 'runs.all([{ agent: "reviewer", task: "a" }, { agent: "reviewer", task: "b" }])'
    assert names(text) == ["reviewer", "reviewer"]


@pytest.mark.parametrize("when", ["When to activate", "激活时机", "Auslöser", "Когда"])
def test_a_table_with_a_condition_column_is_a_decision_with_its_agents(when: str) -> None:
    doc = parse(
        f"""
        # Support

        | Agent | Role |
        |---|---|
        | Brand Guardian | brand |
        | Analytics Reporter | metrics |

        ## Phase 1: Specialist support

        | Specialist | {when} |
        |---|---|
        | Brand Guardian | the launch needs new visuals |
        | Analytics Reporter | a metric drops |
        """
    )
    (decision,) = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [p.condition for p in decision.paths] == [
        "the launch needs new visuals",
        "a metric drops",
    ]
    agents = [[s.agent for s in p.blocks if isinstance(s, Step)] for p in decision.paths]
    assert agents == [["Brand Guardian"], ["Analytics Reporter"]]


def test_the_blanks_of_a_template_are_no_agents() -> None:
    doc = parse(
        """
        # Orchestrator

        ## Workflows

        | ID | Workflow | Trigger | Agent |
        |---|---|---|---|
        | WF-01 | {{workflow-1}} | {{trigger-1}} | {{agent-1}} |
        | WF-02 | {{workflow-2}} | {{trigger-2}} | <agent-name> |
        """
    )
    assert list(iter_steps(doc)) == []


def test_a_file_named_inside_a_one_line_prompt_string_is_handed_over() -> None:
    doc = parse(
        r"""
        ## Phase 1: Judge
        ```python
        Task(subagent_type="judge",
             prompt="You are judge-1.\n\nWrite your verdict to .agents/council/judge-1.md\nDone.")
        ```

        ## Phase 2: Consolidate
        - Use Task tool with subagent_type="chair"
        - Prompt: "Read .agents/council/judge-1.md and decide."
        """
    )
    judge, chair = iter_steps(doc)
    assert [i.name for i in judge.produces] == [".agents/council/judge-1.md"]
    assert ".agents/council/judge-1.md" in [r.text for r in chair.consumes]


def test_diagrams_and_code_introduced_as_examples_are_not_steps() -> None:
    doc = parse(
        """
        # Orchestrator

        ## How it works

        ```
        ┌────────────┐     ┌─────────────────────┐
        │ Conductor  │ ──▶ │ runSubagent(review) │
        └────────────┘     └─────────────────────┘
        ```

        For example:

        ```python
        Task(subagent_type="code-reviewer", prompt="Review the diff.")
        ```

        ## Worked examples

        Spawn the **release-manager** agent to tag the build.

        ## Phase 1: Review
        - Use Task tool with subagent_type="security-auditor"
        - Prompt: "Audit the diff."
        """
    )
    assert [s.agent for s in iter_steps(doc)] == ["security-auditor"]


def test_a_field_like_line_in_a_tree_is_not_an_agent_but_an_arrowed_title_is() -> None:
    doc = parse(
        """
        | Agent | Role |
        |---|---|
        | UX Architect | design |

        ```
        Day 1:
        ├── UX Architect → wireframes
        ├── Trend Researcher → competitive scan
        └── Application URL: https://example.test
        ```
        """
    )
    assert [s.agent for s in iter_steps(doc)] == ["UX Architect", "Trend Researcher"]


def test_agent_columns_named_in_other_words_and_languages_give_the_vocabulary() -> None:
    doc = parse(
        """
        | Categoria de Tarefa | Agente Primário | Agente de QA |
        |---|---|---|
        | UI | Frontend Developer | Evidence Collector |

        ```
        Atividades:
        - Frontend Developer → Construir a tela
        - Evidence Collector → Testar a tela
        ```
        """
    )
    assert [s.agent for s in iter_steps(doc)] == ["Frontend Developer", "Evidence Collector"]


def test_a_fan_out_whose_agents_are_numbered_below_it_is_one_branch_per_agent() -> None:
    doc = parse(
        """
        # Review

        1. Use a Haiku agent to summarise the change.
        2. Then, launch 3 parallel Sonnet agents to review the change:
           a. Agent #1: Audit the changes against CLAUDE.md.
           b. Agent #2: Scan the diff for obvious bugs.
           c. Agent #3: Read the git history of the modified code.
        3. Use a Haiku agent to score each issue.
        """
    )
    [group] = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    members = [step for branch in group.branches for step in iter_steps_of(branch.blocks)]
    assert [step.agent for step in members] == ["Sonnet"] * 3
    assert [step.title.split(":")[0] for step in members] == ["Agent #1", "Agent #2", "Agent #3"]


def iter_steps_of(found: tuple[Block, ...]) -> list[Step]:
    return [block for block in iter_blocks(found) if isinstance(block, Step)]


@pytest.mark.parametrize(
    ("names_text", "agent"),
    [
        ("⛔ **COMPONENT ANCHOR VERIFICATION (MANDATORY):**", "VERIFICATION"),
        ("**Bounded Debug**: after two rejections, stop.", "Debug"),
    ],
)
def test_a_known_agent_name_at_the_end_of_a_longer_title_is_no_agent(
    names_text: str, agent: str
) -> None:
    doc = parse(
        f"""
        # Review

        1. Delegate to a verification sub-agent; dispatch a debug subagent on failure.
        2. {names_text}
           Check every component against the code.
        """
    )
    assert agent not in {step.agent for step in iter_steps(doc)}


def test_bold_conditions_ending_in_a_colon_are_the_paths_of_one_decision() -> None:
    doc = parse(
        """
        # QA loop

        ## Phase 1: Check

        **If QA = PASS:**
        - Mark the task verified
        - Activate **reality-checker** for the final check

        **If QA = FAIL:**
        - Loop back to development
        """
    )
    [decision] = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [path.condition for path in decision.paths] == ["QA = PASS", "QA = FAIL"]
    assert [step.agent for step in iter_steps_of(decision.paths[0].blocks)] == ["reality-checker"]


def test_a_roster_under_a_subheading_of_an_available_agents_section_runs_no_agent() -> None:
    doc = parse(
        """
        # Orchestrator

        ## Workflow
        1. Spawn **project-manager-senior** to write the task list.

        ## Available Specialist Agents

        ### Engineering Agents
        - **Frontend Developer**: Modern web technologies, UI implementation
        - **engineering-senior-developer**: Premium implementations with Laravel
        """
    )
    assert [step.agent for step in iter_steps(doc)] == ["project-manager-senior"]


@pytest.mark.parametrize(
    "wait",
    [
        "Present the plan and **stop — write no code until the user explicitly approves**.",
        "Show the user the test file. Get a 👍 before proceeding.",
        "Ask the user to approve the plan.",
        "Write the plan yourself and get approval before implementation.",
        "Ask the user which plan to keep and wait for a response before proceeding.",
        "MANDATORY: Pause for feedback.",
        "Pause here for manual confirmation from the human that the plan is right.",
        "Confirm with the user before removing any rows.",
        "After Phase 6, ask if the user wants another iteration.",
        "Do not advance to Phase 3 until the user has reviewed the spec.",
        "Only continue once the user says yes.",
        "The user must approve the design before any code is written.",
        "Optional steps require user confirmation before writing.",
        "Get explicit approval from the user before implementing.",
        "Present the results and ask for confirmation.",
        "Report progress and ask the user whether to continue or accept the current state.",
        'Ask the user: "Run the deferred pass now?"',
        "Never push without explicit user consent.",
        '**GATE 2** — Stop and ask: "All tasks implemented. Reply yes to start the review."',
        "**User reviews and approves plan** → **MANDATORY STOP**",
        "**Conductor presents summary** → **MANDATORY STOP**",
    ],
)
def test_a_step_that_waits_for_the_user_is_followed_by_an_inferred_approval_gate(
    wait: str,
) -> None:
    doc = parse(
        f"""
        # Plan

        ## Steps

        1. Use the **planner** agent to draft the plan.

        {wait}

        2. Use the **builder** agent to build it.
        """
    )
    kinds = [type(block).__name__ for block in blocks(doc)]
    assert kinds == ["Step", "Checkpoint", "Step"]
    [gate] = [block for block in blocks(doc) if isinstance(block, Checkpoint)]
    assert gate.provenance == "inferred"
    assert gate.gate == "approval"


@pytest.mark.parametrize(
    "said",
    [
        "Then continue to step 2 — do NOT wait for user input.",
        "NEVER wait for confirmation: take immediate action.",
        "Do not pause for human input between the steps.",
        "Do NOT ask for approval between the waves.",
        "Public posting requires user approval.",
    ],
)
def test_saying_not_to_wait_for_the_user_is_no_gate(said: str) -> None:
    doc = parse(
        f"""
        # Plan

        ## Steps

        1. Use the **planner** agent to draft the plan.

        {said}

        2. Use the **builder** agent to build it.
        """
    )
    assert not [block for block in blocks(doc) if isinstance(block, Checkpoint)]


def test_a_wait_stated_on_a_path_of_a_prose_decision_gates_that_path() -> None:
    doc = parse(
        """
        # Feature

        ## Phase 1: Plan

        1. Decompose the feature into work streams.

        2. If `--plan-first` is set:
           - Present the decomposition to the user
           - Wait for user approval before proceeding

        ## Phase 2: Build

        Use the **builder** agent to build it.
        """
    )
    [decision] = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [type(b).__name__ for b in decision.paths[0].blocks] == ["Checkpoint"]


def test_branches_written_as_comments_in_a_shell_block_are_one_decision() -> None:
    doc = parse(
        """
        # Dev loop

        ## Phase 3: Build and QA

        ```bash
        "Please spawn an EvidenceQA agent to test task 1"
        # IF QA = PASS: move to task 2
        # IF QA = FAIL: loop back to development with the QA feedback
        ```
        """
    )
    assert [step.agent for step in iter_steps(doc)] == ["EvidenceQA"]
    [decision] = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [path.condition for path in decision.paths] == ["QA = PASS", "QA = FAIL"]


def test_where_a_flow_arrow_ends_is_no_agent() -> None:
    # even where the document's vocabulary holds the word (a stray "lead: done" elsewhere)
    line = "Implementer → Reviewer (P0-P3) → (fix P0/P1) → Done"
    found = prose_delegations(Passage.of([TextLine(line, 1, 1)]), frozenset({"reviewer", "done"}))
    assert [f.name for f in found] == ["Reviewer"]


def test_lettered_phases_a_wrapped_bold_agent_and_a_wait_for_the_answer() -> None:
    doc = parse(
        """
        # Rebuild

        ## Phase A — Specification mining

        Spawn concurrently:

        1. **rules-extractor** — "Extract every business rule."
        2. **legacy-analyst** — "Catalog every interface."

        ## Phase B — HITL checkpoint

        Present the spec summary. Ask the user one focused question. Wait for the answer.

        ## Phase C — Scaffolding

        For each service, tell the user which you deferred — spawn a **scaffolder agent
        in parallel**:

        "Scaffold the service."
        """
    )
    [workflow] = doc.workflows
    assert [(phase.label, phase.title) for phase in workflow.phases] == [
        ("A", "Specification mining"),
        ("B", "HITL checkpoint"),
        ("C", "Scaffolding"),
    ]
    gate = workflow.phases[1].blocks[0]
    assert isinstance(gate, Checkpoint) and gate.provenance == "inferred"
    [step] = list(iter_steps(workflow.phases[2]))
    assert step.agent == "scaffolder"
    assert step.agent_span is not None and step.agent_span.end_line == step.agent_span.line + 1


@pytest.mark.parametrize("heading", ["Phase I/O handling", "Stage a file for review", "Phase A"])
def test_a_letter_after_phase_is_a_phase_only_with_its_punctuation(heading: str) -> None:
    doc = parse(
        f"""
        # Doc

        ## {heading}

        Use the **planner** agent to draft the plan.
        """
    )
    assert all(
        phase.label != "A" and phase.label != "I" for w in doc.workflows for phase in w.phases
    )


def test_a_checklist_criterion_naming_a_question_tool_is_no_gate() -> None:
    doc = parse(
        """
        # Plan

        ## Phase 1: Build

        Use the **builder** agent to build it.

        ## Phase 2: Acceptance

        - [x] No wizard, no multi-step AskUserQuestion flows
        """
    )
    assert not [block for block in blocks(doc) if isinstance(block, Checkpoint)]


def test_agents_listed_by_title_and_id_under_a_launch_sentence_run_together() -> None:
    doc = parse(
        """
        # Review

        ## Phase 1: Review

        Launch the review agents **in parallel**. Spawn external agents only if installed.

        **Always available:**

        1. **Architecture Review** (`acme:architecture-reviewer`)
           - Reviews layering
        2. **Clean Code Review** (`acme:clean-code-reviewer`)

        **Optional (external plugins):**

        3. **Security Review** (`security-auditor`) — requires the plugin

        ## Phase 2: Notes

        1. **Terminology** (`glossary-term`)
        """
    )
    [parallel] = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    agents = [step.agent for branch in parallel.branches for step in iter_steps_of(branch.blocks)]
    assert agents == ["acme:architecture-reviewer", "acme:clean-code-reviewer", "security-auditor"]
    # a titled id with no launch sentence above it is a term, not an agent
    assert "glossary-term" not in [step.agent for step in iter_steps(doc)]


def test_agents_numbered_under_headings_after_a_launch_are_one_step_each() -> None:
    doc = parse(
        """
        # Workflow

        ## Phase 1: Read

        Read the README.

        ## Phase 2: Launch 2 Research Agents

        Spawn both agents in a **single message**. Each uses `subagent_type: "researcher"`.

        ### Agent 1 (4 repos)

        Research these 4 repositories.

        ### Agent 2 (7 repos)

        Research these 7 repositories.
        """
    )
    [parallel] = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    steps = [step for branch in parallel.branches for step in iter_steps_of(branch.blocks)]
    assert [(s.title, s.agent) for s in steps] == [
        ("Agent 1 (4 repos)", "researcher"),
        ("Agent 2 (7 repos)", "researcher"),
    ]
    assert len(list(iter_steps(doc))) == 2  # the launching sentence is no third agent


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("**步骤 1a — 激活内容创作者**", "**步骤 1b — 激活 UI 设计师（并行）**"),
        (
            "**Paso 1a — Activar Content Creator**",
            "**Paso 1b — Activar UI Designer (en paralelo)**",
        ),
        (
            "**Step 1a — Activate Content Creator**",
            "**Step 1b — Activate UI Designer (in parallel)**",
        ),
    ],
)
def test_a_bold_step_line_naming_its_agent_takes_the_fence_below_as_its_brief(
    first: str, second: str
) -> None:
    doc = parse(
        f"""
        # Sprint

        ## Workflow

        {first}

        ```
        Activate Content Creator.

        Write the landing page copy.
        ```

        {second}

        ```
        Activate UI Designer.

        Design the page.
        ```
        """
    )
    steps = list(iter_steps(doc))
    assert [step.label for step in steps] == ["1a", "1b"]  # the fences are briefs, not steps
    assert steps[0].prompt is not None and "landing page copy" in steps[0].prompt
    # the mark on the second of a lettered pair says the two run together
    [parallel] = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    assert len(parallel.branches) == 2
    assert steps[1].agent in ("UI 设计师", "UI Designer")


def test_a_table_of_modes_against_agent_columns_names_no_agents() -> None:
    vocabulary_ = vocabulary(
        [
            Passage.of(
                [
                    TextLine("| Mode | Sub-agent 1 (Journeys) | Sub-agent 2 (DB) |", 1, 1),
                    TextLine("|------|------|------|", 2, 1),
                    TextLine("| **SMOKE** | Skip | Skip |", 3, 1),
                    TextLine("| **FOCUSED** | Targeted only | Conditional |", 4, 1),
                    TextLine("| **FULL** | Run | Run |", 5, 1),
                ]
            ),
            Passage.of(
                [
                    TextLine("| Mode | Indicators |", 7, 1),
                    TextLine("|------|------|", 8, 1),
                    TextLine("| **SMOKE** | quick check |", 9, 1),
                ]
            ),
        ]
    )
    assert vocabulary_ == frozenset()


def test_a_column_of_modes_alone_is_a_roster_of_modes() -> None:
    roster = vocabulary(
        [
            Passage.of(
                [
                    TextLine("| Mode | Description |", 1, 1),
                    TextLine("|------|------|", 2, 1),
                    TextLine("| Architect | Plans the change |", 3, 1),
                ]
            )
        ]
    )
    assert roster == frozenset({"architect"})


def test_commands_listed_under_a_run_lead_in_are_not_agents() -> None:
    doc = parse(
        """
        # Workflow

        ## Phase 1: Context

        Run these commands and save the output:

        - `git status` — current working tree state
        - `git log --oneline -10` — recent history

        Do NOT run:
        - `git add`
        """
    )
    assert [step.agent for step in iter_steps(doc) if step.agent] == []


def test_bold_conditions_inside_a_numbered_step_are_the_paths_of_one_decision() -> None:
    # the colon inside the bold or just after it
    doc = parse(
        """
        # Verify

        ## Phase 1: Start

        1. **Read CLAUDE.md** to find the command.
        2. **Check if the app is already running** by probing the URL.

           **If the user says YES (restart):**
           - Kill the process on the port.

           **If the user says NO (keep existing)**:
           - Print: "Using existing running instance."

        3. If not running: start the dev server.

        ## Phase 2: Test

        Use the **tester** agent to test.
        """
    )
    decisions = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    conditions = [[path.condition for path in d.paths] for d in decisions]
    assert ["the user says YES (restart)", "the user says NO (keep existing)"] in conditions
    # the next numbered step is no third answer to the question of step 2
    assert all(len(c) == 2 or "the user says YES (restart)" not in c for c in conditions)


def test_alternatives_named_by_bold_labels_are_one_decision() -> None:
    doc = parse(
        """
        # Execute

        ## Phase 1: Execute

        **Agent-Based Execution (Recommended)**: If the executor agent is available, use it:

        ```
        Use the task-executor agent to implement the task.
        ```

        **Manual Execution (Fallback)**: If the agent is not available, follow this process:

        1. Read the task.
        2. Implement it.

        ## Phase 2: Scaffold

        **Fallback** (no Workflow tool): spawn a **scaffolder agent** for each service.
        """
    )
    decisions = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [[p.condition for p in d.paths] for d in decisions] == [
        ["the executor agent is available", "the agent is not available"]
    ]
    [executor] = [s for s in iter_steps_of(decisions[0].paths[0].blocks)]
    assert executor.agent == "task-executor"
    # a fallback with nothing named before it is no decision: the step just runs
    assert "scaffolder" in [s.agent for s in iter_steps(doc)]


def test_a_stop_gate_inside_a_step_sentence_is_a_decision_after_the_step() -> None:
    doc = parse(
        """
        # Review

        ## Steps

        1. Use a Haiku agent to check if the pull request is closed (eg. merged already).
           If so, do not proceed.
        2. Use the **reviewer** agent to review the change. If there are no issues, stop.
        3. Use the **commenter** agent to post the comment. If it fails, retry once.
        """
    )
    kinds = [type(block).__name__ for block in blocks(doc)]
    assert kinds == ["Step", "DecisionBlock", "Step", "DecisionBlock", "Step", "DecisionBlock"]
    decisions = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [d.paths[0].condition for d in decisions] == [
        "the pull request is closed (eg. merged already)",
        "there are no issues",
        "it fails",  # a retry is a gate too: the path says what happens
    ]
    assert [note.text for note in decisions[2].paths[0].notes] == ["If it fails, retry once."]
    assert all(d.provenance == "inferred" for d in decisions)


@pytest.mark.parametrize(
    ("sentence", "condition"),
    [
        ("If tests fail, send the failures back to the builder agent.", "tests fail"),
        ("If they select option 2, revise and re-checkpoint.", "they select option 2"),
        ("If the agent is unavailable, do the review yourself.", "the agent is unavailable"),
        ("If no subagent tool exists, perform the steps inline.", "no subagent tool exists"),
        ("If you load a skill, never do the work yourself.", None),
    ],
)
def test_a_rework_or_fallback_after_a_condition_is_a_decision(
    sentence: str, condition: str | None
) -> None:
    doc = parse(
        f"""
        # Review

        ## Phase 1: Review

        Use the **reviewer** agent to review the change. {sentence}
        """
    )
    decisions = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [d.paths[0].condition for d in decisions] == ([condition] if condition else [])


def test_gates_in_the_middle_of_a_passage_are_decisions_on_the_path_they_sit_on() -> None:
    """Stops, fallbacks, retries and questions to the user stated mid-passage, in a step or
    in the numbered items under a route, each become a decision with one path; a sentence
    whose consequence does not act on the run is none."""
    doc = parse(
        """
        # Security review

        ## Phase 1: Profile

        1. Use the **profiler** agent to profile the codebase. If the profiler returns no
           stack, retry once. If the retry also fails, display an error message: "Cannot
           continue." Stop the scan.

        ## Phase 2: Setup

        * When mode is `diff`:
          1. Generate a PR reference. If generation fails, switch to audit mode.
          2. Validate that the target skill exists. If not, inform the user and stop.
        * When mode is `plan`:
          1. Read the plan. If you prefer, you can read it twice.
        """
    )
    conditions = decision_conditions(doc)
    assert conditions == [
        "the profiler returns no stack",
        "the retry also fails",
        "mode is diff",
        "mode is plan",
        "generation fails",  # the gates of the "diff" path, inside it
        "not (the target skill exists)",
    ]
    [route] = [b for b in blocks(doc) if isinstance(b, DecisionBlock) and len(b.paths) == 2]
    nested = [b for b in route.paths[0].blocks if isinstance(b, DecisionBlock)]
    assert [d.paths[0].condition for d in nested] == [
        "generation fails",
        "not (the target skill exists)",
    ]
    assert [d.code for d in check_document(doc, source="")] == []  # inferred: rules stay quiet


@pytest.mark.parametrize("heading", ["Purpose", "Outline", "Workflow Overview"])
def test_a_purpose_section_naming_later_launches_is_no_launch_of_its_own(heading: str) -> None:
    doc = parse(
        f"""
        # Security Reviewer

        ## {heading}

        * Delegate codebase profiling to `Codebase Profiler` to find the stack.
        * Delegate report generation to `Report Generator` with the verified findings.

        ## Required Steps

        ### Step 1: Profile

        * Run `Codebase Profiler` as a subagent with `runSubagent`.

        ### Step 2: Report

        * Run `Report Generator` as a subagent with `runSubagent`.
        """
    )
    steps = list(iter_steps(doc))
    assert [s.agent for s in steps] == ["Codebase Profiler", "Report Generator"]
    assert [s.title for s in steps] == ["Profile", "Report"]


def test_a_launch_for_each_item_is_a_loop_or_a_fan_out() -> None:
    """ "For each skill, run X as a subagent" runs X once per skill, one after another (a
    loop of the step); "For each hypothesis, spawn a teammate" starts them side by side (a
    fan-out); a later "can run in parallel" makes the first kind a fan-out too."""
    doc = parse(
        """
        # Review

        ## Step 2: Assess

        * For each skill in the applicable skills list, run `Skill Assessor` as a subagent.
        * Collect the findings.

        ## Step 3: Investigate

        1. For each hypothesis, use the Task tool to spawn a **team-debugger** agent.

        ## Step 4: Verify

        * For each skill, run `Finding Deep Verifier` as a subagent.
        * Skill verifications can run in parallel when the runtime supports it.
        """
    )
    (loop,) = [b for b in blocks(doc) if isinstance(b, LoopBlock)]
    assert loop.until == "each skill in the applicable skills list is done"
    assert [s.agent for s in iter_steps_of(loop.body)] == ["Skill Assessor"]
    fans = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    assert [[s.agent for s in iter_steps_of(b.branches[0].blocks)] for b in fans] == [
        ["team-debugger"],
        ["Finding Deep Verifier"],
    ]


def test_verdict_items_and_gates_before_the_first_step_are_decisions() -> None:
    """ "- on **FAIL**" / "- on **PASS**" with their actions under them are the routes of one
    verdict; a gate in a section before any step, or in an "IMPORTANT:" note, is a decision
    of its own; "When done continue acting on the results" is a moment, not a branch."""
    doc = parse(
        """
        # Task

        ## 2 · Identify task file

        Search the sprint folders.
        If no open task matches, pause and ask the user how to proceed.

        ## 3 · Analyse the task

        Spin up the **validator** agent to check the sprint scope.

        **IMPORTANT:** If the task has unmet dependencies, pause and ask for clarification.

        ## 7 · Execute Code Review

        - Use the **code-reviewer** agent to review the change
        - When done continue acting on the results accordingly
        - on **FAIL**
          - extend the task with the subtasks the review found
        - on **PASS**
          - move on to the next step
        """
    )
    decisions = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [[path.condition for path in d.paths] for d in decisions] == [
        ["no open task matches"],
        ["the task has unmet dependencies"],
        ["FAIL", "PASS"],
    ]


@pytest.mark.parametrize(
    "text",
    [
        "When complete, present the summary to the user.",
        "When all agents finish, merge their reports.",
        "When this command is invoked, read the plan first.",
    ],
)
def test_a_when_that_names_a_moment_is_no_decision(text: str) -> None:
    doc = parse(
        f"""
        # Merge

        ## Phase 1: Review

        Use the **reviewer** agent to review.

        ## Phase 2: Merge

        {text}
        """
    )
    assert not [b for b in blocks(doc) if isinstance(b, DecisionBlock)]


def test_a_negated_parallel_cue_runs_nothing_in_parallel() -> None:
    doc = parse(
        """
        # Analyse

        ## Phase 1: Analyse

        Sequential analysis, not parallel: use the **reviewer** agent to review.

        Do NOT run these in parallel: use the **tester** agent after it.
        """
    )
    assert not [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    assert [s.agent for s in iter_steps(doc)] == ["reviewer", "tester"]


def test_optional_marker_and_stop_after_reporting() -> None:
    doc = parse(
        """
        # Ticket

        ## Phase 1: Build

        - Use the **builder** agent to implement.
          **Stop on failure** — if any step fails, report the error and stop.
        - Optional: use the **validator** agent to validate the tech choices.
        """
    )
    steps = {s.agent: s for s in iter_steps(doc)}
    assert steps["validator"].optional and steps["validator"].condition is None
    assert not steps["builder"].optional
    [decision] = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert decision.paths[0].condition == "any step fails"


def test_front_matter_the_loader_repairs_is_an_info_on_the_value_to_quote() -> None:
    doc = parse(
        """
        ---
        name: build-with-team
        argument-hint: [plan-path] [num-agents]
        ---

        # Build

        Use the **builder** agent to build.
        """
    )
    [problem] = [d for d in doc.parse_diagnostics if d.code == "WF100"]
    # Claude Code quotes a value holding `[` and reads the block as meant: an info on the
    # value, with its quotes as the fix, and the front matter read as that loader reads it
    assert (problem.span.line, problem.span.column, problem.span.end_column) == (3, 16, 40)
    assert problem.severity == "info" and problem.replacement == '"[plan-path] [num-agents]"'
    assert "quote the value of `argument-hint`" in problem.message
    assert doc.front_matter["argument-hint"] == "[plan-path] [num-agents]"


def test_front_matter_no_quoting_repairs_is_a_warning_where_the_parser_gave_up() -> None:
    doc = parse(
        """
        ---
        name: build
        tags: [build, ship
        ---

        # Build

        Use the **builder** agent to build.
        """
    )
    [problem] = [d for d in doc.parse_diagnostics if d.code == "WF100"]
    assert (problem.span.line, problem.span.column) == (3, 19)  # where the list should close
    assert problem.severity is None and problem.replacement is None
    assert doc.front_matter == {}


def test_a_labelled_wait_for_approval_in_a_requirements_phase_is_a_gate() -> None:
    doc = parse(
        """
        # Spec

        ## Phase 1: Requirements Creation

        ### Requirements Validation and Approval
        - **Automatic Validation**: use the `spec-validator` agent to validate the requirements.
        - **CRITICAL**: Wait for explicit approval before proceeding to Phase 2

        ## Phase 2: Design

        Use the **designer** agent to design.
        """
    )
    assert doc.requirements == ()  # a phase about requirements is no Requirements section
    kinds = [type(block).__name__ for block in blocks(doc)]
    assert kinds == ["Step", "Checkpoint", "Step"]


def test_a_list_of_verdicts_with_what_to_do_on_each_is_one_decision() -> None:
    doc = parse(
        """
        # Review

        ## Phase 4: Review

        Launch the reviewer agent to review the change. Based on its verdict:

        - **APPROVED**: Proceed to user validation
        - **APPROVED WITH SUGGESTIONS**: Note suggestions, proceed
        - **NEEDS_REVISION** (round 1-2): Fix issues, re-review

        Then report:

        - **IMPORTANT**: never skip the review
        - **BLOCKED:** `⚠️ Group {id} blocked | {blocker}`
        """
    )
    decisions = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    # an admonition in capitals and a message to print per status are no verdict routes
    assert [[p.condition for p in d.paths] for d in decisions] == [
        ["APPROVED", "APPROVED WITH SUGGESTIONS", "NEEDS_REVISION"]
    ]
    assert decisions[0].provenance == "inferred"


@pytest.mark.parametrize(
    ("line", "condition"),
    [
        # the value in a code span is the condition's point
        ("- If review mode is `required`:", "review mode is required"),
        ("- If `$ARGUMENTS` contains `--full`, run everything", "$ARGUMENTS contains --full"),
        # a dash ends the condition as a colon does
        ("- If they confirm — proceed.", "they confirm"),
        # examples of the condition are not part of it
        ('- If they confirm (e.g. "yes", "go ahead") — proceed.', "they confirm"),
        ("- **If TeamDelete fails** (e.g., stale members): retry once", "TeamDelete fails"),
        # a parenthesis that says which case it is stays
        (
            "- If the list is empty (no previous sessions): start fresh",
            "the list is empty (no previous sessions)",
        ),
    ],
)
def test_a_condition_is_cut_at_its_end_not_inside_code_or_parentheses(
    line: str, condition: str
) -> None:
    doc = parse(
        f"""
        # Route

        ## Phase 1: Route
        {line}
          - spawn the **fixer** agent
        - Otherwise: stop
        """
    )
    (decision,) = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert decision.paths[0].condition == condition


def test_a_step_the_document_says_to_skip_when_something_holds_is_conditional() -> None:
    doc = parse(
        """
        # Run

        ## Step 3 — Start the App (skip if `--no-start`)

        Use the **app-runner** agent to start the app.

        ## Step 4: Ask the user

        Use the **clarifier** agent to ask what is unclear.

        **Skip this step if `--auto` flag is set.** In auto mode, go on to Step 5.

        ## Step 5: Review

        Use the **reviewer** agent. Skipping it is never an option.

        ## Step 6: Explore

        Use the **explorer** agent to map the codebase.

        **Skip if `EXPLORATION_COMPLETE=true`** (already done in the interview)

        ## Step 7: Summarise

        Use the **summariser** agent to write the report.

        **FIRST:** Output the review summary.
        **Skip if:** only one group.
        """
    )
    steps = {step.agent: step for step in iter_steps(doc)}
    assert steps["explorer"].condition == "unless EXPLORATION_COMPLETE=true"
    # a "Skip if" that follows another order in its paragraph skips that order
    assert steps["summariser"].condition is None
    assert steps["app-runner"].title == "Start the App"
    assert (steps["app-runner"].optional, steps["app-runner"].condition) == (
        True,
        "unless --no-start",
    )
    assert steps["clarifier"].condition == "unless --auto flag is set"
    assert (steps["reviewer"].optional, steps["reviewer"].condition) == (False, None)


def test_agents_listed_in_groups_under_bold_labels_are_all_launched_together() -> None:
    doc = parse(
        """
        # Plan

        ## Step 2: Research

        3. **Spawn parallel sub-tasks for comprehensive research**:
           - Create multiple Task agents to research different aspects concurrently
           - Use the right agent for each type of research:

           **For deeper investigation:**
           - **codebase-locator** - To find more specific files
           - **codebase-analyzer** - To understand implementation details

           **For related tickets:**
           - **linear-searcher** - To find similar issues

           Each agent knows how to:
           - Find the right files
        """
    )
    agents = [step.agent for step in iter_steps(doc)]
    # the heading's own step is the coordinator's; each agent is a branch
    assert agents == [None, "codebase-locator", "codebase-analyzer", "linear-searcher"]
    [parallel] = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    assert len(parallel.branches) == 3


def test_agents_under_bold_labels_after_a_paragraph_lead_in_are_launched_together() -> None:
    doc = parse(
        """
        # Research

        ### Step 3: Spawn Parallel Sub-Agents

        Create multiple Task agents to research concurrently:

        **For codebase research:**
        - **codebase-locator**: Find WHERE files and components live
        - **codebase-analyzer**: Understand HOW specific code works

        **For web research (only if user explicitly asks):**
        - **web-search-researcher**: External documentation and resources

        **Agent usage guidelines:**
        - Start with locator agents to find what exists
        - Run multiple agents in parallel when searching for different things
        """
    )
    steps = [s for s in iter_steps(doc) if s.agent is not None]
    assert [s.agent for s in steps] == [
        "codebase-locator",
        "codebase-analyzer",
        "web-search-researcher",
    ]  # the guidelines under their own label launch nobody
    [parallel] = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    assert len(parallel.branches) == 3
    assert steps[2].condition == "user explicitly asks"


def test_a_yes_no_tree_asks_each_question_and_routes_yes_to_the_agent_named() -> None:
    doc = parse(
        """
        # Orchestrate

        ## Phase 2: Delegate

        **Decision Tree (follow in order):**

        1. **Is this a visual/frontend task?**
           - YES → Agent: `frontend-engineer`
           - NO → Continue to step 2

        2. **Is this documentation/writing task?**
           - YES → Agent: `writer`
           - NO → Continue to step 3
        """
    )
    decisions = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [d.question for d in decisions] == [
        "Is this a visual/frontend task?",
        "Is this documentation/writing task?",
    ]
    routed = [
        [s.agent for s in iter_blocks(path.blocks) if isinstance(s, Step)]
        for d in decisions
        for path in d.paths
    ]
    assert routed == [["frontend-engineer"], [], ["writer"], []]


@pytest.mark.parametrize(
    ("line", "agents"),
    [
        ("- Deploy academic-researcher for theoretical aspects", ["academic-researcher"]),
        ("- Deploy api-gateway to staging", []),
        ("The dashboard triggers performance-engineer reviews nightly.", []),
    ],
)
def test_a_weak_verb_leading_an_instruction_launches_a_hyphenated_role(
    line: str, agents: list[str]
) -> None:
    doc = parse(f"# Research\n\n## Phase 1: Research\n\n{line}\n")
    assert [s.agent for s in iter_steps(doc) if s.agent] == agents


def test_a_bold_checkpoint_stops_for_the_user_and_never_stop_to_wait_does_not() -> None:
    doc = parse(
        """
        # Audit

        ## Phase 1: Recon

        Use the **recon-explorer** agent to list the gaps.

        ## Phase 2: Synthesis

        Compile the findings into `BRIEF.md`.

        **CHECKPOINT — after-synthesis**: Surface the matrix. Prompt: continue / stop.

        ## Phase 3: Fix

        **NEVER STOP TO WAIT FOR USER INPUT between phases.**

        Use the **fixer** agent to close the gaps.
        """
    )
    gates = [b for b in blocks(doc) if isinstance(b, Checkpoint)]
    assert [(g.title, g.span.line) for g in gates] == [("CHECKPOINT — after-synthesis", 11)]


def test_agents_named_under_a_bold_parallel_label_run_together() -> None:
    doc = parse(
        """
        # Research

        ## Guidelines

        1. **Parallel Research Criteria**:
           - Deploy academic-researcher for theoretical aspects
           - Deploy web-researcher for current events
           - Run agents in parallel only when their topics differ

        2. **Quality Gates**:
           - Brief must address all aspects of the query
        """
    )
    [parallel] = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    members = [s.agent for branch in parallel.branches for s in iter_steps_of(branch.blocks)]
    assert members == ["academic-researcher", "web-researcher"]  # the advice is no member


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Spawn agent: Researcher", ["Researcher"]),
        ("Spawn agent: code-reviewer", ["code-reviewer"]),
        ("Launch subagents: one per file", ["subagent"]),
        ("**Verify success and spawn agent:**", ["subagent"]),
    ],
)
def test_the_name_after_an_agent_key_is_the_agent_launched(text: str, names: list[str]) -> None:
    passage = Passage.of([TextLine(text, 1, 1)])
    assert [found.name for found in prose_delegations(passage)] == names


def test_the_agents_of_a_parallel_section_end_with_it_and_a_question_after_it_waits() -> None:
    doc = parse(
        """
        # Plan

        ## Step 2: Research & Propose Options

        ### Spawn Parallel Research Tasks

        Use the right agent for each type:

        **Deeper investigation:**
        - `codebase-locator` - Find specific files
        - `codebase-analyzer` - Understand implementation details

        ### Present Findings

        ```
        Based on my research, here's what I found: [summary]

        Which approach aligns best with your vision?
        ```

        ### Close

        ```
        Spawn agent: mem-manager
        Prompt: [session summary]
        ```
        """
    )
    [parallel] = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    assert len(parallel.branches) == 2  # both agents, neither taken by the heading step
    gates = [b for b in blocks(doc) if isinstance(b, Checkpoint)]
    assert [(g.title, g.gate) for g in gates] == [
        ("Which approach aligns best with your vision?", "question")
    ]
    assert [s.agent for s in iter_steps(doc) if s.agent][-1] == "mem-manager"


def test_numbered_agent_paragraphs_under_a_parallel_lead_in_run_together() -> None:
    doc = parse(
        """
        # MoAI

        ## Phase 0: Exploration

        Launch three agents simultaneously in a single response.

        Agent 1 - Explore (subagent_type Explore):
        - Codebase analysis for task context

        Agent 2 - Research (subagent_type Explore with WebSearch focus):
        - External documentation and best practices

        Agent 3 - Quality (subagent_type manager-quality):
        - Current project quality assessment

        After all agents complete:
        - If --sequential flag: run Explore, then Research, then Quality in turn
        """
    )
    [parallel] = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    members = [s.agent for branch in parallel.branches for s in iter_steps_of(branch.blocks)]
    assert members == ["Explore", "Explore", "manager-quality"]
    assert "subagent" not in [s.agent for s in iter_steps(doc)]  # the lead-in is no fourth


def test_a_heading_saying_run_if_makes_its_step_conditional() -> None:
    doc = parse(
        """
        # Audit

        ## Phase 3: Domain auditors

        ### Step 7: High-Stakes audit (run if RUN_STAKES)

        Use the **stakes-auditor** agent to check the safety paths.
        """
    )
    [step] = [s for s in iter_steps(doc) if s.agent]
    assert (step.title, step.condition) == ("High-Stakes audit", "RUN_STAKES")
    assert step.optional


def test_a_plain_heading_saying_run_if_makes_the_launch_under_it_conditional() -> None:
    """Not a step heading ("### Agent 7 — …", no "Step"): the launch under it takes the
    heading as its title, and the heading's marker as its condition."""
    doc = parse(
        """
        # Audit

        ## Phase 3: Domain auditors

        ### Agent 7 — High-Stakes audit (run if RUN_STAKES)

        Use the Task tool with subagent_type="stakes-auditor" to check the safety paths.
        """
    )
    [step] = [s for s in iter_steps(doc) if s.agent]
    assert (step.title, step.condition, step.optional) == (
        "Agent 7 — High-Stakes audit",
        "RUN_STAKES",
        True,
    )


def test_an_error_handling_list_is_one_decision_a_case_per_failure() -> None:
    doc = parse(
        """
        # Cycle

        ## Phase 1: Plan

        Use the **planner** agent to write the plan.

        ## Error Handling

        - Planner spawn failure: Log error, exit with code 1
        - All dispatches fail: Log error, exit with code 1
        - State file missing: Auto-detect the state from the filesystem
        - Handle subagent blocking failures: see the runbook
        """
    )
    [decision] = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [path.condition for path in decision.paths] == [
        "Planner spawn failure",
        "All dispatches fail",
        "State file missing",
    ]


@pytest.mark.parametrize(
    ("sentence", "waits"),
    [
        ("Show the plan and ask before proceeding.", True),
        ("Present the adjustment context to the user for review.", True),
        ("Never push the branch without explicit consent.", True),
        ("Do not ask before proceeding; continue with the next task.", False),
    ],
)
def test_asking_before_proceeding_is_a_stop_for_the_user(sentence: str, waits: bool) -> None:
    doc = parse(
        f"""
        # Flow

        ## Phase 1: Draft

        Use the **drafter** agent to write the plan. {sentence}

        ## Phase 2: Build

        Use the **builder** agent to carry it out.
        """
    )
    assert any(isinstance(b, Checkpoint) for b in blocks(doc)) == waits


def test_agents_listed_in_a_code_block_after_a_parallel_lead_in_are_its_branches() -> None:
    doc = parse(
        """
        # Plan

        ### Spawn Research Tasks

        Before asking questions, use specialized agents to research in parallel:

        ```
        Tasks to spawn concurrently:
        - codebase-locator: Find all files related to the task
        - codebase-analyzer: Understand current implementation
        ```

        After tasks complete, read ALL identified files into context.
        """
    )
    steps = [s for s in iter_steps(doc) if s.agent is not None]
    assert [(s.agent, s.agent_span.line if s.agent_span else 0) for s in steps] == [
        ("codebase-locator", 9),
        ("codebase-analyzer", 10),
    ]
    assert all(s.prompt is None for s in steps)  # the block lists them; it is no brief
    [parallel] = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    assert len(parallel.branches) == 2


@pytest.mark.parametrize(
    "line",
    [
        "- Read code files → STOP → Spawn agent to read",
        "- Commands with credentials/tokens → Spawn agent",
        "Log error → Spawn Tech Lead to troubleshoot → Respawn original agent with solution",
        "**🚨 SPAWN SEQUENCE (PARAMS-FILE + JSON):**",
        "- For multi-wave: verify Wave 2 agents built correctly on Wave 1 changes",
    ],
)
def test_the_verb_of_a_delegation_is_never_read_as_an_agent_name(line: str) -> None:
    doc = parse(
        f"""
        # Rules

        ## Phase 1: Coordinate

        {line}
        """
    )
    bogus = {"spawn", "respawn", "original", "sequence", "wave", "verify", "spawn sequence"}
    assert not [s.agent for s in iter_steps(doc) if (s.agent or "").lower() in bogus]


def test_a_kebab_case_name_made_of_ordinary_words_is_still_a_name() -> None:
    doc = parse(
        """
        # Plan

        ## Phase 1: Validate

        1. Auto-spawn validate-agent (no user confirmation needed)
        """
    )
    assert [step.agent for step in iter_steps(doc)] == ["validate-agent"]


def test_rules_about_delegating_launch_no_unnamed_agent() -> None:
    doc = parse(
        """
        # Coordinator

        ## Identity

        You are a pure coordinator. Delegate all work to subagents.

        ## Phase 1: Review

        Launch a subagent to review the diff.

        **Golden Rule:** When in doubt, spawn an agent. Never do the work yourself.

        ## Red Flags

        - ALWAYS checkpoint state before spawning subagents
        """
    )
    steps = list(iter_steps(doc))
    assert [(s.agent, s.span.line) for s in steps] == [("subagent", 9)]
    assert not [b for b in blocks(doc) if isinstance(b, DecisionBlock)]  # "in doubt"


def test_an_agent_named_by_its_definition_file_is_that_agent() -> None:
    doc = parse(
        """
        # Research

        ## Phase 1: Research

        Run these agents in parallel:

        - `references/agents/repo-research-analyst.md` — scope: patterns.
        - `references/agents/learnings-researcher.md` — pass the summary.

        **Planning triage** (conditional) — Dispatch a generic subagent with
        `references/agents/planning-strategist.md` when the request is about agents.

        ## Phase 2: Read the references

        Load these files in parallel:

        - `references/depth-tiers.md` — how deep to go
        - `references/output-formats.md` — what to write
        """
    )
    steps = list(iter_steps(doc))
    assert [s.agent for s in steps] == [
        "repo-research-analyst",
        "learnings-researcher",
        "planning-strategist",
    ]  # a reference file to read is no agent
    # "(conditional)" says the step may not run; it names no condition to test
    assert (steps[2].optional, steps[2].condition) == (True, None)


def test_a_name_written_with_its_translation_beside_it_is_the_name() -> None:
    doc = parse(
        """
        # 运行手册

        ## 智能体阵容

        | 智能体 | 角色 |
        |-------|------|
        | UX Architect（UX 架构师） | 技术基础 |
        | Backend Architect（后端架构师） | API 和数据库 |

        ## 逐周执行计划

        ```
        Day 3-4: 架构
        ├── UX Architect → CSS 设计系统 + 组件架构
        └── Backend Architect → 系统架构 + 数据库模式
        ```
        """
    )
    # the roster ("阵容", line-up) describes the agents; the tree gives them work
    assert [(s.agent, s.span.line) for s in iter_steps(doc)] == [
        ("UX Architect", 14),
        ("Backend Architect", 15),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "If the user requests changes, re-run Step 1 with their feedback.",
        "If the user requests changes, repeat Steps 1-2 with their feedback.",
        "If the user requests changes, redo step 1.",
    ],
)
def test_repeating_earlier_steps_is_a_loop_over_them(sentence: str) -> None:
    doc = parse(
        f"""
        ## Phase 1: Plan
        ### Step 1: Draft
        - Use Task tool with subagent_type="planner"
        ### Step 2: Present
        - Use Task tool with subagent_type="presenter"
        - {sentence}
        """
    )
    [loop] = doc.workflows[0].phases[0].blocks
    assert isinstance(loop, LoopBlock)
    assert [s.agent for s in loop.body if isinstance(s, Step)] == ["planner", "presenter"]
    assert loop.repeat_when == "the user requests changes"


def test_a_message_that_ends_by_asking_the_user_is_a_question_gate() -> None:
    doc = parse(
        """
        ## Phase 1: Plan

        ### Step 3: Develop the plan structure

        Create an outline and show it:

        ```
        Here's my proposed plan structure:
        1. Phase one
        2. Phase two

        Does this phasing make sense? Should I adjust the order?
        ```

        ### Step 4: Review

        Use the **reviewer** agent:

        ```
        Review the plan. Is every phase testable?
        ```
        """
    )
    gates = [b for b in blocks(doc) if isinstance(b, Checkpoint)]
    # the agent's brief asks the agent, not the user
    assert [(g.gate, g.title) for g in gates] == [
        ("question", "Does this phasing make sense? Should I adjust the order?")
    ]


def test_stop_conditions_are_decisions_each_and_only_if_governs_the_next_step() -> None:
    doc = parse(
        """
        # Yolo

        ## Safety Guidelines

        - **NEVER** modify critical files
        - **STOP** if you encounter database schema changes
        - **STOP** if tests are failing after your changes

        ## Process

        ### Commit work

        - **ONLY IF** tests are passing and no critical issues exist
        - **USE A SUBAGENT** and have it commit the work
        """
    )
    decisions = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    # stops listed together are not alternatives: one decision each
    assert [[p.condition for p in d.paths] for d in decisions] == [
        ["you encounter database schema changes"],
        ["tests are failing after your changes"],
    ]
    (step,) = iter_steps(doc)
    assert (step.optional, step.condition) == (
        True,
        "tests are passing and no critical issues exist",
    )


def test_an_example_introduced_inside_a_list_item_is_not_a_launch() -> None:
    doc = parse(
        """
        ## Phase 6: Verify

        1. If acceptance criteria were found, use the **verifier** agent.
        2. Also run the bug-hunting pass.

           Invoke the skill with the criteria as arguments. Example invocation:

           ```
           Launch a subagent: Run sub-agent 3 (bug hunt). Predefined scenarios: …
           ```
        """
    )
    assert [s.agent for s in iter_steps(doc)] == ["verifier"]


def test_a_slash_command_is_never_an_agent() -> None:
    doc = parse(
        """
        ## Phase 1: Build

        Use the **planner** agent to write the plan.

        **Integration modes:**
        - **Direct** - Create TaskList tasks, invoke `/swarm`
        - **Via Crank** - `/crank` creates tasks from beads, invokes `/swarm` for each wave
        """
    )
    assert [s.agent for s in iter_steps(doc)] == ["planner"]


def test_parallel_subagents_to_do_a_list_of_tasks_run_one_per_task() -> None:
    doc = parse(
        """
        ## Phase 1: Find work

        - Use PARALLEL SUBAGENTS to check:
          - .simone/04_GENERAL_TASKS for open general tasks
          - .simone/00_PROJECT_MANIFEST.md for the active sprint
        - Priority order:
          1. General tasks (if any open)

        ## Phase 2: Research

        Dispatch a generic subagent in parallel with the research agents when the request
        indicates any of:

        - agent, assistant or workflow automation work
        - a codebase with an existing agent surface
        """
    )
    [parallel] = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    assert len(parallel.branches) == 2
    # the signals that decide whether to dispatch are no tasks of their own
    assert [s.span.line for s in iter_steps(doc)] == [4, 5]


def test_a_launch_whose_fields_follow_in_a_list_is_one_agent_with_those_fields() -> None:
    doc = parse(
        """
        ## Phase 1: Execute

        ### Step 4: Launch subagents
        1. For each task, launch a subagent with:
           - **description**: "Implement task [ID]"
           - **prompt**: Use the template below
        """
    )
    (step,) = iter_steps(doc)
    assert step.agent == "subagent"  # not "description", not "prompt"
    assert "WF103" not in {d.code for d in check_document(doc, source="")}


def test_agent_fields_with_a_model_note_and_inputs_joined_by_plus() -> None:
    doc = parse_document(
        read_source(Path("tests/fixtures/lint/clean/shape-agent-fields-with-model-notes.md"))
    )
    steps = list(iter_steps(doc))
    assert [(s.agent, s.model) for s in steps] == [
        ("task-enricher", "haiku"),
        ("code-architect", None),  # "(inherit)": the coordinator's model, no hint
        ("developer", None),
    ]
    assert [c.text for c in steps[2].consumes if c.kind == "input"] == [
        ".claude/work/context.md",
        ".claude/work/blueprint.md",
        "language guide path",
    ]


def test_fields_on_the_lines_under_an_agent_field_belong_to_its_step() -> None:
    doc = parse(
        """
        ### Phase 1: Research
        **Agent**: Research
        **When Required**: Ambiguous requirements
        **Output**: Requirements, risks

        ### Phase 2: Review
        **Agent**: Code Analyzer
        **Trigger**: Automatic after research
        **Input**: Requirements
        **Output**: Approval status
        """
    )
    research, review = iter_steps(doc)
    assert [i.name for i in research.produces] == ["Requirements", "risks"]
    assert [c.text for c in review.consumes if c.kind == "input"] == ["Requirements"]
    assert [i.name for i in review.produces] == ["Approval status"]
    # "Trigger: Automatic after research" says when the phase runs, not whether
    assert (review.optional, review.condition) == (False, None)


def test_a_checklist_table_and_when_activated_are_no_decisions() -> None:
    doc = parse(
        """
        ## Phase 3: Build

        Use the **evidence-collector** agent to check every task.

        ## Quality Gate Checklist

        | # | Criterion | Evidence Source | Status |
        |---|-----------|----------------|--------|
        | 1 | All sprint tasks pass QA | Evidence Collector screenshots | ☐ |
        | 2 | All API endpoints validated | API Tester report | ☐ |
        | 3 | Performance baselines met | Benchmarker report | [ ] |

        ## Boot Sequence

        When activated, read the sprint plan first.
        """
    )
    assert not [b for b in blocks(doc) if isinstance(b, DecisionBlock)]


@pytest.mark.parametrize(
    ("launch", "heading"),
    [
        ("ULTRATHINK the strategy, then deploy 3 sub-agents in parallel:", ""),
        ("", "## Parallel Agent Tasks"),
    ],
)
def test_agents_numbered_by_their_own_headings_are_launched_together(
    launch: str, heading: str
) -> None:
    doc = parse(
        f"""
        # Implement

        {launch}

        {heading}

        ### Sub-Agent 1: Database
        Task: Design and implement the schema

        ### Sub-Agent 2: API
        Task: Build the endpoints

        ### Sub-Agent 3: Tests
        Task: Write the tests
        """
    )
    [parallel] = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    assert len(parallel.branches) == 3
    assert {s.agent for s in iter_steps(doc)} == {"subagent"}


def test_an_agent_heading_naming_its_type_after_a_generic_launch_runs_that_type() -> None:
    doc = parse(
        """
        ## Phase 0: Launch Both Agents in Parallel

        Spawn both agents using the Task tool in the same message (parallel launch):

        ### Agent 1: concepts

        Spawn using `subagent_type: "workflow-concepts-agent"`. Give it this prompt:

        > Research the concepts.

        ### Agent 2: guide

        Spawn using `subagent_type: "claude-code-guide"`. Give it this prompt:

        > Research the features.
        """
    )
    assert [s.agent for s in iter_steps(doc)] == ["workflow-concepts-agent", "claude-code-guide"]


def test_a_launch_per_item_that_may_run_in_parallel_is_a_fan_out() -> None:
    doc = parse(
        """
        ## Required steps

        ### Step 2: Assess applicable skills

        * For each skill in the applicable list, run `Skill Assessor` as a subagent.
        * Skill assessments can run in parallel when the runtime supports it.

        ### Step 3: Verify

        * Run `Verifier` as a subagent.
        * Verification can run in parallel with the report.
        """
    )
    fanned = [
        [s.agent for s in iter_steps_of(branch.blocks)]
        for b in blocks(doc)
        if isinstance(b, ParallelBlock) and b.fan_out
        for branch in b.branches
    ]
    # a launch that does not repeat is not fanned out by a sentence about running in parallel
    assert fanned == [["Skill Assessor"]]


def test_an_agents_line_names_the_agents_a_track_gives_work() -> None:
    doc = parse(
        """
        ## Track C: Growth

        ```
        TRACK C: Growth
        Agents: Growth Hacker, Content Creator,
                App Store Optimizer

        Activities:
        - Growth Hacker → Design viral loops and referral mechanics
        - Content Creator → Build launch content pipeline
        - App Store Optimizer → Prepare store listing (if mobile)
        ```
        """
    )
    steps = list(iter_steps(doc))
    assert [s.agent for s in steps] == ["Growth Hacker", "Content Creator", "App Store Optimizer"]
    assert steps[2].condition == "mobile"


def test_a_step_that_repeats_until_a_condition_holds_is_a_loop_of_itself() -> None:
    doc = parse(
        """
        ## Phase 2: Build

        ### Step 3: QA loop
        - Use Task tool with subagent_type="evidence-collector"
        - Prompt: "Check every completed task."
        - Repeat until all tasks PASS QA validation (max 3 retries per task).

        ### Step 4: Ship
        - Use Task tool with subagent_type="deployer"
        """
    )
    loop, ship = doc.workflows[0].phases[0].blocks
    assert isinstance(loop, LoopBlock) and isinstance(ship, Step)
    assert [s.agent for s in loop.body if isinstance(s, Step)] == ["evidence-collector"]
    assert (loop.until, loop.max_iterations) == ("all tasks PASS QA validation", 4)


def test_a_heading_that_names_its_agent_in_parentheses_opens_its_step() -> None:
    doc = parse(
        """
        ## Investigation Strategy

        Launch three parallel investigation tracks:

        ### Track 1: External Research (librarian agent)
        - Search for known issues matching the error signatures

        ### Track 2: Codebase Exploration (explore agent)
        - Identify code paths related to the symptoms

        ### Track 3: Code Analysis (inferred agent: go/frontend/postgres)
        - Infer the appropriate agent from the problem statement

        ### Teammate 1 - hypothesis-1 (team-researcher agent, haiku model)
        - Investigate the first hypothesis
        """
    )
    steps = list(iter_steps(doc))
    assert [(s.agent, s.title) for s in steps] == [
        ("librarian", "External Research"),
        ("explore", "Codebase Exploration"),
        ("team-researcher", "Teammate 1 - hypothesis-1"),
    ]  # "(inferred agent: …)" names no agent
    tracks = next(b for b in blocks(doc) if isinstance(b, ParallelBlock))
    assert len(tracks.branches) == 3


@pytest.mark.parametrize(
    "announce, fields",
    [
        (
            "Invoke task-decomposer using Agent tool:",
            '- `subagent_type`: "dev-workflows:task-decomposer"\n'
            '- `prompt`: "Split the plan into tasks."',
        ),
        (
            "For test-first development, use the task-decomposer agent:",
            '- Use Task tool with subagent_type="task-decomposer"\n'
            '- Prompt: "Split the plan into tasks."',
        ),
    ],
)
def test_a_sentence_announcing_the_launch_its_fields_state_is_one_step(
    announce: str, fields: str
) -> None:
    doc = parse_text(
        f"## Phase 1: Plan\n\n### 2. Task Materialization\n{announce}\n{fields}\n", "d.md"
    )
    (step,) = iter_steps(doc)
    assert step.agent.endswith("task-decomposer")  # type: ignore[union-attr]
    assert step.provenance == "explicit" and step.prompt == "Split the plan into tasks."


def test_a_bold_title_marked_conditional_governs_the_launch_under_it() -> None:
    doc = parse(
        """
        ## Instructions

        7. **Test Generation (if agent available)**
        During or after task implementation, use the `spec-test-generator` agent.

        **Pass 2 — Regression check (if Pass 1 had fixes):**

        Spawn the regression-checker agent to re-run the suite.

        **Notes (optional):**

        Some words about the run.

        Afterwards, use the summariser agent to write the report.
        """
    )
    conditions = {step.agent: (step.optional, step.condition) for step in iter_steps(doc)}
    assert conditions == {
        "spec-test-generator": (True, "agent available"),
        "regression-checker": (True, "Pass 1 had fixes"),
        "summariser": (False, None),  # the title is two paragraphs above: not its title
    }


def test_a_known_agent_qualifying_a_thing_is_not_launched_again() -> None:
    doc = parse(
        """
        ## Steps

        1. Spawn an ArchitectUX agent to design the foundation.
        2. Spawn the developer agent to implement task 1 using ArchitectUX foundation.
        3. Use ArchitectUX to review the result.
        """
    )
    assert [step.agent for step in iter_steps(doc)] == ["ArchitectUX", "developer", "ArchitectUX"]


def test_an_order_to_the_coordinator_on_a_condition_is_a_gate_a_remark_is_none() -> None:
    doc = parse(
        """
        # Changelog

        ## Phase 1: Draft

        Use the **writer** agent to draft the entry.

        ## Phase 2: Append

        Read the existing changelog. If the file doesn't exist, create it with a legend
        table. If the entry is long, the summary may be short.

        **Knowledge sections:**

        - **Context**: what prompted the guidance
        - **When to Apply**: conditions where the guidance applies
        """
    )
    conditions = decision_conditions(doc)
    assert conditions == ["the file doesn't exist"]


def test_an_order_with_its_condition_at_the_end_is_a_gate() -> None:
    doc = parse(
        """
        # Concepts

        ## Phase 1: Agents

        Use the **scanner** agent to list the concepts.

        ## Phase 2: Read

        Read `checklist.md` if it exists. Check if the report is stale. Update the plan if
        needed. Treat it as if it were new. Ask the user if they want a summary. Fall back
        to `diff` if `delta` isn't installed. Optionally dispatch a subagent for deeper
        analysis if the scope is large. Apply port settings if configured (set the env).
        """
    )
    conditions = decision_conditions(doc)
    assert conditions == ["it exists", "delta isn't installed", "configured"]
    # the order that launches an agent on a condition makes that launch conditional
    (dispatch,) = [s for s in iter_steps(doc) if s.agent == "subagent"]
    assert dispatch.condition == "the scope is large"


def test_agents_launched_together_under_a_heading_are_all_branches() -> None:
    """The first of a list of agents launched in parallel is a branch like the others, not
    the step of the heading above the list; an agent definition file given its input
    ("`agents/x.md` with the summary") names the agent."""
    doc = parse(
        """
        # Plan

        ## Phase 1: Research

        #### 1.3 External Research

        - **Implementation guidance** — run in parallel:
          - `references/agents/best-practices-researcher.md` with the planning summary.
          - `references/agents/framework-docs-researcher.md` with the planning summary.
        """
    )
    [block] = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    members = [s.agent for branch in block.branches for s in iter_steps_of(branch.blocks)]
    assert members == ["best-practices-researcher", "framework-docs-researcher"]


def test_modes_marked_default_and_opt_in_are_the_paths_of_one_decision() -> None:
    doc = parse(
        """
        # Roadmap

        ## Phase 1: Run

        Use the **task-runner** agent to prepare.

        #### Running tasks

        - **Sequential mode (default):** run eligible tasks one after another.
        - **Worktrees mode (opt-in):** give each task its own worktree.

        **Parallel subagent mode:** commit ownership is split.

        **Permission mode:** omit the `mode` parameter.

        **Timeout handling (default: 120s per round):** retry once.
        """
    )
    [decision] = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [(p.title, p.is_default) for p in decision.paths] == [
        ("Sequential mode (default)", True),
        ("Worktrees mode (opt-in)", False),
    ]


def test_an_introduction_speaking_of_unnamed_agents_announces_the_later_launches() -> None:
    doc = parse(
        """
        # Skill: Parallel Testing

        Run tests for multiple modules in parallel using Task subagents.

        ## Execution Steps

        ### 1. Launch parallel test subagents

        Launch one Task subagent per module, all in a single message:
        - Use the **unit-tester** agent for `src/services`.
        - Use the **ui-tester** agent for `src/components`.
        """
    )
    assert [s.agent for s in iter_steps(doc) if s.agent] == ["unit-tester", "ui-tester"]


def _agents_in_parallel(document: Document) -> list[list[str | None]]:
    return [
        [s.agent for b in group.branches for s in b.blocks if isinstance(s, Step)]
        for group in blocks(document)
        if isinstance(group, ParallelBlock)
    ]


def test_a_launch_counting_the_items_below_it_makes_each_item_one_of_them() -> None:
    doc = parse(
        """
        # Extract rules

        ## Method B

        Spawn **three business-rules-extractor subagents in parallel**, each assigned
        a different lens.

        1. **Calculations** — "Find every formula"
        2. **Validations** — "Find every validation"
        3. **State** — "Find every state machine"

        Merge the three result sets.
        """
    )
    (group,) = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    titles = [s.title for b in group.branches for s in b.blocks if isinstance(s, Step)]
    assert [t.split(" —")[0] for t in titles] == ["Calculations", "Validations", "State"]
    assert not group.fan_out


def test_a_counted_lead_in_with_a_colon_gives_each_item_an_unnamed_agent() -> None:
    doc = parse(
        """
        # Docs

        ## Workflow

        Launch 4 parallel Task agents:

        1. **High-Level Docs** — README, ARCHITECTURE.md
        2. **Module-Level Docs** — per-module READMEs
        3. **Decision Records** — undocumented decisions
        4. **State Diagrams** — Mermaid diagrams

        ## Guiding Principle

        - Write the document that makes the codebase smaller.
        - Delete what misleads.
        """
    )
    assert _agents_in_parallel(doc) == [["subagent"] * 4]


def test_a_count_the_list_below_does_not_match_stays_one_fan_out() -> None:
    doc = parse(
        """
        # Review

        ## Review

        Launch 5 parallel Sonnet agents to review the change, each on one of:

        - the diff
        - the history
        """
    )
    (group,) = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    assert group.fan_out and len(group.branches) == 1


def test_headings_numbering_agents_in_a_row_are_each_an_agents_step() -> None:
    doc = parse(
        """
        # Verify

        ## Phase 1: Research

        Research depth depends on the mode.

        ### Sub-agent 1: Application Structure

        > Research this codebase thoroughly.

        ### Sub-agent 2: Database Schema

        > Research the database layer.
        >
        > If no database layer is detected, return: "none".

        ### Sub-agent 3: Bug Hunting

        > Analyse this codebase for bugs.

        ## Phase 2: Report

        Write the report.
        """
    )
    steps = [b for b in blocks(doc) if isinstance(b, Step)]
    assert [(s.title, s.agent, s.provenance) for s in steps] == [
        ("Sub-agent 1: Application Structure", "subagent", "inferred"),
        ("Sub-agent 2: Database Schema", "subagent", "inferred"),
        ("Sub-agent 3: Bug Hunting", "subagent", "inferred"),
    ]
    # the condition is in the agent's brief, not the coordinator's decision
    assert decision_conditions(doc) == []


def test_a_lone_numbered_agent_heading_is_not_a_launch() -> None:
    doc = parse(
        """
        # Architecture

        ## Components

        ### Agent 1: Planner

        The planner turns a request into tasks.

        ### Glossary

        Words used here.
        """
    )
    assert not [b for b in blocks(doc) if isinstance(b, Step)]


def test_a_launch_whose_prompt_follows_in_a_fence_is_a_step() -> None:
    doc = parse(
        """
        # Batch

        ## Step 3: Execute waves

        **For each feature in the wave**, dispatch a subagent with this prompt:

        ```
        Create a complete specification for feature "{feature-name}".
        ```

        ## Step 4: Finalise

        Update the roadmap.
        """
    )
    (step,) = [b for b in blocks(doc) if isinstance(b, Step) and b.agent is not None]
    assert step.title == "Execute waves"
    assert step.agent == "subagent"


def test_a_quoted_brief_under_each_agents_heading_keeps_the_agents_together() -> None:
    doc = parse(
        """
        # Research repos

        ## Phase 1: Launch 2 research agents

        Spawn both agents in a **single message** (parallel). Each uses
        `subagent_type: "repo-researcher"`.

        ### Agent 1 (4 repos)

        > For each repo, return:
        >
        > 1. **Stars**: read `stargazers_count`.
        > 2. **Workflow** — the pipeline as step names joined by arrows. If a step has
        >    internal sub-steps, list them as siblings in the main chain.

        ### Agent 2 (7 repos)

        > For each repo, return the same report.

        ## Phase 2: Compare

        Wait for both agents, then compare their findings.
        """
    )
    assert _agents_in_parallel(doc) == [["repo-researcher", "repo-researcher"]]
    assert decision_conditions(doc) == []  # the brief's "if" is the agent's to follow


def test_a_launch_said_again_in_its_own_step_is_one_step() -> None:
    doc = parse(
        """
        # Research

        ### Phase 1: Parse the request

        **Agent**: requirement-parser

        **Process**:
        1. **Launch requirement-parser agent** with the feature description
        2. Review the parsed requirements

        ### Phase 2: Explore

        - Use the **Explore** agent to get the PR diff and commit messages
        - Use the **Explore** agent to find related code and its callers
        """
    )
    steps = [b for b in blocks(doc) if isinstance(b, Step) and b.agent is not None]
    assert [s.agent for s in steps] == ["requirement-parser", "Explore", "Explore"]


def test_a_step_marked_parallel_runs_beside_the_step_numbered_before_it() -> None:
    doc = parse(
        """
        # MVP

        ## Week 1

        **Step 1 — Activate Sprint Prioritizer**

        ```
        Activate Sprint Prioritizer.
        Break the project into sprints.
        ```

        **Step 2 — Activate UX Researcher (in parallel)**

        ```
        Activate UX Researcher.
        Research the users.
        ```

        **Step 3 — Hand off to Backend Architect**

        ```
        Activate Backend Architect.
        Design the API.
        ```
        """
    )
    assert _agents_in_parallel(doc) == [["Sprint Prioritizer", "UX Researcher"]]


def test_two_agents_joined_by_a_plus_in_a_chinese_launch_are_both_launched() -> None:
    assert names("激活 Frontend Developer + Rapid Prototyper") == [
        "Frontend Developer",
        "Rapid Prototyper",
    ]


def test_a_skill_the_document_lists_as_one_is_activated_not_launched() -> None:
    doc = parse(
        """
        # Maestro

        ## Phase 1: Design

        - Activate `design-dialogue`.
        - Use the **api-designer** agent to design the API.

        ## Skills Reference

        | Skill | Purpose |
        | --- | --- |
        | `design-dialogue` | Structured requirements |
        | `session-management` | Session state |
        """
    )
    assert [s.agent for s in iter_steps(doc) if s.agent] == ["api-designer"]


def test_a_lead_in_announcing_the_call_in_the_fence_below_is_not_a_second_launch() -> None:
    doc = parse(
        """
        # Feature

        ## Step 2: Architecture

        Use the Task tool to launch the architecture agent:

        ```
        Task:
          subagent_type: "backend-architect"
          prompt: |
            Design the architecture.
        ```

        ## Step 3: Review

        Then spawn PM (model from config):
        ```
        Task(subagent_type: "project_manager", prompt: "{built_prompt}")
        ```

        ## Step 4: Prompt only

        Use the Task tool to launch the reviewer agent:

        ```
        Review the diff and report findings.
        ```
        """
    )
    agents = [b.agent for b in blocks(doc) if isinstance(b, Step) and b.agent is not None]
    assert agents == ["backend-architect", "project_manager", "reviewer"]


def test_a_table_of_states_beside_their_next_action_is_a_decision() -> None:
    doc = parse(
        """
        # Build

        ## Prerequisites

        | State | Criteria | Next Action |
        |-------|----------|-------------|
        | Tasks exist | The task set is non-empty | Start executing |
        | Plan only | No tasks but an approved plan | Run task-decomposer agent |
        | Nothing | No plan and no tasks | Report and stop |

        | State | Meaning |
        |-------|---------|
        | open | Not started |
        | done | Finished |
        | blocked | Waiting on a dependency |
        """
    )
    assert decision_conditions(doc) == ["Tasks exist", "Plan only", "Nothing"]
    (decision,) = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [s.agent for s in iter_blocks(decision.paths[1].blocks) if isinstance(s, Step)] == [
        "task-decomposer"
    ]


def test_a_parallel_block_announced_in_portuguese_runs_its_agents_together() -> None:
    doc = parse(
        """
        # Runbook

        | Agente | Papel |
        |--------|-------|
        | Infrastructure Maintainer | Métricas e logs |
        | DevOps Automator | Deploy e rollback |

        ## Sequência

        ### Passo 2: Investigação

        ```
        INVESTIGAÇÃO PARALELA:

        Infrastructure Maintainer:
        ├── Checar métricas de sistema

        DevOps Automator:
        ├── Revisar histórico de deployment
        ```
        """
    )
    (block,) = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    steps = [s for branch in block.branches for s in iter_blocks(branch.blocks)]
    assert [s.agent for s in steps if isinstance(s, Step)] == [
        "Infrastructure Maintainer",
        "DevOps Automator",
    ]


def test_a_row_of_a_table_of_cases_launches_each_agent_joined_by_a_plus() -> None:
    doc = parse(
        """
        # Incident

        | Agent | Role |
        |-------|------|
        | Studio Producer | Resources |
        | Legal Compliance Checker | Regulation |
        | Executive Summary Generator | Stakeholders |

        ## Escalation

        | Condition | Escalate To | Action |
        |-----------|-------------|--------|
        | P0 unresolved in 30 min | Studio Producer | More resources |
        | User data affected | Legal Compliance Checker + Executive Summary Generator | Notify |
        | Revenue impact | Studio Producer | Assess |
        """
    )
    (decision,) = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    agents = [
        [s.agent for s in iter_blocks(path.blocks) if isinstance(s, Step)]
        for path in decision.paths
    ]
    assert agents == [
        ["Studio Producer"],
        ["Legal Compliance Checker", "Executive Summary Generator"],
        ["Studio Producer"],
    ]


def test_a_roster_column_headed_escalate_to_in_portuguese_names_agents() -> None:
    doc = parse(
        """
        # Incidente

        ## Matriz de Escalonamento

        | Condição | Escalar Para | Ação |
        |----------|--------------|------|
        | P0 não resolvido em 30 min | Studio Producer | Recursos adicionais |
        | Suspeita de data breach | Legal Compliance Checker | Avaliação regulatória |
        """
    )
    agents = [s.agent for s in blocks(doc) if isinstance(s, Step)]
    assert agents == ["Studio Producer", "Legal Compliance Checker"]


def test_agents_the_front_matter_allows_are_known_names_for_the_body() -> None:
    doc = parse(
        """
        ---
        allowed-tools: Task(mage-x-security), Task(mage-x-deps), Bash(go list:*), Read
        ---

        ## Your Task

        ### Phase 1: Parallel Security Analysis

        1. **mage-x-security** - Code Security:
           - Command injection vulnerabilities

        2. **mage-x-deps** - Dependency Security:
           - Known vulnerabilities (CVEs)

        3. **Secret Scanning**:
           - API keys and tokens
        """
    )
    (block,) = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    steps = [s for branch in block.branches for s in iter_blocks(branch.blocks)]
    assert [s.agent for s in steps if isinstance(s, Step)] == ["mage-x-security", "mage-x-deps"]


@pytest.mark.parametrize(
    ("verb", "language"),
    [("delega en", "es"), ("delegue para", "pt"), ("delegate to", "en")],
)
def test_agents_an_agents_tools_list_allows_are_launched_by_name(verb: str, language: str) -> None:
    """`tools: Agent(data-cleaner, data-analyst)` names the subagents the agent may call;
    "delega en `data-cleaner`" (Spanish) launches one of them."""
    doc = parse(
        f"""
        ---
        name: orchestrator
        tools: Agent(data-cleaner, data-analyst), Read, Write
        ---

        ## Workflow ({language})

        1. **Phase 1:** {verb} `data-cleaner`.
        2. **Phase 2:** {verb} `data-analyst` with the cleaned dataset.
        """
    )
    assert [s.agent for s in iter_steps(doc)] == ["data-cleaner", "data-analyst"]


def test_a_list_routing_cases_to_roles_launches_them_in_a_document() -> None:
    """ "- Frontend tasks → l2-frontend-specialist", "- `research` → Researcher": the list
    item's text reaches the reader without its marker, and still routes to the role."""
    doc = parse(
        """
        # Orchestrator

        ## Routing

        Check the current stage, then delegate to the appropriate agent:

        - Frontend tasks → l2-frontend-specialist
        - `research` → Researcher
        - API work → Senior Developer
        - Everything else → More agents
        """
    )
    agents = [s.agent for s in iter_steps(doc)]
    assert agents == ["l2-frontend-specialist", "Researcher", "Senior Developer"]


def test_a_lead_in_announcing_an_example_launches_nothing() -> None:
    doc = parse(
        """
        # Feature

        | Agent | Role |
        |-------|------|
        | Senior Developer | Implements |

        ## Phase 3: Implementation

        Senior Developer: implement the plan.

        ## How to Apply Skills

        Example in Senior Developer:

        ```markdown
        - Following `project-conventions` naming standards
        ```
        """
    )
    steps = [b for b in blocks(doc) if isinstance(b, Step) and b.agent is not None]
    assert [s.span.line for s in steps] == [9]


def test_a_launch_with_its_condition_at_the_end_is_a_conditional_step() -> None:
    doc = parse(
        """
        # Review

        ## Step 1: Review

        Launch the code-reviewer agent to review the diff.

        Launch the perf-reviewer agent if the change touches hot paths.

        ## Step 2: Report

        Launch the writer agent, merge the results, update the table if approved.
        """
    )
    steps = {step.agent: step for step in iter_steps(doc)}
    assert steps["perf-reviewer"].condition == "the change touches hot paths"
    assert steps["code-reviewer"].condition is None
    # the condition belongs to the last order of the sentence, not to the launch
    assert steps["writer"].condition is None
    assert decision_conditions(doc) == ["approved"]


def test_markdown_wrapped_in_a_prompt_tag_is_read_as_markdown() -> None:
    """ "<workflow>" then "## Phase 1" on the next line: markdown-it reads both as one HTML
    block, but the author wrapped Markdown in a tag for the model to read."""
    document = parse(
        """
        # Release

        <workflow>
        ## Phase 1: Plan
        Use the **planner-agent** to plan.

        ## Phase 2: Build
        Use the **builder-agent** to build.
        </workflow>
        """
    )
    phases = document.workflows[0].phases
    assert [(phase.number, phase.title) for phase in phases] == [(1, "Plan"), (2, "Build")]
    assert [step.agent for step in blocks(document) if isinstance(step, Step)] == [
        "planner-agent",
        "builder-agent",
    ]


def test_launches_inside_example_tags_and_under_a_roster_are_not_steps() -> None:
    document = parse(
        """
        # Review

        ## Available Subagents

        Use these subagents when needed (all optional):
        - **ccd-architect**: Design planning for complex tasks
        - **ccd-reviewer**: Code review for substantial changes

        ## 組織構成

        ```
        Orchestrator
            ├── Architect        - 設計
            └── Code Reviewer    - コード品質
        ```

        ## Workflow

        1. Use the **ccd-architect** agent to plan the change.

        <examples>
        <example>
        **User**: "Implement JWT authentication"
        1. Invoke ccd-reviewer after the change
        </example>
        </examples>
        """
    )
    steps = [step for step in blocks(document) if isinstance(step, Step)]
    assert [(step.agent, step.span.line) for step in steps] == [("ccd-architect", 19)]


def test_the_coordinators_role_statement_launches_nothing() -> None:
    """ "You are an orchestration agent. You will trigger subagents that …": the role set
    out before the steps that do the work."""
    document = parse(
        """
        You are an orchestration agent. You will trigger subagents that will execute the
        plan, and verify that they do it correctly.

        1. Use #runSubagent to invoke the planning-subagent for context gathering.
        """
    )
    steps = [step for step in blocks(document) if isinstance(step, Step)]
    assert [step.agent for step in steps] == ["planning-subagent"]


@pytest.mark.parametrize(
    ("text", "waits"),
    [
        ("Present the plan to the user for approval.", True),
        ("User approval always required for `gemini` commands.", True),
        ("以下の場合はユーザーに確認:", True),
        ("展示当前任务给用户确认，再继续。", True),
        ("但需向用户确认。", True),
        ("계획을 사용자에게 확인 받은 후 진행", True),
        ("ユーザーが確認した結果を保存する", False),
    ],
)
def test_a_wait_for_the_user_is_read_in_each_language(text: str, waits: bool) -> None:
    assert p.waits_for_user(text) is waits


def test_a_table_of_keywords_routes_each_request_to_its_agent() -> None:
    document = parse(
        """
        # Orchestrator

        ## Routing

        | Keywords | Agent |
        |----------|-------|
        | design, architecture | **architect** |
        | bug, fix, error | **debugger** |
        """
    )
    [decision] = [b for b in blocks(document) if isinstance(b, DecisionBlock)]
    assert [path.condition for path in decision.paths] == [
        "design, architecture",
        "bug, fix, error",
    ]
    assert [
        step.agent for path in decision.paths for step in path.blocks if isinstance(step, Step)
    ] == ["architect", "debugger"]


def test_a_table_of_auditors_under_a_launch_is_a_step_per_row_at_its_row() -> None:
    """ "Launch these auditors in parallel:" over a table whose agent column is headed
    "Auditor": one step per row, spanning its row and titled by its cells; an agent given
    by its definition file (`.claude/agents/x.md`) is that file's agent."""
    doc = parse(
        """
        # Audit

        ## Phase 1: Audit

        Launch these auditors in parallel:

        | Auditor | Focus |
        |---|---|
        | security-auditor | auth and secrets |
        | `.claude/agents/perf-auditor.md` (hot mode) | hot paths |
        """
    )
    steps = list(iter_steps(doc))
    assert [(s.agent, s.span.line, s.span.end_line, s.title) for s in steps] == [
        ("security-auditor", 9, 9, "security-auditor — auth and secrets"),
        ("perf-auditor", 10, 10, "perf-auditor (hot mode) — hot paths"),
    ]
    [parallel] = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    assert len(parallel.branches) == 2


def test_an_agent_spawn_reference_table_is_reference_not_launches() -> None:
    doc = parse(
        """
        # Flow

        ## Phase 1: Build

        Use the **builder** agent to build it.

        ## Agent Spawn Reference

        | Stage | Agent | Role |
        |---|---|---|
        | 1 | `.claude/agents/spec-writer.md` | Writes the spec |
        | 2 | `.claude/agents/builder.md` | Builds |
        """
    )
    assert [s.agent for s in iter_steps(doc)] == ["builder"]


def test_a_chain_of_roles_in_a_code_block_is_a_step_per_agent_in_order() -> None:
    """`planner -> tdd-guide -> code-reviewer` alone in a block: the pipeline's agents, in
    turn; a case before its actions ("- fixable → debugger → re-verify") is no pipeline, nor
    a chain of branches; a report template's "Agents: a -> b" is no launch at all."""
    doc = parse(
        """
        # Orchestrate

        ## Workflow types

        ### feature
        ```
        planner -> tdd-guide -> code-reviewer
        ```

        - fixable → debugger → implementer → re-verify

        ```
        main -> develop -> release
        ```

        ## Final Report Format

        ```
        Agents: planner -> tdd-guide -> code-reviewer
        Planner: [summary]
        ```
        """
    )
    steps = list(iter_steps(doc))
    assert [(s.agent, s.title, s.span.line) for s in steps] == [
        ("planner", "planner", 7),
        ("tdd-guide", "tdd-guide", 7),
        ("code-reviewer", "code-reviewer", 7),
    ]


@pytest.mark.parametrize("heading", ["Report Format", "Output Template", "最终报告格式"])
def test_a_report_format_section_holds_no_launches(heading: str) -> None:
    doc = parse(
        f"""
        # Review

        ## Phase 1: Review

        Use the **reviewer** agent to review the change.

        ## {heading}

        Use the **summariser** agent to write the summary.
        """
    )
    assert [s.agent for s in iter_steps(doc)] == ["reviewer"]


def test_korean_spawn_of_a_named_agent_is_a_launch() -> None:
    doc = parse(
        """
        # Nova

        ### Phase 2: 설계

        Architect 에이전트를 spawn하여 CPS 설계를 수행한다.

        ### Phase 4: 구현

        Dev 에이전트를 spawn한다 (`senior-dev` 타입).
        """
    )
    assert [s.agent for s in iter_steps(doc)] == ["Architect", "Dev"]


def test_a_custom_agents_front_matter_list_names_the_agents_it_may_call() -> None:
    """Copilot's `agents:` list: a one-word entry is an agent the body then launches by
    name ("**Phase 1: planner**"); a display name of several words is not matched loosely."""
    doc = parse(
        """
        ---
        name: orchestrator
        agents:
          - planner
          - Code Review Standards
        ---

        # Orchestrator

        **Phase 1: planner**

        Write the plan. Forward the story to the Standards perspective.
        """
    )
    assert [s.agent for s in iter_steps(doc)] == ["planner"]


@pytest.mark.parametrize(
    ("line", "launches"),
    [
        ("Delegate them one by one to a subagent using the `subagent` tool.", True),
        ("2. **Déléguer** via `task` au sous-agent le mieux positionné", True),
        ("Do not delegate the work to a subagent.", False),
        ("ALWAYS delegate complex work to subagents.", False),  # a rule about delegating
        ("Every delegation to a subagent must follow this structure:", False),
        ("Delegate the work to specialized sub-agent skills.", False),
    ],
)
def test_work_delegated_to_one_unnamed_subagent_is_a_launch(line: str, launches: bool) -> None:
    assert names(line) == (["subagent"] if launches else [])


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("自分で直接レビューしない。必ずsub-agentに委譲する。", ["subagent"]),
        ("実装とレビューは必ずサブエージェントへ委任する。", ["subagent"]),
        ("서브에이전트에게 위임한다", ["subagent"]),
        ("対象ファイルが不明な場合は、先にresearcher subagentで調査する", ["researcher"]),
        ("sub-agentに委譲しない", []),
        # the agent, the particle saying to whom, the work handed over, the verb
        ("2. architect 에이전트로 설계 위임", ["architect"]),
        ("reviewer エージェントにレビューを委任する", ["reviewer"]),
        ("node api/server.js + curl 로 실제 호출한 결과", []),
    ],
)
def test_work_handed_to_a_subagent_in_japanese_and_korean(line: str, expected: list[str]) -> None:
    assert names(line) == expected


def test_agents_a_launch_names_in_parentheses_run_as_stated() -> None:
    """ "Spawn 3 parallel Task calls, one to each review subagent (`a`, `b`, `c`)": a step each,
    together; "Use the phase-specific sub-agents (`x`, `y`)" says which exist, launches none."""
    doc = parse(
        """
        # Review

        ## Steps

        Use the phase-specific sub-agents (`spec-planner`, `spec-coder`) where they apply.

        3. Spawn 3 parallel Task calls, one to each review subagent (`review-opus`,
           `review-gemini`, `review-codex`), each receiving the diff.
        """
    )
    [parallel] = [b for b in blocks(doc) if isinstance(b, ParallelBlock)]
    members = [s.agent for branch in parallel.branches for s in iter_steps_of(branch.blocks)]
    assert members == ["review-opus", "review-gemini", "review-codex"]
    assert [s.agent for s in iter_steps(doc)] == members


def test_a_table_of_available_agents_and_when_to_use_them_is_a_roster_not_a_decision() -> None:
    """ "## Available Subagents" over "| Agent | Purpose | When to Use |": which agents there
    are; "## Parallel Support Tracks (available any time)" over "| When | Action |" routes."""
    doc = parse(
        """
        # Orchestrate

        ## Phase 1: Plan

        Use the **planner** agent to write the plan.

        ### Available Subagents

        | Agent | Purpose | When to Use |
        |-------|---------|-------------|
        | ghost-explorer | Exploration | When you need to understand code |
        | ghost-reviewer | Review | When the change is ready |

        ## Support Tracks (available any time)

        | When | Action |
        |------|--------|
        | A bug is reported | Use the **bug-assessor** agent |
        | A requirement changes | Use the **spec-writer** agent |
        """
    )
    decisions = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [[path.condition for path in d.paths] for d in decisions] == [
        ["A bug is reported", "A requirement changes"]
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Invoque múltiplos agentes em PARALELO.", ["subagent"]),
        ("Lanza un subagente para cada módulo.", ["subagent"]),
        ("Starte mehrere Agenten parallel.", ["subagent"]),
        ("Use o agente frontend-specialist para a tela de login.", ["frontend-specialist"]),
        ("Acione o subagente `kata-advisor` para o veredito.", ["kata-advisor"]),
        ("Spawn the agent code-reviewer to check the diff.", ["code-reviewer"]),
        ("Você é o Agente Orquestrador.", []),
    ],
)
def test_the_agent_noun_in_spanish_portuguese_and_german(line: str, expected: list[str]) -> None:
    assert names(line) == expected


@pytest.mark.parametrize(
    "rule",
    [
        "**VIOLAÇÃO:** Invocar subagente sem contexto completo = o subagente fará suposições!",
        "When invoking a subagent, always pass the full context.",
    ],
)
def test_a_rule_about_how_every_launch_is_made_launches_nothing(rule: str) -> None:
    doc = parse(
        f"""
        # Orchestrate

        ## Phase 1: Plan

        Use the **planner** agent to write the plan.

        {rule}
        """
    )
    assert [s.agent for s in iter_steps(doc)] == ["planner"]


def test_a_subagent_launched_by_its_definition_file_is_that_agent_in_czech() -> None:
    document = parse(
        """
        # Vylepšování

        ### Krok 1 – Visual Agent
        Spusť subagenta podle `./agents/visual-agent.md`:
        - Zapíše provedené změny do `./agents/changes.md`

        ### Krok 2 – Review Agent
        Spusť subagenta podle `./agents/review-agent.md`:
        - Prostuduje `./agents/changes.md` co bylo změněno
        """
    )
    assert [step.agent for step in iter_steps(document)] == ["visual-agent", "review-agent"]


def test_a_heading_that_hands_its_step_to_an_agent_after_an_arrow() -> None:
    document = parse(
        """
        # New section

        ## 1. Requirements

        Collect the designs and ask what is missing.

        ## 2. Build (pixel-perfect) → agent `block-expert`
        Hand over both frames and the agreed details.

        ## 3. Actions → agent `interactions-expert` (if the section has interactions)
        Wires the JS module.
        """
    )
    found = [(s.title, s.agent, s.condition) for s in iter_steps(document)]
    assert found == [
        ("Build (pixel-perfect)", "block-expert", None),
        ("Actions", "interactions-expert", "the section has interactions"),
    ]


def test_a_launch_whose_brief_is_quoted_below_it_is_that_launch() -> None:
    document = parse(
        """
        ## Round 0 — Snapshot

        Use #runSubagent to snapshot the current working-tree state (read-only):

        > **Subagent Task — Snapshot**
        >
        > List every changed file with its diff.

        ## Round 1 — Review

        Para cada bundle de tema, lanzar un subagente:

        > Revisa las preguntas del tema y marca las dudosas.
        """
    )
    assert [step.agent for step in iter_steps(document)] == ["subagent", "subagent"]


def test_a_bold_title_that_launches_an_agent_takes_the_call_below_as_that_launch() -> None:
    document = parse(
        """
        ## Phase 2A

        **Step 2: Spawn Agent with file-based instructions**

        → `Task(subagent_type="general-purpose", description="dev: build", prompt="Build it.")`
        """
    )
    assert [step.agent for step in iter_steps(document)] == ["general-purpose"]


def test_an_item_of_a_list_of_what_not_to_do_routes_to_no_agent() -> None:
    document = parse(
        """
        ## Available Agents

        | Agent | Role |
        |-------|------|
        | Designer | UI/UX design |
        | Planner | technical design |
        | Reviewer | code review |

        ## Orchestrator

        Spawn the **worker** agent for each task.

        ## 絶対にやらないこと（Don't）- 厳守

        以下は他のエージェントの責務です。絶対に行わないでください：

        - ❌ UI/UXの設計（→ Designer の責務）
        - ❌ 技術設計書の作成（→ Planner の責務）
        - ❌ コードレビューの実施（→ Reviewer の責務）
        """
    )
    assert [step.agent for step in iter_steps(document)] == ["worker"]
    assert decision_conditions(document) == []


def test_advice_about_launching_agents_is_no_decision() -> None:
    document = parse(
        """
        ## Review

        Spawn the **reviewer** agent on the diff.

        ## Agent Validation

        When spawning agents, include their validation checklist:

        - run the tests
        - run the linter

        ## Subagent Instructions

        When invoking subagents:

        - give each one file
        """
    )
    assert [step.agent for step in iter_steps(document)] == ["reviewer"]
    assert decision_conditions(document) == []


def test_a_schedule_in_a_code_block_runs_the_agents_of_each_period_together() -> None:
    document = parse(
        """
        # MVP runbook

        | Agent | Role |
        |-------|------|
        | UX Architect | Foundation |
        | Backend Architect | API |
        | Brand Guardian | Brand |
        | DevOps Automator | Deployment |

        ## Week 1

        ```
        Day 1-2: Architecture
        ├── UX Architect → CSS design system
        └── Backend Architect → System architecture

        Sprint 1 (Week 2):
        ├── Brand Guardian → Brand foundation
        └── Quality Gate: architecture approved

        Deploy the API:
        ├── DevOps Automator → CI/CD pipeline
        └── Backend Architect → API scaffold
        ```
        """
    )
    assert _agents_in_parallel(document) == [["UX Architect", "Backend Architect"]]
    # a period with one agent, and a tree under a label that is no period, run in turn
    phase_blocks = document.workflows[0].phases[-1].blocks
    assert [type(b).__name__ for b in phase_blocks] == ["ParallelBlock", "Step", "Step", "Step"]
    assert [b.agent for b in phase_blocks[1:] if isinstance(b, Step)] == [
        "Brand Guardian",
        "DevOps Automator",
        "Backend Architect",
    ]


def test_the_table_of_a_team_under_a_roster_heading_launches_nothing() -> None:
    document = parse(
        """
        # MVP runbook

        ## Agent Roster

        ### Growth Team (Activated Week 3+)
        | Agent | Role |
        |-------|------|
        | Growth Hacker | Acquisition strategy |
        | Content Creator | Launch content |

        ## Launch

        ### Spawned in week 3
        | Agent | Task |
        |-------|------|
        | Growth Hacker | Activate acquisition channels |
        """
    )
    steps = [s for s in iter_steps(document) if s.agent]
    assert [(s.agent, s.span.line) for s in steps] == [("Growth Hacker", 16)]


@pytest.mark.parametrize("heading", ["Missão", "Misión", "Mission", "Responsabilidades", "职责"])
def test_a_mission_that_speaks_of_the_agents_the_workflow_launches_later_is_no_step(
    heading: str,
) -> None:
    document = parse(
        f"""
        # Orchestrator

        ## {heading}

        Coordenar ciclos de otimização, invocar agentes especialistas e consolidar resultados.

        ## Fluxo

        1. Invocar agentes especialistas para cada algoritmo.
        """
    )
    steps = [s for s in iter_steps(document) if s.agent]
    assert [(s.agent, s.span.line) for s in steps] == [("subagent", 9)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("3. Cuando termine → lanza **1 `reviewer`** que verifica trazabilidad", ["reviewer"]),
        ("Launch **2 `researcher`s** in parallel.", ["researcher"]),
        ("Launch **both Task tools in a single message**.", ["subagent"]),
    ],
)
def test_a_count_and_a_name_in_one_bold_launch_that_agent(line: str, expected: list[str]) -> None:
    assert names(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("You delegate to the right specialist and drive the loop.", ["subagent"]),
        ("If validation fails, re-spawn the relevant agent with the issue.", ["subagent"]),
        # the kind of agent is said all the same
        ("Assign to appropriate developer agent (see assignment matrix).", ["developer"]),
        ("Delegate to the appropriate `security-auditor`.", ["security-auditor"]),
    ],
)
def test_an_agent_that_is_whichever_fits_is_no_agent_by_name(
    line: str, expected: list[str]
) -> None:
    assert names(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "- Dispatch the `ceil(size / batch)` judge sub-agents using bounded dispatch.",
            ["subagent"],
        ),
        ("Launch use-case example agents.", ["subagent"]),
        ("Wait before launching Phase 1 subagents.", []),
        ("We launch research agents often.", []),
    ],
)
def test_an_instruction_to_launch_a_kind_of_agent_launches_unnamed_ones(
    line: str, expected: list[str]
) -> None:
    assert names(line) == expected


def test_a_condition_listing_values_keeps_the_whole_list() -> None:
    document = parse(
        """
        # Triage

        ## Step 1: Review

        Use the `reviewer` agent to check the change.

        - If the verdict is `FAIL`, `PARTIAL`, or `BLOCKED`, send it back to the `developer` agent.
        - If the verdict is `PASS`, merge the change.
        """
    )
    assert decision_conditions(document) == [
        "the verdict is FAIL, PARTIAL, or BLOCKED",
        "the verdict is PASS",
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Vraag om verduidelijking en start geen subagent als de context ontbreekt.", []),
        ("Starte keinen Subagenten ohne Freigabe.", []),
        ("2. **Phân công** → Chọn agent phù hợp cho từng tác vụ", []),
        ("Start the `reviewer` subagent after each change.", ["reviewer"]),
        # a preposition before the tool is no agent's name
        ('Spawn via Agent tool with isolation: "worktree"', []),
        # a possessive, or how agents work together
        ("When you're ready to deploy your agent to the cloud:", []),
        ("Trigger direct agent orchestration for:", []),
        ("This command uses a multi-agent pipeline for the analysis.", []),
        # a member of a code object
        ("如果使用 `Process.hierarchical`，则由管理者 Agent 动态分配。", []),
    ],
)
def test_a_word_saying_no_agent_or_a_verb_is_no_agent_s_name(
    line: str, expected: list[str]
) -> None:
    assert names(line) == expected


@pytest.mark.parametrize(
    "lead", ["Format:", "Status format:", "格式：", "範例：", "예시:", "Formato:"]
)
def test_a_fence_under_a_label_of_its_format_or_a_sample_launches_nothing(lead: str) -> None:
    document = parse(
        f"""
        # Team

        | Agent | Role |
        |---|---|
        | ARCHITECT | plans |
        | DEVELOPER | builds |

        ## Status

        Before each switch, print which agent works now.

        {lead}
        ```
        🏗️ ARCHITECT: [task]
        💻 DEVELOPER: [task]
        ```
        """
    )
    assert [s.agent for s in iter_steps(document)] == []


def test_a_call_quoted_in_a_rule_with_a_name_to_fill_in_is_no_launch() -> None:
    document = parse(
        """
        # Rules

        ## Core rules

        - Every step must use `Task(subagent_type: "xxx")` to make a subagent.
        - Use the `reviewer` agent to review the change.
        """
    )
    assert [s.agent for s in iter_steps(document)] == ["reviewer"]


@pytest.mark.parametrize(
    ("heading", "steps"),
    [
        ("Six Agents", []),
        ("Seu time", []),
        # a lead that launches them: each row is a case of its own
        ("Specialist Support (activated as needed)", ["UI Designer", "Brand Guardian"]),
    ],
)
def test_a_table_listing_agents_first_is_a_roster_unless_its_lead_launches_them(
    heading: str, steps: list[str]
) -> None:
    document = parse(
        f"""
        # Build

        ## {heading}

        | Agent | When to use | Trigger |
        |-------|-------------|---------|
        | UI Designer | Component needs visual refinement | Developer asks |
        | Brand Guardian | Brand consistency concern | QA finds a deviation |

        ## Run

        Use the `developer` agent to build each task.
        """
    )
    assert [s.agent for s in iter_steps(document)] == [*steps, "developer"]


@pytest.mark.parametrize("verb", ["iterate", "iterates", "repeats", "loops"])
def test_a_step_that_goes_on_until_a_condition_holds_is_a_loop(verb: str) -> None:
    document = parse(
        f"""
        # Plan

        ## Step 1: Review

        Use the `reviewer` agent to review the plan.

        The lead merges the feedback, fixes the plan and {verb} until no warnings remain.

        ## Step 2: Build

        Use the `developer` agent to build it.
        """
    )
    loops = [block for block in blocks(document) if isinstance(block, LoopBlock)]
    assert [loop.until for loop in loops] == ["no warnings remain"]


def test_agent_columns_headed_with_a_word_before_agent_give_the_vocabulary() -> None:
    doc = parse(
        """
        | Task Category | Primary Agent | QA Agent |
        |---|---|---|
        | UI | Frontend Developer | Evidence Collector |

        ```
        Activities:
        - Frontend Developer → Build the screen
        - Evidence Collector → Test the screen
        ```
        """
    )
    assert [s.agent for s in iter_steps(doc)] == ["Frontend Developer", "Evidence Collector"]


def test_a_routing_table_whose_agents_are_called_by_slash_commands() -> None:
    doc = parse(
        """
        # Orchestrator

        ## Delegation matrix

        | Task Type | Assigned Agent |
        |-----------|----------------|
        | DB schema, migrations | `/db-agent` |
        | API, logic | `/backend-dev` |
        """
    )
    assert decision_conditions(doc) == ["DB schema, migrations", "API, logic"]
    assert [s.agent for s in iter_steps(doc)] == ["db-agent", "backend-dev"]


@pytest.mark.parametrize(
    "lead",
    ["You have access to the following sub-agents:", "Available agents:", "Agentes disponibles:"],
)
def test_a_list_under_a_lead_that_says_which_agents_there_are_launches_none(lead: str) -> None:
    document = parse(
        f"""
        # Orchestrator

        {lead}
        - `planner`: For creating architectural plans.
        - `coder`: For implementing the code from the plans.

        **Workflow:**
        1. Delegate the planning phase to the `planner` agent.
        2. Review the plan, then delegate the implementation to the `coder` agent.
        """
    )
    steps = [(s.agent, s.span.line) for s in iter_steps(document)]
    assert steps == [("planner", 8), ("coder", 9)]


def test_a_subagent_type_said_in_words_names_no_agent() -> None:
    document = parse(
        """
        # Execute

        ## Step 5: Execute

        For each step of the plan, launch a Task:
        - `subagent_type`: matching the step's agent
        - `prompt`: the step description

        ## Step 6: Review

        - `subagent_type`: the reviewer from the plan
        - `prompt`: review the changes
        """
    )
    assert [s.agent for s in iter_steps(document)] == ["subagent", "subagent"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # an instruction after a clause saying when, or leading its sentence
        (
            "- If the subsystem is not already well understood, call the built-in "
            "`codebase_investigator` before proposing approaches.",
            ["codebase_investigator"],
        ),
        (
            "Skip this for small work. Call `codebase_investigator` first.",
            ["codebase_investigator"],
        ),
        ("Delegate to the built-in `Explore` subagent.", ["Explore"]),
        # still no launch: said not to be done, or said of someone else
        ("If you are unsure, do not call the `codebase_investigator`.", []),
        ("Do not call `codebase_investigator`, `planner` or `coder`.", []),
        ("The orchestrator may call `codebase_investigator` later.", []),
        # a slash command, whatever its name says
        ("If messages do not show up, run `/subagents-doctor`.", []),
        ("Then run `/subagents-doctor`.", []),
        # a clause saying when agents are launched launches none itself
        ("Prompt templates used by the orchestrator when invoking subagents.", []),
        ("Always seed the task list before spawning teammates.", []),
        ("- Decide when to use agents vs. direct execution", []),
        ("Learn how to spawn subagents.", []),
    ],
)
def test_a_launch_after_a_clause_saying_when_is_an_instruction(
    line: str, expected: list[str]
) -> None:
    assert names(line) == expected


def test_a_name_holding_parallel_is_no_cue_to_run_in_parallel() -> None:
    assert p.parallel_cue("Reuse its findings when assigning parallel-safe batches.") is None
    assert p.parallel_cue("Invoke the parallel-implementation skill.") is None
    assert p.parallel_cue("Dispatch the reviewers in parallel.") is not None


def test_a_table_of_who_decides_at_each_point_is_no_routing_decision() -> None:
    document = parse(
        """
        # Startup MVP

        Agents: Trend Researcher, UX Architect, Studio Producer

        ## Week 1

        - Activate Trend Researcher for a quick competitive scan.
        - Activate UX Architect to wireframe key user flows.

        ## Key Decisions

        | Decision Point | When | Who Decides |
        |----------------|------|-------------|
        | Go/No-Go on concept | End of Day 2 | Studio Producer |
        | Architecture approval | End of Day 4 | UX Architect |
        | Production readiness | Week 4 Day 5 | Trend Researcher |
        """
    )
    assert not any(isinstance(block, DecisionBlock) for block in blocks(document))
    assert [step.span.line for step in iter_steps(document)] == [7, 8]


def test_a_way_of_working_in_a_mode_column_is_no_mode_agent() -> None:
    document = parse(
        """
        # Agent Orchestration

        ## When to use it

        | Scenario | Mode |
        |----------|------|
        | 1-3 simple tasks | Direct implementation |
        | 4+ tasks | Agent orchestration |
        | Documentation only | `docs-writer` |
        """
    )
    assert [step.agent for step in iter_steps(document)] == ["docs-writer"]


def test_a_message_to_the_user_in_a_fence_launches_nothing() -> None:
    document = parse(
        """
        # Analyze Project

        ## Process

        ### 1. User Confirmation
        Prompt the user with:
        ```
        I will deploy 4 specialized subagents in parallel.
        Proceed? (y/n)
        ```

        ### 2. Deploy Agents
        Launch `domain-extractor` and `stack-mapper` in parallel.
        """
    )
    assert [s.agent for s in iter_steps(document)] == ["domain-extractor", "stack-mapper"]


def test_an_unnamed_launch_in_a_purpose_section_announces_the_later_ones() -> None:
    document = parse(
        """
        # Analyze Project

        ## Purpose

        Entry point that deploys 4 specialized subagents in parallel to map the project.

        ## Process

        Launch `domain-extractor` and `stack-mapper` in parallel.
        """
    )
    assert [s.agent for s in iter_steps(document)] == ["domain-extractor", "stack-mapper"]


def test_a_count_of_agents_launched_by_name_below_it_launches_no_copies_of_its_own() -> None:
    document = parse(
        """
        # Verify Bug

        ## Step 4 — Parallel Research

        Launch **two agents simultaneously** using the Agent tool, in a single message.

        ### Research Agent A — Code Analysis (subagent_type: Explore)

        > Analyse the codebase to investigate the bug.

        ### Research Agent B — App Structure (subagent_type: Explore)

        > Analyse the application's UI structure.
        """
    )
    groups = [block for block in blocks(document) if isinstance(block, ParallelBlock)]
    assert [len(group.branches) for group in groups] == [2]
    assert [s.span.line for s in iter_steps(document)] == [7, 11]


@pytest.mark.parametrize(
    ("step", "agent", "action", "optional"),
    [
        ("Step", "Agent", "Action", "(optional)"),
        ("Adım", "Ajan", "Eylem", "(isteğe bağlı)"),
        ("Paso", "Agente", "Acción", "(opcional)"),
    ],
)
def test_a_table_of_numbered_steps_launches_the_agent_of_each_row(
    step: str, agent: str, action: str, optional: str
) -> None:
    document = parse(
        f"""
        # Orchestrate

        ### Phase 1: Planning

        | {step} | {agent} | {action} |
        |------|-------|--------|
        | 1 | `project-planner` | Create `docs/PLAN.md` |
        | 2 | {optional} `explorer-agent` | … |
        """
    )
    steps = list(iter_steps(document))
    assert [(s.agent, s.span.line, s.optional) for s in steps] == [
        ("project-planner", 7, False),
        ("explorer-agent", 8, True),
    ]
    # each row is its own step's text: the plan is the planner's
    assert [[item.name for item in s.produces] for s in steps] == [["docs/PLAN.md"], []]


def test_the_rows_of_a_table_of_parallel_groups_run_one_after_another() -> None:
    document = parse(
        """
        # Orchestrate

        ### Phase 2: Implementation (parallel agents after approval)

        | Parallel Group | Agents |
        |----------------|--------|
        | Foundation | `database-architect`, `security-auditor` |
        | Core | `backend-specialist`, `frontend-specialist` |
        """
    )
    groups = [block for block in blocks(document) if isinstance(block, ParallelBlock)]
    assert [[b.blocks[0].agent for b in g.branches] for g in groups] == [  # type: ignore[union-attr]
        ["database-architect", "security-auditor"],
        ["backend-specialist", "frontend-specialist"],
    ]


def test_the_task_tool_marked_then_an_agent_in_backticks_launches_it() -> None:
    assert names("4. **Task** `shell` untuk verifikasi bila subagent selesai") == ["shell"]
    assert names("Task `T-001` is done.") == []


def test_a_routing_table_by_the_user_s_signal_routes_to_the_agent_marked_in_each_row() -> None:
    document = parse(
        """
        # Orchestrator

        ## Routing intent

        | Sinyal user | Subagent | Fase |
        |-------------|----------|------|
        | buat PRD, tulis PRD | `agent-prd` | analisa prompt |
        | bug, error, test gagal | `agent-debugger` | reproduce → fix |
        | ambigu bisnis | **AskQuestion** ke user | stop |
        """
    )
    assert len(decision_conditions(document)) == 3
    assert [s.agent for s in iter_steps(document)] == ["agent-prd", "agent-debugger"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2. If the task is complex, create a new task for Architect to guide it.", ["Architect"]),
        ('3. Create a new task for Product-Owner: "What are the requirements?"', ["Product-Owner"]),
        ("Create a new task for each file.", []),
        ("Create a task for Phase 2.", []),
    ],
)
def test_a_new_task_for_a_role_hands_it_to_that_role(line: str, expected: list[str]) -> None:
    assert names(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Dla feature/bug/refaktor uruchamiaj pipeline przez Task subagentów "
            "(Architect → Coder → Tester).",
            ["Architect", "Coder", "Tester"],
        ),
        ("Use the subagents (`planner` -> `coder`) in turn.", ["planner", "coder"]),
        # said of the agents, not an instruction to run them
        (
            "Complex issues require coordination between specialist agents "
            "(database-optimizer → performance-engineer) with explicit context passing.",
            [],
        ),
    ],
)
def test_agents_chained_in_parentheses_after_the_launch_run_in_that_order(
    line: str, expected: list[str]
) -> None:
    assert names(line) == expected


def test_a_table_of_parallel_tracks_runs_an_agent_per_track_at_once() -> None:
    document = parse(
        """
        # Bug Fix Sprint

        ## Parallel Tracks

        | Track | Agent | Focus |
        |-------|-------|-------|
        | A | builder-1 | Backend critical bugs |
        | B | builder-2 | Backend high bugs |
        | C | builder-3 | Frontend theme |
        """
    )
    groups = [block for block in blocks(document) if isinstance(block, ParallelBlock)]
    assert [[b.blocks[0].agent for b in g.branches] for g in groups] == [  # type: ignore[union-attr]
        ["builder-1", "builder-2", "builder-3"]
    ]


@pytest.mark.parametrize("heading", ["禁止事項", "Don'ts", "Prohibited"])
def test_an_unnamed_launch_listed_under_what_is_prohibited_is_no_step(heading: str) -> None:
    document = parse(
        f"""
        # Skill

        ## Workflow

        1. Delegate the review to the `code-reviewer` agent.

        ## {heading}

        - Delegating to a subagent with vague completion criteria.
        """
    )
    assert [s.agent for s in iter_steps(document)] == ["code-reviewer"]


def test_a_task_tool_call_written_as_json_names_its_agent() -> None:
    document = parse(
        """
        # Document Update

        ### 3. Call the doc-updater agent

        ```json
        {
          "subagent_type": "doc-tools:doc-updater",
          "description": "Check the documents",
          "prompt": "Check every changed file."
        }
        ```
        """
    )
    assert [s.agent for s in iter_steps(document)] == ["doc-tools:doc-updater"]


def test_an_agent_called_by_its_mention_then_its_work_is_a_step_not_a_case() -> None:
    document = parse(
        """
        # Next steps

        ### For the agency:
        1. `@Task Decomposition Expert` → Plan
        2. `@Fullstack Developer` → Build
        3. **@Code Reviewer** → Review
        """
    )
    assert decision_conditions(document) == []
    assert [s.agent for s in iter_steps(document)] == [
        "Task Decomposition Expert",
        "Fullstack Developer",
        "Code Reviewer",
    ]
    assert names("@octocat → review the PR") == []  # a person's handle


def test_a_fence_labelled_as_examples_on_its_first_line_launches_nothing() -> None:
    document = parse(
        """
        # Using the agents

        ## Next steps

        1. `@Code Reviewer` → Review the payment code

        ## Automatic activation

        ```
        Examples of automatic activation:

        "Review this code"
        → Code Reviewer activates automatically
        ```
        """
    )
    assert [s.span.line for s in iter_steps(document)] == [5]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Dispatch `@security-auditor` (Audit), `@migrator` (Schema), dan `@tester` (Test) "
            "secara bersamaan.",
            ["security-auditor", "migrator", "tester"],
        ),
        (
            "Spawn UX Critic (Sonnet) + Engineering Critic (Opus) in parallel",
            ["UX Critic", "Engineering Critic"],
        ),
        (
            "Chame `@architect`, `@ux_designer` e `@design_system_engineer`.",
            ["architect", "ux_designer", "design_system_engineer"],
        ),
        # "AND" in capitals joins two names; it is no word of either
        (
            "Launching Backend Engineer AND Frontend Engineer simultaneously",
            ["Backend Engineer", "Frontend Engineer"],
        ),
    ],
)
def test_names_listed_with_a_note_each_or_joined_in_another_language_are_all_launched(
    line: str, expected: list[str]
) -> None:
    assert names(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Ask the user to switch to the **designer** agent.", ["designer"]),
        ("`spec-creator` エージェントに切り替えるよう案内し、以下を伝える：", ["spec-creator"]),
        # a branch or a setting switched to is no agent
        ("switch to the `develop` branch", []),
        ("`main` に切り替え", []),
        ("switch to Plan mode", []),
    ],
)
def test_switching_to_an_agent_hands_the_work_to_it(line: str, expected: list[str]) -> None:
    assert names(line) == expected


@pytest.mark.parametrize(
    ("line", "other"),
    [
        (
            "2. If the review passes, launch the `tester` agent. Otherwise, send the findings "
            "back to the `implementer` agent.",
            "Otherwise",
        ),
        (
            "2. Si la revisión pasa, invoca el agente `tester`. De lo contrario, invoca el "
            "agente `implementer` con los hallazgos.",
            "De lo contrario",
        ),
        ("2. 如果审查通过，调用 `tester` 智能体。否则，交给 `implementer` 智能体。", "否则"),
    ],
)
def test_both_arms_of_a_condition_in_one_item_are_two_paths(line: str, other: str) -> None:
    document = parse(
        f"""
        # Review

        ## Phase 1: Review

        1. Run the `code-reviewer` agent.
        {line}
        """
    )
    [decision] = [block for block in blocks(document) if isinstance(block, DecisionBlock)]
    assert [path.condition is None for path in decision.paths] == [False, True]
    agents = [
        [b.agent for b in iter_blocks(path.blocks) if isinstance(b, Step)]
        for path in decision.paths
    ]
    assert agents == [["tester"], ["implementer"]]
    [otherwise] = [s for s in iter_steps(document) if s.agent == "implementer"]
    assert otherwise.title.startswith(other)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Send the fix list to the implementer teammate.", ["implementer"]),
        ("Pass the results to the reviewer agent.", ["reviewer"]),
        ("Delegate task to specialist agent when expertise is required.", []),
        ("Send the research part to the Research Agent.", ["Research"]),
        ("Pass the results to the Claude Agent SDK.", []),
    ],
)
def test_work_sent_to_the_role_an_agent_plays_goes_to_that_agent(
    line: str, expected: list[str]
) -> None:
    assert names(line) == expected


def test_a_fence_under_a_bold_example_label_launches_nothing() -> None:
    document = parse(
        """
        # Delegate

        ## Step 1

        Use the `planner` agent to plan the work.

        **Task Tool Usage Example:**
        ```
        Task #1:
          subagent_type: "general-purpose"
          prompt: "Implement the user endpoints"
        ```
        """
    )
    assert [s.agent for s in iter_steps(document)] == ["planner"]


def test_a_known_agent_said_not_to_be_given_work_gets_no_step() -> None:
    document = parse(
        """
        # Orchestrator

        ## Agents

        Delegate deployments to the **DevOps** agent.

        ## Gate

        1. Present the plan.
        2. Then **stop and wait.** Do **not** delegate to DevOps until the user answers.
        """
    )
    assert [s.span.line for s in iter_steps(document)] == [5]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "派遣 ultrapower:code-reviewer 子 agent 在问题扩散前捕获它们。",
            ["ultrapower:code-reviewer"],
        ),
        ("When users call a simulated subagent, it looks for the file.", ["subagent"]),
        ("Usa el subagente prompt-manager para mejorar el prompt.", ["prompt-manager"]),
    ],
)
def test_a_namespaced_agent_and_an_adjective_before_the_noun(
    line: str, expected: list[str]
) -> None:
    assert names(line) == expected


def test_a_type_where_the_agent_s_value_would_be_names_no_agent() -> None:
    document = parse(
        """
        # Task tool

        ## Input schema

        ```ts
        interface TaskInput {
          subagent_type: string;
          prompt: string;
        }
        ```
        """
    )
    assert [s.agent for s in iter_steps(document) if s.agent] == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("5) #tool:agent/runSubagent 호출 (아래 SUBAGENT_PROMPT를 그대로 전달)", ["subagent"]),
        ("2. **Planning**: Use #tool:agent/runSubagent to delegate to `plan` agent.", ["plan"]),
        ("after #tool:runSubagent returns, read the result", []),
    ],
)
def test_the_subagent_tool_called_names_its_agent_or_an_unnamed_one(
    line: str, expected: list[str]
) -> None:
    assert names(line) == expected
