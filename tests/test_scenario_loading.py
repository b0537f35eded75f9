"""Reading scenario files: strict validation with file, line and key; safe YAML; the schema."""

from __future__ import annotations

import json

import pytest

from compiler.simulate.distributions import Duration
from compiler.simulate.loader import MAX_VALUES, ScenarioError
from compiler.simulate.scenario import Scenario, parse_scenario, read_scenario, scenario_schema
from tests.conftest import SPECS


def error_of(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    return caught.value


def test_a_full_scenario_reads_every_section():
    loaded = parse_scenario(
        """
seed: 7
inputs: {ARGUMENTS: checkout latency spike, COUNT: 3}
facts: {risk level: medium}
defaults: {duration: 5m}
agents:
  monitoring-specialist: {duration: 12m}
steps:
  phase-3/branch-c: {duration: {min: 4m, mode: 6m, max: 15m}}
  phase-4: {fail: 1, retries: 1}
  phase-3/branch-d: {outputs: {security clearance or escalation: "no breach"}}
decisions: {phase-2: path-a}
checkpoints: {phase-checkpoint-1: {approve_after: 10m}}
resources: {max_parallel_agents: 3}
slo:
  - {name: RTO, within: 30m, until: phase-4}
  - {name: updates, every: 15m, steps: "*communications*"}
expect: {path: [phase-2/path-a], finishes_within: 90m}
""",
        "s.yaml",
    )
    scenario = loaded.scenario
    assert scenario.seed == 7
    assert scenario.inputs == {"ARGUMENTS": "checkout latency spike", "COUNT": "3"}
    assert scenario.agents["monitoring-specialist"].duration == Duration.fixed(720)
    assert scenario.steps["phase-3/branch-c"].duration == Duration("triangular", 240, 360, 900)
    assert scenario.steps["phase-4"].fail == 1
    assert scenario.resources.max_parallel_agents == 3
    assert scenario.slo is not None and scenario.slo[1].every == Duration.fixed(900)
    assert scenario.expect.finishes_within == Duration.fixed(5400)


@pytest.mark.parametrize(
    ("text", "where", "needle"),
    [
        ("seed: 1\nsteps:\n  phase-4: {durration: 5m}\n", "s.yaml:3:13", "did you mean 'duration'"),
        ("steps:\n  x: {duration: 5q}\n", "s.yaml:2:7", "'5q' is not a duration"),
        (
            "steps:\n  x:\n    duration: {min: 9m, mode: 1m, max: 10m}\n",
            "s.yaml:3:5",
            "min ≤ mode ≤ max",
        ),
        ("steps:\n  x: {duration: {p50: 9m, p99: 1m}}\n", "s.yaml:2:7", "{p50, p90}"),
        ("slo:\n  - {name: a}\n", "s.yaml:2:5", "either `within`"),
        ("slo:\n  - {within: 5m}\n", "s.yaml:2:5", "slo[0].name: required key is missing"),
        ("slo:\n  - {name: a, within: {p50: 1m, p90: 2m}}\n", "s.yaml:2:5", "fixed duration"),
        ("expect: {status: ok}\n", "s.yaml:1:10", "'completed', 'failed' or 'rejected'"),
        ("seed: x\n", "s.yaml:1:1", "seed: Input should be a valid integer"),
        ("agents: {a: {fail: -1}}\n", "s.yaml:1:14", "agents.a.fail"),
        ("facts: {a: [1]}\n", "s.yaml:1:9", "text, a number or true/false"),
        ("resources: {max_parallel_agents: 0}\n", "s.yaml:1:13", "greater than or equal to 1"),
        ("checkpoints: {c: {approve_after: 1m, reject_after: 2m}}\n", "s.yaml:1:15", "not both"),
        ("sead: 1\n", "s.yaml:1:1", "did you mean 'seed'"),
    ],
)
def test_a_bad_value_is_reported_with_file_line_column_and_key(text, where, needle):
    problem = error_of(text)
    assert problem.describe().startswith(where + ":"), problem.describe()
    assert needle in problem.message


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("a: b: c\n", "malformed YAML"),
        ("[1, 2]\n", "a mapping of keys"),
        ("", "empty"),
        ("seed: 1\n---\nseed: 2\n", "malformed YAML"),
        ("seed: 1\nseed: 2\n", "duplicate key 'seed'"),
        ("seed: !!python/object:os.system x\n", "unsupported YAML tag"),
        ("a: &a [*a]\n", "refers to the value that contains it"),
        ("{seed: 1\n", "malformed YAML"),
    ],
)
def test_malformed_files_are_refused_with_a_position(text, needle):
    problem = error_of(text)
    assert needle in problem.message
    assert problem.line is not None


def test_an_alias_bomb_is_refused_before_it_can_grow():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 10)}]")
    problem = error_of("\n".join(lines) + "\n")
    assert f"more than {MAX_VALUES} values" in problem.message


def test_a_few_anchors_and_merge_keys_are_fine():
    loaded = parse_scenario(
        "defaults: {duration: 5m}\n"
        "agents:\n"
        "  a: &slow {duration: 30m, retries: 2}\n"
        "  b: *slow\n"
        "  c:\n"
        "    <<: *slow\n"
        "    retries: 0\n",
        "s.yaml",
    )
    agents = loaded.scenario.agents
    assert agents["b"].duration == Duration.fixed(1800)
    assert (agents["c"].duration, agents["c"].retries) == (Duration.fixed(1800), 0)


def test_yaml_words_keep_their_text_as_keys():
    loaded = parse_scenario("facts: {yes: no, 1: 2, on: off}\n", "s.yaml")
    assert loaded.scenario.facts == {"yes": False, "1": 2, "on": False}


def test_json_scenarios_read_the_same_and_keep_line_numbers():
    text = json.dumps({"seed": 3, "steps": {"a": {"duration": "90s"}}}, indent=2)
    assert parse_scenario(text, "s.json").scenario.steps["a"].duration == Duration.fixed(90)
    bad = text.replace('"90s"', '"ninety"')
    problem = error_of(bad)
    assert problem.line == 5


def test_reading_a_file_that_is_missing_binary_or_a_folder(tmp_path):
    with pytest.raises(ScenarioError, match="no such scenario file"):
        read_scenario(tmp_path / "missing.yaml")
    (tmp_path / "bin.yaml").write_bytes(b"seed: \xff\xfe\n")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        read_scenario(tmp_path / "bin.yaml")
    with pytest.raises(ScenarioError, match="directory"):
        read_scenario(tmp_path)


def test_a_huge_file_is_refused(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("description: " + "x" * 1_100_000 + "\n")
    with pytest.raises(ScenarioError, match="larger than"):
        read_scenario(big)


def test_the_schema_describes_every_key_the_model_accepts():
    schema = scenario_schema()
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(Scenario.model_fields)
    step = schema["$defs"]["StepScript"]
    assert {"duration", "fail", "retries", "on_failure", "outputs", "skip"} <= set(
        step["properties"]
    )
    json.dumps(schema)  # plain JSON


def test_drillbook_schema_scenario_prints_the_schema(cli):
    result = cli("schema", "scenario")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(json.dumps(scenario_schema()))


@pytest.mark.parametrize(
    "path",
    sorted(SPECS.glob("*.scenario.yaml")) + sorted(SPECS.glob("*.scenarios/*.yaml")),
    ids=str,
)
def test_every_spec_scenario_is_valid(path):
    assert read_scenario(path).scenario is not None
