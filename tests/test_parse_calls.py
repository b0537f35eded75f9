"""`find_calls`: `Task(...)` / `Agent(...)` calls read the way their language reads them, with
exact spans in the original file (DESIGN §2, the "call" dialect; "Near misses keep the step")."""

from __future__ import annotations

from textwrap import dedent

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.model import Document, Span, Step, iter_steps
from compiler.parse import parse_text
from compiler.parse.elements import TextLine
from compiler.parse.invocations import Invocation, find_calls
from compiler.parse.text import Passage
from compiler.source import Source
from tests.spans import text_at


class Doc:
    """A snippet as it sits in a file: from line `first` on, indented by `indent` (as inside an
    indented fence); the passage holds the lines with the indent cut, the file keeps it."""

    def __init__(self, snippet: str, first: int = 1, indent: int = 0) -> None:
        lines = dedent(snippet).strip("\n").split("\n")
        text = "\n" * (first - 1) + "\n".join(" " * indent + line for line in lines)
        self.source = Source("doc.md", text)
        self.passage = Passage.of(
            TextLine(text, first + number, indent + 1) for number, text in enumerate(lines)
        )

    def calls(self) -> list[Invocation]:
        return find_calls(self.passage)

    def call(self) -> Invocation:
        (found,) = self.calls()
        return found

    def at(self, span: Span | None) -> str:
        assert span is not None
        return text_at(self.source, span)


def one(snippet: str) -> Invocation:
    return Doc(snippet).call()


def prompt_of(invocation: Invocation) -> str | None:
    return invocation.prompt.text if invocation.prompt is not None else None


# --- 1. quoting and comments ------------------------------------------------------------------


def test_every_quoting_style_gives_the_text_between_its_quotes() -> None:
    cases = {
        'Task(subagent_type="a", prompt="double")': "double",
        "Task(subagent_type='a', prompt='single')": "single",
        'Task(subagent_type="a", prompt="""triple "quoted" text""")': 'triple "quoted" text',
        "Task(subagent_type='a', prompt='''it's triple''')": "it's triple",
        'Task(subagent_type="a", prompt=f"Review {files[\'x\']}")': "Review {files['x']}",
        'Task(subagent_type="a", prompt=r"C:\\new\\dir")': "C:\\new\\dir",
        'Task(subagent_type="a", prompt="say \\"hi\\", then go")': 'say \\"hi\\", then go',
        "Task({subagent_type: 'a', prompt: `Use ${ctx.map((f) => `${f}`).join(', ')} now`})": (
            "Use ${ctx.map((f) => `${f}`).join(', ')} now"
        ),
    }
    for snippet, prompt in cases.items():
        found = one(snippet)
        assert (found.agent, prompt_of(found)) == ("a", prompt), snippet


def test_a_lone_string_led_by_a_hyphenated_name_names_the_agent_and_its_brief() -> None:
    doc = Doc('Task("api-analyst: Analyze API security, input validation")')
    found = doc.call()
    assert found.agent == "api-analyst"
    assert doc.at(found.agent_span) == "api-analyst"
    assert prompt_of(found) == "Analyze API security, input validation"
    # a plain description is no agent's name
    assert one('Task("Research schema: find the tables", prompt="x")').agent is None


def test_multi_line_prompt_with_nested_quotes_and_parentheses_has_exact_spans() -> None:
    doc = Doc(
        """
        Task(
            subagent_type="code-reviewer",
            prompt="Review the "auth" module (focus on "tokens")
        and don't skip the 'legacy' paths (see notes)."
        )
        Task(subagent_type="second", prompt="p")
        """,
        first=10,
        indent=4,
    )
    first, second = doc.calls()
    assert first.agent == "code-reviewer"
    assert doc.at(first.agent_span) == "code-reviewer"
    assert first.agent_span == Span(line=11, column=24, end_line=11, end_column=37)
    assert prompt_of(first) == (
        'Review the "auth" module (focus on "tokens")\nand don\'t skip the \'legacy\' paths '
        "(see notes)."
    )
    assert first.prompt is not None
    assert [(line.line, line.column) for line in first.prompt.lines] == [(12, 17), (13, 5)]
    assert doc.at(first.span).startswith("Task(") and doc.at(first.span).endswith('."\n    )')
    assert (first.span.line, first.span.end_line, first.first_line) == (10, 14, 10)
    assert (second.agent, doc.at(second.agent_span)) == ("second", "second")
    assert not first.problems and not second.problems


