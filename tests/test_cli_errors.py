"""Bad input on the command line: ``python run.py ...`` as a subprocess in a fresh folder.

Each case must exit with code 2 and print exactly one line on stderr, ``error: ...``, naming
the file (or option), the key, the value given and what is allowed, with no traceback; and
it must leave the folder as it found it (no results folder, no partial file).
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

RUN_PY = Path(__file__).resolve().parent.parent / "run.py"

CHILD = 'extends = "baseline"\n'


@dataclass(frozen=True)
class Case:
    """One bad invocation: files written first, the arguments, and what the line must say."""

    argv: tuple[str, ...]
    expect: tuple[str, ...]
    files: dict[str, str | bytes | None] = field(default_factory=dict)  # None: a directory


CASES: dict[str, Case] = {
    "malformed_toml": Case(
        ("run", "bad.toml"), ("bad.toml: malformed TOML", "(at line 3, column 12)"),
        {"bad.toml": CHILD + "[policy]\ncoupling = \n"}),
    "unknown_section": Case(
        ("run", "bad.toml"),
        ("bad.toml: [polcy]: unknown section (did you mean 'policy'?)", "allowed: name,"),
        {"bad.toml": CHILD + "[polcy]\ncoupling = 1\n"}),
    "unknown_key": Case(
        ("run", "bad.toml"),
        ("bad.toml: policy.copling = 1: unknown key (did you mean 'coupling'?)",
         "allowed: rd_subsidy,"),
        {"bad.toml": CHILD + "[policy]\ncopling = 1\n"}),
    "unknown_key_no_near_miss": Case(
        ("run", "bad.toml"), ("bad.toml: finance.zzz = 1: unknown key; allowed: interest_rate",),
        {"bad.toml": CHILD + "[finance]\nzzz = 1\n"}),
    "wrong_type": Case(
        ("run", "bad.toml"),
        ("bad.toml: policy.carbon_price = 'high': must be a number",
         "allowed: float from 0.0 to 1000.0"),
        {"bad.toml": CHILD + '[policy]\ncarbon_price = "high"\n'}),
    "wrong_type_int": Case(
        ("run", "bad.toml"),
        ("bad.toml: population.parks = 4.5: not a whole number", "allowed: int from 1 to 1000"),
        {"bad.toml": CHILD + "[population]\nparks = 4.5\n"}),
    "out_of_range": Case(
        ("run", "bad.toml"),
        ("bad.toml: policy.coupling = 1.5: out of range", "allowed: float from 0.0 to 1.0 (0-1)"),
        {"bad.toml": CHILD + "[policy]\ncoupling = 1.5\n"}),
    "nan": Case(
        ("run", "bad.toml"),
        ("bad.toml: policy.coupling = nan: must be a finite number", "allowed: float from 0.0"),
        {"bad.toml": CHILD + "[policy]\ncoupling = nan\n"}),
    "infinity": Case(
        ("run", "bad.toml"),
        ("bad.toml: energy.energy_price = inf: must be a finite number", "allowed: float from"),
        {"bad.toml": CHILD + "[energy]\nenergy_price = inf\n"}),
    "chain_shares": Case(
        ("run", "bad.toml"),
        ("bad.toml: chains.*.va_share = [automobile 0.3, nev 0.045", "shares sum to 1.13",
         "allowed: shares that sum to 1"),
        {"bad.toml": CHILD + "[chains.automobile]\nva_share = 0.3\n"}),
    "institute_kind_shares": Case(
        ("run", "bad.toml"),
        ("bad.toml: population.institute_kind_shares = [0.5, 0.2, 0.1, 0.1]: shares sum to 0.9",
         "allowed: 4 shares >= 0 that sum to 1"),
        {"bad.toml": CHILD + "[population]\ninstitute_kind_shares = [0.5, 0.2, 0.1, 0.1]\n"}),
    "event_unknown_chain": Case(
        ("run", "bad.toml"),
        ("bad.toml: [[events]] 1: chain = 'automobil': unknown chain (did you mean 'automobile'?)",
         "allowed: automobile, nev,"),
        {"bad.toml": CHILD + '[[events]]\nkind = "demand_shock"\nchain = "automobil"\n'
                            'start = "2024Q1"\nsize = -0.17\n'}),
    "event_outside_horizon": Case(
        ("run", "bad.toml"),
        ("bad.toml: [[events]] 1: start = '2036Q1': outside the horizon",
         "allowed: 2021Q1 to 2035Q4"),
        {"bad.toml": CHILD + '[[events]]\nkind = "demand_shock"\nchain = "automobile"\n'
                            'start = "2036Q1"\nsize = -0.17\n'}),
    "event_runs_past_horizon": Case(
        ("run", "bad.toml"),
        ("bad.toml: [[events]] 1: quarters = 8: the event would last until 2037Q2",
         "allowed: 1 to 2"),
        {"bad.toml": CHILD + '[[events]]\nkind = "energy_shortage"\nstart = "2035Q3"\n'
                            "quarters = 8\ncut = 0.1\n"}),
    "policy_change_out_of_range": Case(
        ("run", "bad.toml"),
        ("bad.toml: [[events]] 1: value = 3.0: out of range for policy.coupling",
         "allowed: float from 0.0 to 1.0"),
        {"bad.toml": CHILD + '[[events]]\nkind = "policy_change"\nstart = "2025Q1"\n'
                            'lever = "coupling"\nvalue = 3.0\n'}),
    "target_unknown_indicator": Case(
        ("run", "bad.toml"),
        ("bad.toml: [[targets]] 1: indicator = 'va_growth': unknown indicator",
         "(did you mean 'value_added_growth'?)", "allowed: value_added,"),
        {"bad.toml": CHILD + '[[targets]]\nindicator = "va_growth"\nyear = 2022\nvalue = 6\n'}),
    "extends_missing": Case(
        ("run", "bad.toml"),
        ("bad.toml: extends = 'baseline_v2': baseline_v2: no such scenario file or name",
         "(did you mean 'baseline'?)", "allowed: a .toml path or one of"),
        {"bad.toml": 'extends = "baseline_v2"\n'}),
    "extends_cycle": Case(
        ("run", "a.toml"),
        ("a.toml: extends: cycle in inheritance (a -> b -> a)", "allowed:"),
        {"a.toml": 'extends = "b"\n', "b.toml": 'extends = "a"\n'}),
    "missing_file": Case(
        ("run", "nothere.toml"),
        ("nothere.toml: no such scenario file or name", "allowed: a .toml path or one of")),
    "directory": Case(
        ("run", "folder.toml"), ("folder.toml: is a directory; allowed: a scenario file",),
        {"folder.toml": None}),
    "binary_file": Case(
        ("run", "image.toml"), ("image.toml: is not a text file (not UTF-8); allowed: TOML",),
        {"image.toml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"}),
    "set_unknown_key": Case(
        ("run", "baseline", "--set", "policy.copling=1"),
        ("--set: policy.copling = 1: unknown parameter in [policy] (did you mean 'coupling'?)",
         "allowed: rd_subsidy,")),
    "set_value_does_not_parse": Case(
        ("run", "baseline", "--set", "policy.coupling=0,5"),
        ("--set: policy.coupling = '0,5': does not parse", "allowed: a number")),
    "set_out_of_range": Case(
        ("run", "baseline", "--set", "population.enterprises=3"),
        ("--set: population.enterprises = 3: out of range", "allowed: int from 10 to 2000000")),
    "seed_negative": Case(
        ("run", "baseline", "--seed", "-1"), ("--seed: '-1' is not a non-negative integer",)),
    "seed_not_an_integer": Case(
        ("run", "baseline", "--seed", "1.5"), ("--seed: '1.5' is not a non-negative integer",)),
    "device": Case(
        ("run", "/dev/zero"), ("/dev/zero: is not a regular file", "allowed: a TOML text file")),
    "huge_file": Case(
        ("run", "huge.toml"),
        ("huge.toml: is 1,000,022 bytes", "allowed: a TOML file of at most 1,000,000 bytes"),
        {"huge.toml": CHILD + "#" * 1_000_000 + "\n"}),
    "spec_device": Case(
        ("sweep", "/dev/zero"), ("/dev/zero: is not a regular file",)),
    "extends_too_deep": Case(
        ("run", "c0.toml"), ("extends: more than 64 scenarios deep",
                             "allowed: a chain of at most 64 parents"),
        {f"c{i}.toml": f'extends = "c{i + 1}"\n' for i in range(1500)}),
    "duplicate_key": Case(
        ("run", "bad.toml"),
        ("bad.toml: population.enterprises: given twice (line 4)", "allowed: each key once"),
        {"bad.toml": CHILD + "[population]\nenterprises = 1000\nenterprises = 2000\n"}),
    "duplicate_table": Case(
        ("run", "bad.toml"), ("bad.toml: [policy]: declared twice", "allowed: each table once"),
        {"bad.toml": CHILD + "[policy]\ncoupling = 1\n[policy]\nrd_subsidy = 0.1\n"}),
    "huge_integer": Case(
        ("run", "bad.toml"),
        ("bad.toml: population.enterprises = 1e+30: out of range", "allowed: int from 10 to"),
        {"bad.toml": CHILD + "[population]\nenterprises = 1e30\n"}),
    "bool_as_text": Case(
        ("run", "bad.toml"),
        ("bad.toml: chains.nev.strategic_emerging = 'yes': must be true or false",
         "allowed: true, false"),
        {"bad.toml": CHILD + '[chains.nev]\nstrategic_emerging = "yes"\n'}),
    "policy_change_not_whole": Case(
        ("run", "bad.toml"),
        ("bad.toml: [[events]] 1: value = 2.5: not a whole number for policy.leading_per_chain",
         "allowed: int from 0 to"),
        {"bad.toml": CHILD + '[[events]]\nkind = "policy_change"\nstart = "2025Q1"\n'
                            'lever = "leading_per_chain"\nvalue = 2.5\n'}),
    "set_chain_without_field": Case(
        ("run", "baseline", "--set", "chains.automobile=1"),
        ("--set: chains.automobile = 1: a chain has fields, not one value",
         "allowed: chains.automobile.<field> with field one of label_zh,")),
    "set_huge_integer": Case(
        ("run", "baseline", "--set", "population.enterprises=1e30"),
        ("--set: population.enterprises = 1e+30: out of range",)),
    "out_is_a_file": Case(
        ("run", "baseline", "--steps", "4", "--out", "file"),
        ("--out file: is a file, not a folder", "allowed: a folder"), {"file": "x"}),
    "out_under_a_file": Case(
        ("run", "baseline", "--steps", "4", "--out", "file/results"),
        ("--out file/results: file is a file, so no folder can be made under it",),
        {"file": "x"}),
    "out_dev_null": Case(
        ("compare", "baseline", "green_push", "--out", "/dev/null"),
        ("--out /dev/null: is a file, not a folder",)),
    "calibrate_out_file": Case(
        ("calibrate", "--out", "file"), ("--out file: is a file",), {"file": "x"}),
    "write_scenario_no_folder": Case(
        ("calibrate", "--write-scenario", "no/fit.toml"),
        ("calibrate: --write-scenario no/fit.toml: the folder no does not exist",)),
    "scheduler_bad_port": Case(
        ("compare", "baseline", "green_push", "--scheduler", "tcp://127.0.0.1:99999"),
        ("compare: --scheduler tcp://127.0.0.1:99999: port '99999' is not a port",
         "allowed: tcp://host:port with port 1 to 65535")),
    "compare_horizons_start_apart": Case(
        ("compare", "baseline", "late.toml"),
        ("compare: the horizons start in different years (A 2021-2035, B 2022-2035)",),
        {"late.toml": CHILD + "[horizon]\nstart_year = 2022\n"}),
    "compare_years_outside": Case(
        ("compare", "baseline", "green_push", "--years", "2019,2030"),
        ("compare: --years 2019: not a year both runs cover; allowed: 2021 to 2035",)),
    "compare_too_many_seeds": Case(
        ("compare", "baseline", "green_push", "--seeds", "1000000000"),
        ("compare: --seeds 1000000000: plans 2,000,000,000 runs",)),
    "validate_bad_calibrated": Case(
        ("validate", "--calibrated", "bad.toml", "--out", "docs"),
        ("validate: --calibrated bad.toml: policy.coupling = 7: out of range",),
        {"bad.toml": CHILD + "[policy]\ncoupling = 7\n"}),
    "show_bad_file": Case(
        ("show", "bad.toml", "--diff"), ("bad.toml: policy.coupling = -1: out of range",),
        {"bad.toml": CHILD + "[policy]\ncoupling = -1\n"}),
}


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    before: set[str]
    after: set[str]


def listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def invoke(folder: Path, case: Case) -> Outcome:
    folder.mkdir()
    for name, content in case.files.items():
        path = folder / name
        if content is None:
            path.mkdir()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    before = listing(folder)
    done = subprocess.run([sys.executable, str(RUN_PY), *case.argv], cwd=folder,
                          capture_output=True, text=True, timeout=300)
    return Outcome(done.returncode, done.stdout, done.stderr, before, listing(folder))


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, Outcome]:
    """Every case run once, two at a time."""
    root = tmp_path_factory.mktemp("cli")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(invoke, root / name, case) for name, case in CASES.items()}
        return {name: f.result() for name, f in futures.items()}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_gives_one_line_and_exit_code_2(outcomes, name):
    out = outcomes[name]
    lines = out.stderr.splitlines()
    assert out.code == 2, out.stderr
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in out.stderr + out.stdout
    for part in CASES[name].expect:
        assert part in lines[0]
    assert out.after == out.before, "the run left files behind"
