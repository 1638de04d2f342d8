"""The shell commands in README.md and docs/*.md run as pasted (issue 17, item 5).

    python3 doc_commands_test.py BIA SOURCE_DIR

Every shell block (```sh, ```bash, or a plain ``` block whose first line is a command) is either
run here or named in SKIP with the reason it cannot run inside the test suite; a new block that is
neither fails the test, so the docs cannot grow a command nobody checked. A `bia` command runs with
the built command first on PATH, from a fresh `git clone` of the checkout in a scratch directory (so
a command that needs a file git does not track fails here as it would for a new user, and
`> joy.html` writes into the clone, not into the checkout), and must exit 0. Outside a git checkout
(an unpacked source archive) the scratch directory sees the source's rules/ and examples/ instead. In a block that
shows a session (`$ bia ...` followed by output), every output line shown, except `...`, must come
out, in that order.

Python blocks are run by tests/python/test_docs.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

# Blocks that cannot run inside the test suite, by document and the start of their first line.
SKIP = {
    ("README.md", "bash scripts/demo.sh"): "installs Debian packages and builds; CI runs the README's commands",
    ("README.md", "bash scripts/test.sh"): "the whole test suite, this test included; it is what CI runs",
    ("README.md", "bash scripts/install-deps.sh"):
        "installs Debian packages and makes a whole build: scripts/test.d/70-by-hand-build.sh runs this block "
        "from the README in a fresh clone (part of scripts/test.sh, so of CI)",
    ("docs/embedding.md", "apt-get update"): "installs Debian packages and installs bia into /usr/local",
    ("docs/embedding.md", "cc -std=c99"): "needs bia installed under a prefix; embed.docs (tests/embed) runs this "
                                          "command on the document's C block against a staged install",
    ("docs/python.md", "bash scripts/install-deps.sh"): "installs Debian packages and the Python package into "
                                                        "a new venv: scripts/test-python.sh does exactly that",
    ("docs/python.md", "python bench/python_evaluate_many.py"): "a 100,000-case benchmark in the installed "
                                                                "Python package",
    ("docs/reliability.md", "scripts/test.sh"): "the test suite and its long sanitizer, fuzz and memory runs",
    ("docs/performance.md", "bench/run"): "the benchmark (minutes); scripts/test.d/60-bench-smoke.sh runs "
                                          "bench/smoke",
}

# The first words that make a plain ``` block a shell block rather than pack source or output.
COMMAND_START = ("bia ", "$ ", "scripts/", "bash ", "bench/", "python ", "cc ", "apt-get ", "cmake ")

FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>\w*)[ \t]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S)


def shell_blocks(root: Path):
    docs = [root / "README.md", *sorted((root / "docs").glob("*.md"))]
    for doc in docs:
        text = doc.read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            indent = len(m.group("indent"))
            lines = [line[indent:] for line in m.group("body").splitlines()]
            first = next((line.strip() for line in lines if line.strip()), "")
            lang = m.group("lang")
            if lang in ("sh", "bash") or (lang == "" and first.startswith(COMMAND_START)):
                where = f"{doc.relative_to(root)}:{text.count(chr(10), 0, m.start()) + 2}"
                yield str(doc.relative_to(root)), where, lines, first


def skip_reason(doc: str, first: str):
    for (skip_doc, start), reason in SKIP.items():
        if doc == skip_doc and first.startswith(start):
            return (skip_doc, start), reason
    return None, None


def run_block(bia: Path, root: Path, work: Path, where: str, lines):
    """Runs the `bia` commands of one block; returns the problems found."""
    problems = []
    session = any(line.startswith("$ ") for line in lines)
    commands = []  # (command, the output lines shown after it)
    for line in lines:
        if session:
            if line.startswith("$ "):
                commands.append((line[2:].strip(), []))
            elif commands:
                commands[-1][1].append(line.rstrip())
        elif line.strip() and not line.lstrip().startswith("#"):
            commands.append((line.strip(), []))
    if not commands or not all(c.startswith("bia ") for c, _ in commands):
        return [f"{where}: not only `bia` commands, so not run; add it to SKIP with a reason, or run it here"]
    env = dict(os.environ, PATH=f"{bia.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    for command, shown in commands:
        run = subprocess.run(["sh", "-c", command], cwd=work, env=env, capture_output=True, text=True, timeout=120)
        if run.returncode != 0:
            problems.append(f"{where}: `{command}` exited {run.returncode}: {run.stderr.strip()[:500]}")
            continue
        out = run.stdout.splitlines()
        at = 0
        for expected in shown:
            if expected.strip() in ("", "..."):
                continue
            while at < len(out) and out[at].rstrip() != expected:
                at += 1
            if at == len(out):
                problems.append(f"{where}: `{command}` did not print, in this order: {expected!r}")
                break
            at += 1
    return problems


def main() -> int:
    bia, root = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    if bia.name != "bia":
        print(f"the command must be named bia, as the docs call it: {bia}")
        return 1
    problems, ran, skipped, used = [], 0, 0, set()
    with tempfile.TemporaryDirectory(prefix="bia-doc-commands.") as tmp:
        work = Path(tmp) / "bia"
        if (root / ".git").exists():
            clone = subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(root), str(work)],
                                   capture_output=True, text=True)
            if clone.returncode != 0:
                print(f"FAIL could not clone {root}: {clone.stderr.strip()}")
                return 1
            print(f"doc commands: run in a fresh clone of {root} (committed files only)")
        else:
            work.mkdir()
            for name in ("rules", "examples"):
                (work / name).symlink_to(root / name, target_is_directory=True)
        for doc, where, lines, first in shell_blocks(root):
            key, reason = skip_reason(doc, first)
            if key:
                used.add(key)
                skipped += 1
                continue
            ran += 1
            problems += run_block(bia, root, work, where, lines)
    for key in SKIP.keys() - used:
        problems.append(f"SKIP names a block that no longer exists: {key[0]}: {key[1]!r}")
    for p in problems:
        print("FAIL", p)
    print(f"doc commands: {ran} blocks run, {skipped} skipped with a reason, {len(problems)} problems")
    return 1 if problems or ran == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
