"""``run.py viz``: the workshop dashboard, served by Solara with no network access needed.

The server runs as ``python -m solara run viz.app`` with the settings that keep it offline:
JavaScript and fonts from the installed solara-assets package (Solara's asset proxy serves
them from disk), no version check against the package index, no usage telemetry, production
mode (no call-home check, no file watching).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys

from cli.main import UsageError, non_negative_int

OFFLINE_ENV = {
    "SOLARA_ASSETS_PROXY": "True",
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
}
"""Environment that keeps the Solara server from reaching the internet."""


def port(text: str) -> int:
    """Argparse type for a TCP port (0 picks a free one)."""
    value = non_negative_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port (0 to 65535)")
    return value


def register(sub) -> None:
    """Add the ``viz`` command."""
    p = sub.add_parser("viz", help="start the workshop dashboard (a local web page)")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; 0.0.0.0 for the whole room)",
    )
    p.add_argument("--port", type=port, default=8765, help="port (default 8765; 0: any free)")
    p.add_argument("--open", action="store_true", help="open the page in a browser")
    p.set_defaults(func=viz)


def server_command(host: str, port: int, open_browser: bool = False) -> list[str]:
    """The command line that starts the dashboard's Solara server."""
    return [
        sys.executable,
        "-m",
        "solara",
        "run",
        "viz.app",
        "--host",
        host,
        "--port",
        str(port),
        "--production",
        "--no-check-version",
        "--open" if open_browser else "--no-open",
        "--log-level",
        "warning",
    ]


def server_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) with the offline settings."""
    return {**(os.environ if base is None else base), **OFFLINE_ENV}


def viz(args: argparse.Namespace) -> int:
    """Serve the dashboard until interrupted.

    This process becomes the Solara server, so Ctrl-C or a terminate signal reaches it directly.
    """
    for module, extra in (("solara", "viz"), ("solara_assets", "viz")):
        if importlib.util.find_spec(module) is None:
            raise UsageError(
                f"viz: the Python package '{module}' is missing; install the "
                f"dashboard with: pip install -e '.[{extra}]'"
            )
    shown = "localhost" if args.host in ("127.0.0.1", "0.0.0.0") else args.host
    where = f"http://{shown}:{args.port}" if args.port else "a free port (address below)"
    print(f"chainshift dashboard on {where} (Ctrl-C to stop)", flush=True)
    cmd = server_command(args.host, args.port, args.open)
    os.execve(cmd[0], cmd, server_env())
    return 0  # pragma: no cover - execve does not return
