#!/usr/bin/env python3
"""The checklist in each peer engine, through its Python package; bia through its
Python binding when importable. First checks that every implementation fires
exactly bia's rules on every case of the cohort (a mismatch stops the run), then
times each one's best batch path.

usage: peers.py CASES.jsonl BIA_RESULTS.jsonl [--time N_CASES] [--json OUT]
  BIA_RESULTS.jsonl: `bia batch` of the checklist pack over the same cases.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import checklist  # noqa: E402

PATHS = checklist.paths()


def flatten(case):
    """Every checklist fact by flat name, None when unknown (absent or null)."""
    out = {}
    for p in PATHS:
        v = case
        for k in p.split("."):
            v = v.get(k) if isinstance(v, dict) else None
            if v is None:
                break
        out[checklist.flat(p)] = v
    return out


# ---- peers: each returns (name, version, prepare(cases) -> batch, run(batch) -> list of fired lists) -------------

def peer_zen():
    import zen
    from importlib.metadata import version
    exprs = [{"id": "e%d" % i, "key": name, "value": checklist.zen_expr(e)}
             for i, (name, e) in enumerate(checklist.RULES.items())]
    jdm = {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "request", "position": {"x": 0, "y": 0}, "content": {}},
            {"id": "ex", "type": "expressionNode", "name": "checklist", "position": {"x": 200, "y": 0},
             "content": {"expressions": exprs, "passThrough": False, "inputField": None, "outputPath": None,
                         "executionMode": "single"}},
            {"id": "out", "type": "outputNode", "name": "response", "position": {"x": 400, "y": 0}, "content": {}},
        ],
        "edges": [{"id": "a", "sourceId": "in", "targetId": "ex", "type": "edge"},
                  {"id": "b", "sourceId": "ex", "targetId": "out", "type": "edge"}],
    }
    engine = zen.ZenEngine({"loader": {"type": "static", "content": {"checklist": jdm}}})
    names = checklist.NAMES

    def prepare(lines):
        # ZEN takes the JSON text itself: its fastest input.
        return [{"key": "checklist", "context": line} for line in lines]

    def run(batch):
        out = []
        for r in engine.evaluate_batch(batch):
            if not r.get("success"):
                raise RuntimeError("zen: %s" % r.get("error"))
            res = r["data"]["result"]
            out.append([n for n in names if res.get(n) is True])
        return out

    return "GoRules ZEN (zen-engine)", version("zen-engine"), prepare, run


def peer_cel():
    import cel
    from importlib.metadata import version
    program = cel.compile("[" + ", ".join(checklist.cel_expr(e) for e in checklist.RULES.values()) + "]")
    names = checklist.NAMES

    def prepare(lines):
        return [flatten(json.loads(line)) for line in lines]

    def run(batch):
        out = []
        for facts in batch:
            res = program.execute(facts)
            out.append([n for n, b in zip(names, res) if b is True])
        return out

    return "CEL (common-expression-language)", version("common-expression-language"), prepare, run


def peer_json_logic():
    import json_logic
    from importlib.metadata import version
    rules = [checklist.json_logic(e) for e in checklist.RULES.values()]
    names = checklist.NAMES

    def prepare(lines):
        return [json.loads(line) for line in lines]

    def run(batch):
        out = []
        for case in batch:
            out.append([n for n, r in zip(names, rules) if json_logic.jsonLogic(r, case) is True])
        return out

    return "JsonLogic (panzi-json-logic)", version("panzi-json-logic"), prepare, run


def peer_rule_engine():
    import rule_engine
    from importlib.metadata import version
    ctx = rule_engine.Context(default_value=None)
    rule = rule_engine.Rule("[" + ", ".join(checklist.rule_engine_expr(e) for e in checklist.RULES.values()) + "]",
                            context=ctx)
    names = checklist.NAMES

    def prepare(lines):
        out = []
        for line in lines:
            facts = flatten(json.loads(line))
            # rule-engine works on tuples for arrays
            out.append({k: tuple(v) if isinstance(v, list) else v for k, v in facts.items()})
        return out

    def run(batch):
        return [[n for n, b in zip(names, rule.evaluate(facts)) if b is True] for facts in batch]

    return "rule-engine", version("rule-engine"), prepare, run


def peer_clips():
    import clips
    from importlib.metadata import version
    env = clips.Environment()
    sets = checklist.SET_FACTS
    slots = []
    for p in PATHS:
        s = checklist.clips_slot(p)
        if p in sets:
            slots.append("(multislot %s) (slot %s-known (default FALSE))" % (s, s))
        else:
            slots.append("(slot %s (default nil))" % s)
    env.build("(deftemplate case (slot id) %s)" % " ".join(slots))
    env.build("(deftemplate fired (slot id) (slot rule))")
    for name, e in checklist.RULES.items():
        used = []

        def walk(x):
            if x[0] in ("and", "or"):
                for y in x[1:]:
                    walk(y)
            elif x[1] not in used:
                used.append(x[1])

        walk(e)
        pattern = []
        for p in used:
            s = checklist.clips_slot(p)
            if p in sets:
                pattern.append("(%s $?%s) (%s-known ?%s-known)" % (s, s, s, s))
            else:
                pattern.append("(%s ?%s)" % (s, s))
        test = checklist.clips_test(e)
        for p in used:  # multifield variables are written $?name
            if p in sets:
                s = checklist.clips_slot(p)
                test = test.replace(" ?%s)" % s, " $?%s)" % s)
        env.build("(defrule %s (case (id ?id) %s) (test %s) => (assert (fired (id ?id) (rule %s))))"
                  % (name, " ".join(pattern), test, name))
    template = env.find_template("case")
    fired_t = env.find_template("fired")
    sym = clips.Symbol

    def conv(v):
        if v is None:
            return sym("nil")
        if v is True:
            return sym("TRUE")
        if v is False:
            return sym("FALSE")
        if isinstance(v, str):
            return sym(v)
        return v

    def prepare(lines):
        out = []
        for line in lines:
            facts = flatten(json.loads(line))
            slots = {}
            for p in PATHS:
                s = checklist.clips_slot(p)
                v = facts[checklist.flat(p)]
                if p in sets:
                    slots[s] = [sym(x) for x in (v or [])]
                    slots[s + "-known"] = sym("TRUE" if v is not None else "FALSE")
                else:
                    slots[s] = conv(v)
            out.append(slots)
        return out

    def run(batch, block=1000):
        out = []
        for start in range(0, len(batch), block):
            env.reset()
            part = batch[start:start + block]
            for i, slots in enumerate(part):
                template.assert_fact(id=i, **slots)
            env.run()
            fired = [set() for _ in part]
            for f in fired_t.facts():
                fired[f["id"]].add(str(f["rule"]))
            out.extend([n for n in checklist.NAMES if n in s] for s in fired)
        return out

    return "CLIPS (clipspy)", version("clipspy"), prepare, run


PEERS = [peer_zen, peer_cel, peer_json_logic, peer_rule_engine, peer_clips]


def bia_python(pack_dir):
    """bia's Python binding (bindings/python), if importable: Pack.evaluate_many over the JSON lines."""
    try:
        import bia
        pack = bia.load(pack_dir)
        return pack, None
    except Exception as e:  # noqa: BLE001
        return None, "pending: the Python binding is not importable here (%s: %s)" % (type(e).__name__, e)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cases")
    ap.add_argument("bia_results")
    ap.add_argument("--time", type=int, default=0, help="cases to time each peer on (0: no timing)")
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--pack", help="checklist pack, for bia's Python binding")
    ap.add_argument("--as-of", default="2026-03-01")
    ap.add_argument("--only", help="comma-separated peer function names")
    args = ap.parse_args()

    lines = open(args.cases, encoding="utf-8").read().splitlines()
    expected = []
    for line in open(args.bia_results, encoding="utf-8"):
        r = json.loads(line)
        if "error" in r:
            sys.exit("peers.py: bia could not evaluate line %d" % r["line"])
        fired = {f["rule"] for f in r["fired"]}
        expected.append([n for n in checklist.NAMES if n in fired])
    if len(expected) != len(lines):
        sys.exit("peers.py: %d cases but %d bia results" % (len(lines), len(expected)))
    fired_total = sum(len(x) for x in expected)
    print("checklist: %d rules; cohort: %d cases; bia fired %d checklist rules (%.1f per case)"
          % (len(checklist.NAMES), len(lines), fired_total, fired_total / max(1, len(lines))))

    figures = {"cases_checked": len(lines), "peers": []}
    peers = PEERS
    if args.only:
        peers = [p for p in PEERS if p.__name__ in args.only.split(",")]
    for make in peers:
        name, ver, prepare, run = make()
        got = run(prepare(lines))
        for i, (a, b) in enumerate(zip(expected, got)):
            if a != b:
                print("MISMATCH %s on case %d: bia fired %s, %s fired %s" % (name, i + 1, sorted(set(a) - set(b)),
                                                                           name, sorted(set(b) - set(a))))
                print("case: %s" % lines[i][:2000])
                sys.exit(1)
        print("equivalence ok: %-34s %s, %d cases" % (name, ver, len(lines)))
        entry = {"name": name, "version": ver}
        if args.time:
            sample = lines[:args.time]
            # The best of three, as for bia below: one slow run on a shared machine says nothing.
            dt = None
            for _ in range(3):
                t0 = time.perf_counter()
                run(prepare(sample))
                run_time = time.perf_counter() - t0
                dt = run_time if dt is None else min(dt, run_time)
            entry.update(cases=len(sample), seconds=dt, per_second=len(sample) / dt)
            print("  %-34s %9.0f cases/s (%d cases, JSON text in -> fired rules out)" % (name, len(sample) / dt,
                                                                                       len(sample)))
        figures["peers"].append(entry)

    pack, why = bia_python(args.pack) if args.pack else (None, "pending: no --pack given")
    figures["bia_python"] = {"status": why or "ok"}
    if pack is not None:
        results = pack.evaluate_many(lines, as_of=args.as_of, threads=1)
        for i, (a, r) in enumerate(zip(expected, results)):
            b = [n for n in checklist.NAMES if n in {f["rule"] for f in r["fired"]}]
            if a != b:
                print("MISMATCH bia Python binding on case %d" % (i + 1))
                sys.exit(1)
        print("equivalence ok: %-34s %d cases" % ("bia (Python evaluate_many)", len(lines)))
        summaries = pack.evaluate_many(lines, as_of=args.as_of, threads=1, format="summary")
        for i, (a, r) in enumerate(zip(expected, summaries)):
            if a != [n for n in checklist.NAMES if n in set(r["fired"])]:
                print("MISMATCH bia Python binding (format='summary') on case %d" % (i + 1))
                sys.exit(1)
        print("equivalence ok: %-34s %d cases" % ("bia (evaluate_many, summary)", len(lines)))
        if args.time:
            sample = lines[:args.time]
            # "dict": the whole result contract as dicts (hundreds of objects a case);
            # "summary": level, scores and rule names, like the peers' fired rules.
            for fmt in ("dict", "summary"):
                for threads in (1, os.cpu_count() or 1):
                    best = None
                    for _ in range(3):
                        t0 = time.perf_counter()
                        pack.evaluate_many(sample, as_of=args.as_of, threads=threads, format=fmt)
                        dt = time.perf_counter() - t0
                        best = dt if best is None else min(best, dt)
                    key = "threads_%d" % threads if fmt == "dict" else "summary_threads_%d" % threads
                    figures["bia_python"][key] = {"cases": len(sample), "seconds": best,
                                                  "per_second": len(sample) / best}
                    print("  %-34s %9.0f cases/s (threads=%d, JSON text in -> %s out)"
                          % ("bia (Python evaluate_many)", len(sample) / best, threads,
                             "full result dicts" if fmt == "dict" else "summary dicts"))
    else:
        print("bia Python binding: %s" % why)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)
    sys.stdout.flush()
    os._exit(0)  # skip CLIPS's teardown chatter


if __name__ == "__main__":
    main()
