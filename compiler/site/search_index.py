"""The search index: a small JavaScript file that assigns the records to a global, so that the
site's own search script can read it from `file://` too (a page opened from disk may not fetch
a JSON file). Records are compact arrays to keep the file small on large folders."""

from __future__ import annotations

import json
from collections.abc import Sequence

from compiler.site.entries import DocumentEntry

#: Field order of a document record and of a step record (documented for site.js).
DOCUMENT_FIELDS = ("href", "title", "key", "status", "agents", "steps")
STEP_FIELDS = ("title", "anchor", "agent", "prompt")


def search_index_js(entries: Sequence[DocumentEntry]) -> str:
    records = [
        [
            entry.href,
            entry.title,
            entry.key,
            entry.status,
            list(entry.agents),
            [[s.title, s.anchor, s.agent, s.prompt] for s in entry.step_entries],
        ]
        for entry in entries
        if entry.href
    ]
    payload = json.dumps(records, ensure_ascii=True, separators=(",", ":"), sort_keys=True)
    # "</" cannot end a script element that inlines this file; escaped for good measure.
    payload = payload.replace("</", "<\\/")
    return f"window.drillbookSearchIndex = {payload};\n"
