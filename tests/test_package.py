"""The installed distribution: one top-level name, ``chainshift``, a console script, and a
public API a notebook can use."""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ["model", "agents", "scenarios", "experiments", "viz", "cli"]


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def test_every_source_folder_installs_under_chainshift():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert all(name == "chainshift" or name.startswith("chainshift.")
               for name in config["packages"])
    assert config["package-dir"] == {"chainshift": "chainshift",
                                     **{f"chainshift.{f}": f for f in FOLDERS}}
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "benchmarks"}
    assert packages == {"chainshift", *FOLDERS}, "a new package folder must be mapped"
    assert "py-modules" not in config, "no top-level module (run.py stays a script)"


def test_no_top_level_package_outside_chainshift(tmp_path):
    names = [*FOLDERS, "run"]
    result = _python("import importlib.util, sys; "
                     f"print([n for n in {names!r} if importlib.util.find_spec(n)])", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_public_api_from_a_notebook(tmp_path):
    result = _python(
        "import sys, chainshift\n"
        "assert 'chainshift.model' not in sys.modules, 'import chainshift stays light'\n"
        "from chainshift import TransitionModel, load_scenario, annual\n"
        "m = TransitionModel(load_scenario('baseline'), rng=3).run(8)\n"
        "print(len(annual(m.indicators())), chainshift.__version__)\n", tmp_path)
    assert result.returncode == 0, result.stderr
    years, version = result.stdout.split()
    assert int(years) == 2 and version[0].isdigit()


def test_console_script_and_module_run_the_same_command_line(tmp_path):
    script = shutil.which("chainshift", path=str(Path(sys.executable).parent))
    assert script, "the chainshift console script is installed"
    for cmd in ([script, "scenarios"], [sys.executable, "-m", "chainshift", "scenarios"]):
        result = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert "baseline" in result.stdout