def test_triple_quoted_prompt_keeps_its_lines_exactly() -> None:
    doc = Doc(
        '''
        Task(subagent_type="writer", prompt="""
        Line one with prompt="not an argument"
          Line two)""")
        '''
    )
    found = doc.call()
    # the slice starts after the opening quotes: the empty rest of line 1 holds nothing
    assert prompt_of(found) == 'Line one with prompt="not an argument"\n  Line two)'
    assert found.prompt is not None
    assert [(line.line, line.column, line.text) for line in found.prompt.lines] == [
        (2, 1, 'Line one with prompt="not an argument"'),
        (3, 1, "  Line two)"),
    ]


def test_a_comment_between_arguments_does_not_lose_the_next_one() -> None:
    found = one(
        """
        Task(
            description="Map the schema",  # what the agent does
            subagent_type="database-architect",  # don't use the generic one
            prompt="Read it",
        )
        """
    )
    assert (found.agent, found.description, prompt_of(found)) == (
        "database-architect",
        "Map the schema",
        "Read it",
    )


def test_javascript_comments_are_skipped_outside_strings_only() -> None:
    found = one(
        """
        Agent({
          // which specialist
          subagent_type: 'frontend-developer', /* not 'backend' */
          prompt: 'Keep // and /* in */ and # here',
        })
        """
    )
    assert found.agent == "frontend-developer"
    assert prompt_of(found) == "Keep // and /* in */ and # here"


def test_hash_and_slashes_inside_unquoted_values_are_text() -> None:
    found = one("Task(subagent_type=fixer, prompt=Fix PR #42 from https://x.io/a, model=m)")
    assert (found.agent, prompt_of(found), found.model) == (
        "fixer",
        "Fix PR #42 from https://x.io/a",
        "m",
    )


# --- 2. keyword forms and scoping -------------------------------------------------------------


def test_colon_keyword_arguments() -> None:
    found = one('Agent(subagent_type: "explorer", prompt: "Map it", run_in_background: true)')
    assert (found.agent, prompt_of(found), found.background) == ("explorer", "Map it", True)


def test_javascript_object_argument_with_quoted_keys() -> None:
    doc = Doc(
        """
        await Task({
          "description": 'Scaffold the app',
          prompt: `Create ${name} with "strict" settings`,
          'subagent_type': 'frontend-developer',
          run_in_background: true,
        });
        """
    )
    found = doc.call()
    assert found.agent == "frontend-developer"
    assert doc.at(found.agent_span) == "frontend-developer"
    assert found.description == "Scaffold the app"
    assert prompt_of(found) == 'Create ${name} with "strict" settings'
    assert found.background is True
    assert doc.at(found.span).startswith("Task({") and doc.at(found.span).endswith("})")


def test_keys_in_nested_objects_strings_and_inner_calls_are_not_the_calls_own() -> None:
    found = one(
        'Task(subagent_type="a", metadata={"prompt": "no", "subagent_type": "no"}, '
        'notes="prompt=\'no\'", extra=helper(description="no"), prompt="yes")'
    )
    assert (found.agent, prompt_of(found), found.description) == ("a", "yes", None)
    inner = one('Task(subagent_type="a", options={"prompt": "nested only"})')
    assert inner.prompt is None


def test_background_flag_in_python_and_javascript_spelling() -> None:
    assert one('Task(subagent_type="a", run_in_background=True)').background is True
    assert one("Task({subagent_type: 'a', run_in_background: true})").background is True
    assert one('Task(subagent_type="a", run_in_background=False)').background is False


# --- 3. positional description, non-literal values --------------------------------------------


def test_first_positional_string_is_the_description() -> None:
    found = one('Task("Research schema", prompt="Read the models", subagent_type="explorer")')
    assert (found.description, found.agent) == ("Research schema", "explorer")
    explicit = one('Task("positional", description="keyword", prompt="p")')
    assert explicit.description == "keyword"
    # a positional description alone is enough to be a call
    assert one('Task("Summarise the logs")').description == "Summarise the logs"


def test_non_literal_values_are_skipped_and_model_keeps_its_expression() -> None:
    doc = Doc(
        'Task(subagent_type=Explore, model=MODEL_CONFIG["fast"], '
        'description=DESC, extra="a, b" + suffix(1, 2), prompt="after them")'
    )
    found = doc.call()
    assert found.agent == "Explore"
    assert doc.at(found.agent_span) == "Explore"
    assert found.model == 'MODEL_CONFIG["fast"]'
    assert found.description is None  # a variable is no description
    assert prompt_of(found) == "after them"


