"""``python -m chainshift``: the same command line as ``chainshift`` and ``python run.py``."""

import sys

from chainshift.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
