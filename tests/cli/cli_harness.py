#!/usr/bin/env python3
"""A seeded property harness for the `bia` command (issue 16 item 7, docs/reliability.md).

    cli_harness.py BIA ROOT outputs  SEED ROUNDS   output paths
    cli_harness.py BIA ROOT testfile SEED ROUNDS   random mutations of the PROTECT pack's test blocks

outputs: every command that writes (check, run in each format, test, explain, batch) with its
standard output on /dev/full and closed must exit 4 (docs: "the output could not be written");
`bia batch -o FILE` into a folder that does not exist must fail without creating FILE; and
`bia batch -o FILE`, killed by a random signal at a random moment, must leave FILE holding either
what it held before or the whole result, and, unless the signal was SIGKILL, no temporary file.

testfile: each round changes one test block of a copy of rules/protect (a character span deleted,
a token inserted, a line duplicated, cut or swapped, a stray byte) and runs `bia test` on it: it
must end within its time, with exit code 0 or 1, without a sanitizer report or an internal error,
and every error it prints must carry file:line:column.

Every failure prints the seed and the round, and keeps the mutated pack, so it can be replayed.
"""
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TIMEOUT = 30  # seconds for one command: far above any of them here, so only a hang reaches it
SANITIZER = re.compile(r"AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer|runtime error:")


FAILED = []


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    FAILED.append(message)
    sys.exit(1)


def run(argv, **kwargs):
    try:
        return subprocess.run(argv, capture_output=True, timeout=TIMEOUT, **kwargs)
    except subprocess.TimeoutExpired:
        fail("no answer within %d s: %s" % (TIMEOUT, " ".join(argv)))


def check_clean(result, what):
    err = result.stderr.decode("utf-8", "replace")
    if SANITIZER.search(err):
        fail("%s: sanitizer report:\n%s" % (what, err[:4000]))
    if result.returncode < 0:
        fail("%s: killed by signal %d" % (what, -result.returncode))
    if result.returncode == 3 or "internal error" in err:
        fail("%s: internal error (exit %d):\n%s" % (what, result.returncode, err[:4000]))


