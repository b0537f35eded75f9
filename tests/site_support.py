"""Helpers shared by the site tests: building a site through the real CLI, listing a site's
files, and a small crawler over its pages."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from click.testing import CliRunner, Result

from compiler.cli.site_cmd import site_command
from tests.conftest import ROOT


def build(*args: str | Path) -> Result:
    return CliRunner().invoke(site_command, [str(a) for a in args], catch_exceptions=False)


def build_in_process_env(
    args: list[str], env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    """The real `drillbook site` in a fresh interpreter (for PYTHONHASHSEED)."""
    return subprocess.run(
        [sys.executable, "-m", "compiler", "site", *args],
        capture_output=True, text=True, cwd=cwd, env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        timeout=600,
    )  # fmt: skip


def tree(site: Path, *, cache: bool = False) -> dict[str, str]:
    """Relative path → sha256 of every file in the site (the cache left out unless asked)."""
    found = {}
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if path.is_file() and (cache or not relative.startswith(".drillbook/cache/")):
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@dataclass
class Links(HTMLParser):
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag attribute, url)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            if name in ("href", "src", "xlink:href", "action", "poster", "data"):
                self.links.append((f"{tag}.{name}", value))


def parse_page(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def crawl(site: Path) -> tuple[list[str], list[str], int]:
    """(broken internal links, remote assets, pages crawled) over every HTML file."""
    pages = sorted(site.rglob("*.html"))
    parsed = {page: parse_page(page) for page in pages}
    broken: list[str] = []
    remote: list[str] = []
    for page, links in parsed.items():
        for where, url in links.links:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") or url.startswith("//"):
                if where != "a.href":  # a link to elsewhere is fine; loading from it is not
                    remote.append(f"{page.relative_to(site)}: {where} {url}")
                continue
            if parts.scheme:  # mailto: and the like
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.exists() or site.resolve() not in [target, *target.parents]:
                broken.append(f"{page.relative_to(site)}: {url}")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and not fragment.startswith("folder="):
                ids = parsed[target].ids if target in parsed else parse_page(target).ids
                if fragment not in ids:
                    broken.append(f"{page.relative_to(site)}: {url} (no #{fragment})")
    return broken, remote, len(pages)
