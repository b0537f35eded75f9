"""The one Jinja2 environment factory and the safe Markdown renderer, shared by every HTML
output (render, simulate's Gantt page, site).

Imported lazily by the commands that produce HTML: `drillbook lint` never loads Jinja2.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment

#: Link schemes a document may use; everything else (javascript:, vbscript:, file:, data:…)
#: is dropped. data: is allowed for raster images only.
_SAFE_SCHEME = re.compile(r"^(?:https?:|mailto:|#|/|\.{0,2}/|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)
_SAFE_DATA_IMAGE = re.compile(r"^data:image/(?:png|gif|jpe?g|webp);", re.IGNORECASE)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Autoescaping, StrictUndefined environment over the packaged `templates/`."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        # `compiler.templates` is the top-level templates/ folder (see pyproject package-dir).
        loader=PackageLoader("compiler.templates", "."),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = render_markdown
    return env


def render_template(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)


def is_safe_url(url: str) -> bool:
    """Whether a link target may appear in rendered output."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    if _SAFE_DATA_IMAGE.match(cleaned):
        return True
    return bool(_SAFE_SCHEME.match(cleaned)) and not cleaned.lower().startswith(
        ("javascript:", "vbscript:", "data:", "file:")
    )


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False})
    md.validateLink = is_safe_url  # type: ignore[method-assign]  # the documented hook
    return md


def render_markdown(text: str) -> Any:
    """Markdown from a document (a prompt, a note) as safe HTML: raw HTML is shown as text,
    unsafe link schemes are dropped. Returns `markupsafe.Markup`."""
    from markupsafe import Markup

    return Markup(_markdown().render(text or ""))  # raw HTML is disabled above
