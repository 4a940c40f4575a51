"""``run.py viz``: the workshop dashboard, served by Solara with no network access needed.

The server runs as ``python -m solara run viz.app`` with the settings that keep it offline:
JavaScript and fonts from the installed solara-assets package (Solara's asset proxy serves
them from disk), no version check against the package index, no usage telemetry, production
mode (no call-home check, no file watching).
"""

from __future__ import annotations

import argparse
import errno
import importlib.util
import ipaddress
import os
import socket
import sys

from chainshift.cli.main import UsageError, non_negative_int

OFFLINE_ENV = {
    "SOLARA_ASSETS_PROXY": "True",
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
}
"""Environment that keeps the Solara server from reaching the internet."""

QUIET_ENV = {
    # Solara warns on every page load from an address other than "localhost" that it cannot
    # set a cross-site (SameSite=None) cookie over http; the dashboard is never embedded in
    # another site, so the SameSite=Lax cookie it falls back to is the right one.
    "PYTHONWARNINGS": "ignore:Cookies with samesite=none require https:UserWarning",
}
"""Environment that keeps a warning meant for embedded deployments off the terminal."""

WILDCARDS = ("0.0.0.0", "::", "")
"""Hosts that listen on every network interface."""


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
        "chainshift.viz.app",
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
    env = {**(os.environ if base is None else base), **OFFLINE_ENV}
    extra = env.get("PYTHONWARNINGS")
    env["PYTHONWARNINGS"] = ",".join(x for x in (extra, QUIET_ENV["PYTHONWARNINGS"]) if x)
    return env


def check_listen(host: str, port: int) -> int:
    """Bind ``host:port`` once to find out whether the server can listen there.

    Returns:
        The port (a free one chosen by the system when ``port`` is 0).

    Raises:
        UsageError: one line for an address that is not this machine's or a port in use.
    """
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as err:
        raise UsageError(f"viz: --host {host}: not a known address ({err}); allowed: an "
                         "address of this machine, e.g. 127.0.0.1 or 0.0.0.0") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            s.bind(address)
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                raise UsageError(f"viz: --port {port}: in use by another program; allowed: a "
                                 "free port, or --port 0 for any free one") from None
            if err.errno == errno.EACCES:
                raise UsageError(f"viz: --port {port}: needs administrator rights; allowed: "
                                 "1024 to 65535, or 0 for any free port") from None
            raise UsageError(f"viz: --host {host}: cannot listen there ({err.strerror}); "
                             "allowed: an address of this machine, e.g. 127.0.0.1 or "
                             "0.0.0.0") from None
        return s.getsockname()[1]


def local_addresses() -> list[str]:
    """This machine's IPv4 addresses on its network interfaces (not loopback, not link-local)."""
    import psutil

    out = []
    for addrs in psutil.net_if_addrs().values():
        for a in addrs:
            if a.family == socket.AF_INET:
                ip = ipaddress.ip_address(a.address)
                if not (ip.is_loopback or ip.is_link_local):
                    out.append(a.address)
    return sorted(set(out), key=ipaddress.ip_address)


def where_lines(host: str, port: int) -> list[str]:
    """What ``run.py viz`` prints: the addresses the page is reachable at, and whether the
    network can reach it.
    """
    if host in WILDCARDS:
        urls = [f"http://localhost:{port}", *(f"http://{a}:{port}" for a in local_addresses())]
        return [f"chainshift dashboard on {', '.join(urls)} (Ctrl-C to stop)",
                "open to the network: anyone who can reach this machine on port "
                f"{port} can use the dashboard"]
    shown = "localhost" if host == "127.0.0.1" else (f"[{host}]" if ":" in host else host)
    lines = [f"chainshift dashboard on http://{shown}:{port} (Ctrl-C to stop)"]
    if not ipaddress.ip_address(socket.getaddrinfo(host, port)[0][4][0]).is_loopback:
        lines.append(f"open to the network: anyone who can reach {host} on port {port} can "
                     "use the dashboard")
    return lines


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
    chosen = check_listen(args.host, args.port)
    print("\n".join(where_lines(args.host, chosen)), flush=True)
    cmd = server_command(args.host, chosen, args.open)
    os.execve(cmd[0], cmd, server_env())
    return 0  # pragma: no cover - execve does not return
