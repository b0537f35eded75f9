"""Agents started by a shell command: a coding agent's command line run without a person at
the keyboard (`claude -p "…"`, `codex exec "…"`, `gemini -p "…"`, `opencode run …`), the way
a coordinator starts another CLI as its sub-agent. Read in shell code blocks only, one launch
per command; inferred, since a code block shows a command and the page may only describe it.

The table says, for each agent CLI, what makes a command a headless launch: its subcommand
(`codex exec`, but not `codex exec resume`, which answers a session already running) or a
flag anywhere among its arguments (`claude --model x -p "…"`). A contributor adds a CLI with
a line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from compiler.parse.elements import Element
from compiler.parse.invocations import Invocation
from compiler.regex import LazyPattern

#: Agent CLI → (subcommands that launch it headless, flags that do).
AGENT_CLIS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "claude": (frozenset(), frozenset({"-p", "--print"})),
    "codex": (frozenset({"exec", "e"}), frozenset()),
    "gemini": (frozenset(), frozenset({"-p", "--prompt"})),
    "qwen": (frozenset(), frozenset({"-p", "--prompt"})),
    "copilot": (frozenset(), frozenset({"-p", "--prompt"})),
    "cursor-agent": (frozenset(), frozenset({"-p", "--print"})),
    "opencode": (frozenset({"run"}), frozenset()),
    "droid": (frozenset({"exec"}), frozenset()),
    "amp": (frozenset(), frozenset({"-x", "--execute"})),
    "crush": (frozenset({"run"}), frozenset()),
    "aider": (frozenset(), frozenset({"--message", "-m"})),
}
#: Any other `…-agent` command started with one of these ("codex-agent start "…"").
_AGENT_COMMAND = LazyPattern(r"^[a-z][\w-]*-agent$")
_AGENT_COMMAND_STARTS = frozenset({"start", "spawn", "launch", "run"})
#: Subcommands that continue or inspect a launch rather than make one.
_NOT_A_LAUNCH = frozenset({"resume", "--help", "-h", "--version", "-v", "help"})

#: Fence info strings of shell sessions (and none at all).
_SHELLS = frozenset(
    {"", "bash", "sh", "shell", "zsh", "fish", "console", "terminal", "shell-session"}
    | {"powershell", "pwsh", "ps1", "cmd", "bat"}
)
#: Words a command may start with before the program it runs (a shell prompt among them).
_PREFIXES = frozenset({"$", "%", "nohup", "time", "exec", "command", "sudo", "npx", "bunx"})

#: One shell token: a quoted string, an operator, a `<placeholder>`, a word or a redirection
#: (`>`, `2>&1`); `\` + newline is blank, and a `#` at a token's start runs to the line's end.
_TOKEN = LazyPattern(
    r"""(?P<dq>"(?:[^"\\]|\\.)*")|(?P<sq>'[^']*')|(?P<comment>\#[^\n]*)"""
    r"""|(?P<op>&&|\|\||[|;&\n])|(?P<placeholder><[\w.:-]+>)"""
    r"""|(?P<word>(?:[^\s"'|;&<>\\]|\\.)+)|(?P<redirect>\d*[<>]+&?\d*)"""
    r"""|(?P<blank>\\\n|[ \t\r]+)"""
)
_ASSIGNMENT = LazyPattern(r"^[A-Za-z_]\w*=")
_PLACEHOLDER = LazyPattern(r"^(?:<[^<>]*>|\[[^\]]*\]|\$\w+|\$\{\w+\}|\.\.\.)$")
#: A prompt that stands for any prompt: "your task", "Your prompt here".
_ANY_PROMPT = LazyPattern(
    r"^(?:<[^<>]*>|your\s+(?:task|prompt|question|request|instructions?)\b"
    r"|(?:the\s+)?(?:prompt|task|instructions?)$|.*\bprompt\s+here\b)",
    re.IGNORECASE,
)
#: The title a launch takes from its prompt: the prompt's first words.
_TITLE_LENGTH = 60


@dataclass
class _Token:
    kind: str
    text: str
    start: int
    end: int


def command_launches(element: Element) -> list[Invocation]:
    """Each headless agent CLI launch in a shell code block, in order."""
    info = element.marker.split()[:1]
    if element.kind != "fence" or (info[0].lower() if info else "") not in _SHELLS:
        return []
    passage = element.passage
    text = passage.text
    if not any(name in text for name in ("-agent", *AGENT_CLIS)):
        return []  # (most code blocks: no agent CLI named at all)
    found: list[Invocation] = []
    for words, background in _commands(text):
        launch = _launch(words)
        if launch is None:
            continue
        agent, prompt = launch
        first, last = words[0], words[-1]
        task = " ".join(prompt.text[1:-1].split()) if prompt else ""
        if task.startswith("$"):
            task = ""  # `"$(cat brief.md)"`, `"$PROMPT"`: a title would be the shell's
        found.append(
            Invocation(
                form="call",
                agent=agent.text,
                agent_span=passage.span(agent.start, agent.end),
                span=passage.span(first.start, last.end),
                first_line=passage.locate(first.start)[0].line,
                prompt=passage.slice(prompt.start + 1, prompt.end - 1) if prompt else None,
                # (a title for the step: its prompt's first words)
                description=_shortened(task) if task else None,
                background=background,
                provenance="inferred",
            )
        )
    return found


