import subprocess
import sys
from pathlib import Path

import pytest

from chainshift.cli.viz_cmd import OFFLINE_ENV, server_command, server_env

ROOT = Path(__file__).resolve().parents[1]


def test_server_runs_the_app_module_offline_and_in_production_mode():
    cmd = server_command("127.0.0.1", 8123)
    assert cmd[:5] == [sys.executable, "-m", "solara", "run", "chainshift.viz.app"]
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
    from chainshift.viz import app

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


def test_an_address_that_is_not_this_machines_is_exit_2_before_any_url():
    out = subprocess.run([sys.executable, "run.py", "viz", "--host", "999.1.1.1"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2, out.stderr
    assert out.stdout == ""
    assert out.stderr.count("\n") == 1
    assert out.stderr.startswith("error: viz: --host 999.1.1.1: not a known address")


def test_a_port_in_use_is_exit_2():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        out = subprocess.run([sys.executable, "run.py", "viz", "--port", str(port)], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and out.stdout == ""
    assert f"viz: --port {port}: in use by another program" in out.stderr


def test_all_interfaces_lists_the_addresses_and_says_the_network_can_reach_it(monkeypatch):
    from chainshift.cli import viz_cmd

    monkeypatch.setattr(viz_cmd, "local_addresses", lambda: ["192.168.1.20", "10.0.0.7"])
    lines = viz_cmd.where_lines("0.0.0.0", 8080)
    assert lines[0] == ("chainshift dashboard on http://localhost:8080, http://192.168.1.20:8080, "
                        "http://10.0.0.7:8080 (Ctrl-C to stop)")
    assert lines[1].startswith("open to the network: anyone who can reach this machine")
    assert viz_cmd.where_lines("127.0.0.1", 8080) == [
        "chainshift dashboard on http://localhost:8080 (Ctrl-C to stop)"]


def test_local_addresses_are_this_machines_own():
    import ipaddress

    from chainshift.cli.viz_cmd import local_addresses

    for a in local_addresses():
        ip = ipaddress.ip_address(a)
        assert ip.version == 4 and not ip.is_loopback


@pytest.mark.slow
def test_the_server_on_all_interfaces_prints_where_and_starts_without_warnings(tmp_path):
    import os
    import signal
    import socket
    import time
    import urllib.request

    log = tmp_path / "server.log"
    with open(log, "w") as fh:
        proc = subprocess.Popen([sys.executable, "run.py", "viz", "--host", "0.0.0.0", "--port",
                                 "0"], cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while "Ctrl-C to stop" not in log.read_text():
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        first, second = log.read_text().splitlines()[:2]
        port = int(first.split("http://localhost:")[1].split(",")[0].split(" ")[0])
        assert second.startswith("open to the network")
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        # from an address other than "localhost": Solara's cookie warning would fire here
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as page:
            assert page.status == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    text = log.read_text()
    assert "samesite" not in text.lower() and "Warning" not in text, text
