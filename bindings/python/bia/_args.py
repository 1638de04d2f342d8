"""Checks of the keyword arguments evaluate_many and evaluate_frame share."""

from __future__ import annotations


def check_errors_mode(errors: str) -> bool:
    """True for "collect", False for "raise"; ValueError for anything else."""
    if errors not in ("raise", "collect"):
        raise ValueError("errors must be 'raise' or 'collect'")
    return errors == "collect"


def check_threads(threads: int) -> int:
    if isinstance(threads, bool) or not isinstance(threads, int):
        raise TypeError("threads must be an int")
    if threads < 0:
        raise ValueError("threads must be 0 (all cores) or a positive number")
    return min(threads, 256)  # more only costs memory; the engine caps it there too


def check_str(value: object, what: str) -> str:
    # Checked here so the compiled module never reports a type mismatch itself:
    # its message would show every argument, the case's facts among them.
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    return value
