"""`bia` and `python -m bia`: the C++ `bia` command, which the wheel carries.

`pip install .` builds the same `bia` program as a build by hand and puts it in
the package (``bia/_bin/bia``). The `bia` console script and ``python -m bia``
both run it with the arguments given, so every subcommand (check, run, batch,
test, explain), option, output and exit code is the C++ command's, as the
README lists them. A Python re-implementation would drift from it, and one
with fewer subcommands would shadow the real command in a virtual environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

# Exit code of the C++ command for an internal error; also used when the command is missing.
_EXIT_INTERNAL = 3


def command_path() -> str:
    """The path of the C++ `bia` command that this package runs."""
    name = "bia.exe" if os.name == "nt" else "bia"
    return str(Path(__file__).resolve().parent / "_bin" / name)


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the C++ `bia` command with ``argv`` (default: this process's arguments).

    As the console script or ``python -m bia`` (``argv`` not given) on POSIX,
    this process becomes the command (``exec``): standard streams, signals and
    the exit code are the command's own. Called with ``argv``, it runs the
    command as a child process and returns its exit code.
    """
    exe = command_path()
    if not os.access(exe, os.X_OK):
        print(f"bia: internal error: the bia command is missing from this installation ({exe}); "
              "reinstall the package", file=sys.stderr)
        return _EXIT_INTERNAL
    args = sys.argv[1:] if argv is None else [os.fspath(a) for a in argv]
    if argv is None and os.name == "posix":
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(exe, ["bia", *args])  # does not return
    return subprocess.call([exe, *args])


if __name__ == "__main__":
    sys.exit(main())
