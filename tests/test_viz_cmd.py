import subprocess
import sys
from pathlib import Path

import pytest

from cli.viz_cmd import OFFLINE_ENV, server_command, server_env

ROOT = Path(__file__).resolve().parents[1]


def test_server_runs_the_app_module_offline_and_in_production_mode():
    cmd = server_command("127.0.0.1", 8123)
    assert cmd[:5] == [sys.executable, "-m", "solara", "run", "viz.app"]
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--port") + 1] == "8123"
    for flag in ("--production", "--no-check-version", "--no-open"):
        assert flag in cmd
    assert "--open" in server_command("0.0.0.0", 80, open_browser=True)


def test_environment_turns_off_telemetry_and_serves_assets_locally():
    env = server_env({"PATH": "/bin", "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "True"})
    assert env["PATH"] == "/bin"
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    assert env["SOLARA_ASSETS_PROXY"] == "True"
    assert set(OFFLINE_ENV) <= set(env)


def test_the_app_module_exposes_a_page():
    from viz import app

    assert callable(app.Page)


@pytest.mark.parametrize(("args", "message"), [
    (["--port", "70000"], "'70000' is not a port (0 to 65535)"),
    (["--port", "http"], "'http' is not a non-negative integer"),
    (["--colour"], "unrecognized arguments: --colour"),
])
def test_bad_options_are_one_line_and_exit_2(args, message):
    out = subprocess.run([sys.executable, "run.py", "viz", *args], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and out.stderr.startswith("error: ")
    assert message in out.stderr
    assert "Traceback" not in out.stderr
