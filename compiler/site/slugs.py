"""Page names: every document gets a slug that is safe on any file system and in any URL
(ASCII letters, digits and hyphens), unique within a site and stable across builds."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_MAX = 96


def short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def slugify(text: str) -> str:
    """`specs/Ünïcode file.md` → `specs-unicode-file`. Letters lose their accents; what has
    no ASCII form (CJK, emoji) is dropped and replaced by a short hash of the original, so
    two such names never meet on one slug. Never empty, never `.`/`..`, never a path."""
    stem = re.sub(r"\.(md|markdown)$", "", text, flags=re.IGNORECASE)
    decomposed = unicodedata.normalize("NFKD", stem)
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii")
    lost = any(ch.isalnum() for ch in decomposed if not ch.isascii())
    slug = _NOT_SLUG.sub("-", ascii_only.lower()).strip("-")
    if len(slug) > _MAX:
        slug = slug[:_MAX].rstrip("-")
        lost = True
    if lost or not slug:
        slug = f"{slug}-{short_hash(text)}" if slug else f"doc-{short_hash(text)}"
    return slug


def unique_slugs(keys: Iterable[str]) -> dict[str, str]:
    """key → slug for every key. Keys are taken in sorted order, so the result does not
    depend on the order they were given in; a key whose slug is taken gets a hash of itself
    appended (stable: it depends on the key alone, not on a counter)."""
    taken: set[str] = set()
    result: dict[str, str] = {}
    for key in sorted(set(keys)):
        slug = slugify(key)
        if slug in taken:
            slug = f"{slug}-{short_hash(key)}"
            while slug in taken:  # two keys with one hash prefix: longer hashes
                slug = f"{slug}-{short_hash(key + slug)}"
        taken.add(slug)
        result[key] = slug
    return result
