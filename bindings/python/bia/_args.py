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


def _without_arguments(function):
    """`function` (of the compiled module) with pybind11's "Invoked with" part of a TypeError
    left out: it shows every argument's repr, a case's facts among them, so a private entry
    point called with a wrong type printed a child's data (issue 16, item 6)."""

    def call(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except TypeError as error:
            message = str(error)
            if "Invoked with" not in message:
                raise
            shown = message.split("Invoked with")[0].rstrip()
        # Raised outside the handler, so the original (with the arguments) is not its context.
        raise TypeError(shown + "\n(the arguments are not shown: they may hold a case's values)")

    call.__name__ = getattr(function, "__name__", "call")
    call.__qualname__ = getattr(function, "__qualname__", call.__name__)
    call.__doc__ = getattr(function, "__doc__", None)
    return call


def hide_arguments(core) -> None:
    """Wraps every function of the compiled module `core` and every method of its classes."""
    for name, value in list(vars(core).items()):
        if name.startswith("__"):
            continue
        if isinstance(value, type):
            for method, function in list(vars(value).items()):
                if not method.startswith("__") and callable(function):
                    setattr(value, method, _without_arguments(function))
        elif callable(value):
            setattr(core, name, _without_arguments(value))