def test_concatenated_prompt_does_not_hide_later_arguments() -> None:
    found = one('Task(prompt="Review " + path + ", then stop", subagent_type="reviewer")')
    assert found.agent == "reviewer"
    assert prompt_of(found) == '"Review " + path + ", then stop"'


# --- 4. unclosed calls ------------------------------------------------------------------------


def test_unclosed_call_stops_before_the_next_call() -> None:
    doc = Doc(
        """
        Task(subagent_type="first", prompt="one"
        Task(subagent_type="second", prompt="two")
        """,
        first=5,
    )
    first, second = doc.calls()
    assert (first.agent, second.agent) == ("first", "second")
    assert doc.at(first.span) == 'Task(subagent_type="first", prompt="one"'
    ((message, span),) = first.problems
    assert "line 5" in message and "not closed" in message and "fence" not in message
    assert doc.at(span) == "Task("
    assert not second.problems


def test_unterminated_string_does_not_swallow_the_next_call() -> None:
    doc = Doc(
        """
        Agent(subagent_type="first", prompt="one
        Agent(subagent_type="second", prompt="two")
        """
    )
    first, second = doc.calls()
    assert (first.agent, prompt_of(first), second.agent) == ("first", "one", "second")
    assert first.problems and not second.problems


def test_unclosed_call_runs_to_the_end_of_the_passage() -> None:
    doc = Doc('Task(subagent_type="only", prompt="p",\n  model="opus"\n')
    found = doc.call()
    assert (found.agent, found.model) == ("only", "opus")
    assert doc.at(found.span) == 'Task(subagent_type="only", prompt="p",\n  model="opus"'
    assert len(found.problems) == 1


def test_unclosed_call_blames_a_fence_inside_its_prompt() -> None:
    doc = Doc(
        '''
        Task(subagent_type="api-designer", prompt="""Return JSON like:
        ```json
        {"id": 1}
        ''',
        first=20,
    )
    found = doc.call()
    assert found.agent == "api-designer"
    ((message, span),) = found.problems
    assert "line 20" in message and "line 21" in message
    assert "```" in message and "~~~" in message and "four backticks" in message
    assert doc.at(span) == "Task("


# --- 5. near misses ---------------------------------------------------------------------------


def test_near_misses_keep_the_call_and_are_recorded() -> None:
    doc = Doc('Task(subagent_typ="fixer", promt="Fix it", descripton="Fix", modle="opus")')
    found = doc.call()
    assert (found.agent, prompt_of(found), found.description, found.model) == (
        "fixer",
        "Fix it",
        "Fix",
        "opus",
    )
    assert [(written, intended) for written, intended, _ in found.misspelt] == [
        ("subagent_typ", "subagent_type"),
        ("promt", "prompt"),
        ("descripton", "description"),
        ("modle", "model"),
    ]
    assert [doc.at(span) for _, _, span in found.misspelt] == [
        "subagent_typ",
        "promt",
        "descripton",
        "modle",
    ]


def test_hyphenated_and_shorter_forms_of_subagent_type() -> None:
    for key in ("subagent-type", "subagent", "agent"):
        doc = Doc(f'Task({key}="fixer", prompt="p")')
        found = doc.call()
        assert found.agent == "fixer", key
        ((written, intended, span),) = found.misspelt
        assert (written, intended, doc.at(span)) == (key, "subagent_type", key)
    # a near miss alone still makes a call, and colon keys too
    assert one('Agent(subagent_typ: "x")').agent == "x"


def test_the_exact_key_wins_and_real_parameters_are_not_misspellings() -> None:
    found = one('Task(promt="typo", prompt="real", subagent_type="a", mode="plan", name="n")')
    assert prompt_of(found) == "real"
    assert [(w, i) for w, i, _ in found.misspelt] == [("promt", "prompt")]
    assert one('Task(subagent_type="a", zzz="q", resume="id")').misspelt == []


# --- 6. call names ----------------------------------------------------------------------------


