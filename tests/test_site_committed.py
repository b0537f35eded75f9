"""The committed `site/` is the site of `specs/`, byte for byte: a change to a playbook, a
scenario or drillbook's rendering that is not followed by `make site` fails here."""

from __future__ import annotations

import difflib

from tests.conftest import ROOT, SPECS
from tests.site_support import build, tree

COMMITTED = ROOT / "site"


def test_committed_site_is_up_to_date(tmp_path):
    assert COMMITTED.is_dir(), "site/ is missing: run `make site`"
    fresh = tmp_path / "site"
    result = build(SPECS, "-o", fresh)
    assert result.exit_code == 0, result.output
    expected, actual = tree(fresh), tree(COMMITTED)
    stale = sorted(
        name for name in expected.keys() | actual.keys() if expected.get(name) != actual.get(name)
    )
    detail = ""
    if stale and (fresh / stale[0]).is_file() and (COMMITTED / stale[0]).is_file():
        diff = difflib.unified_diff(
            (COMMITTED / stale[0]).read_text(encoding="utf-8").splitlines(),
            (fresh / stale[0]).read_text(encoding="utf-8").splitlines(),
            lineterm="",
            n=1,
        )
        detail = "\n" + "\n".join(list(diff)[:20])
    assert stale == [], f"site/ is stale (run `make site`): {stale}{detail}"
