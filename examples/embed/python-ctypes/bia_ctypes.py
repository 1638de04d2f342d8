"""A Python host of bia through its C API and ctypes alone: no binding code to compile.

This is how a Java (JNA/Panama), .NET (P/Invoke) or Ruby (FFI) host would use
bia: load libbia_c, declare the few functions of bia.h, and pass JSON text in
and out.

    python3 bia_ctypes.py [--library PATH] [--as-of YYYY-MM-DD] PACK CASE.json...

Prints the same as examples/embed/cpp and examples/embed/c: "== <file name>",
then the result JSON or the fact errors. Nothing printed carries a fact value.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import json
import os
import sys
from typing import Any

BIA_OK = 0
BIA_ERROR_FACTS = 2
BIA_FORMAT_JSON = 0


class EvalOptions(ctypes.Structure):
    """bia_eval_options from bia.h; struct_size lets later 1.x libraries add fields."""

    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("as_of", ctypes.c_char_p),
        ("strict", ctypes.c_int),
        ("format", ctypes.c_int),
    ]


class BiaError(Exception):
    """A failed call: `status` is a bia_status, `items` the error's items as dicts."""

    def __init__(self, status: int, message: str, items: list[dict[str, Any]]):
        super().__init__(message)
        self.status = status
        self.items = items


def load_library(path: str | None = None) -> ctypes.CDLL:
    """Loads libbia_c and declares the signatures used here (the rest of bia.h works the same way)."""
    path = path or os.environ.get("BIA_LIBRARY") or ctypes.util.find_library("bia_c")
    if not path:
        raise OSError("libbia_c not found; pass --library or set BIA_LIBRARY")
    lib = ctypes.CDLL(path)
    pack_p, error_p = ctypes.c_void_p, ctypes.c_void_p
    signatures = {
        "bia_version": ([], ctypes.c_char_p),
        "bia_status_string": ([ctypes.c_int], ctypes.c_char_p),
        # bia_free takes what bia_evaluate returned, so that is kept as a raw pointer.
        "bia_free": ([ctypes.c_void_p], None),
        "bia_pack_load": ([ctypes.c_char_p, ctypes.POINTER(error_p)], pack_p),
        "bia_pack_compile": ([ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                              ctypes.POINTER(error_p)], pack_p),
        "bia_pack_free": ([pack_p], None),
        "bia_pack_name": ([pack_p], ctypes.c_char_p),
        "bia_pack_version": ([pack_p], ctypes.c_char_p),
        "bia_pack_digest": ([pack_p], ctypes.c_char_p),
        "bia_evaluate": ([pack_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(EvalOptions),
                          ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(error_p)], ctypes.c_int),
        "bia_error_status": ([error_p], ctypes.c_int),
        "bia_error_message": ([error_p], ctypes.c_char_p),
        "bia_error_json": ([error_p], ctypes.c_char_p),
        "bia_error_free": ([error_p], None),
    }
    for name, (argtypes, restype) in signatures.items():
        function = getattr(lib, name)
        function.argtypes = argtypes
        function.restype = restype
    return lib


def _take_error(lib: ctypes.CDLL, error: ctypes.c_void_p) -> BiaError:
    """Copies an error object into a Python exception and frees it."""
    try:
        status = lib.bia_error_status(error)
        message = lib.bia_error_message(error).decode("utf-8", errors="replace")
        items = json.loads(lib.bia_error_json(error).decode("utf-8", errors="replace"))
        return BiaError(status, message, items)
    finally:
        lib.bia_error_free(error)


class Pack:
    """A compiled pack. Immutable: one Pack may serve many threads."""

    def __init__(self, lib: ctypes.CDLL, path: str):
        self._lib = lib
        error = ctypes.c_void_p()
        self._handle = lib.bia_pack_load(os.fsencode(path), ctypes.byref(error))
        if not self._handle:
            raise _take_error(lib, error)

    def close(self) -> None:
        if self._handle:
            self._lib.bia_pack_free(self._handle)
            self._handle = None

    def __enter__(self) -> "Pack":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def name(self) -> str:
        return self._lib.bia_pack_name(self._handle).decode("utf-8")

    @property
    def version(self) -> str:
        return self._lib.bia_pack_version(self._handle).decode("utf-8")

    @property
    def digest(self) -> str:
        return self._lib.bia_pack_digest(self._handle).decode("utf-8")

    def evaluate_json(self, case_json: bytes, as_of: str | None = None,
                      strict: bool = False) -> str:
        """Evaluates a case given as JSON bytes; returns the result JSON text."""
        options = EvalOptions(ctypes.sizeof(EvalOptions),
                              as_of.encode("ascii") if as_of else None,
                              1 if strict else 0, BIA_FORMAT_JSON)
        result = ctypes.c_void_p()
        error = ctypes.c_void_p()
        status = self._lib.bia_evaluate(self._handle, case_json, len(case_json),
                                        ctypes.byref(options), ctypes.byref(result),
                                        ctypes.byref(error))
        if status != BIA_OK:
            raise _take_error(self._lib, error)
        try:
            return ctypes.string_at(result.value).decode("utf-8")
        finally:
            self._lib.bia_free(result)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", help="path to libbia_c.so (default: $BIA_LIBRARY, then the linker's search path)")
    parser.add_argument("--as-of", help="the evaluation's today, YYYY-MM-DD")
    parser.add_argument("pack")
    parser.add_argument("cases", nargs="+")
    args = parser.parse_args(argv)

    lib = load_library(args.library)
    try:
        pack = Pack(lib, args.pack)
    except BiaError as error:
        print(error, file=sys.stderr)
        return 1

    out = sys.stdout.buffer  # bytes, so the output matches the C and C++ hosts exactly
    status = 0
    with pack:
        print(f"pack {pack.name} {pack.version} ({pack.digest}), "
              f"bia {lib.bia_version().decode()}", file=sys.stderr)
        for path in args.cases:
            name = os.path.basename(path)
            out.write(f"== {name}\n".encode())
            try:
                with open(path, "rb") as file:
                    case_json = file.read()
            except OSError:
                out.write(b"error: cannot read the case file\n")
                status = 1
                continue
            try:
                text = pack.evaluate_json(case_json, as_of=args.as_of)
            except BiaError as error:
                # Each item names a field path and what was expected, never the value.
                out.write(f"error: {lib.bia_status_string(error.status).decode()}\n".encode())
                for item in error.items:
                    out.write(f"  {item['path']}: {item['message']}\n".encode())
                status = 1
                continue
            out.write(text.encode("utf-8"))
            result = json.loads(text)
            out.flush()
            print(f"{name}: level {result['level']} (possible {result['possible_level']}), "
                  f"{len(result['fired'])} rule(s) fired, {len(result['missing'])} fact(s) missing",
                  file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
