"""bia.compile / bia.load, pack metadata, and CompileError with its diagnostics."""

from __future__ import annotations

import os
import pathlib
import re

import pytest

import bia
from conftest import MINI, PACKS


def test_version_constants():
    assert re.fullmatch(r"\d+\.\d+\.\d+", bia.__version__)
    assert bia.ENGINE_VERSION == bia.__version__
    assert bia.LANGUAGE_VERSION and bia.RESULT_VERSION
    assert bia.LIMITS["max_json_depth"] >= 64
    assert bia.LIMITS["max_expression_depth"] >= 256


def test_load_file(mini):
    assert mini.name == "mini"
    assert mini.version == "0.1.0"
    assert mini.title == "Test pack for the Python bindings"
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", mini.digest)
    assert mini.origin.endswith("mini.bia")
    assert repr(mini).startswith("<bia.Pack mini 0.1.0 sha256:")


def test_load_accepts_pathlike_and_str():
    assert bia.load(str(MINI)).digest == bia.load(pathlib.Path(MINI)).digest


def test_compile_string_matches_load(mini, mini_source):
    pack = bia.compile(mini_source, "mini.bia")
    assert pack.name == "mini"
    assert pack.origin == "mini.bia"
    # The digest is over the source bytes, so where the text came from does not matter.
    assert pack == bia.compile(mini_source.encode("utf-8"), "other-name")
    assert pack.digest == bia.compile(mini_source.encode("utf-8")).digest


def test_facts_have_types_and_descriptions(mini):
    facts = {f.path: f for f in mini.facts}
    assert [f.path for f in mini.facts][:2] == ["child.birth_date", "child.unaccompanied"]
    assert facts["child.birth_date"].kind == "date"
    assert facts["child.birth_date"].type == "date"
    assert facts["child.birth_date"].description == "Date of birth, as stated or documented"
    assert facts["child.unaccompanied"].kind == "bool"
    assert facts["family.siblings"].kind == "number"
    assert facts["child.name"].kind == "text"
    assert facts["child.name"].description == ""
    gender = facts["child.gender"]
    assert gender.kind == "one_of"
    assert gender.members == ("girl", "boy", "other")
    assert gender.type.startswith("one of {")
    assert facts["child.indicators"].kind == "set_of"
    assert facts["child.indicators"].members == ("debt_bondage", "confiscated_documents", "long_hours")
    with pytest.raises(Exception):
        facts["child.name"].path = "x"  # frozen


def test_rules_levels_domains_sources(mini):
    rules = mini.rules
    assert [r.name for r in rules] == ["no_guardian", "trafficking", "young_child", "siblings", "adolescent_girl"]
    assert rules[0] == bia.Rule("no_guardian", "Unaccompanied child has no guardian", "safety", "high", 30)
    assert rules[2].severity is None
    assert [(l.name, l.at) for l in mini.levels] == [("low", None), ("medium", 20), ("high", 50)]
    assert [(d.name, d.title) for d in mini.domains] == [
        ("safety", "Care, protection and safety"),
        ("family", "Family environment"),
    ]
    assert [s.id for s in mini.citation_sources] == ["GC6", "GC14"]


def test_sources_round_trip(mini, mini_source):
    sources = mini.sources()
    assert len(sources) == 1
    assert sources[0]["text"] == mini_source


def test_load_directory_reads_bia_files_in_name_order():
    pack = bia.load(PACKS / "split")
    assert pack.name == "split"
    assert [r.name for r in pack.rules] == ["alone"]
    names = [os.path.basename(s["name"]) for s in pack.sources()]
    assert names == ["10-header.bia", "20-rules.bia"]
    result = pack.evaluate({"child": {"unaccompanied": True, "age": 15}}, as_of="2026-01-01")
    assert result["level"] == "high"


def test_load_directory_warns_about_subdirectories_it_does_not_read(tmp_path, recwarn):
    (tmp_path / "10-head.bia").write_text('pack p version "1.0.0" "P"\nlevel low\n')
    (tmp_path / "drafts" / "deeper").mkdir(parents=True)
    (tmp_path / "drafts" / "20-rules.bia").write_text("fact child.alone : bool\n")
    (tmp_path / "drafts" / "deeper" / "30-more.bia").write_text("fact child.other : bool\n")
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "a.json").write_text("{}")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.bia").write_text("garbage")
    with pytest.warns(UserWarning) as caught:
        pack = bia.load(tmp_path)
    assert len(pack.facts) == 0  # not read
    assert [str(w.message) for w in caught] == [
        f"{tmp_path / 'drafts'}: 2 .bia files are not read: a pack directory is only the .bia files directly in it"
    ]
    assert caught[0].filename == __file__  # points at the caller's load()
    bia.load(PACKS / "split")
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]


