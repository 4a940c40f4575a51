"""chainshift command line: ``python run.py`` runs the baseline; ``python run.py -h`` lists
commands (run, show, scenarios, sweep, sensitivity, compare, viz, calibrate, validate).

``python run.py`` is the same as the installed ``chainshift`` command.
"""

import sys

from chainshift.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
