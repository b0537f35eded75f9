"""Graphviz DOT: a cluster per phase, diamonds for decisions, bars for fork/join, labelled
edges, loop back edges dashed and kept out of the ranking.

All document text goes into double-quoted DOT strings with backslashes and quotes escaped, so
no title can close a string or start a statement; ids are quoted too.
"""

from __future__ import annotations

from compiler.model import Document, Workflow
from compiler.render.flowchart import FlowNode, flowchart
from compiler.render.labels import phase_caption
from compiler.render.text import clean, wrap_words

_ATTRS: dict[str, str] = {
    "step": 'shape=box, style="rounded,filled", fillcolor="#ffffff", color="#57606a"',
    "checkpoint": 'shape=hexagon, style=filled, fillcolor="#fff8c5", color="#9a6700"',
    "decision": 'shape=diamond, style=filled, fillcolor="#ddf4ff", color="#0969da"',
    "loop": 'shape=box, style="rounded,filled", fillcolor="#fbefff", color="#8250df"',
    "loop-check": 'shape=diamond, style=filled, fillcolor="#fbefff", color="#8250df"',
    "start": 'shape=box, style="rounded,filled", fillcolor="#1f2328", fontcolor="#ffffff"',
    "end": 'shape=box, style="rounded,filled", fillcolor="#1f2328", fontcolor="#ffffff"',
    "fork": 'shape=box, style=filled, fillcolor="#1f2328", height=0.06, width=1.6, fixedsize=true',
    "join": 'shape=box, style=filled, fillcolor="#1f2328", height=0.06, width=1.6, fixedsize=true',
    "merge": 'shape=point, width=0.12, color="#57606a"',
    "empty": 'shape=box, style="dashed", color="#8c959f", fontcolor="#57606a"',
}
_WRAP = 32


def quote(text: str) -> str:
    """A DOT double-quoted string holding `text` literally (escapes `\\` and `"`)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wrapped(text: str) -> list[str]:
    return wrap_words(text, _WRAP, max_lines=4)


def _label(*parts: str) -> str:
    """A quoted label, lines joined by DOT's centred line break `\\n`."""
    lines = [line for part in parts if part for line in _wrapped(part)]
    body = "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"') for line in lines)
    return f'"{body}"'


def render_dot(document: Document) -> str:
    workflows = [w for w in document.workflows if w.phases]
    name = clean(document.title) or "workflow"
    out = [
        f"digraph {quote(name)} {{",
        '  graph [rankdir=TB, fontname="Helvetica,Arial,sans-serif", fontsize=12, '
        "nodesep=0.35, ranksep=0.45, newrank=true];",
        '  node [fontname="Helvetica,Arial,sans-serif", fontsize=11, margin="0.15,0.06"];',
        '  edge [fontname="Helvetica,Arial,sans-serif", fontsize=10, color="#57606a", '
        'fontcolor="#57606a"];',
    ]
    if not workflows:
        out.append(f"  none [shape=plaintext, label={_label('No workflow found')}];")
    for index, workflow in enumerate(workflows):
        prefix = f"w{index + 1}:" if len(workflows) > 1 else ""
        _workflow(out, workflow, prefix)
    out.append("}")
    return "\n".join(out) + "\n"


def _workflow(out: list[str], workflow: Workflow, prefix: str) -> None:
    chart = flowchart(workflow)
    for group in chart.groups:
        if group.phase is None:
            out.extend(f"  {_node(node, prefix)}" for node in group.nodes)
            continue
        out.append(f"  subgraph {quote('cluster_' + prefix + group.phase.id)} {{")
        out.append(
            f'    label={_label(phase_caption(group.phase))}; labeljust=l; style="rounded,filled"; '
            'fillcolor="#f6f8fa"; color="#d0d7de";'
        )
        out.extend(f"    {_node(node, prefix)}" for node in group.nodes)
        out.append("  }")
    for edge in chart.edges:
        attrs = []
        if edge.label:
            attrs.append(f"label={_label(edge.label)}")
        if edge.back:
            attrs += ["style=dashed", 'color="#8250df"', "constraint=false"]
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        out.append(f"  {quote(prefix + edge.source)} -> {quote(prefix + edge.target)}{suffix};")


def _node(node: FlowNode, prefix: str) -> str:
    attrs = _ATTRS.get(node.kind, _ATTRS["step"])
    if node.kind == "step" and node.optional:
        attrs = attrs.replace('"rounded,filled"', '"rounded,filled,dashed"')
    if node.kind in ("fork", "join", "merge"):
        label = '""'
    else:
        label = _label(node.title, node.detail, node.note)
    return f"{quote(prefix + node.id)} [{attrs}, label={label}];"
