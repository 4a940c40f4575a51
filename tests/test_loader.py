"""The loader: inheritance, overrides, TOML output and one-line error messages."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from chainshift.scenarios.loader import (
    SCENARIO_DIR,
    ScenarioError,
    available,
    difference,
    dumps,
    dumps_diff,
    load_scenario,
    parse_overrides,
    parse_value,
    resolve_path,
    resolved_dict,
    to_toml_dict,
)
from chainshift.scenarios.schema import Scenario, default_chains


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(*args, **kwargs) -> str:
    with pytest.raises(ScenarioError) as err:
        load_scenario(*args, **kwargs)
    text = str(err.value)
    assert "\n" not in text
    return text


# -- inheritance ------------------------------------------------------------------------------
def test_a_child_holds_only_what_differs(tmp_path):
    path = write(tmp_path, "child.toml",
                 '# What if?\nextends = "baseline"\n[policy]\ncoupling = 0.9\n')
    child, base = load_scenario(path), load_scenario("baseline")
    assert child.policy.coupling == 0.9
    assert child.policy.carbon_price == base.policy.carbon_price
    assert child.population == base.population and child.chains == base.chains
    assert child.events == base.events and child.targets == base.targets
    assert child.name == "child" and child.description == "What if?" and child.extends == "baseline"


def test_chains_of_extends_resolve_relative_to_each_file(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path, "mid.toml",
          'extends = "baseline"\n[policy]\ncoupling = 0.9\ncarbon_price = 80\n')
    leaf = write(tmp_path / "sub", "leaf.toml",
                 'extends = "../mid.toml"\n[policy]\ncarbon_price = 99\n')
    s = load_scenario(leaf)
    assert (s.policy.coupling, s.policy.carbon_price) == (0.9, 99.0)
    assert s.extends == "../mid.toml"
    assert len(s.events) == len(load_scenario("baseline").events)


def test_a_shipped_chain_of_three():
    s = load_scenario("seedling_double")
    assert s.extends == "chongqing_2022_plan"
    assert s.policy.seedling_quota == 600 and s.policy.promoted_investment == 1300
    assert [e.kind for e in s.events] == [e.kind for e in load_scenario("baseline").events]


def test_chains_merge_by_name_onto_the_default_chains(tmp_path):
    path = write(tmp_path, "c.toml", 'extends = "baseline"\n[chains.automobile]\n'
                 'market_growth = 0.1\nva_share = 0.16\n[chains.nev]\nva_share = 0.055\n')
    s = load_scenario(path)
    by_name = {c.name: c for c in s.chains}
    assert [c.name for c in s.chains] == [c.name for c in default_chains()]
    assert by_name["automobile"].market_growth == 0.1 and by_name["automobile"].va_share == 0.16
    assert by_name["nev"].va_share == 0.055
    assert by_name["electronics"] == {c.name: c for c in default_chains()}["electronics"]


def test_a_root_file_with_chains_defines_the_whole_set(tmp_path):
    path = write(tmp_path, "two.toml", "[chains.a]\nva_share = 0.4\nfirm_share = 0.5\n"
                 "[chains.b]\nva_share = 0.6\nfirm_share = 0.5\n")
    assert load_scenario(path).chain_names == ["a", "b"]


def test_events_add_up_and_targets_replace_by_indicator_and_year(tmp_path):
    path = write(tmp_path, "e.toml", 'extends = "baseline"\n'
                 '[[events]]\nkind = "demand_shock"\nchain = "nev"\nstart = "2025Q1"\nsize = 0.2\n'
                 '[[targets]]\nindicator = "value_added_growth"\nyear = 2022\nvalue = 5.5\n'
                 '[[targets]]\nindicator = "co2"\nyear = 2030\nvalue = 100\n')
    base, s = load_scenario("baseline"), load_scenario(path)
    assert s.events[: len(base.events)] == base.events
    assert s.events[-1].chain == "nev" and len(s.events) == len(base.events) + 1
    targets = {(t.indicator, t.year): t.value for t in s.targets}
    assert targets[("value_added_growth", 2022)] == 5.5
    assert targets[("investment_growth", 2022)] == 7.0
    assert targets[("co2", 2030)] == 100
    assert len(s.targets) == 3


def test_name_and_description_default_to_the_file_name_and_first_comment(tmp_path):
    path = write(tmp_path, "q.toml", "# Which question?\n[policy]\ncoupling = 0.2\n")
    s = load_scenario(path)
    assert (s.name, s.description, s.extends) == ("q", "Which question?", None)
    path = write(tmp_path, "r.toml", 'name = "given"\ndescription = "d"\n')
    assert (load_scenario(path).name, load_scenario(path).description) == ("given", "d")


def test_resolved_dict_names_the_immediate_parent():
    data, path = resolved_dict("seedling_double")
    assert path == SCENARIO_DIR / "seedling_double.toml"
    assert data["extends"] == "chongqing_2022_plan"
    assert data["policy"]["seedling_quota"] == 600


def test_a_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes("\ufeff# Saved by Notepad?\n[policy]\ncoupling = 0.8\n".encode())
    s = load_scenario(path)
    assert (s.policy.coupling, s.description) == (0.8, "Saved by Notepad?")


def test_available_lists_shipped_files_with_their_first_line():
    items = available()
    assert set(items) == {p.stem for p in SCENARIO_DIR.glob("*.toml")}
    first = (SCENARIO_DIR / "auto_shock.toml").read_text(encoding="utf-8").splitlines()[0]
    assert items["auto_shock"] == first.lstrip("# ")


def test_resolve_path_prefers_the_extending_files_folder(tmp_path):
    write(tmp_path, "baseline.toml", "[policy]\ncoupling = 0.1\n")
    child = write(tmp_path, "child.toml", 'extends = "baseline"\n')
    assert resolve_path("baseline", relative_to=child) == tmp_path / "baseline.toml"
    assert load_scenario(child).policy.coupling == 0.1
    assert resolve_path("baseline") == SCENARIO_DIR / "baseline.toml"


# -- overrides --------------------------------------------------------------------------------
def test_parse_overrides_reads_toml_values_and_bare_words():
    got = parse_overrides(["policy.coupling=1", "population.enterprises = 1000",
                           "name=my_run", 'description="two words"', "x=true", "y=1e3"])
    assert got == {"policy.coupling": 1, "population.enterprises": 1000, "name": "my_run",
                   "description": "two words", "x": True, "y": 1000.0}
    assert parse_value("[0.1, 0.9]") == [0.1, 0.9]


@pytest.mark.parametrize("item, problem", [
    ("policy.coupling", "expected KEY=VALUE"),
    ("=1", "expected KEY=VALUE"),
    ("policy.coupling=1.2.3", "policy.coupling = '1.2.3': does not parse"),
    ("policy.coupling=", "does not parse"),
])
def test_parse_overrides_rejects(item, problem):
    with pytest.raises(ScenarioError) as err:
        parse_overrides([item])
    assert str(err.value).startswith("--set: ") and problem in str(err.value)


def test_overrides_apply_after_inheritance():
    s = load_scenario("coupling_off", overrides={"policy.coupling": 0.3,
                                                 "chains.automobile.market_growth": 0.02,
                                                 "population.enterprises": 500})
    assert s.policy.coupling == 0.3 and s.population.enterprises == 500
    assert s.chains[s.chain_names.index("automobile")].market_growth == 0.02


@pytest.mark.parametrize("overrides, parts", [
    ({"policy.copling": 1}, ["--set: policy.copling = 1", "(did you mean 'coupling'?)",
                             "allowed: rd_subsidy"]),
    ({"coupling": 1}, ["--set: coupling = 1", "(did you mean 'policy.coupling'?)"]),
    ({"polcy.coupling": 1}, ["(did you mean 'policy.coupling'?)", "allowed: <section>.<name>"]),
    ({"chains.autos.va_share": 0.1}, ["unknown chain 'autos'", "automobile, nev"]),
    ({"chains.automobile.vashare": 0.1}, ["(did you mean 'va_share'?)"]),
    ({"policy.coupling": 2}, ["--set: policy.coupling = 2: out of range",
                              "allowed: float from 0.0 to 1.0 (0-1)"]),
    ({"policy.coupling": "abc"}, ["policy.coupling = 'abc': must be a number"]),
    ({"chains.automobile.va_share": 0.5}, ["--set: chains.*.va_share = [automobile 0.5",
                                           "allowed: shares that sum to 1"]),
])
def test_override_errors(overrides, parts):
    text = error_of("baseline", overrides=overrides)
    for part in parts:
        assert part in text


def test_a_bad_file_is_blamed_before_the_overrides(tmp_path):
    path = write(tmp_path, "bad.toml", "[policy]\ncoupling = 7\n")
    text = error_of(path, overrides={"policy.carbon_price": 10})
    assert text.startswith(f"{path}: policy.coupling = 7")


def test_an_event_left_outside_a_shortened_horizon_names_its_file():
    text = error_of("auto_shock", overrides={"horizon.end_year": 2023})
    assert text.startswith("--set: ")
    assert "auto_shock.toml [[events]] 1: start = '2024Q1': outside the horizon" in text
    assert "allowed: 2021Q1 to 2023Q4" in text


# -- file errors ------------------------------------------------------------------------------
@pytest.mark.parametrize("text, parts", [
    ('extends = "baseline"\n[policy]\ncoupling = \n', ["malformed TOML", "line 3, column 12"]),
    ("[polcy]\ncoupling = 1\n", ["[polcy]: unknown section (did you mean 'policy'?)",
                                  "allowed: name, description, extends, horizon"]),
    ("[policy]\ncopling = 1\n", ["policy.copling = 1: unknown key (did you mean 'coupling'?)"]),
    ("[policy]\ncoupling = 'high'\n", ["policy.coupling = 'high': must be a number",
                                       "allowed: float from 0.0 to 1.0"]),
    ("[policy]\ncoupling = 1.5\n", ["policy.coupling = 1.5: out of range"]),
    ("[policy]\ncoupling = nan\n", ["policy.coupling = nan: must be a finite number"]),
    ("[labour]\nwage = inf\n", ["labour.wage = inf: must be a finite number"]),
    ("[policy]\nleading_per_chain = 2.5\n", ["policy.leading_per_chain = 2.5: not a whole number"]),
    ("[policy]\nleading_per_chain = true\n", ["leading_per_chain = true: must be a number"]),
    ("policy = 3\n", ["policy = 3: not a table; allowed: a [policy] table"]),
    ("events = 3\n", ["events = 3: not a list; allowed: [[events]] blocks"]),
    ("[population]\ninstitute_kind_shares = [0.5, 0.2, 0.1, 0.1]\n",
     ["population.institute_kind_shares = [0.5, 0.2, 0.1, 0.1]: shares sum to 0.9"]),
    ('[chains.automobile]\nnme = "x"\n', ["chains.automobile.nme = 'x': unknown key"]),
    ("[chains.automobile]\nva_share = 0.3\n[chains.nev]\nva_share = 0.3\n[chains.x]\n"
     "va_share = 0.4\nfirm_share = 1.0\n", ["chains.*.firm_share = [automobile"]),
    ("[horizon]\nend_year = 2020\n", ["horizon.end_year = 2020: before start_year 2021"]),
    ('[[events]]\nkind = "demand_shok"\nstart = "2025Q1"\n',
     ["[[events]] 1: kind = 'demand_shok': unknown event kind", "allowed: demand_shock"]),
    ('[[events]]\nkind = "demand_shock"\nstart = "2025Q1"\n',
     ["[[events]] 1: chain: missing", "allowed: automobile, nev"]),
    ('[[events]]\nkind = "demand_shock"\nchain = "nev"\nstart = "2025Q1"\nsize = -2\n',
     ["[[events]] 1: size = -2: out of range; allowed: float from -0.6 to 0.6"]),
    ('[[targets]]\nindicator = "va_growth"\nyear = 2022\nvalue = 6\n',
     ["[[targets]] 1: indicator = 'va_growth': unknown indicator",
      "(did you mean 'value_added_growth'?)"]),
])
def test_file_errors_name_file_key_value_and_what_is_allowed(tmp_path, text, parts):
    path = write(tmp_path, "bad.toml", text)
    message = error_of(path)
    assert message.startswith(f"{path}: ")
    for part in parts:
        assert part in message


def test_an_inherited_event_is_named_by_its_own_file_and_block(tmp_path):
    write(tmp_path, "parent.toml", 'extends = "baseline"\n'
          '[[events]]\nkind = "demand_shock"\nchain = "nev"\nstart = "2025Q1"\n'
          '[[events]]\nkind = "demand_shock"\nchain = "gone"\nstart = "2025Q1"\n')
    child = write(tmp_path, "child.toml", 'extends = "parent"\n')
    message = error_of(child)
    assert message.startswith(f"{child}: {tmp_path / 'parent.toml'} [[events]] 2: chain = 'gone'")


def test_missing_files_directories_and_binaries(tmp_path):
    assert "no such scenario file or name (did you mean 'baseline'?)" in error_of("baselin")
    assert ("allowed: a .toml path or one of auto_shock, balanced_start, baseline"
            in error_of("nosuch"))
    (tmp_path / "d.toml").mkdir()
    assert error_of(tmp_path / "d.toml") == f"{tmp_path / 'd.toml'}: is a directory; " \
        "allowed: a scenario file (.toml)"
    (tmp_path / "b.toml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    assert "is not a text file" in error_of(tmp_path / "b.toml")
    (tmp_path / "z.toml").write_bytes(b"a = 1\x00\n")
    assert "is a binary file" in error_of(tmp_path / "z.toml")


def test_a_folder_named_like_a_scenario_does_not_hide_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "baseline").mkdir()
    assert load_scenario("baseline").name == "baseline"
    assert error_of("./baseline") == "baseline: is a directory; allowed: a scenario file (.toml)"


def test_extends_errors(tmp_path):
    path = write(tmp_path, "m.toml", 'extends = "nosuch"\n')
    assert error_of(path).startswith(f"{path}: extends = 'nosuch': nosuch: no such scenario")
    write(tmp_path, "a.toml", 'extends = "b"\n')
    write(tmp_path, "b.toml", 'extends = "a.toml"\n')
    message = error_of(tmp_path / "a.toml")
    assert "extends: cycle in inheritance (a -> b -> a)" in message
    write(tmp_path, "self.toml", 'extends = "self"\n')
    assert "cycle in inheritance (self -> self)" in error_of(tmp_path / "self.toml")
    write(tmp_path, "n.toml", "extends = 3\n")
    assert "extends = 3: not a scenario" in error_of(tmp_path / "n.toml")


# -- writing ----------------------------------------------------------------------------------
def test_dumps_loads_back_unchanged_with_overrides(tmp_path):
    s = load_scenario("auto_shock", overrides={"policy.coupling": 0.123456789,
                                               "description": 'quotes " and\nlines'})
    path = write(tmp_path, "out.toml", dumps(s))
    again = load_scenario(path)
    assert again.model_dump(exclude={"extends"}) == s.model_dump(exclude={"extends"})
    assert dumps(again).splitlines()[1:] == dumps(s).splitlines()[1:]


def test_dumps_is_readable_toml_with_help_comments():
    text = dumps(load_scenario("auto_shock"))
    first = text.splitlines()[0]
    assert first == "# auto_shock: fully resolved (extends baseline)"
    assert "extends" not in tomllib.loads(text)
    assert "[chains.automobile]" in text and "[[events]]" in text and "[[targets]]" in text
    assert "coupling = 0.5  # Double-chain coupling" in text and "[0-1]" in text
    plain = dumps(load_scenario("auto_shock"), comments=False)
    assert "  #" not in plain and tomllib.loads(plain) == tomllib.loads(text)


def test_difference_holds_only_the_changes():
    child, parent = load_scenario("auto_shock"), load_scenario("baseline")
    d = difference(child, parent)
    assert d["extends"] == "baseline" and d["name"] == "auto_shock"
    assert [e["kind"] for e in d["events"]] == ["demand_shock"]
    assert set(d) == {"extends", "name", "description", "events"}
    assert set(difference(load_scenario("seedling_double"), load_scenario("chongqing_2022_plan"))
               ["policy"]) == {"seedling_quota", "little_giant_quota"}


def test_a_diff_written_as_a_file_loads_back_as_the_scenario(tmp_path):
    for name in ("auto_shock", "seedling_double", "baseline"):
        s = load_scenario(name)
        path = write(tmp_path, f"{name}.toml", dumps_diff(s, name))
        assert load_scenario(path).model_dump() == s.model_dump()


def test_to_toml_dict_keys_chains_by_name():
    d = to_toml_dict(Scenario())
    assert list(d["chains"]) == [c.name for c in default_chains()]
    assert "events" not in d and "targets" not in d