def outputs(bia, root, rng, rounds, work):
    pack = os.path.join(root, "rules/protect")
    case = os.path.join(root, "examples/cases/amina.json")
    lines = os.path.join(work, "cases.jsonl")
    cases = [os.path.join(root, "examples/cases", f) for f in sorted(os.listdir(os.path.join(root, "examples/cases")))]
    one_line = [json.dumps(json.load(open(c))) for c in cases if c.endswith(".json")]
    with open(lines, "w") as f:
        for i in range(3000):  # enough that a kill often lands mid-run
            f.write(one_line[i % len(one_line)] + "\n")
    commands = [
        ["check", pack],
        ["run", pack, case, "--as-of", "2026-03-01", "--format", "json"],
        ["run", pack, case, "--as-of", "2026-03-01", "--format", "text"],
        ["run", pack, case, "--as-of", "2026-03-01", "--format", "html"],
        ["test", pack],
        ["explain", pack, case, "guardian_none", "--as-of", "2026-03-01"],
        ["batch", pack, lines, "--as-of", "2026-03-01", "--threads", "2"],
    ]
    for argv in commands:
        with open("/dev/full", "w") as full:
            r = subprocess.run([bia] + argv, stdout=full, stderr=subprocess.PIPE, timeout=TIMEOUT)
        check_clean(r, "bia %s > /dev/full" % argv[0])
        if r.returncode != 4:
            fail("bia %s > /dev/full: exit %d, expected 4" % (" ".join(argv), r.returncode))
        r = run(["sh", "-c", 'exec "$@" >&-', "sh", bia] + argv)
        check_clean(r, "bia %s >&-" % argv[0])
        if r.returncode != 4:
            fail("bia %s with standard output closed: exit %d, expected 4" % (" ".join(argv), r.returncode))

    # The whole result, once, to compare kills with.
    whole = os.path.join(work, "whole.jsonl")
    r = run([bia, "batch", pack, lines, "--as-of", "2026-03-01", "-o", whole])
    check_clean(r, "bia batch -o")
    if r.returncode != 0:
        fail("bia batch -o: exit %d" % r.returncode)
    expected = open(whole, "rb").read()

    missing_dir = os.path.join(work, "no-such-folder", "out.jsonl")
    r = run([bia, "batch", pack, lines, "--as-of", "2026-03-01", "-o", missing_dir])
    check_clean(r, "bia batch -o into a missing folder")
    if r.returncode == 0 or os.path.exists(missing_dir):
        fail("bia batch -o into a missing folder: exit %d, file %s" % (r.returncode, os.path.exists(missing_dir)))

    signals = [signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGKILL]
    outcomes = {"old": 0, "whole": 0}
    for k in range(rounds):
        folder = os.path.join(work, "kill%d" % k)
        os.mkdir(folder)
        out = os.path.join(folder, "out.jsonl")
        with open(out, "w") as f:
            f.write("old\n")
        sig = rng.choice(signals)
        delay = rng.uniform(0, 0.6)
        p = subprocess.Popen([bia, "batch", pack, lines, "--as-of", "2026-03-01", "--threads", "2", "-o", out],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(delay)
        p.send_signal(sig)
        try:
            _, err = p.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            p.kill()
            fail("round %d: bia batch did not stop within %d s of %s" % (k, TIMEOUT, sig.name))
        if SANITIZER.search(err.decode("utf-8", "replace")):
            fail("round %d: sanitizer report after %s" % (k, sig.name))
        now = open(out, "rb").read()
        if now == b"old\n":
            outcomes["old"] += 1
        elif now == expected:
            outcomes["whole"] += 1
        else:
            fail("round %d: %s after %.3f s left %d bytes at the final path, neither the old file nor the whole "
                 "result (%d bytes)" % (k, sig.name, delay, len(now), len(expected)))
        left = [f for f in os.listdir(folder) if f != "out.jsonl"]
        if left and sig != signal.SIGKILL:
            fail("round %d: %s left %s behind" % (k, sig.name, left))
    print("outputs: 7 commands x (/dev/full, closed stdout) exit 4; %d kills: %d left the old file, %d the whole "
          "result" % (rounds, outcomes["old"], outcomes["whole"]))


TOKENS = ["expect", "given", "as of", "case", "fired", "not", "undetermined", "missing", "level", "score",
          "possible_level", "=", ",", '"', "\"x\"", "2026-02-30", "0000-01-01", "9999-12-31", "1e999", "-",
          "true", "false", "null", "{", "}", "[", "]", "test", "\"/dev/zero\"", "\"../../../etc/passwd\"",
          "child.birth_date", "no_such.fact", "critical", "\t", "\n", "\\", "\x00", "\x1b[31m", "\udce2\udc80",
          "#", "99999999999999999999", "high high", "possible_score 1e308"]


def mutate(text, rng):
    """One change inside a test block of `text` (a .bia file with tests), or None when it has none."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("test ")]
    if not starts:
        return None
    start = rng.choice(starts)
    end = start + 1
    while end < len(lines) and lines[end].startswith((" ", "\t")):
        end += 1
    i = rng.randrange(start, end)
    kind = rng.randrange(6)
    line = lines[i]
    if kind == 0 and line:  # delete a span
        a = rng.randrange(len(line))
        lines[i] = line[:a] + line[a + rng.randint(1, 12):]
    elif kind == 1:  # insert a token
        a = rng.randrange(len(line) + 1)
        lines[i] = line[:a] + rng.choice(TOKENS) + line[a:]
    elif kind == 2:  # duplicate a line
        lines.insert(i, line)
    elif kind == 3:  # swap two lines of the block
        j = rng.randrange(start, end)
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == 4:  # cut the block here
        del lines[i:end]
    else:  # replace a word
        words = line.split(" ")
        words[rng.randrange(len(words))] = rng.choice(TOKENS)
        lines[i] = " ".join(words)
    return "\n".join(lines)


DIAGNOSTIC = re.compile(r"^.+:\d+:\d+: (error|warning): .+$")


def testfile(bia, root, rng, rounds, work):
    # The pack with the training cases where its tests expect them (../../examples/cases).
    tree = os.path.join(work, "tree")
    shutil.copytree(os.path.join(root, "examples/cases"), os.path.join(tree, "examples/cases"))
    pack = os.path.join(tree, "rules/protect")
    original = os.path.join(root, "rules/protect")
    with_tests = [f for f in sorted(os.listdir(original))
                  if f.endswith(".bia") and "\ntest " in open(os.path.join(original, f), encoding="utf-8").read()]
    codes = {0: 0, 1: 0}
    diagnostics = 0
    for k in range(rounds):
        shutil.rmtree(pack, ignore_errors=True)
        shutil.copytree(original, pack)
        name = rng.choice(with_tests)
        path = os.path.join(pack, name)
        text = open(path, encoding="utf-8").read()
        for _ in range(rng.randint(1, 3)):
            text = mutate(text, rng)
        with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(text)
        r = run([bia, "test", pack])
        what = "round %d (%s)" % (k, name)
        check_clean(r, what)
        if r.returncode not in (0, 1):
            fail("%s: bia test exited %d:\n%s" % (what, r.returncode, r.stderr.decode("utf-8", "replace")[:2000]))
        codes[r.returncode] += 1
        for line in r.stderr.decode("utf-8", "replace").split("\n"):
            # Diagnostics name file:line:column; the summary line names the pack.
            diagnostics += bool(DIAGNOSTIC.match(line))
            if (": error" in line or ": warning" in line) and not line.startswith(pack + ":") \
                    and not DIAGNOSTIC.match(line):
                keep = os.path.join(work, "failed-%d-%s" % (k, name))
                shutil.copy(path, keep)
                fail("%s: an error without file:line:column: %r (mutated file kept as %s)" % (what, line, keep))
    print("testfile: %d mutated packs: %d passed, %d failed or refused, %d diagnostics with file:line:column; "
          "no crash, hang or internal error" % (rounds, codes[0], codes[1], diagnostics))


def main():
    if len(sys.argv) != 6 or sys.argv[3] not in ("outputs", "testfile"):
        sys.exit(__doc__)
    bia, root, mode, seed, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    rng = random.Random(seed)
    print("seed %d, %d rounds" % (seed, rounds))
    work = tempfile.mkdtemp(prefix="bia-harness-")
    try:
        (outputs if mode == "outputs" else testfile)(bia, root, rng, rounds, work)
    finally:
        if FAILED:
            print("kept %s for replay" % work, file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