def test_call_names_and_what_makes_them_agent_calls() -> None:
    doc = Doc(
        """
        task(subagent_type="lower", prompt="p")
        the task (see below) is long; task("just a description") is no agent call
        spawn_agent(agent_type="worker", message="Do x")
        new_task(mode="code", message="Build y")
        spawn_agent("no agent here")
        Agent(general-purpose): "not keyword arguments"
        Task(resume="agent-123")
        """
    )
    found = doc.calls()
    assert [(inv.agent, prompt_of(inv)) for inv in found] == [
        ("lower", "p"),
        ("worker", "Do x"),
        ("code", "Build y"),
    ]
    assert all(inv.misspelt == [] for inv in found)
    assert doc.at(found[1].agent_span) == "worker"


def test_invocation_fields() -> None:
    doc = Doc('x = Task(subagent_type="a", model="opus", prompt="p")  # note', first=3)
    found = doc.call()
    assert (found.form, found.first_line, found.model) == ("call", 3, "opus")
    assert found.background is False
    assert doc.at(found.span) == 'Task(subagent_type="a", model="opus", prompt="p")'


def test_a_call_inside_a_prompt_string_is_part_of_that_prompt() -> None:
    found = Doc(
        'Task(subagent_type="lead", prompt="Then run Task(subagent_type=\\"x\\") twice")'
    ).calls()
    assert [inv.agent for inv in found] == ["lead"]


# --- end to end -------------------------------------------------------------------------------


def parse(text: str) -> Document:
    return parse_text(dedent(text).lstrip("\n"), "doc.md")


def steps(document: Document) -> list[Step]:
    return list(iter_steps(document))


def test_fenced_call_with_comments_becomes_a_step_with_its_agent() -> None:
    text = dedent(
        '''
        ## Phase 1: Build

        ```python
        Task(
            description="Build the API",  # what it does
            subagent_type="backend-architect",
            prompt="""Design the "orders" API (REST)
        and write it down""",
        )
        ```
        '''
    ).lstrip("\n")
    document = parse_text(text, "doc.md")
    (step,) = steps(document)
    assert step.agent == "backend-architect"
    assert step.agent_span is not None
    assert text_at(Source("doc.md", text), step.agent_span) == "backend-architect"
    assert step.prompt == 'Design the "orders" API (REST)\nand write it down'


def test_fenced_javascript_object_call_and_misspelt_key_keep_their_steps() -> None:
    document = parse(
        """
        ## Phase 1: Build

        ```js
        await Task({ description: 'Scaffold', prompt: `Create ${name}`, subagent_type: 'ui-dev' })
        ```

        ## Phase 2: Fix

        ```python
        Task(subagent_typ="fixer", promt="Fix what Phase 1 found")
        ```
        """
    )
    assert [(s.agent, s.prompt) for s in steps(document)] == [
        ("ui-dev", "Create ${name}"),
        ("fixer", "Fix what Phase 1 found"),
    ]


def test_fence_inside_a_prompt_is_reported_as_the_cause() -> None:
    document = parse(
        '''
        ## Phase 1: Build

        ```python
        Task(subagent_type="api-designer", prompt="""Return:
        ```json
        {"id": 1}
        ```
        """)
        ```
        '''
    )
    assert steps(document)[0].agent == "api-designer"
    (problem,) = [d for d in document.parse_diagnostics if d.code == "WF109"]
    assert "fence" in problem.message and "line 5" in problem.message
    assert problem.span.line == 4


# --- properties -------------------------------------------------------------------------------

PIECES = [
    "Task(", "Agent(", "task(", "spawn_agent(", "new_task(", "subagent_type=", "prompt:",
    "agent=", "promt=", "description=", "model=", "run_in_background: true", '"', "'",
    '"""', "'''", "`", "${", "{", "}", "(", ")", "[", "]", ",", "#", "//", "/*", "*/",
    "\\", 'f"', "```", "\n", " ", "x", "=", ":",
]  # fmt: skip


def assert_inside(passage: Passage, span: Span) -> None:
    lines = {line.line: line for line in passage.lines}
    first, last = lines[span.line], lines[span.end_line]
    assert first.column <= span.column <= first.column + len(first.text)
    assert last.column <= span.end_column <= last.column + len(last.text) + 1
    assert (span.line, span.column) <= (span.end_line, span.end_column)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.one_of(
        st.text(max_size=300),
        st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=60).map("".join),
    ),
    st.integers(min_value=1, max_value=50),
    st.integers(min_value=1, max_value=9),
)
def test_any_text_is_scanned_without_error_and_spans_stay_inside(
    text: str, first: int, column: int
) -> None:
    passage = Passage.of(
        TextLine(line, first + number, column) for number, line in enumerate(text.split("\n"))
    )
    for invocation in find_calls(passage):
        spans = [invocation.span, *(span for _, span in invocation.problems)]
        spans += [span for _, _, span in invocation.misspelt]
        if invocation.agent_span is not None:
            spans.append(invocation.agent_span)
        if invocation.prompt is not None:
            spans += [line.span() for line in invocation.prompt.lines]
        for span in spans:
            assert_inside(passage, span)


