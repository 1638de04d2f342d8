"""`bia` / `python -m bia`: the command line of the C++ `bia`, on top of the Python module.

    bia check PACK
    bia run PACK CASE [--as-of YYYY-MM-DD] [--format text|json|html] [--strict]

Exit 0 when done, 1 for pack or fact errors, 2 for usage errors.
"""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from . import CompileError, FactError, __version__, load


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> "NoReturn":  # type: ignore[name-defined]  # noqa: F821
        self.print_usage(sys.stderr)
        print(f"bia: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="bia", description="Best-interests assessment rules engine.")
    parser.add_argument("--version", action="version", version=f"bia {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = sub.add_parser("check", help="check and compile a pack")
    check.add_argument("pack")
    run = sub.add_parser("run", help="evaluate a case against a pack")
    run.add_argument("pack")
    run.add_argument("case", help="a JSON file, or - for standard input")
    run.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD")
    run.add_argument("--format", choices=("text", "json", "html"), default="text")
    run.add_argument("--strict", action="store_true")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        pack = load(args.pack)
    except FileNotFoundError:
        print(f"bia: cannot read pack {args.pack}", file=sys.stderr)
        return 1
    except CompileError as error:
        print(error, file=sys.stderr)
        return 1
    if args.command == "check":
        print(f"{args.pack}: ok: pack {pack.name} {pack.version}, {len(pack.rules)} rules, {len(pack.facts)} facts")
        return 0
    try:
        if args.case == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(args.case, "rb") as f:
                data = f.read()
    except OSError:
        print(f"bia: cannot read case {args.case}", file=sys.stderr)
        return 1
    try:
        text = pack.report(data, as_of=args.as_of, strict=args.strict, format=args.format)
    except FactError as error:
        print(f"bia: {args.case}: {error}", file=sys.stderr)
        return 1
    except (ValueError, TypeError) as error:  # a bad --as-of
        print(f"bia: error: {error}", file=sys.stderr)
        return 2
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