def test_load_missing_path_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        bia.load(tmp_path / "nope.bia")


BAD = """pack bad version "1.0.0" "Broken"
fact child.age : number
level low
rule r "R"
  when child.agee > 3
rule s "S"
  when child.age + true
"""


def test_compile_error_lists_every_diagnostic():
    with pytest.raises(bia.CompileError) as info:
        bia.compile(BAD, "bad.bia")
    error = info.value
    assert isinstance(error, ValueError)
    assert len(error.diagnostics) >= 2
    first = error.diagnostics[0]
    assert isinstance(first, bia.Diagnostic)
    assert first.path == "bad.bia"
    assert (first.line, first.column) == (5, 8)
    assert "child.agee" in first.message
    assert first.code
    assert all(d.line >= 1 and d.column >= 1 for d in error.diagnostics)
    assert [d.line for d in error.diagnostics] == sorted(d.line for d in error.diagnostics)
    # str() is the CLI's report: path:line:column: error: message, then the line and a caret.
    text = str(error)
    assert f"bad.bia:5:{first.column}: error:" in text
    assert "^" in text
    assert str(first).startswith(f"bad.bia:5:{first.column}: error: ")
    assert str(first) in text


@pytest.mark.parametrize(
    "source",
    [
        "",
        "\x00\x01\x02",
        "pack",
        "pack p version \"1\" \"t\"\nlevel low\nrule r \"x\" when " + "(" * 100_000,
        "pack p version \"1\" \"t\"\nlevel low\nfact a : bool\nrule r \"x\" when " + "not " * 100_000 + "a",
        "pack p version \"1.0.0\" \"t\"\nlevel low\nrule r \"\ud800\" when true",
    ],
    ids=["empty", "binary", "truncated", "parens", "nots", "surrogate"],
)
def test_hostile_sources_are_compile_errors(source):
    with pytest.raises(bia.CompileError) as info:
        bia.compile(source)
    assert info.value.diagnostics
    assert info.value.diagnostics[0].line >= 1


def test_invalid_utf8_bytes_are_a_compile_error():
    with pytest.raises(bia.CompileError):
        bia.compile(b"pack p version \"1.0.0\" \"\xff\xfe\"\nlevel low\n")


def test_compile_rejects_wrong_types():
    with pytest.raises(TypeError):
        bia.compile(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        bia.compile("pack p", name=3)  # type: ignore[arg-type]


def test_max_source_bytes_raises_and_lowers_the_limit(tmp_path, mini_source):
    # The mini pack and a comment that takes it past the default 4 MiB.
    big = mini_source + "# " + "x" * (5 << 20) + "\n"
    size = len(big.encode())
    path = tmp_path / "big.bia"
    path.write_text(big)
    for make in (lambda **kw: bia.compile(big, "big.bia", **kw), lambda **kw: bia.load(path, **kw)):
        with pytest.raises(bia.CompileError) as info:
            make()
        assert info.value.diagnostics[0].code == "E0503"
        assert "over the limit of 4194304 bytes (max_source_bytes)" in info.value.diagnostics[0].message
        pack = make(max_source_bytes=size)
        assert pack.name == "mini"
        with pytest.raises(bia.CompileError) as info:
            make(max_source_bytes=size - 1)
        assert info.value.diagnostics[0].code == "E0503"
    # A pack read with a raised limit survives pickling (worker processes compile it again).
    import pickle

    again = pickle.loads(pickle.dumps(bia.load(path, max_source_bytes=size)))
    assert again.digest == bia.compile(big, "big.bia", max_source_bytes=size).digest


@pytest.mark.parametrize("value, error", [(0, ValueError), (-1, ValueError), ((1 << 30) + 1, ValueError),
                                          (True, TypeError), (1.5, TypeError), ("4", TypeError)])
def test_max_source_bytes_must_be_a_positive_int(mini_source, value, error):
    with pytest.raises(error, match="max_source_bytes"):
        bia.compile(mini_source, max_source_bytes=value)
    with pytest.raises(error, match="max_source_bytes"):
        bia.load(MINI, max_source_bytes=value)


def test_pack_cannot_be_made_directly():
    with pytest.raises(TypeError):
        bia.Pack()