def test_an_ellipsis_argument_ends_the_value_before_it() -> None:
    call = one('Task(description="Task 1: Auth module", ...)  # same message = parallel')
    assert call.description == "Task 1: Auth module"
    assert call.problems == []


def test_a_call_name_in_inline_code_is_prose_not_a_call() -> None:
    passage = Passage.of([TextLine("counts `Task(`/`Agent(` calls that name an agent", 1, 1)])
    assert find_calls(passage) == []
    inline = Passage.of([TextLine('use `Task(subagent_type="x", prompt="do it")` here', 1, 1)])
    (call,) = find_calls(inline)
    assert (call.agent, prompt_of(call), call.problems) == ("x", "do it", [])


def test_a_quote_that_ends_no_value_still_closes_its_string_the_plain_way() -> None:
    call = one(
        """
        Task({
          subagent_type: "Explore",
          prompt: <<PROMPT
        Review {plan_path} section "Platform: {Platform}".
        PROMPT
        })
        """
    )
    assert call.agent == "Explore"
    assert call.problems == []


def test_a_call_in_running_text_whose_prompt_holds_a_blank_line_is_read_whole() -> None:
    text = dedent(
        """
        ## Phase 1: Analyse

        ### Database agent
        @Task(
          description="Database optimization",
          prompt="Optimize the queries:

          FIND & FIX:
          1. N+1 queries",
          subagent_type="db-analyst"
        )

        ### Unclosed
        Task(
          prompt="never ends",
        """
    ).lstrip()
    document = parse_text(text, "doc.md")
    steps = list(iter_steps(document))
    assert [s.agent for s in steps] == ["db-analyst", None]
    assert steps[0].prompt is not None and "N+1 queries" in steps[0].prompt
    # the blank line ended a paragraph, not the call; a call that never closes still says so
    assert [(d.code, d.span.line) for d in document.parse_diagnostics] == [("WF109", 14)]


def test_a_field_or_comment_beside_a_block_agent_is_not_part_of_its_name() -> None:
    doc = parse_text(
        dedent(
            """
            # Audit

            ## Phase 1: Auditors

            ```
            subagent_type: bug-auditor   |   Prefix: STAKES-
            Scope: Correctness of irreversible operations.
            ```

            ```
            subagent_type: dep-auditor  # pinned versions only
            Scope: Dependencies.
            ```
            """
        ).strip()
        + "\n",
        "doc.md",
    )
    assert [s.agent for s in iter_steps(doc)] == ["bug-auditor", "dep-auditor"]


def test_background_calls_of_one_agent_are_one_step_each() -> None:
    """ "Run all three in parallel:" then three identical calls: three launches that run
    together, not one step told its agent three times."""
    document = parse_text(
        dedent(
            """\
            ## Wave 1

            Run all three in parallel:

            ```
            Task(subagent_type="general-purpose", run_in_background=true, ...)
            Task(subagent_type="general-purpose", run_in_background=true, ...)
            Task(subagent_type="general-purpose", run_in_background=true, ...)
            ```
            """
        )
    )
    steps = list(iter_steps(document))
    assert [(s.agent, s.span.line, s.background) for s in steps] == [
        ("general-purpose", 6, True),
        ("general-purpose", 7, True),
        ("general-purpose", 8, True),
    ]


def test_task_tool_parameters_written_as_a_list_are_a_task_block() -> None:
    """ "Task tool parameters:" over `- subagent_type: …`, `- description: …` and
    `- prompt: |` with its indented body: the block's agent, description and prompt."""
    doc = parse(
        """
        # Orchestrate

        ## Phase 0

        ```
        Task tool parameters:
        - subagent_type: "backend-specialist"
        - description: "Phase 0, T0.1: init"
        - prompt: |
            ## Task
            - Phase: 0

            Initialise the project structure.
        ```
        """
    )
    [step] = iter_steps(doc)
    assert step.agent == "backend-specialist"
    assert step.description == "Phase 0, T0.1: init"
    assert step.prompt == "## Task\n- Phase: 0\n\nInitialise the project structure."
