"""Score a partitioned cohort on a Dask cluster: dask.dataframe + map_partitions(pack.evaluate_frame).

    python examples/python/dask_cohort.py --cases 20000 --partitions 8 --workers 2

The cohort is made up (bia.synthetic.realistic_frame: plausible frequencies for
PROTECT, see docs/python.md, "Made-up cohorts"); with real data, read it with
dask.dataframe.read_parquet / read_csv instead, one column per fact path. The
pack is shipped to the workers by pickling, which sends its source: each worker
compiles it once and scores its partitions with every core it has.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time
from typing import Optional

import dask
import dask.dataframe as dd
import pandas as pd

import bia
from bia.synthetic import realistic_frame

ROOT = pathlib.Path(__file__).resolve().parents[2]
AS_OF = "2026-03-10"


def default_pack_path() -> pathlib.Path:
    """The PROTECT pack where the repository has it, else the small test pack."""
    protect = ROOT / "rules" / "protect"
    return protect if protect.exists() else ROOT / "tests" / "python" / "packs" / "mini.bia"


def cohort(pack: bia.Pack, cases: int, partitions: int, seed: int = 1) -> dd.DataFrame:
    """A made-up cohort split into partitions, as if read from a partitioned store."""
    frame = realistic_frame(pack, cases, seed=seed, as_of=AS_OF)
    return dd.from_pandas(frame, npartitions=partitions)


def score(cases: dd.DataFrame, pack: bia.Pack, as_of: str = AS_OF, errors: str = "raise") -> dd.DataFrame:
    """One row of results per case, computed partition by partition on the workers.

    ``meta`` tells Dask the result's columns and dtypes without running the
    pack on made-up data. ``threads=1`` because each Dask worker thread already
    has a core of its own.
    """
    return cases.map_partitions(
        pack.evaluate_frame, as_of=as_of, threads=1, errors=errors, meta=pack.frame_meta(errors=errors)
    )


def summarise(results: pd.DataFrame) -> str:
    lines = [f"{len(results)} cases"]
    lines.append("level:          " + _counts(results["level"]))
    lines.append("possible level: " + _counts(results["possible_level"]))
    top = results["fired"].explode().value_counts().head(5)
    lines.append("most frequent findings: " + ", ".join(f"{rule} ({n})" for rule, n in top.items()))
    overdue = results["overdue"].map(len)
    lines.append(f"cases with an overdue action: {int((overdue > 0).sum())}")
    return "\n".join(lines)


def _counts(levels: pd.Series) -> str:
    return ", ".join(f"{level} {n}" for level, n in levels.value_counts(sort=False).items())


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", type=pathlib.Path, default=default_pack_path())
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scheduler", help="address of a running Dask scheduler (default: a LocalCluster)")
    args = parser.parse_args(argv)

    from dask.distributed import Client, LocalCluster

    pack = bia.load(args.pack)
    # Result columns hold Python lists; keep Dask from turning object columns into strings.
    with dask.config.set({"dataframe.convert-string": False}):
        if args.scheduler:
            client = Client(args.scheduler)
            cluster = None
        else:
            cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        try:
            start = time.perf_counter()
            results = score(cohort(pack, args.cases, args.partitions), pack).compute()
            seconds = time.perf_counter() - start
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    print(f"pack {pack.name} {pack.version} ({pack.digest[:19]}...), as of {AS_OF}")
    print(summarise(results))
    print(f"scored in {seconds:.2f} s on {args.workers} worker processes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