def _commands(text: str) -> Iterator[tuple[list[_Token], bool]]:
    """The simple commands of `text` (their words and redirections), each with whether it
    runs in the background (a `&` after it)."""
    words: list[_Token] = []
    redirected = False
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "blank"
        if kind in ("blank", "comment"):
            continue
        if kind == "op":
            if words:
                yield words, match.group() == "&"
            words, redirected = [], False
            continue
        if redirected:  # `< "$prompt_file"`, `> out.txt`: a file, not an argument
            kind = "target"
        elif (
            kind in ("dq", "sq")
            and words
            and words[-1].end == match.start()
            and words[-1].kind == "word"
        ):
            # `FOO="a b"`, `--agent="x"`: one word, quotes and all
            last = words[-1]
            words[-1] = _Token("word", last.text + match.group(), last.start, match.end())
            continue
        redirected = kind == "redirect" and not match.group().endswith(("&", "1", "2"))
        words.append(_Token(kind, match.group(), match.start(), match.end()))
    if words:
        yield words, False


def _launch(words: list[_Token]) -> tuple[_Token, _Token | None] | None:
    """(the agent's name, its quoted prompt) when `words` launch an agent CLI headless."""
    index = 0
    while index < len(words) and (
        _ASSIGNMENT.match(words[index].text) or words[index].text in _PREFIXES
    ):
        index += 1  # `CODEX_HOME=… codex exec`, `nohup claude -p …`
    if index < len(words) and words[index].text == "env":
        index += 1
        while index < len(words) and (
            words[index].text.startswith("-") or _ASSIGNMENT.match(words[index].text)
        ):
            index += 2 if words[index].text in ("-u", "--unset") else 1
    if index >= len(words) or words[index].kind != "word":
        return None
    program = words[index]
    name = program.text.rsplit("/", 1)[-1].lower()
    args = words[index + 1 :]
    plain = [word.text for word in args if word.kind == "word"]
    if any(word in _NOT_A_LAUNCH for word in plain[:2]) or any(
        word.startswith("[") and word.endswith("]") for word in plain
    ):
        return None  # `codex exec resume <id>`, a synopsis (`start "<prompt>" [options]`)
    if name in AGENT_CLIS:
        subcommands, flags = AGENT_CLIS[name]
        if subcommands and not (plain and plain[0] in subcommands):
            return None
        if flags and not any(word.split("=", 1)[0] in flags for word in plain):
            return None
    elif not (_AGENT_COMMAND.match(name) and plain and plain[0] in _AGENT_COMMAND_STARTS):
        return None
    prompt = _prompt(args, AGENT_CLIS[name][1] if name in AGENT_CLIS else frozenset())
    if prompt is not None and _ANY_PROMPT.match(prompt.text[1:-1].strip()):
        return None  # `claude -p "<prompt>"`, "your task": the command's shape, not a task
    return _named_agent(args) or program, prompt


def _prompt(args: list[_Token], launch_flags: frozenset[str]) -> _Token | None:
    """The quoted argument that is the task: the launch flag's value (`-p "…"`), else the
    first one that is no option's value (`-m "gpt-5"`, `-C "$(pwd)"`), else one with a space
    in it (after a switch that takes no value: `--full-auto "Fix the tests"`)."""
    after_flag: list[_Token] = []
    for index, word in enumerate(args):
        if word.kind not in ("dq", "sq"):
            continue
        flag = args[index - 1].text if index and args[index - 1].kind == "word" else ""
        if flag in launch_flags:
            return word
        if not flag.startswith("-"):
            return word
        after_flag.append(word)
    return next((word for word in after_flag if " " in word.text.strip()), None)


def _named_agent(args: list[_Token]) -> _Token | None:
    """The agent an `--agent x` (`--agent=x`) argument names, unless a placeholder."""
    for index, word in enumerate(args):
        if word.text == "--agent" and index + 1 < len(args):
            value = args[index + 1]
        elif word.text.startswith("--agent="):
            quoted = word.text[len("--agent=") :][:1] in ("'", '"')
            offset = len("--agent=") + quoted
            value = _Token(
                "word",
                word.text[offset : len(word.text) - quoted],
                word.start + offset,
                word.end - quoted,
            )
        else:
            continue
        if value.kind == "word" and not _PLACEHOLDER.match(value.text):
            return value
        return None
    return None


def _shortened(text: str) -> str:
    text = text.rstrip(" .…")  # ("Analyze src/common.py...": the title adds its own "…")
    if len(text) <= _TITLE_LENGTH:
        return text
    return (
        text[: text.rfind(" ", 0, _TITLE_LENGTH) if " " in text[:_TITLE_LENGTH] else _TITLE_LENGTH]
        + "…"
    )
