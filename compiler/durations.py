"""Durations as people write them: `90s`, `5m`, `1h30m`, `30 minutes`, `every 15 minutes`."""

from __future__ import annotations

import re

from compiler.regex import LazyPattern

#: Seconds per unit as people write them (also used to compare durations in conditions).
UNIT_SECONDS: dict[str, float] = {
    "ms": 0.001,
    "millisecond": 0.001,
    "milliseconds": 0.001,
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
}

_COMPACT = LazyPattern(
    r"^(?:(?P<h>\d+(?:\.\d+)?)h)?(?:(?P<m>\d+(?:\.\d+)?)m)?(?:(?P<s>\d+(?:\.\d+)?)s)?$"
)
_PROSE = LazyPattern(
    r"(?P<n>\d+(?:\.\d+)?)\s*-?\s*(?P<unit>seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|[smhd])\b",
    re.IGNORECASE,
)
_CADENCE = LazyPattern(
    r"\bevery\s+(?:(?P<n>\d+(?:\.\d+)?)\s*-?\s*)?(?P<unit>seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|[smhd])\b",
    re.IGNORECASE,
)


class DurationError(ValueError):
    """A duration string that cannot be read."""


def parse_duration(value: str | int | float) -> float:
    """Seconds in `value`: a number (seconds) or `90s`, `5m`, `1h30m`, `2 hours`."""
    if isinstance(value, bool):
        raise DurationError(f"{value!r} is not a duration")
    if isinstance(value, int | float):
        if value < 0:
            raise DurationError(f"{value!r} is negative")
        return float(value)
    text = value.strip().lower().replace(" ", "")
    match = _COMPACT.match(text)
    if text and match and any(match.group(g) for g in ("h", "m", "s")):
        hours = float(match["h"] or 0)
        minutes = float(match["m"] or 0)
        seconds = float(match["s"] or 0)
        return hours * 3600 + minutes * 60 + seconds
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    prose = _PROSE.fullmatch(value.strip())
    if prose:
        return float(prose["n"]) * UNIT_SECONDS[prose["unit"].lower()]
    raise DurationError(
        f"{value!r} is not a duration (write e.g. 90s, 5m, 1h30m or a number of seconds)"
    )


def find_duration(text: str) -> int | None:
    """The first duration mentioned in prose (`30 minutes (within RTO)` → 1800), or None."""
    match = _PROSE.search(text)
    if not match:
        return None
    return round(float(match["n"]) * UNIT_SECONDS[match["unit"].lower()])


def find_cadence(text: str) -> int | None:
    """A recurring interval in prose (`updates every 15 minutes` → 900), or None."""
    match = _CADENCE.search(text)
    if not match:
        return None
    count = float(match["n"]) if match["n"] else 1.0
    return round(count * UNIT_SECONDS[match["unit"].lower()])


def format_duration(seconds: float) -> str:
    """Compact human form: 90 → `1m30s`, 3600 → `1h`, 7245 → `2h0m45s`, 0 → `0s`.

    Zero minutes are written between hours and seconds: `2h45s` reads as 2 h 45 m at a glance.
    """
    total = round(seconds)
    if total == 0:
        return "0s"
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours}h")
    if minutes or (hours and secs):
        parts.append(f"{minutes}m")
    if secs:
        parts.append(f"{secs}s")
    return "".join(parts)
