"""Durations as drillbook writes them: compact, unambiguous, and read back to the same value."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (45, "45s"),
        (90, "1m30s"),
        (3600, "1h"),
        (3660, "1h1m"),
        (7245, "2h0m45s"),
        (7200 + 45 * 60, "2h45m"),
        (86400 + 1, "24h0m1s"),
        (59.6, "1m"),
    ],
)
def test_known_durations(seconds, text):
    assert format_duration(seconds) == text


@given(st.integers(min_value=0, max_value=400 * 86400))
def test_every_whole_second_reads_back_to_itself(seconds):
    assert parse_duration(format_duration(seconds)) == seconds


@given(st.integers(min_value=3600, max_value=400 * 86400))
def test_hours_and_seconds_always_have_minutes_between_them(seconds):
    text = format_duration(seconds)
    # Units appear in order h, m, s, and seconds after hours never come without minutes.
    assert re.fullmatch(r"\d+h(?:\d+m(?:\d+s)?)?", text), text
