"""The content-hash cache that makes a rebuild cheap: a document's page is reused when nothing
it depends on changed — its bytes, its name and slug, its scenarios, its configuration and
drillbook's version. The cache lives inside the site folder (`.drillbook/cache/`, one JSON file
per document), so it is swapped in and out with the site and never written elsewhere."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from compiler import __version__
from compiler.site.document_page import PageResult
from compiler.site.entries import DocumentEntry
from compiler.site.inputs import SiteInput, config_fingerprint

STATE_DIR = ".drillbook"
CACHE_DIR = f"{STATE_DIR}/cache"
#: Bumped when the cached records change shape.
CACHE_FORMAT = "5"


def cache_key(item: SiteInput, fingerprints: dict[int, str]) -> str | None:
    """The hash naming a document's cached result; None when the file cannot be read (an
    unreadable file is rebuilt, cheaply, every time)."""
    digest = hashlib.sha256()
    config_id = id(item.config)
    if config_id not in fingerprints:
        fingerprints[config_id] = config_fingerprint(item.config)
    parts = (CACHE_FORMAT, __version__, code_fingerprint(), fingerprints[config_id])
    for part in (*parts, item.key, item.slug):
        digest.update(part.encode("utf-8") + b"\0")
    try:
        digest.update(Path(item.path).read_bytes())
        for name, scenario in item.scenarios:
            digest.update(b"\0" + name.encode("utf-8") + b"\0")
            digest.update(Path(scenario).read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of drillbook's own code and templates: an edited checkout (same version
    number, different output) does not reuse pages an older build made."""
    import compiler

    package = Path(compiler.__file__).parent
    digest = hashlib.sha256()
    templates = package.parent / "templates"
    roots = [package, *([templates] if templates.is_dir() else [])]
    for root in roots:
        for file in sorted(root.rglob("*")):
            if file.suffix in (".py", ".j2", ".css", ".js", ".svg") and file.is_file():
                digest.update(file.relative_to(root).as_posix().encode("utf-8") + b"\0")
                digest.update(file.read_bytes())
    return digest.hexdigest()


def load_cached(site: Path, key: str) -> PageResult | None:
    """The result cached under `key` in an existing site, or None."""
    try:
        raw = json.loads((site / CACHE_DIR / f"{key}.json").read_text(encoding="utf-8"))
        return PageResult(DocumentEntry.model_validate(raw["entry"]), dict(raw["pages"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or damaged: rebuild


def store(folder: Path, key: str, result: PageResult) -> None:
    target = folder / CACHE_DIR / f"{key}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    data = {"entry": result.entry.model_dump(mode="json"), "pages": result.pages}
    target.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
