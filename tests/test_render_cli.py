"""`drillbook render` as a user runs it: formats, output files, errors in one line."""

from __future__ import annotations

import os
import stat

from tests.conftest import FIXTURES, SPEC_FILES

SPEC = SPEC_FILES[0]


def test_formats_to_stdout(cli):
    expectations = {
        "html": "<!DOCTYPE html>",
        "svg": "<svg xmlns",
        "mermaid": "flowchart TD",
        "dot": "digraph ",
        "md": "**Workflow at a glance**",
    }
    for fmt, start in expectations.items():
        result = cli("render", str(SPEC), "--format", fmt)
        assert result.code == 0, result.stderr
        assert start in result.stdout.splitlines()[0] or start in result.stdout[:400]
        assert result.stderr == ""


def test_format_follows_the_output_suffix(cli, tmp_path):
    for suffix, start in ((".svg", "<svg"), (".mmd", "flowchart TD"), (".dot", "digraph"),
                          (".md", "Ship a feature"), (".html", "<!DOCTYPE html>")):  # fmt: skip
        target = tmp_path / f"out{suffix}"
        result = cli("render", str(SPEC), "-o", str(target))
        assert result.code == 0, result.stderr
        assert result.stdout == ""
        assert start in target.read_text(encoding="utf-8")[:300]


def test_unknown_suffix_needs_a_format(cli, tmp_path):
    result = cli("render", str(SPEC), "-o", str(tmp_path / "out.png"))
    assert result.code == 2
    assert "cannot tell the format from '.png'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.png").exists()


def test_never_overwrites_its_input(cli, tmp_path):
    copy = tmp_path / "doc.md"
    original = SPEC.read_bytes()
    copy.write_bytes(original)
    result = cli("render", str(copy), "--format", "md", "-o", str(copy))
    assert result.code == 2 and "refusing to overwrite the input" in result.stderr
    assert copy.read_bytes() == original


def test_missing_unreadable_and_directory_inputs(cli, tmp_path):
    missing = cli("render", str(tmp_path / "nope.md"))
    assert missing.code == 2 and "no such file or directory" in missing.stderr
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"\x00\x01\x02 not text \xff\xfe")
    unreadable = cli("render", str(binary))
    assert unreadable.code == 1 and "WF901" in unreadable.stderr
    assert unreadable.stdout == ""
    folder = cli("render", str(tmp_path))
    assert folder.code == 2 and "render takes one document" in folder.stderr
    for result in (missing, unreadable, folder):
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr


def test_missing_output_folder_is_a_usage_error(cli, tmp_path):
    result = cli("render", str(SPEC), "-o", str(tmp_path / "no" / "such" / "dir" / "r.html"))
    assert result.code == 2 and "output folder does not exist" in result.stderr


def test_reads_stdin(cli):
    result = cli("render", "-", "--format", "mermaid", stdin=SPEC.read_text(encoding="utf-8"))
    assert result.code == 0 and result.stdout.startswith("flowchart TD")


def test_report_includes_lint_unless_told_not_to(cli):
    flawed = FIXTURES / "lint" / "rules" / "WF402-path-without-condition.md"
    linted = cli("render", str(flawed), "--format", "md", "--replace-page")
    assert "WF402 path-without-condition" in linted.stdout
    unlinted = cli("render", str(flawed), "--format", "md", "--replace-page", "--no-lint")
    section = unlinted.stdout.split("## Diagnostics")[1].split("*Rendered by")[0]
    assert "Not linted" in section and "WF" not in section


def test_published_markdown_shows_findings_only_on_request(cli):
    flawed = FIXTURES / "lint" / "rules" / "WF402-path-without-condition.md"
    published = cli("render", str(flawed), "--format", "md")
    assert published.code == 0 and "WF402" not in published.stdout
    assert "**Workflow at a glance**" in published.stdout
    for_authors = cli("render", str(flawed), "--format", "md", "--findings")
    assert "## Lint findings" in for_authors.stdout
    assert "WF402 path-without-condition" in for_authors.stdout


def test_output_file_is_written_whole_and_readable(cli, tmp_path):
    target = tmp_path / "report.html"
    result = cli("render", str(SPEC), "-o", str(target))
    assert result.code == 0
    assert target.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temp file left
    mode = stat.S_IMODE(os.stat(target).st_mode)
    assert mode & stat.S_IRUSR
