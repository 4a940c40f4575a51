"""Provenance: manifests and failure records name no folder of the machine they ran on."""

import json
import sys
import sysconfig
from pathlib import Path

from chainshift.experiments.provenance import ROOT, manifest, portable_path, portable_traceback


def test_paths_are_relative_to_the_results_folder_or_the_project(tmp_path):
    folder = tmp_path / "results" / "sweep-1"
    assert portable_path(folder / "spec.toml", folder) == "spec.toml"
    assert portable_path(ROOT / "experiments" / "examples" / "x.toml", folder) == \
        "experiments/examples/x.toml"
    assert portable_path(tmp_path / "my.toml", folder) == "../../my.toml"
    assert portable_path("relative/spec.toml", folder) == "relative/spec.toml"


def test_tracebacks_name_project_files_and_installed_packages_portably():
    site = sysconfig.get_paths()["purelib"]
    text = (f'  File "{ROOT}/experiments/faults.py", line 3\n'
            f'  File "{site}/pandas/core/frame.py", line 9\n'
            f'  File "{sysconfig.get_paths()["stdlib"]}/json/decoder.py", line 1\n')
    out = portable_traceback(text)
    assert 'File "experiments/faults.py"' in out
    assert 'File "<site-packages>/pandas/core/frame.py"' in out
    assert 'File "<python>/json/decoder.py"' in out
    assert str(ROOT) not in out and sys.prefix not in out


def test_manifest_records_spec_files_relative_to_the_folder(tmp_path):
    folder = tmp_path / "out" / "study"
    m = manifest(folder=folder, spec_file=str(tmp_path / "spec.toml"), kind="sweep")
    assert m["spec_file"] == "../../spec.toml"
    assert json.dumps(m)  # serialisable


def test_a_sweep_folder_names_no_absolute_path(tmp_path):
    from chainshift.experiments.executors import open_pool
    from chainshift.experiments.faults import RaiseOn
    from chainshift.experiments.spec import parse_spec
    from chainshift.experiments.sweep import start

    spec = parse_spec({"sweep": {"quarters": 4}, "fixed": {"population.enterprises": 100},
                       "parameters": {"policy.coupling": [0.1, 0.2]}}, str(tmp_path / "s.toml"))
    pool = open_pool(1)
    try:
        with start(spec, tmp_path / "out", fault=RaiseOn(frozenset({1}))) as study:
            report = study.run(pool)
    finally:
        pool.close()
    for name in ("manifest.json", "errors.jsonl"):
        text = (report.folder / name).read_text()
        assert str(tmp_path) not in text and str(ROOT) not in text, name
    error = json.loads((report.folder / "errors.jsonl").read_text())
    assert 'File "experiments/faults.py"' in error["traceback"]
    assert json.loads((report.folder / "manifest.json").read_text())["spec_file"] == \
        "../../s.toml"
    assert Path(report.folder / "errors.jsonl").exists()
