"""``run.py validate``: write docs/VALIDATION.md, the calibration targets and stylised facts
measured on the model, with their figures in docs/validation/.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from chainshift.cli.main import UsageError, positive_int
from chainshift.experiments.folders import check_out_dir
from chainshift.experiments.validation import CALIBRATED, write_page
from chainshift.scenarios.loader import ScenarioError, load_scenario


def register(sub) -> None:
    """Add the ``validate`` command."""
    p = sub.add_parser(
        "validate",
        help="write the validation page (targets and stylised facts)",
        description="Measure the calibration targets (baseline, and the shipped calibrated "
        "scenario if present) and the stylised facts, and write VALIDATION.md with its "
        "figures in OUT/validation/.",
    )
    p.add_argument("--seeds", type=positive_int, default=5, metavar="N",
                   help="seeds per scenario and fact: 0 .. N-1 (default 5)")
    p.add_argument("--draws", type=positive_int, default=40, metavar="N",
                   help="runs of the parameter fan 2021-2035, parameters drawn from the fit's "
                   "distribution (default 40)")
    p.add_argument("--out", type=Path, default=Path("docs"),
                   help="folder of VALIDATION.md (default: docs)")
    p.add_argument("--calibrated", type=Path, default=CALIBRATED, metavar="PATH",
                   help="calibrated scenario shown beside the defaults "
                   "(default: scenarios/data/calibrated.toml)")
    p.set_defaults(func=validate)


def validate(args: argparse.Namespace) -> int:
    """Write the page and print where it is."""
    if args.calibrated != CALIBRATED and not args.calibrated.exists():
        raise UsageError(f"validate: --calibrated {args.calibrated}: no such file; allowed: a "
                         "scenario file written by run.py calibrate --write-scenario")
    if args.calibrated.exists():  # checked now, so that a bad file leaves nothing behind
        try:
            load_scenario(args.calibrated)
        except ScenarioError as err:
            raise UsageError(f"validate: --calibrated {err}") from None
    check_out_dir(args.out, "validate: --out")
    console = Console(soft_wrap=True)
    page = write_page(args.out, seeds=args.seeds, calibrated=args.calibrated, draws=args.draws,
                      progress=lambda msg: console.print(f"  {msg}", highlight=False))
    console.print(f"validation page: {page}")
    return 0
