"""`drillbook rules` and `drillbook explain`: the rule catalogue, from the registry."""

from __future__ import annotations

import difflib
import json
import textwrap

import click

from compiler.checks.config import OPT_IN
from compiler.cli.common import UsageProblem, write_output
from compiler.rules import RuleInfo, all_rules, find_rule

SECTIONS = ("What it does", "Why it matters", "Example")


@click.command("rules")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per rule; json: every rule with its full documentation.",
)
def rules_command(fmt: str) -> int:
    """List every rule: code, slug, default severity, category and what it reports."""
    rules = all_rules()
    if fmt == "json":
        data = [
            {
                "code": r.code,
                "slug": r.slug,
                "severity": r.severity,
                "category": r.category,
                "summary": r.summary,
                "default": "off" if r.code in OPT_IN else "on",
                **{heading.lower().replace(" ", "_"): r.section(heading) for heading in SECTIONS},
            }
            for r in rules
        ]
        write_output(None, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return 0
    slug_width = max(len(r.slug) for r in rules)
    lines = []
    for r in rules:
        head = f"{r.code}  {r.slug:<{slug_width}}  {r.severity:<7}  {r.category:<10}  "
        optin = " (opt-in: runs when selected)" if r.code in OPT_IN else ""
        lines.append(head + r.summary + optin)
    lines.append("")
    lines.append("`drillbook explain CODE` (or the slug) shows a rule's documentation.")
    write_output(None, "\n".join(lines) + "\n")
    return 0


@click.command("explain", short_help="Explain one rule: what it does, why it matters, an example.")
@click.argument("rule")
def explain_command(rule: str) -> int:
    """Explain one rule (by code, e.g. WF301, or slug, e.g. parallel-read-race):
    what it does, why it matters, and an example with its fix."""
    info = find_rule(rule)
    if info is None:
        raise UsageProblem(f"unknown rule '{rule}'{_suggest(rule)}; `drillbook rules` lists them")
    write_output(None, explain_text(info))
    return 0


def explain_text(info: RuleInfo) -> str:
    out = [f"{info.code} {info.slug}  ({info.severity}, {info.category})", ""]
    for heading in SECTIONS:
        body = info.section(heading)
        if body:
            out.append(heading)
            out.append(textwrap.indent(body, "  "))
            out.append("")
    out.append(
        f"Silence one occurrence with <!-- drillbook-disable-next-line {info.code} --> on the "
        "line before it;"
    )
    out.append(
        f'change its severity with severity = {{ {info.code} = "error" }} under [tool.drillbook].'
    )
    return "\n".join(out) + "\n"


def _suggest(name: str) -> str:
    names = [r.code for r in all_rules()] + [r.slug for r in all_rules()]
    close = difflib.get_close_matches(
        name.upper() if name[:2].lower() == "wf" else name, names, n=1
    )
    return f" (did you mean {close[0]}?)" if close else ""
