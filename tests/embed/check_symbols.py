#!/usr/bin/env python3
"""Compares the symbols a shared library exports with a checked-in list.

A symbol may be added in a minor version; removing one breaks every host
linked against it, so it needs a major version (a new SONAME). The test fails
when a listed symbol is gone while the major version is still the list's.

    check_symbols.py --nm NM --library LIB --list FILE --major N [--update]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

# The library's own API: C functions bia_*, and C++ names in namespace bia
# (functions, members, typeinfo, vtables). Template instantiations of the
# standard library that merely mention bia types are not part of the API.
API = re.compile(r"^(bia_\w+|_Z(?:T[VIS])?NK?3bia\w*)$")


def exported(nm: str, library: Path) -> set[str]:
    out = subprocess.run([nm, "-D", "--defined-only", str(library)], check=True,
                         capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        name = fields[2].split("@")[0]  # drop symbol versions (bia_x@@VERS)
        if API.match(name):
            names.add(name)
    return names


def demangle(names: list[str]) -> list[str]:
    try:
        out = subprocess.run(["c++filt"], input="\n".join(names), check=True,
                             capture_output=True, text=True).stdout
        return out.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return names


def read_list(path: Path) -> tuple[int | None, set[str]]:
    major, names = None, set()
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("major "):
            major = int(line.split()[1])
        else:
            names.add(line)
    return major, names


def write_list(path: Path, library: Path, major: int, names: set[str]) -> None:
    lines = [
        f"# Symbols exported by {library.name} (major version {major}), one mangled name a line.",
        "# Checked by tests/embed/check_symbols.py: removing one needs a major version.",
        "# Regenerate after adding API: cmake --build BUILD --target bia_update_symbols",
        f"major {major}",
        *sorted(names),
    ]
    path.write_text("\n".join(lines) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nm", default="nm")
    parser.add_argument("--library", type=Path, required=True)
    parser.add_argument("--list", type=Path, required=True)
    parser.add_argument("--major", type=int, required=True)
    parser.add_argument("--update", action="store_true")
    args = parser.parse_args()

    now = exported(args.nm, args.library)
    if not now:
        print(f"{args.library}: no API symbols exported at all", file=sys.stderr)
        return 1
    if args.update:
        write_list(args.list, args.library, args.major, now)
        print(f"wrote {len(now)} symbols to {args.list}")
        return 0
    if not args.list.exists():
        print(f"{args.list} is missing; create it with --update", file=sys.stderr)
        return 1

    major, listed = read_list(args.list)
    gone = sorted(listed - now)
    added = sorted(now - listed)
    if major != args.major:
        print(f"major version changed ({major} -> {args.major}): the ABI may break; "
              f"regenerate {args.list.name} with --update")
        return 0
    for name, pretty in zip(added, demangle(added)):
        print(f"added (fine in a minor version; add it to {args.list.name}): {pretty}  [{name}]")
    for name, pretty in zip(gone, demangle(gone)):
        print(f"REMOVED without a major version change: {pretty}  [{name}]", file=sys.stderr)
    if gone:
        return 1
    print(f"{args.library.name}: all {len(listed)} listed symbols exported"
          + (f", {len(added)} new" if added else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
