"""Mermaid flowchart text: a subgraph per phase, rhombus decisions, labelled edges.

Every piece of document text goes inside a quoted label with all punctuation written as a
Mermaid entity code (`#35;`), so no title, condition or agent name can end a label, start a
statement, open a `%%{init}%%` directive or a `click … call` line, or inject HTML: a label is
letters, digits, spaces, inert punctuation (`.,:/()'?!-`) and entity codes only. Node ids
are generated, never copied.
"""

from __future__ import annotations

import re

from compiler.model import Document, Workflow
from compiler.render.flowchart import Flowchart, FlowNode, flowchart
from compiler.render.labels import phase_caption
from compiler.render.text import clean, wrap_words

# Letters, digits, space and punctuation that is inert inside a quoted label pass as they are.
_PLAIN = re.compile(r"[^\W_]|[ .,:/()'?!-]", re.UNICODE)
_WRAP = 30

# Node shapes: (opening, closing) around the quoted label.
_SHAPES: dict[str, tuple[str, str]] = {
    "step": ("[", "]"),
    "checkpoint": ("{{", "}}"),
    "decision": ("{", "}"),
    "loop-check": ("{", "}"),
    "loop": ("([", "])"),
    "start": ("([", "])"),
    "end": ("([", "])"),
    "fork": ("[[", "]]"),
    "join": ("[[", "]]"),
    "merge": ("((", "))"),
    "empty": ("[/", "/]"),
}

# Strokes only: fills and text colours are left to the host's Mermaid theme, so nodes follow
# its light or dark scheme (MkDocs Material restyles label text, and a fixed dark fill left
# "Start" dark on black there).
_CLASSES = (
    "classDef step stroke:#57606a",
    "classDef optional stroke:#57606a,stroke-dasharray:5 3",
    "classDef checkpoint stroke:#9a6700,stroke-width:2px",
    "classDef decision stroke:#0969da,stroke-width:2px",
    "classDef loop stroke:#8250df,stroke-width:2px",
    "classDef terminal stroke-width:3px",
    "classDef bar stroke-width:3px",
    "classDef merge stroke-width:2px",
    "classDef empty stroke-dasharray:3 3",
    "classDef phasetitle fill:none,stroke:none,font-weight:bold",
)

_CLASS_OF = {
    "step": "step",
    "checkpoint": "checkpoint",
    "decision": "decision",
    "loop": "loop",
    "loop-check": "loop",
    "start": "terminal",
    "end": "terminal",
    "fork": "bar",
    "join": "bar",
    "merge": "merge",
    "empty": "empty",
}


def escape(text: str) -> str:
    """Document text as safe Mermaid label text: every character but letters, digits and
    inert punctuation becomes an entity code, which Mermaid shows as the character itself."""
    return "".join(ch if _PLAIN.match(ch) else f"#{ord(ch)};" for ch in clean(text))


def _lines(text: str) -> list[str]:
    return wrap_words(text, _WRAP, max_lines=3)


def _label(*parts: str) -> str:
    """Quoted label; parts on separate lines (`<br/>` is ours, never the document's)."""
    lines = [escape(line) for part in parts if part for line in _lines(part)]
    return '"' + "<br/>".join(lines) + '"'


class _Ids:
    """Readable, unique, keyword-proof node ids: `phase-3/branch-a` → `n_phase_3_branch_a`."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.taken: dict[str, str] = {}
        self.used: set[str] = set()

    def __call__(self, node: str) -> str:
        if node not in self.taken:
            base = self.prefix + re.sub(r"[^A-Za-z0-9]+", "_", node).strip("_")
            candidate, count = base, 1
            while candidate in self.used:
                count += 1
                candidate = f"{base}_{count}"
            self.used.add(candidate)
            self.taken[node] = candidate
        return self.taken[node]


def render_mermaid(document: Document) -> str:
    """One `flowchart TD` for the document (several workflows become top-level subgraphs)."""
    workflows = [w for w in document.workflows if w.phases]
    out = ["flowchart TD"]
    if not workflows:
        out.append(f"  n_none[{_label('No workflow found in this document')}]")
        return "\n".join(out) + "\n"
    classes: dict[str, list[str]] = {}
    several = len(workflows) > 1
    for index, workflow in enumerate(workflows):
        # Nodes and subgraphs get separate prefixes: a phase and its only step share an id.
        ids = _Ids(f"w{index + 1}_" if several else "n_")
        groups = _Ids(f"w{index + 1}g_" if several else "g_")
        indent = "  "
        if several:
            title = clean(workflow.title) or f"Workflow {index + 1}"
            out.append(f"  subgraph wf{index + 1}[{_label(title)}]")
            indent = "    "
        _workflow(out, workflow, ids, groups, indent, classes)
        if several:
            out.append("  end")
    out.extend(f"  {line}" for line in _CLASSES)
    for name in sorted(classes):
        out.append(f"  class {','.join(classes[name])} {name}")
    return "\n".join(out) + "\n"


def _workflow(
    out: list[str],
    workflow: Workflow,
    ids: _Ids,
    groups: _Ids,
    indent: str,
    classes: dict[str, list[str]],
) -> None:
    chart: Flowchart = flowchart(workflow)
    for group in chart.groups:
        if group.phase is None:
            for node in group.nodes:
                out.append(f"{indent}{_node(node, ids, classes)}")
            continue
        # The phase title is a node at the top of its subgraph, linked invisibly to the first
        # node: Mermaid reserves room for a node, while a long or wrapped subgraph title is
        # drawn over the first node (or cut short).
        out.append(f'{indent}subgraph {groups(group.phase.id)}[" "]')
        title = ids(f"{group.phase.id}/title")
        classes.setdefault("phasetitle", []).append(title)
        out.append(f"{indent}  {title}[{_label(phase_caption(group.phase))}]")
        for node in group.nodes:
            out.append(f"{indent}  {_node(node, ids, classes)}")
        if group.nodes:
            out.append(f"{indent}  {title} ~~~ {ids(group.nodes[0].id)}")
        out.append(f"{indent}end")
    for edge in chart.edges:
        arrow = "-.->" if edge.back else "-->"
        text = f"|{_label(edge.label)}|" if edge.label else ""
        out.append(f"{indent}{ids(edge.source)} {arrow}{text} {ids(edge.target)}")


def _node(node: FlowNode, ids: _Ids, classes: dict[str, list[str]]) -> str:
    opening, closing = _SHAPES.get(node.kind, ("[", "]"))
    name = ids(node.id)
    css = "optional" if node.optional else _CLASS_OF.get(node.kind, "step")
    classes.setdefault(css, []).append(name)
    if node.kind == "merge":
        return f'{name}(("#8226;"))'
    return f"{name}{opening}{_label(node.title, node.detail, node.note)}{closing}"
