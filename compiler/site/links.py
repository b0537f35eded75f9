"""Links written by authors inside a document (`[protocol](references/protocol.md)`) point at
files of the author's repository, not at the site. On a site page such a link is re-pointed to
the page of the document it names when that document is in the site, and otherwise kept as
text (with the target in its tooltip), so the site never holds a broken link. The same for an
in-page link to a heading of the author's page that the report does not reproduce."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

_ATTRIBUTE = re.compile(r'<(a|img)\b([^>]*?)\s(href|src)="([^"]*)"')
_ID = re.compile(r'\sid="([^"]*)"')
#: Links drillbook itself writes on a document page (besides in-page `#` anchors).
_OWN = ("../rules.html", "../index.html", "../agents.html", "../docs/", "../sim/")


def repoint_links(page: str, key: str, pages: Mapping[str, str]) -> str:
    """`page` (a document page of document `key`) with author links made site links.
    `pages` maps each document key in the site to its page (relative to the site root)."""
    folder = posixpath.dirname(key)
    ids = {html.unescape(found) for found in _ID.findall(page)}

    def replace(match: re.Match[str]) -> str:
        tag, before, attribute, raw = match.groups()
        url = html.unescape(raw)
        parts = urlsplit(url)
        if url.startswith("#") and (url[1:] in ids or not url[1:]):
            return match.group(0)
        if parts.scheme or url.startswith("//") or url.startswith(_OWN):
            return match.group(0)
        if url.startswith("#"):  # a heading of the author's page that the report does not have
            return f'<{tag}{before} class="offsite" title="{raw} (a section of the original page)"'

        target = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
        if tag == "a" and target in pages:
            return f'<{tag}{before} {attribute}="../{html.escape(pages[target])}"'
        note = f"{raw} (not part of this site)"
        return f'<{tag}{before} class="offsite" title="{note}"'

    return _ATTRIBUTE.sub(replace, page)
