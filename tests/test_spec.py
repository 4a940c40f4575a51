"""Sweep spec validation: one-line errors naming file, key, value and what is allowed."""

from pathlib import Path

import pytest

from chainshift.cli.main import main
from chainshift.experiments.spec import load_spec
from chainshift.scenarios.loader import ScenarioError

GOOD = """
[sweep]
scenario = "baseline"
design = "grid"
replications = 2
seed = 7
quarters = 8
[fixed]
"population.enterprises" = 300
[parameters]
"policy.rd_subsidy" = [0.0, 0.1, 0.2]
"policy.carbon_price" = { low = 0, high = 300, steps = 4 }
"""


def write(tmp_path: Path, text: str, name: str = "spec.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_spec_is_read_with_its_values(tmp_path):
    spec = load_spec(write(tmp_path, GOOD))
    assert spec.name == "spec"
    assert spec.design == "grid"
    assert spec.replications == 2 and spec.seed == 7 and spec.quarters == 8
    assert spec.base.population.enterprises == 300
    assert spec.keys == ["policy.rd_subsidy", "policy.carbon_price"]
    assert spec.factors[0].values == (0.0, 0.1, 0.2)
    assert spec.factors[1].values == (0.0, 100.0, 200.0, 300.0)


def test_quarters_default_to_the_scenario_horizon(tmp_path):
    spec = load_spec(write(tmp_path, GOOD.replace("quarters = 8\n", "")))
    assert spec.quarters == 60


def test_scenario_path_is_relative_to_the_spec(tmp_path):
    write(tmp_path, 'extends = "baseline"\nname = "mine"\n[policy]\ncoupling = 0.9\n', "mine.toml")
    spec = load_spec(write(tmp_path, GOOD.replace('"baseline"', '"mine.toml"')))
    assert spec.base.policy.coupling == 0.9
    assert spec.base.population.enterprises == 300


def test_chain_parameters_can_be_varied(tmp_path):
    text = GOOD.replace('"policy.rd_subsidy"', '"chains.nev.market_growth"')
    assert load_spec(write(tmp_path, text)).keys[0] == "chains.nev.market_growth"


@pytest.mark.parametrize(("edit", "expected"), [
    (('"policy.rd_subsidy"', '"policy.rd_subsidi"'),
     "parameters.\"policy.rd_subsidi\" = [0.0, 0.1, 0.2]: unknown parameter (did you mean "
     "'policy.rd_subsidy'?)"),
    (("[0.0, 0.1, 0.2]", "[0.0, 0.9]"),
     "0.9 is above the maximum; allowed: float from 0.0 to 0.5 (0-1)"),
    (("high = 300,", "high = 3000,"),
     "3000 is above the maximum; allowed: float from 0.0 to 1000.0 (yuan/t CO2)"),
    (('design = "grid"', 'design = "gird"'),
     "sweep.design = \"gird\": unknown design (did you mean 'grid'?); allowed: grid, lhs, "
     "sobol, morris"),
    (('"population.enterprises" = 300', '"population.enterprises" = 5'),
     "[fixed].\"population.enterprises\" = 5: 5 is below the minimum"),
    (("quarters = 8", "quarters = 100"), "sweep.quarters = 100: must be a whole number from 1 "
     "to 60"),
    (("replications = 2", "replications = 0"), "sweep.replications = 0: must be a whole number"),
    (("seed = 7", "seeds = 7"), "sweep.seeds: unknown key (did you mean 'seed'?)"),
    (('"policy.rd_subsidy" = [0.0, 0.1, 0.2]', '"population.institute_kind_shares" = [0.1]'),
     "not a numeric parameter (type list[float])"),
    (("[0.0, 0.1, 0.2]", "[0.1, 0.1]"), "repeats a value"),
])
def test_bad_values_name_file_key_value_and_what_is_allowed(tmp_path, edit, expected):
    path = write(tmp_path, GOOD.replace(*edit))
    with pytest.raises(ScenarioError) as err:
        load_spec(path)
    message = str(err.value)
    assert message.startswith(f"{path}: ")
    assert expected.replace("[fixed].", "fixed.") in message
    assert "\n" not in message


def test_sampled_designs_need_ranges(tmp_path):
    path = write(tmp_path, GOOD.replace('design = "grid"', 'design = "lhs"'))
    with pytest.raises(ScenarioError, match=r'design \'lhs\' samples from a range; write '
                       r'"policy.rd_subsidy" = \{ low = ..., high = ... \}'):
        load_spec(path)


def test_sobol_samples_must_be_a_power_of_two(tmp_path):
    text = ('[sweep]\ndesign = "sobol"\nsamples = 12\n[parameters]\n'
            '"policy.coupling" = { low = 0, high = 1 }\n')
    with pytest.raises(ScenarioError, match="samples = 12: Sobol sampling needs a power of 2"):
        load_spec(write(tmp_path, text))


def test_cross_field_rules_are_checked_at_the_range_ends(tmp_path):
    text = GOOD.replace('"policy.rd_subsidy" = [0.0, 0.1, 0.2]',
                        '"horizon.start_year" = [2021, 2040]')
    with pytest.raises(ScenarioError, match=r'"horizon.start_year" = 2040: .*end_year'):
        load_spec(write(tmp_path, text))


def test_a_key_both_fixed_and_varied_is_refused(tmp_path):
    text = GOOD.replace('"population.enterprises" = 300', '"policy.rd_subsidy" = 0.3')
    with pytest.raises(ScenarioError, match="is also set in \\[fixed\\]"):
        load_spec(write(tmp_path, text))


CLI_CASES = {
    "unknown key": GOOD.replace('"policy.rd_subsidy"', '"policy.rd_subsidi"'),
    "out of range": GOOD.replace("[0.0, 0.1, 0.2]", "[0.0, 0.9]"),
    "bad design": GOOD.replace('design = "grid"', 'design = "factorial"'),
    "malformed TOML": GOOD.replace("[parameters]", "[parameters"),
}


@pytest.mark.parametrize("case", sorted(CLI_CASES))
@pytest.mark.parametrize("command", ["sweep", "sensitivity"])
def test_cli_reports_a_bad_spec_in_one_line_and_writes_nothing(tmp_path, capsys, case, command):
    path = write(tmp_path, CLI_CASES[case])
    out = tmp_path / "results"
    code = main([command, str(path), "--out", str(out), "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"error: {path}: ")
    assert err.count("\n") == 1
    assert not out.exists()


def test_cli_malformed_toml_message(tmp_path, capsys):
    path = write(tmp_path, CLI_CASES["malformed TOML"])
    assert main(["sweep", str(path), "--out", str(tmp_path / "r")]) == 2
    assert "malformed TOML" in capsys.readouterr().err


def test_cli_needs_a_spec_or_a_folder(tmp_path, capsys):
    assert main(["sweep", "--out", str(tmp_path)]) == 2
    assert "give a spec file, or --resume DIR" in capsys.readouterr().err


def test_cli_resume_of_a_folder_that_is_not_a_sweep(tmp_path, capsys):
    assert main(["sweep", "--resume", str(tmp_path)]) == 2
    assert "not a sweep results folder" in capsys.readouterr().err


def test_shipped_examples_are_valid():
    root = Path(__file__).resolve().parent.parent / "experiments" / "examples"
    examples = sorted(root.glob("*.toml"))
    assert len(examples) >= 2
    for path in examples:
        assert load_spec(path).factors
