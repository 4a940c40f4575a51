"""docs/PARAMETERS.md is generated from the schema and must be up to date."""

from __future__ import annotations

from chainshift.scenarios.docs import PARAMETERS_MD, main, render_parameters
from chainshift.scenarios.schema import default_chains, parameters, target_indicators


def test_parameters_md_is_up_to_date():
    assert PARAMETERS_MD.exists(), "run: python -m chainshift.scenarios.docs"
    assert PARAMETERS_MD.read_text(encoding="utf-8") == render_parameters(), (
        "docs/PARAMETERS.md is stale: run python -m chainshift.scenarios.docs")


def test_every_parameter_chain_event_kind_and_indicator_is_documented():
    text = render_parameters()
    for p in parameters():
        assert f"| `{p['key']}` |" in text
    for chain in default_chains():
        assert f"| `{chain.name}` |" in text
    for kind in ("demand_shock", "energy_shortage", "policy_change", "promoted_project"):
        assert f'### kind = "{kind}"' in text
    for name in target_indicators():
        assert f"| `{name}` |" in text


def test_a_parameter_row_shows_type_default_range_unit_and_capability():
    row = next(line for line in render_parameters().splitlines()
               if line.startswith("| `policy.coupling` |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1:] == ["float", "0.5", "0.0 to 1.0", "0-1",
                         "Double-chain coupling: share of institute work steered by chain needs",
                         "coordination", "双链融合"]


def test_check_mode_reports_a_stale_file(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "PARAMETERS.md"
    stale.write_text("old\n", encoding="utf-8")
    monkeypatch.setattr("chainshift.scenarios.docs.PARAMETERS_MD", stale)
    assert main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert main([]) == 0
    assert main(["--check"]) == 0
    assert stale.read_text(encoding="utf-8") == render_parameters()
