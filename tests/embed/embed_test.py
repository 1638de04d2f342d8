#!/usr/bin/env python3
"""Tests bia the way hosts meet it: installed into a staging prefix, then used by each embedding example.

Modes (one ctest test each):
  install   cmake --install the build tree into the stage; check the layout, the
            SONAMEs, the pkg-config files and that nothing points back into the build.
  cpp       build examples/embed/cpp with find_package(bia) against the stage; run it;
            its output becomes the reference, checked against the installed `bia run`.
  c-make    build examples/embed/c with its Makefile through pkg-config; run it.
  c-cmake   build examples/embed/c with find_package(bia) and bia::c; run it.
  c-static  the same with bia::c_static; run it without the shared library around.
  python    run examples/embed/python-ctypes against the staged libbia_c.
  subdir    build examples/embed/cpp with add_subdirectory() of the source tree.
  docs      every C, C++ and CMake block of README.md and docs/*.md (and the ctypes Python block), built
            against the stage as the docs say and run where it is a whole program; or in DOC_SKIP, with why.
Every host must print exactly the reference output for the same pack, cases and as-of.

The suites: the smoke pack (examples/embed/smoke) always, and the PROTECT pack
(rules/protect) with the training cases (examples/cases/*.json) once they exist.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

AS_OF = "2026-03-10"


class Failure(Exception):
    pass


def run(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
        check: bool = True) -> subprocess.CompletedProcess[bytes]:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True)
    if check and proc.returncode != 0:
        sys.stdout.write(proc.stdout.decode(errors="replace"))
        sys.stdout.write(proc.stderr.decode(errors="replace"))
        raise Failure(f"command failed with exit status {proc.returncode}")
    return proc


class Context:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.source = Path(args.source_dir).resolve()
        self.build = Path(args.build_dir).resolve()
        self.stage = Path(args.stage).resolve()
        self.work = Path(args.work).resolve()
        self.libdir = self.stage / args.libdir
        self.reference = self.work / "reference"

    def suites(self) -> list[tuple[str, Path, list[Path]]]:
        smoke = self.source / "examples/embed/smoke"
        found = [("smoke", smoke / "smoke.bia", sorted(smoke.glob("cases/*.json")))]
        protect = self.source / "rules/protect"
        cases = sorted((self.source / "examples/cases").glob("*.json"))
        if protect.is_dir() and any(protect.glob("*.bia")) and cases:
            found.append(("protect", protect, cases))
        else:
            print("note: rules/protect or examples/cases/*.json missing; smoke pack only")
        return found

    def cmake_configure(self, src: Path, build: Path, *extra: str) -> None:
        if build.exists():
            shutil.rmtree(build)
        a = self.args
        cmd = ["cmake", "-S", src, "-B", build, "-G", a.generator,
               f"-DCMAKE_BUILD_TYPE={a.config}",
               f"-DCMAKE_C_COMPILER={a.cc}", f"-DCMAKE_CXX_COMPILER={a.cxx}"]
        if a.make_program:
            cmd.append(f"-DCMAKE_MAKE_PROGRAM={a.make_program}")
        if a.sanitize:
            cmd.append("-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined")
        cmd.extend(extra)
        run(cmd)

    def cmake_build(self, build: Path) -> None:
        run(["cmake", "--build", build, "--config", self.args.config])

    def host_env(self, with_library_path: bool) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("LD_LIBRARY_PATH", None)
        if with_library_path:
            env["LD_LIBRARY_PATH"] = str(self.libdir)
        return env

    def run_host(self, name: str, command: list[str], env: dict[str, str]) -> None:
        """Runs a host over every suite; the cpp host writes the reference, the others must match it."""
        for suite, pack, cases in self.suites():
            proc = run([*command, "--as-of", AS_OF, pack, *cases], env=env, check=False)
            out = proc.stdout
            (self.work / f"{name}-{suite}.out").write_bytes(out)
            sys.stdout.write(proc.stderr.decode(errors="replace"))
            if proc.returncode not in (0, 1) or (suite == "smoke" and proc.returncode != 0):
                sys.stdout.write(out.decode(errors="replace"))
                raise Failure(f"{name} host exited with status {proc.returncode} on {suite}")
            if out.count(b"\n== ") + out.startswith(b"== ") != len(cases):
                raise Failure(f"{name} host did not report every case of {suite}")
            reference = self.reference / f"{suite}.out"
            if name == "cpp":
                self.reference.mkdir(parents=True, exist_ok=True)
                reference.write_bytes(out)
                (self.reference / f"{suite}.status").write_text(str(proc.returncode))
                continue
            if not reference.exists():
                raise Failure(f"no reference output for {suite}: run the embed.cpp test first")
            if out != reference.read_bytes():
                raise Failure(f"{name} host output differs from the C++ host's on {suite}:\n"
                              f"  diff {reference} {self.work / f'{name}-{suite}.out'}")
            if str(proc.returncode) != (self.reference / f"{suite}.status").read_text():
                raise Failure(f"{name} host exit status differs from the C++ host's on {suite}")
            print(f"{name}: {suite}: {len(cases)} case(s), output identical to the C++ host's")


def split_blocks(output: bytes) -> dict[str, bytes]:
    blocks: dict[str, bytes] = {}
    for chunk in (b"\n" + output).split(b"\n== ")[1:]:
        name, _, body = chunk.partition(b"\n")
        blocks[name.decode()] = body + b"\n" if body and not body.endswith(b"\n") else body
    return blocks


def mode_install(ctx: Context) -> None:
    a = ctx.args
    if ctx.stage.exists():
        shutil.rmtree(ctx.stage)
    if ctx.work.exists():
        shutil.rmtree(ctx.work)
    ctx.work.mkdir(parents=True)
    run(["cmake", "--install", ctx.build, "--prefix", ctx.stage, "--config", a.config])

    major, minor_patch = a.version.split(".", 1)
    # Each shared library's SONAME number: the C++ one counts its ABI apart (CMakeLists.txt).
    soname = {"libbia": a.cxx_abi, "libbia_c": major}
    file_version = {lib: f"{n}.{minor_patch}" for lib, n in soname.items()}
    expected = [
        "include/bia.h", "include/bia/bia.hpp", "include/bia/version.hpp",
        "include/bia/pack.hpp", "include/bia/export.hpp",
        f"{a.libdir}/libbia.a", f"{a.libdir}/libbia.so", f"{a.libdir}/libbia.so.{soname['libbia']}",
        f"{a.libdir}/libbia.so.{file_version['libbia']}",
        f"{a.libdir}/libbia_c.a", f"{a.libdir}/libbia_c.so", f"{a.libdir}/libbia_c.so.{soname['libbia_c']}",
        f"{a.libdir}/libbia_c.so.{file_version['libbia_c']}",
        f"{a.libdir}/cmake/bia/bia-config.cmake", f"{a.libdir}/cmake/bia/bia-config-version.cmake",
        f"{a.libdir}/cmake/bia/bia-targets.cmake",
        f"{a.libdir}/pkgconfig/bia.pc", f"{a.libdir}/pkgconfig/bia-cpp.pc",
    ]
    if a.cli:
        expected.append(f"bin/{a.cli}")
    missing = [p for p in expected if not (ctx.stage / p).exists()]
    if missing:
        raise Failure("not installed: " + ", ".join(missing))

    # The public headers promise the standard library and nlohmann/json only.
    for header in sorted((ctx.stage / "include/bia").glob("*.hpp")):
        text = header.read_text()
        if "boost" in text.lower() or "x3::" in text:
            raise Failure(f"{header.name} mentions Boost or X3")

    for lib in ("libbia", "libbia_c"):
        dyn = run([a.readelf, "-d", ctx.libdir / f"{lib}.so.{file_version[lib]}"]).stdout.decode()
        if f"[{lib}.so.{soname[lib]}]" not in dyn:
            raise Failure(f"{lib}.so has no SONAME {lib}.so.{soname[lib]}:\n{dyn}")

    # Nothing installed may point back into the build or source tree.
    for f in list((ctx.libdir / "cmake/bia").glob("*.cmake")) + list((ctx.libdir / "pkgconfig").glob("bia*.pc")):
        text = f.read_text()
        for tree in (str(ctx.build), str(ctx.source)):
            if tree in text:
                raise Failure(f"{f} refers to {tree}")

    env = dict(os.environ, PKG_CONFIG_PATH=str(ctx.libdir / "pkgconfig"))
    for module in ("bia", "bia-cpp"):
        version = run([a.pkg_config, "--modversion", module], env=env).stdout.decode().strip()
        if version != a.version:
            raise Failure(f"pkg-config {module} says {version}, expected {a.version}")
    cflags = run([a.pkg_config, "--cflags", "bia"], env=env).stdout.decode()
    libs = run([a.pkg_config, "--libs", "bia"], env=env).stdout.decode()
    include = os.path.realpath(ctx.stage / "include")
    includes = [os.path.realpath(flag[2:]) for flag in cflags.split() if flag.startswith("-I")]
    if include not in includes:
        raise Failure(f"pkg-config --cflags bia gives {cflags!r}, not -I{include}")
    if "-lbia_c" not in libs:
        raise Failure(f"pkg-config --libs bia gives {libs!r}")
    print(f"installed bia {a.version} into {ctx.stage}")


def mode_cpp(ctx: Context) -> None:
    build = ctx.work / "cpp"
    ctx.cmake_configure(ctx.source / "examples/embed/cpp", build, f"-DCMAKE_PREFIX_PATH={ctx.stage}")
    found = (build / "CMakeCache.txt").read_text()
    if f"bia_DIR:PATH={ctx.libdir / 'cmake/bia'}" not in found:
        raise Failure("find_package(bia) did not find the staged package")
    ctx.cmake_build(build)
    ctx.run_host("cpp", [build / "bia_embed_cpp"], ctx.host_env(False))

    # The C++ host and the installed command must print the same result JSON.
    cli = ctx.stage / "bin" / ctx.args.cli if ctx.args.cli else None
    if cli is None:
        print("note: no CLI installed; skipping the comparison with `bia run`")
        return
    for suite, pack, cases in ctx.suites():
        blocks = split_blocks((ctx.reference / f"{suite}.out").read_bytes())
        for case in cases:
            proc = run([cli, "run", pack, case, "--as-of", AS_OF, "--format", "json"],
                       env=ctx.host_env(True), check=False)
            block = blocks.get(case.name)
            host_ok = block is not None and not block.startswith(b"error: ")
            if (proc.returncode == 0) != host_ok:
                raise Failure(f"{case.name}: `bia run` exit status {proc.returncode} but the "
                              f"C++ host {'succeeded' if host_ok else 'failed'}")
            if host_ok and proc.stdout != block:
                raise Failure(f"{case.name}: `bia run --format json` differs from the C++ host")
        print(f"cpp: {suite}: `bia run --format json` agrees on {len(cases)} case(s)")


def mode_c_make(ctx: Context) -> None:
    a = ctx.args
    build = ctx.work / "c-make"
    if build.exists():
        shutil.rmtree(build)
    build.mkdir(parents=True)
    src = ctx.source / "examples/embed/c"
    cmd = [a.make, "-f", src / "Makefile", f"SRC_DIR={src}", f"CC={a.cc}",
           f"PKG_CONFIG={a.pkg_config}"]
    if a.sanitize:
        cmd.append("LDFLAGS=-fsanitize=address,undefined")
    env = dict(os.environ, PKG_CONFIG_PATH=str(ctx.libdir / "pkgconfig"))
    run(cmd, cwd=build, env=env)
    ctx.run_host("c-make", [build / "bia_embed_c"], ctx.host_env(True))


def mode_c_cmake(ctx: Context, static: bool) -> None:
    name = "c-static" if static else "c-cmake"
    build = ctx.work / name
    ctx.cmake_configure(ctx.source / "examples/embed/c", build, f"-DCMAKE_PREFIX_PATH={ctx.stage}",
                        f"-DBIA_C_STATIC_LINK={'ON' if static else 'OFF'}")
    ctx.cmake_build(build)
    exe = build / "bia_embed_c"
    if static:
        needed = run([ctx.args.readelf, "-d", exe]).stdout.decode()
        if "libbia_c.so" in needed or "libbia.so" in needed:
            raise Failure(f"{exe} still needs a shared bia library:\n{needed}")
    # The shared build finds libbia_c through the RUNPATH CMake gives it; the
    # static one needs nothing. Neither gets LD_LIBRARY_PATH.
    ctx.run_host(name, [exe], ctx.host_env(False))


def mode_python(ctx: Context) -> None:
    library = ctx.libdir / f"libbia_c.so.{ctx.args.version.split('.')[0]}"
    script = ctx.source / "examples/embed/python-ctypes/bia_ctypes.py"
    ctx.run_host("python", [ctx.args.python, script, "--library", library], ctx.host_env(False))


def mode_subdir(ctx: Context) -> None:
    build = ctx.work / "subdir"
    ctx.cmake_configure(ctx.source / "examples/embed/cpp", build, f"-DBIA_SOURCE_DIR={ctx.source}")
    ctx.cmake_build(build)
    ctx.run_host("subdir", [build / "bia_embed_cpp"], ctx.host_env(False))


# C, C++ and CMake blocks of README.md and docs/*.md that the docs mode does not build, by document and
# first line, with the reason. An entry that matches no block fails, so the list cannot go stale.
DOC_SKIP = {
    ("docs/embedding.md", "add_subdirectory(third_party/bia EXCLUDE_FROM_ALL)"):
        "two lines of a host's CMakeLists.txt that build the whole engine again (many minutes); the embed.subdir "
        "test builds examples/embed/cpp exactly this way",
}
DOC_FENCE = re.compile(r"^```(?P<lang>c|cpp|cmake|python)[ \t]*\n(?P<code>.*?)^```[ \t]*$", re.M | re.S)
SHELL_FENCE = re.compile(r"^```(?:sh|bash)?[ \t]*\n(?P<code>.*?)^```[ \t]*$", re.M | re.S)

# A C++ block that is a fragment (no main) is compiled and run inside this, which declares what the
# fragments use: pack, options, lines (cases as JSON text) and out.
FRAGMENT_MAIN = """#include <bia/bia.hpp>
#include <iostream>
#include <string>
#include <vector>

