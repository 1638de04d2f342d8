"""How fast bia scores a cohort from Python: evaluate_many and evaluate_frame against a Python loop.

    python bench/python_evaluate_many.py [--cases 100000] [--pack rules/protect] [--repeat 3]

Cases are synthetic (bia.synthetic), the same for every measurement. Each
figure is the best of --repeat runs, in microseconds per case and cases per
second. "serial" is the part of evaluate_many that holds the GIL (reading the
input, building result dicts); it bounds the speed-up on many cores at
loop / serial. CPU is the processor time of all threads per case: on a busy
machine it is steadier than wall time. "+gc" is the same run followed by a
full gc.collect(): the cyclic collector's work on the new results, which the
Python loop pays as it goes (the collector runs while it allocates) and
evaluate_many leaves for later (it pauses the collector while it builds).
The results go to docs/python.md by hand.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pathlib
import platform
import sys
import time

import bia
from bia import _core
from bia.synthetic import synthetic_cases

ROOT = pathlib.Path(__file__).resolve().parents[1]
AS_OF = "2026-03-10"


def default_pack() -> pathlib.Path:
    protect = ROOT / "rules" / "protect"
    return protect if protect.exists() else ROOT / "tests" / "python" / "packs" / "mini.bia"


def best(repeat, fn):
    """The best (wall seconds, CPU seconds of all threads, wall seconds with a
    full collection after) of `repeat` runs."""
    runs = []
    for _ in range(repeat):
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        gc.collect()
        runs.append((wall, cpu, time.perf_counter() - start))
        del result  # freeing the results is not part of making them
    return min(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", type=pathlib.Path, default=default_pack())
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--loop-cases", type=int, default=0,
                        help="cases for the Python-loop baseline (default: all); its rate is per case anyway")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=pathlib.Path, help="also write the figures here as JSON")
    args = parser.parse_args()

    pack = bia.load(args.pack)
    n = args.cases
    dicts = synthetic_cases(pack, n, seed=1, as_of=AS_OF)
    for case in dicts:  # JSON-ready dicts: dates as strings, as read from a JSON store
        _isoformat_dates(case)
    texts = [json.dumps(c) for c in dicts]
    loop_n = args.loop_cases or n
    cores = _core.cores()
    print(f"pack {pack.name} {pack.version}: {len(pack.rules)} rules, {len(pack.facts)} facts; "
          f"{n} cases, {sum(map(len, texts)) / n:.0f} bytes of JSON each; {cores} cores; "
          f"Python {platform.python_version()}, bia {bia.__version__}")

    rows = []

    gc_us = {}

    def measure(label, count, fn):
        seconds, cpu, with_gc = best(args.repeat, fn)
        us = seconds / count * 1e6
        cpu_us = cpu / count * 1e6
        gc_us[label] = with_gc / count * 1e6
        rows.append({"what": label, "us_per_case": round(us, 2), "cpu_us_per_case": round(cpu_us, 2),
                     "cases_per_s": round(count / seconds), "us_per_case_with_gc": round(gc_us[label], 2)})
        print(f"  {label:58s} {us:9.2f} us/case {count / seconds:12,.0f} cases/s   (CPU {cpu_us:8.2f} us/case, "
              f"+gc {gc_us[label]:8.2f} us/case)", flush=True)
        return us

    loop_label = "Python loop: evaluate(dict)"
    loop = measure(loop_label, loop_n,
                   lambda: [pack.evaluate(d, as_of=AS_OF) for d in dicts[:loop_n]])
    measure("Python loop: evaluate(JSON str)", loop_n,
            lambda: [pack.evaluate(t, as_of=AS_OF) for t in texts[:loop_n]])
    convert = measure("dict -> JSON text only (facts_to_json, GIL held)", n,
                      lambda: [_core.facts_to_json(d) for d in dicts])
    measure("json.dumps only, for comparison", n, lambda: [json.dumps(d) for d in dicts])
    one_text = measure("evaluate_many(JSON str), threads=1", n,
                       lambda: pack.evaluate_many(texts, as_of=AS_OF, threads=1))
    all_label = f"evaluate_many(JSON str), threads=0 ({cores} cores)"
    all_text = measure(all_label, n,
                       lambda: pack.evaluate_many(texts, as_of=AS_OF, threads=0))
    json_out = measure(f"evaluate_many(JSON str, format='json'), threads=0 ({cores} cores)", n,
                       lambda: pack.evaluate_many(texts, as_of=AS_OF, threads=0, format="json"))
    measure(f"evaluate_many(JSON str, format='summary'), threads=0 ({cores} cores)", n,
            lambda: pack.evaluate_many(texts, as_of=AS_OF, threads=0, format="summary"))
    measure("evaluate_many(dict), threads=1", n, lambda: pack.evaluate_many(dicts, as_of=AS_OF, threads=1))
    measure(f"evaluate_many(dict), threads=0 ({cores} cores)", n,
            lambda: pack.evaluate_many(dicts, as_of=AS_OF, threads=0))
    # Where a one-thread run's time goes: reading the input and building the
    # result dicts hold the GIL (serial on any machine); the engine's part is
    # what more cores divide.
    split = {}
    for source, items in (("JSON str", texts), ("dict", dicts)):
        stats: dict = {}
        gc.collect()
        pack._impl.evaluate_many(items, AS_OF, False, 1, False, format="dict", stats=stats)
        split[source] = {k: stats[k] / n * 1e6 for k in ("fill_s", "wait_s", "emit_s")}
        print(f"  one thread, {source:8s}: read input {split[source]['fill_s']:.2f} us, engine "
              f"{split[source]['wait_s']:.2f} us, result dicts {split[source]['emit_s']:.2f} us per case")
    serial = split["JSON str"]["fill_s"] + split["JSON str"]["emit_s"]
    try:
        from bia.synthetic import synthetic_frame

        frame = synthetic_frame(pack, n, seed=1, as_of=AS_OF)
        measure(f"evaluate_frame(DataFrame), threads=0 ({cores} cores)", n,
                lambda: pack.evaluate_frame(frame, as_of=AS_OF, threads=0))
    except ImportError:
        pass

    print()
    print(f"evaluate_many(JSON str, all cores) vs Python loop on dicts: {loop / all_text:.1f}x")
    print(f"  the same, each followed by a full gc.collect(): {gc_us[loop_label] / gc_us[all_label]:.1f}x")
    print(f"evaluate_many(JSON str, 1 thread)  vs Python loop on dicts: {loop / one_text:.1f}x")
    print(f"evaluate_many(JSON str, all cores, results as JSON text) vs Python loop on dicts: {loop / json_out:.1f}x")
    print(f"dict conversion is {convert / loop * 100:.1f}% of a loop iteration, "
          f"{split['dict']['fill_s'] / (split['dict']['wait_s'] or 1) * 100:.1f}% of the engine's time")
    print(f"serial (GIL-held) part of evaluate_many on JSON text: {serial:.2f} us/case; "
          f"with enough cores the speed-up over the loop tends to {loop / serial:.0f}x")
    if args.json:
        args.json.write_text(json.dumps({"pack": pack.name, "cases": n, "cores": cores, "rows": rows,
                                         "one_thread_split_us": split}, indent=2))
    return 0


def _isoformat_dates(node):
    for key, value in node.items():
        if isinstance(value, dict):
            _isoformat_dates(value)
        elif hasattr(value, "isoformat"):
            node[key] = value.isoformat()


if __name__ == "__main__":
    sys.exit(main())
