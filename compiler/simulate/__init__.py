"""`drillbook simulate`: rehearse a workflow on a virtual clock with scripted agents.

The pipeline: a scenario file is read (`scenario`, `loader`), bound to the document's
workflow (`bind` → `Plan`), run by the discrete-event engine (`engine`, `runner`), judged
(`verdicts`: SLOs, expectations) and reported (`report_text`, `report_json`, `gantt` and
`gantt_page`, `mermaid`); `montecarlo` repeats runs with fresh draws (`budget`: where the
time to a milestone goes; `whatif`: changed plans to compare), reported by
`report_montecarlo` and `report_montecarlo_html`. `scenario_tools` writes skeletons,
replays recorded runs and builds coverage matrices; `testing` is `drillbook test`.

The names below (from `api`, `scenario`, …) are the API other parts of drillbook (site,
diff, drill) build on. They load on first use, so that importing `compiler.simulate.rules`
(as `drillbook rules` and `lint` do) does not build the scenario models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from compiler.simulate.api import plan_for as plan_for
    from compiler.simulate.api import run as run
    from compiler.simulate.api import simulate as simulate
    from compiler.simulate.bind import Plan as Plan
    from compiler.simulate.bind import bind as bind
    from compiler.simulate.loader import ScenarioError as ScenarioError
    from compiler.simulate.result import RunResult as RunResult
    from compiler.simulate.scenario import LoadedScenario as LoadedScenario
    from compiler.simulate.scenario import parse_scenario as parse_scenario
    from compiler.simulate.scenario import read_scenario as read_scenario

_EXPORTS = {
    "LoadedScenario": "compiler.simulate.scenario",
    "Plan": "compiler.simulate.bind",
    "RunResult": "compiler.simulate.result",
    "ScenarioError": "compiler.simulate.loader",
    "bind": "compiler.simulate.bind",
    "parse_scenario": "compiler.simulate.scenario",
    "plan_for": "compiler.simulate.api",
    "read_scenario": "compiler.simulate.scenario",
    "run": "compiler.simulate.api",
    "simulate": "compiler.simulate.api",
}

__all__ = [
    "LoadedScenario",
    "Plan",
    "RunResult",
    "ScenarioError",
    "bind",
    "parse_scenario",
    "plan_for",
    "read_scenario",
    "run",
    "simulate",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'compiler.simulate' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
