"""The language server's pieces without an editor: fixes, completion contexts, hover text,
the outline, and the `drillbook lsp` command's guard when pygls is missing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from compiler.diagnostics import Diagnostic
from compiler.lsp.analysis import Point, analyse
from compiler.lsp.completion import complete
from compiler.lsp.describe import hover_text
from compiler.lsp.fixes import apply_fix, message_fix, suggested_fix, suppression_fix
from compiler.lsp.navigation import outline
from tests.conftest import ROOT, SPECS

TEXT = (SPECS / "payments-outage.md").read_text(encoding="utf-8")


def finding(code: str, line: int, column: int, end: int, message: str) -> Diagnostic:
    return Diagnostic(
        file="x.md",
        line=line,
        column=column,
        end_line=line,
        end_column=end,
        severity="warning",
        code=code,
        rule="r",
        message=message,
    )


def test_message_did_you_mean_keeps_the_authors_case_and_sigils() -> None:
    lines = ["- Prompt: read [incident brif] and $ARGUMENT", '  subagent_type="debuger"']
    reference = finding("WF201", 1, 17, 30, "… did you mean 'Incident brief' (phase-1)?")
    fix = message_fix(reference, lines)
    assert fix is not None
    assert (
        apply_fix("\n".join(lines), fix)
        .split("\n")[0]
        .startswith("- Prompt: read [incident brief]")
    )
    variable = finding("WF201", 1, 36, 45, "'$ARGUMENT' is not defined; did you mean $ARGUMENTS?")
    fix = message_fix(variable, lines)
    assert fix is not None and fix.edits[0].text == "$ARGUMENTS"
    agent = finding("WF108", 2, 18, 25, "agent 'debuger' is not in …: did you mean 'debugger'?")
    fix = message_fix(agent, lines)
    assert fix is not None and fix.edits[0].text == "debugger"
    assert message_fix(finding("WF301", 1, 17, 30, "did you mean 'x'?"), lines) is None


def test_a_rules_own_fix_is_used_when_it_has_one() -> None:
    text = TEXT.replace("- Output: Recovery confirmation", "- Ouput: Recovery confirmation")
    analysis = analyse(text, "x.md")
    (typo,) = [d for d in analysis.diagnostics if d.code == "WF107"]
    assert typo.fix is not None
    fix = suggested_fix(typo, analysis.lines)
    assert fix is not None and fix.edits == typo.fix.edits and fix.preferred
    assert apply_fix(text, fix) == TEXT


def test_suppression_adds_to_an_existing_comment() -> None:
    lines = ["<!-- drillbook-disable-next-line WF301 -->", "- Prompt: [x]"]
    fix = suppression_fix(finding("WF201", 2, 12, 13, "m"), lines)
    fixed = apply_fix("\n".join(lines), fix)
    assert fixed.split("\n")[0] == "<!-- drillbook-disable-next-line WF301, WF201 -->"
    indented = ["  - Prompt: [x]"]
    fix = suppression_fix(finding("WF201", 1, 14, 15, "m"), indented)
    assert apply_fix(indented[0], fix).split("\n")[0] == (
        "  <!-- drillbook-disable-next-line WF201 -->"
    )


def test_completion_contexts() -> None:
    analysis = analyse(TEXT, "x.md")
    line = next(n for n, t in enumerate(analysis.lines, 1) if "[mitigation applied," in t)
    column = analysis.line(line).index("[mitigation applied,") + 2
    assert complete(analysis, Point(line, column))
    # After the bracket closes, and in prose, nothing is offered.
    closed = analysis.line(line).index("trend]") + len("trend]") + 1
    assert complete(analysis, Point(line, closed)) == []
    assert complete(analysis, Point(1, 1)) == []


def test_hover_on_a_decision_lists_its_paths_and_default() -> None:
    analysis = analyse(TEXT, "x.md")
    line = next(n for n, t in enumerate(analysis.lines, 1) if "### Decision Point" in t)
    text = hover_text(analysis, Point(line, 5))
    assert text is not None
    assert "`phase-2/path-a`" in text and "`phase-2/else`" in text and "(when: default)" in text
    assert "No default path" not in text


def test_outline_folds_single_step_branches() -> None:
    symbols = outline(analyse(TEXT, "x.md"))
    phase_3 = symbols[2]
    assert [c.kind for c in phase_3.children] == ["branch", "branch", "branch"]
    assert all(not c.children for c in phase_3.children)


def test_other_commands_do_not_import_the_language_server() -> None:
    code = (
        "import sys\n"
        "from compiler.cli import main\n"
        f"sys.argv = ['drillbook', 'lint', {str(SPECS / 'payments-outage.md')!r}]\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "assert 'pygls' not in sys.modules and 'compiler.lsp' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True)


@pytest.mark.parametrize("blocked", ["pygls"])
def test_lsp_without_pygls_says_what_to_install(blocked: str) -> None:
    code = (
        f"import sys\nsys.modules[{blocked!r}] = None\n"
        "from compiler.cli import main\nmain(['lsp'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "drillbook: error: the language server needs pygls: pip install 'drillbook[lsp]'"
    ]


def _readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## In your editor: `drillbook lsp`")
    return text[start : text.index("\n## ", start + 1)]


def test_readme_editor_configurations_start_drillbook_lsp() -> None:
    import json
    import re
    import tomllib

    section = _readme_section()
    (vscode,) = re.findall(r"```json\n(.*?)```", section, re.DOTALL)
    settings = json.loads(vscode)
    assert [settings["glspc.server.command"], *settings["glspc.server.commandArguments"]] == [
        "drillbook",
        "lsp",
    ]
    assert settings["glspc.server.languageId"] == ["markdown"]
    (helix,) = re.findall(r"```toml\n(.*?)```", section, re.DOTALL)
    languages = tomllib.loads(helix)
    server = languages["language-server"]["drillbook"]
    assert [server["command"], *server["args"]] == ["drillbook", "lsp"]
    assert "drillbook" in languages["language"][0]["language-servers"]
    for lua in re.findall(r"```lua\n(.*?)```", section, re.DOTALL):
        assert 'cmd = { "drillbook", "lsp" }' in lua


def test_hover_on_an_input_item_gives_its_verdict_and_producer() -> None:
    text = TEXT.replace(
        "- Output: Recovery confirmation, mitigated timestamp",
        "- Input: severity rating, status page update\n"
        "- Output: Recovery confirmation, mitigated timestamp",
    )
    analysis = analyse(text, "x.md")
    line = next(n for n, t in enumerate(analysis.lines, 1) if t.startswith("- Input: severity"))
    resolved = hover_text(analysis, Point(line, len("- Input: ") + 3))
    assert resolved is not None
    assert "`Input: severity rating`" in resolved and "resolved" in resolved
    assert "`phase-1`" in resolved
    # The spec's Branch B produces "Status page updates": a plural is the same item.
    column = analysis.line(line).index("status page") + 2
    plural = hover_text(analysis, Point(line, column))
    assert plural is not None and "`phase-3/branch-b`" in plural


def test_a_finding_inside_a_code_fence_is_disabled_around_the_fence() -> None:
    lines = [
        "## Step 1: Triage",  # 1
        "```",  # 2
        "Task:",  # 3
        "  subagent_type: incident-commander",  # 4
        "```",  # 5
        "Next.",  # 6
    ]
    fix = suppression_fix(finding("WF105", 4, 3, 10, "m"), lines)
    assert apply_fix("\n".join(lines), fix).split("\n") == [
        "## Step 1: Triage",
        "<!-- drillbook-disable WF105 -->",
        "```",
        "Task:",
        "  subagent_type: incident-commander",
        "```",
        "<!-- drillbook-enable WF105 -->",
        "Next.",
    ]


def test_a_finding_in_a_fenced_playbook_is_disabled_before_the_fence() -> None:
    """Inside the ```markdown fence that holds a workflow (the seed's form) a comment
    would be printed as text by a docs site: the fix goes before the fence, as a
    disable-next-block comment, and a second finding adds its code to that comment."""
    embedded = [
        "Intro.",  # 1
        "",  # 2
        "```markdown",  # 3
        "## Phase 1: Triage",  # 4
        "- Prompt: [x]",  # 5
        "```",  # 6
        "Nested:",  # 7
        "  ```markdown",  # 8
        "  ## Phase 1: Triage",  # 9
        "  - Prompt: [x]",  # 10
        "  ```",  # 11
    ]
    fix = suppression_fix(finding("WF201", 5, 12, 13, "m"), embedded)
    assert "fenced playbook" in fix.title
    once = apply_fix("\n".join(embedded), fix).split("\n")
    assert once[:4] == [
        "Intro.",
        "",
        "<!-- drillbook-disable-next-block WF201 -->",
        "```markdown",
    ]
    assert not any("drillbook-disable" in line for line in once[4:])
    fix = suppression_fix(finding("WF301", 6, 12, 13, "m"), once)
    twice = apply_fix("\n".join(once), fix).split("\n")
    assert twice[2] == "<!-- drillbook-disable-next-block WF201, WF301 -->"
    assert len(twice) == len(once)
    indented = suppression_fix(finding("WF201", 10, 14, 15, "m"), embedded)
    assert apply_fix("\n".join(embedded), indented).split("\n")[7:9] == [
        "  <!-- drillbook-disable-next-block WF201 -->",
        "  ```markdown",
    ]
    # on the fence line itself, or outside any fence: the line form, as before
    outside = suppression_fix(finding("WF201", 1, 1, 2, "m"), embedded)
    assert apply_fix("\n".join(embedded), outside).split("\n")[0] == (
        "<!-- drillbook-disable-next-line WF201 -->"
    )


def test_a_failing_handler_is_logged_and_answers_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pytest.importorskip("pygls")
    from compiler.lsp.server import DrillbookServer, guarded

    @guarded([])
    def broken(ls: DrillbookServer, params: object) -> list[str]:
        raise ValueError("a bug")

    with caplog.at_level("ERROR", logger="drillbook.lsp"):
        assert broken(DrillbookServer(), None) == []
    assert "broken failed" in caplog.text and "ValueError: a bug" in caplog.text
