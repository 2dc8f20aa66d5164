"""Entry point of the frozen app (PyInstaller): the same command line as ``chargeback-desk``;
without arguments it opens the window."""

import multiprocessing
import sys

from app.cli import run

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(run())
