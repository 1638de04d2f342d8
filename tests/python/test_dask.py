"""The Dask example on a real LocalCluster with worker processes equals a single-process run."""

from __future__ import annotations

import importlib.util
import os

import pytest

from conftest import AS_OF, ROOT

pd = pytest.importorskip("pandas")
dask = pytest.importorskip("dask")
pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")


def load_example():
    path = ROOT / "examples" / "python" / "dask_cohort.py"
    spec = importlib.util.spec_from_file_location("dask_cohort", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def client():
    with dask.config.set({"dataframe.convert-string": False}):
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, memory_limit="2GiB"
        )
        client = distributed.Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()


def test_dask_cluster_equals_single_process(client):
    example = load_example()
    pack = __import__("bia").load(example.default_pack_path())
    cases = example.cohort(pack, 2000, partitions=6, seed=5)
    with dask.config.set({"dataframe.convert-string": False}):
        distributed_result = example.score(cases, pack, as_of=AS_OF).compute()
    # The work really ran in two other processes, which got the pack by pickle and compiled it.
    pids = client.run(os.getpid)
    assert len(pids) == 2 and os.getpid() not in pids.values()
    def packs_unpickled_here():  # nested, so cloudpickle sends it by value
        import bia

        return [p.digest for p in bia._unpickled.values()]

    compiled = client.run(packs_unpickled_here)
    assert any(digest == pack.digest for digests in compiled.values() for digest in digests)
    local = pack.evaluate_frame(cases.compute(), as_of=AS_OF)
    pd.testing.assert_frame_equal(distributed_result.sort_index(), local.sort_index())
    assert len(distributed_result) == 2000
    assert example.summarise(distributed_result).startswith("2000 cases")


def test_dask_collects_errors_on_workers(client):
    import bia

    example = load_example()
    pack = bia.load(ROOT / "tests" / "python" / "packs" / "mini.bia")
    frame = pd.DataFrame({"child.birth_date": ["2017-05-01", "not a date"] * 50})
    cases = __import__("dask.dataframe", fromlist=["from_pandas"]).from_pandas(frame, npartitions=4)
    with dask.config.set({"dataframe.convert-string": False}):
        out = example.score(cases, pack, errors="collect").compute()
    assert out["error"].notna().sum() == 50
    with pytest.raises(bia.FactError) as info, dask.config.set({"dataframe.convert-string": False}):
        example.score(cases, pack).compute()
    assert info.value.path == "child.birth_date"
