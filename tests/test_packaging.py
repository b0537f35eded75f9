"""The wheel ships every package of the source tree and the templates."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT


def test_every_package_is_listed_for_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "compiler").rglob("__init__.py")
    }
    assert on_disk | {"compiler.templates"} == listed
    assert config["tool"]["setuptools"]["package-dir"]["compiler.templates"] == "templates"
    patterns = config["tool"]["setuptools"]["package-data"]["compiler.templates"]
    shipped = {path.suffix for path in (ROOT / "templates").iterdir() if path.name != "__init__.py"}
    assert all(any(pattern.endswith(suffix) for pattern in patterns) for suffix in shipped)