int main() {
    bia::CompileResult compiled = bia::load("rules/protect");
    if (!compiled.ok()) return 2;
    const bia::Pack& pack = *compiled.pack;
    bia::EvalOptions options;
    options.as_of = bia::Date::parse("2026-03-10");
    std::vector<std::string> lines = {R"({"child": {"separation": "unaccompanied"}})", R"({"child": {"birth_date": 5}})"};
    std::ostream& out = std::cout;
%s
}
"""


def doc_blocks(source: Path):
    for doc in [source / "README.md", *sorted((source / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        name = str(doc.relative_to(source))
        for m in DOC_FENCE.finditer(text):
            code = m.group("code")
            if m.group("lang") == "python" and "ctypes.CDLL(" not in code:
                continue  # tests/python/test_docs.py runs these in the installed Python package
            line = text.count("\n", 0, m.start()) + 1
            first = next((l.strip() for l in code.splitlines() if l.strip()), "")
            yield name, line, m.group("lang"), code, first, text


def mode_docs(ctx: Context) -> None:
    a = ctx.args
    work = ctx.work / "docs"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    pc_env = dict(os.environ, PKG_CONFIG_PATH=str(ctx.libdir / "pkgconfig"))
    run_env = ctx.host_env(True)
    used: set[tuple[str, str]] = set()
    built = skipped = 0
    pending_cmake: str | None = None  # a host's CMakeLists.txt, for the C++ program that follows it

    def run_program(where: str, exe: Path, expect: bytes) -> None:
        proc = run([exe], cwd=ctx.source, env=run_env, check=False)
        if proc.returncode != 0 or expect not in proc.stdout:
            sys.stdout.write((proc.stdout + proc.stderr).decode(errors="replace")[-2000:])
            raise Failure(f"{where}: the program exited with {proc.returncode} or did not print {expect!r}")

    current = ""  # the block being built, named in any failure
    try:
        for n, (doc, line, lang, code, first, text) in enumerate(doc_blocks(ctx.source)):
            where = f"{doc}:{line}"
            current = where
            key = (doc, first)
            if key in DOC_SKIP:
                used.add(key)
                skipped += 1
                print(f"skip {where}: {DOC_SKIP[key]}")
                continue
            block = work / f"block{n}"
            block.mkdir()
            if lang == "cmake":
                if "find_package(bia" not in code:
                    raise Failure(f"{where}: a CMake block that is neither a host's find_package(bia) project nor in DOC_SKIP")
                pending_cmake = code
                continue
            if lang == "cpp" and "int main" in code:
                if pending_cmake is None:
                    raise Failure(f"{where}: a C++ program with no CMake block before it to build it")
                (block / "CMakeLists.txt").write_text(pending_cmake)
                (block / "main.cpp").write_text(code)
                ctx.cmake_configure(block, block / "build", f"-DCMAKE_PREFIX_PATH={ctx.stage}")
                ctx.cmake_build(block / "build")
                run_program(where, block / "build" / "host", b"level ")
                pending_cmake = None
            elif lang == "cpp":
                (block / "main.cpp").write_text(FRAGMENT_MAIN % code)
                flags = run([a.pkg_config, "--cflags", "--libs", "bia-cpp"], env=pc_env).stdout.decode().split()
                run([a.cxx, "-std=c++20", "-Wall", "-Wextra", "-Wpedantic", "-Werror", block / "main.cpp", *flags,
                     "-o", block / "host"])
                run_program(where, block / "host", b"line 2: ")
            elif lang == "c":
                # Built with the very command the same document gives for it.
                commands = [m.group("code") for m in SHELL_FENCE.finditer(text) if "cc -std=c99" in m.group("code")]
                if len(commands) != 1:
                    raise Failure(f"{where}: expected one shell block with the `cc -std=c99` command, found {len(commands)}")
                build_line = next(l for l in commands[0].splitlines() if l.startswith("cc "))
                (block / "host.c").write_text(code)
                run(["bash", "-c", build_line.split("#")[0] + " -Werror"], cwd=block, env=pc_env)
                run_program(where, block / "host", b'"level"')
            else:  # Python over the C API through ctypes
                (block / "host.py").write_text(code)
                proc = run([a.python, block / "host.py"], cwd=ctx.source, env=run_env, check=False)
                if proc.returncode != 0 or b"'level'" not in proc.stdout:
                    sys.stdout.write((proc.stdout + proc.stderr).decode(errors="replace")[-2000:])
                    raise Failure(f"{where}: the ctypes example exited with {proc.returncode} or printed no result")
            built += 1
            print(f"ok {where}: {lang} block built and run against the stage")
    except Failure as failure:
        if current and not str(failure).startswith(current):
            raise Failure(f"{current}: {failure}") from failure
        raise
    if pending_cmake is not None:
        raise Failure("a host's CMake block with no C++ program after it")
    stale = set(DOC_SKIP) - used
    if stale:
        raise Failure(f"DOC_SKIP names blocks that no longer exist: {sorted(stale)}")
    print(f"docs: {built} block(s) built and run, {skipped} skipped")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("mode", choices=["install", "cpp", "c-make", "c-cmake", "c-static", "python",
                                    "subdir", "docs"])
    p.add_argument("--source-dir", required=True)
    p.add_argument("--build-dir", required=True)
    p.add_argument("--stage", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--libdir", default="lib")
    p.add_argument("--version", required=True)
    p.add_argument("--cxx-abi", required=True, help="the C++ shared library's SONAME number")
    p.add_argument("--config", default="RelWithDebInfo")
    p.add_argument("--generator", default="Ninja")
    p.add_argument("--make-program", default="")
    p.add_argument("--cc", default="cc")
    p.add_argument("--cxx", default="c++")
    p.add_argument("--make", default="make")
    p.add_argument("--pkg-config", default="pkg-config")
    p.add_argument("--readelf", default="readelf")
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--cli", default="", help="file name of the installed CLI, if built")
    p.add_argument("--sanitize", action="store_true")
    args = p.parse_args()
    ctx = Context(args)
    try:
        {
            "install": mode_install,
            "cpp": mode_cpp,
            "c-make": mode_c_make,
            "c-cmake": lambda c: mode_c_cmake(c, False),
            "c-static": lambda c: mode_c_cmake(c, True),
            "python": mode_python,
            "subdir": mode_subdir,
            "docs": mode_docs,
        }[args.mode](ctx)
    except Failure as failure:
        print(f"FAIL: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
