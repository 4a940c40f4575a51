"""The command line is the top floor: no other package imports it."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BELOW_CLI = ("model", "agents", "scenarios", "experiments", "viz")


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", BELOW_CLI)
def test_nothing_below_the_command_line_imports_it(package):
    for path in sorted((ROOT / package).rglob("*.py")):
        wrong = {n for n in imported(path) if n == "cli" or n.startswith("cli.")}
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"
