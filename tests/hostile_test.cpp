// Malformed and hostile packs: each gives diagnostics (naming the limit where one
// applies), never a crash, a hang or unbounded memory.
#include "test_util.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <functional>
#include <optional>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>
#include <random>
#include <string>
#include <vector>

namespace {

using bia_test::must_compile;
using bia_test::must_evaluate;

const char* const header = "pack t version \"1.0.0\" \"Hostile\"\nlevel low\nlevel high at 10\nfact a.n : number\nfact a.p : bool\n";

// Runs `body` in a child process, so that a crash or a hang is reported as a failure of this test
// instead of taking the whole test program down. `body` returns its failures as text ("" = passed).
// Gives up (and fails) after `timeout_seconds`.
void isolated(double timeout_seconds, const std::function<std::string()>& body) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::close(fds[0]);
        std::string out;
        try {
            out = body();
        } catch (const std::exception& e) {
            out = std::string("exception: ") + e.what();
        } catch (...) {
            out = "unknown exception";
        }
        const char* p = out.data();
        std::size_t left = out.size();
        while (left > 0) {
            const auto n = ::write(fds[1], p, left);
            if (n <= 0) break;
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        ::close(fds[1]);
        std::_Exit(0);
    }
    ::close(fds[1]);
    std::string failures;
    const auto start = std::chrono::steady_clock::now();
    bool timed_out = false;
    while (true) {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (elapsed > timeout_seconds) {
            timed_out = true;
            break;
        }
        pollfd pfd{fds[0], POLLIN, 0};
        const int ready = ::poll(&pfd, 1, 100);
        if (ready > 0) {
            char buf[4096];
            const auto n = ::read(fds[0], buf, sizeof buf);
            if (n > 0) {
                failures.append(buf, static_cast<std::size_t>(n));
                continue;
            }
            break;  // end of file: the child is done writing
        }
    }
    ::close(fds[0]);
    if (timed_out) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
        FAIL() << "did not finish within " << timeout_seconds << " s (a hang, or something far from linear)";
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) FAIL() << "crashed with signal " << WTERMSIG(status) << "\n" << failures;
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT_EQ(failures, "");
}

// Failures collected inside an isolated body.
struct Fails {
    std::string text;
    void expect(bool ok, const std::string& what) {
        if (!ok) text += what + "\n";
    }
};

// Compiles hostile text; every diagnostic must be well formed.
bia::CompileResult compile_hostile(std::string_view text, Fails& f) {
    auto r = bia::compile(text, "hostile.bia");
    if (!r.ok()) {
        f.expect(!r.diagnostics.empty(), "refused without a diagnostic");
        f.expect(r.diagnostics.size() <= 100, "more than 100 diagnostics");
        for (const auto& d : r.diagnostics) {
            f.expect(d.line >= 1 && d.column >= 1, "a diagnostic with line or column 0");
            f.expect(!d.message.empty(), "a diagnostic without a message");
            f.expect(!d.code.empty(), "a diagnostic without a code");
            f.expect(d.path == "hostile.bia", "a diagnostic with path " + d.path);
        }
        (void)bia::format_diagnostics(r.diagnostics);
    }
    return r;
}

bool mentions(const std::vector<bia::Diagnostic>& ds, const std::string& what) {
    for (const auto& d : ds) {
        if (d.message.find(what) != std::string::npos) return true;
    }
    return false;
}

std::string shown(const bia::CompileResult& r) {
    std::string out = bia::format_diagnostics(r.diagnostics);
    if (out.size() > 2000) out = out.substr(0, 2000) + "...";
    return out;
}

std::string repeat(const std::string& s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

// The state of a rule in a result: fired, false or unknown.
std::string state(const bia::Result& r, const std::string& rule) {
    if (bia_test::fired(r, rule)) return "fired";
    if (bia_test::undetermined(r, rule)) return "unknown";
    return "false";
}

std::optional<bia::Result> evaluate(const bia::Pack& pack, std::string_view json, Fails& f) {
    bia::EvalOptions o;
    o.as_of = bia_test::date("2026-03-10");
    auto e = pack.evaluate(json, o);
    f.expect(e.ok(), "the case did not evaluate: " + bia_test::describe_errors(e.errors));
    return e.result;
}

// Generous: a Debug build on a slow machine, but nothing quadratic in 100,000 tokens.
constexpr double time_limit_seconds = 60;

// ---- deep nesting ------------------------------------------------------------------

// A pack that must be refused with a diagnostic naming `limit`.
void expect_refused_naming(const std::string& text, const std::string& limit) {
    isolated(time_limit_seconds, [&] {
        Fails f;
        const auto r = compile_hostile(text, f);
        f.expect(!r.ok(), "the pack compiled");
        f.expect(mentions(r.diagnostics, limit), "no diagnostic names " + limit + ":\n" + shown(r));
        return f.text;
    });
}

TEST(Hostile, HundredThousandNestedParentheses) {
    expect_refused_naming(std::string(header) + "let x = " + repeat("(", 100000) + "1" + repeat(")", 100000) + "\n",
                          "max_expression_depth");
}

TEST(Hostile, HundredThousandUnclosedParentheses) {
    expect_refused_naming(std::string(header) + "rule r \"R\" when " + repeat("(", 100000) + "\n", "max_expression_depth");
}

TEST(Hostile, HundredThousandNots) {
    expect_refused_naming(std::string(header) + "rule r \"R\" when " + repeat("not ", 100000) + "a.p\n",
                          "max_expression_depth");
}

TEST(Hostile, HundredThousandUnaryMinus) {
    expect_refused_naming(std::string(header) + "let x = " + repeat("-", 100000) + "1\n", "max_expression_depth");
}

TEST(Hostile, NestedFunctionCalls) {
    expect_refused_naming(std::string(header) + "rule r \"R\" when " + repeat("known(", 100000) + "a.p" +
                              repeat(")", 100000) + "\n",
                          "max_expression_depth");
}

TEST(Hostile, MixedNesting) {
    expect_refused_naming(std::string(header) + "rule r \"R\" when " + repeat("not (-(", 40000) + "1" +
                              repeat(")) > 0", 40000) + "\n",
                          "max_expression_depth");
}

TEST(Hostile, NestingWithinTheLimitIsAccepted) {
    // "Limits are at least: expression depth 256". Well inside it, nesting of every kind compiles and evaluates.
    const int n = 200;
    const auto pack = must_compile(std::string(header) + "let x = " + repeat("(", n) + "a.n + 1" + repeat(")", n) + "\n" +
                                   "let y = " + repeat("- ", n) + "a.n\n" + "rule r \"R\" when " + repeat("not ", n) +
                                   "a.p\n" + "rule s \"S\" when x = 3 and y = 2\n");
    const auto r = must_evaluate(pack, R"({"a": {"n": 2, "p": true}})");
    EXPECT_TRUE(bia_test::fired(r, "r"));  // an even number of nots
    EXPECT_TRUE(bia_test::fired(r, "s"));
}

TEST(Hostile, TheDefaultLimitAllowsDepth256) {
    // 255 parentheses around a literal: 256 levels of nesting counting the literal.
    const int n = 255;
    const auto r = bia::compile(std::string(header) + "let x = " + repeat("(", n) + "1" + repeat(")", n) + "\n");
    EXPECT_TRUE(r.ok()) << bia::format_diagnostics(r.diagnostics);
}

TEST(Hostile, CustomDepthLimitIsNamed) {
    bia::Limits limits;
    limits.max_expression_depth = 10;
    const auto ok = bia::compile(std::string(header) + "let x = " + repeat("(", 5) + "1" + repeat(")", 5) + "\n", "t.bia", limits);
    EXPECT_TRUE(ok.ok()) << bia::format_diagnostics(ok.diagnostics);
    const auto r = bia::compile(std::string(header) + "let x = " + repeat("(", 20) + "1" + repeat(")", 20) + "\n", "t.bia", limits);
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(mentions(r.diagnostics, "max_expression_depth"));
    EXPECT_TRUE(mentions(r.diagnostics, "10"));
}

// ---- long flat chains ------------------------------------------------------------------

TEST(Hostile, LongAndChainCompilesAndEvaluates) {
    isolated(time_limit_seconds, [] {
        Fails f;
        const auto r = compile_hostile(std::string(header) + "rule r \"R\" when a.p" + repeat(" and a.p", 100000) + "\n", f);
        if (!r.ok()) {
            f.expect(mentions(r.diagnostics, "max_"), "refused without naming a limit:\n" + shown(r));
            return f.text;
        }
        if (auto res = evaluate(*r.pack, R"({"a": {"p": true}})", f)) f.expect(state(*res, "r") == "fired", "not fired");
        if (auto res = evaluate(*r.pack, "{}", f)) {
            f.expect(state(*res, "r") == "unknown", "not unknown");
            f.expect(res->missing == std::vector<std::string>{"a.p"}, "missing is not [a.p]");
        }
        return f.text;
    });
}

TEST(Hostile, LongOrChainCompilesAndEvaluates) {
    isolated(time_limit_seconds, [] {
        Fails f;
        const auto r = compile_hostile(std::string(header) + "rule s \"S\" when a.p" + repeat(" or a.p", 100000) + "\n", f);
        if (!r.ok()) {
            f.expect(mentions(r.diagnostics, "max_"), "refused without naming a limit:\n" + shown(r));
            return f.text;
        }
        if (auto res = evaluate(*r.pack, R"({"a": {"p": false}})", f)) f.expect(state(*res, "s") == "false", "not false");
        return f.text;
    });
}

TEST(Hostile, LongArithmeticChainIsAnErrorOrAValueNeverACrash) {
    for (const char* op : {" + ", " - ", " * ", " / "}) {
        SCOPED_TRACE(op);
        isolated(time_limit_seconds, [op] {
            Fails f;
            const auto r = compile_hostile(std::string(header) + "let x = a.n" + repeat(std::string(op) + "a.n", 100000) +
                                               "\nrule r \"R\" when x > 0\n",
                                           f);
            if (r.ok()) {
                (void)evaluate(*r.pack, R"({"a": {"n": 1}})", f);
                (void)evaluate(*r.pack, "{}", f);
            } else {
                f.expect(mentions(r.diagnostics, "max_expression_depth"), "refused without naming a limit:\n" + shown(r));
            }
            return f.text;
        });
    }
}

TEST(Hostile, ChainedComparisonsAtLength) {
    isolated(time_limit_seconds, [] {
        Fails f;
        const auto r = compile_hostile(std::string(header) + "rule r \"R\" when a.n" + repeat(" < a.n", 100000) + "\n", f);
        f.expect(!r.ok(), "a chained comparison compiled");
        return f.text;
    });
}

// ---- many lets -------------------------------------------------------------------------

TEST(Hostile, TenThousandLetChain) {
    isolated(time_limit_seconds, [] {
        Fails f;
        std::string text = std::string(header) + "let l0 = a.n\n";
        for (int i = 1; i < 10000; ++i) text += "let l" + std::to_string(i) + " = l" + std::to_string(i - 1) + " + 1\n";
        text += "rule r \"R\" when l9999 = 10000\n";
        const auto r = compile_hostile(text, f);
        f.expect(r.ok(), "did not compile:\n" + shown(r));
        if (!r.ok()) return f.text;
        if (auto res = evaluate(*r.pack, R"({"a": {"n": 1}})", f)) f.expect(state(*res, "r") == "fired", "not fired");
        // Missing facts reach through all of them.
        if (auto res = evaluate(*r.pack, "{}", f)) {
            f.expect(res->undetermined.size() == 1 && res->undetermined[0].missing == std::vector<std::string>{"a.n"},
                     "missing does not reach a.n through 10,000 lets");
        }
        return f.text;
    });
}

TEST(Hostile, TenThousandLetChainDeclaredBackwards) {
    isolated(time_limit_seconds, [] {
        Fails f;
        std::string text = std::string(header) + "rule r \"R\" when l9999 = 10000\n";
        for (int i = 9999; i >= 1; --i) text += "let l" + std::to_string(i) + " = l" + std::to_string(i - 1) + " + 1\n";
        text += "let l0 = a.n\n";
        const auto r = compile_hostile(text, f);
        f.expect(r.ok(), "did not compile:\n" + shown(r));
        if (r.ok()) {
            if (auto res = evaluate(*r.pack, R"({"a": {"n": 1}})", f)) f.expect(state(*res, "r") == "fired", "not fired");
        }
        return f.text;
    });
}

TEST(Hostile, TenThousandLetCycle) {
    isolated(time_limit_seconds, [] {
        Fails f;
        std::string text = std::string(header);
        for (int i = 0; i < 10000; ++i) {
            text += "let l" + std::to_string(i) + " = l" + std::to_string((i + 1) % 10000) + " + 1\n";
        }
        const auto r = compile_hostile(text, f);
        f.expect(!r.ok(), "a cycle compiled");
        f.expect(!r.diagnostics.empty() && r.diagnostics[0].code == "E0207", "no E0207:\n" + shown(r));
        return f.text;
    });
}

TEST(Hostile, ManyErrorsStopAtTheLimit) {
    isolated(time_limit_seconds, [] {
        Fails f;
        std::string text = std::string(header);
        for (int i = 0; i < 100000; ++i) text += "rule r" + std::to_string(i) + " \"R\" when nope" + std::to_string(i) + " +\n";
        const auto r = compile_hostile(text, f);
        f.expect(!r.ok(), "compiled");
        f.expect(r.diagnostics.size() == 100, "not exactly 100 diagnostics: " + std::to_string(r.diagnostics.size()));
        return f.text;
    });
}

// ---- size ------------------------------------------------------------------------------

TEST(Hostile, SourceOverFourMebibytesNamesTheLimit) {
    std::string text = std::string(header);
    while (text.size() <= (4u << 20)) text += "# padding padding padding padding padding padding padding padding\n";
    const auto r = bia::compile(text, "big.bia");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(mentions(r.diagnostics, "max_source_bytes")) << bia::format_diagnostics(r.diagnostics);
    ASSERT_FALSE(r.diagnostics.empty());
    EXPECT_EQ(r.diagnostics[0].line, 1u);
    EXPECT_EQ(r.diagnostics[0].column, 1u);
}

TEST(Hostile, SourceJustUnderTheLimitCompiles) {
    isolated(time_limit_seconds, [] {
        Fails f;
        std::string text = std::string(header);
        const std::string pad = "# padding padding padding padding padding padding padding padding\n";
        while (text.size() + pad.size() < (4u << 20)) text += pad;
        const auto r = compile_hostile(text, f);
        f.expect(r.ok(), "did not compile:\n" + shown(r));
        return f.text;
    });
}

TEST(Hostile, LoadedFileOverTheLimit) {
    bia_test::TempDir dir;
    std::string text = std::string(header);
    text.append((4u << 20) + 10 - text.size(), '#');
    bia_test::write_file(dir / "big.bia", text);
    const auto r = bia::load(dir / "big.bia");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(mentions(r.diagnostics, "max_source_bytes")) << bia::format_diagnostics(r.diagnostics);
    // A directory whose files are each under the limit but together over it.
    bia_test::TempDir split;
    bia_test::write_file(split / "a.bia", std::string(header) + std::string(3u << 20, '#'));
    bia_test::write_file(split / "b.bia", std::string(2u << 20, '#'));
    const auto s = bia::load(split.path());
    EXPECT_FALSE(s.ok());
    EXPECT_TRUE(mentions(s.diagnostics, "max_source_bytes")) << bia::format_diagnostics(s.diagnostics);
}

TEST(Hostile, VeryLongLineAndName) {
    isolated(time_limit_seconds, [] {
        Fails f;
        const std::string name(1u << 20, 'x');
        const auto r = compile_hostile(std::string(header) + "rule r \"R\" when " + name + "\n", f);
        f.expect(!r.ok(), "an unknown name compiled");
        f.expect(r.diagnostics.size() == 1 && r.diagnostics[0].code == "E0202", "not one E0202");
        const auto ok = compile_hostile(std::string(header) + "let " + name + " = 1\nrule r \"" + std::string(1u << 20, 'T') +
                                            "\" when " + name + " = 1\n",
                                        f);
        f.expect(ok.ok(), "a long but valid pack did not compile");
        return f.text;
    });
}

// ---- bytes -------------------------------------------------------------------------------

TEST(Hostile, NulBytes) {
    const std::string nul(1, '\0');
    for (const std::string& text : {nul, std::string(header) + nul + "\n", std::string(header) + "rule r \"R\" when a.p" + nul + "\n",
                                    std::string(header) + "fact b" + nul + ".c : bool\n", nul + std::string(header),
                                    std::string(1000, '\0')}) {
        isolated(time_limit_seconds, [&] {
            Fails f;
            const auto r = compile_hostile(text, f);
            f.expect(!r.ok(), "a NUL byte outside a string was accepted");
            return f.text;
        });
    }
    // Inside a string: whatever the engine decides, no crash.
    isolated(time_limit_seconds, [&] {
        Fails f;
        (void)compile_hostile(std::string(header) + "rule r \"R" + nul + "x\" when a.p\n", f);
        return f.text;
    });
}

TEST(Hostile, InvalidUtf8) {
    for (const std::string& bad : {std::string("\xff"), std::string("\xc3\x28"), std::string("\xe2\x82"),
                                   std::string("\xed\xa0\x80"), std::string("\xc0\xaf"), std::string("\xf4\x90\x80\x80"),
                                   std::string("\x80"), std::string("\xf8\x88\x80\x80\x80")}) {
        SCOPED_TRACE("bytes of length " + std::to_string(bad.size()));
        for (const std::string& text : {std::string(header) + "# comment " + bad + "\n",
                                        std::string(header) + "rule r \"" + bad + "\" when a.p\n", bad,
                                        std::string(header) + bad}) {
            const auto r = bia::compile(text, "hostile.bia");
            EXPECT_FALSE(r.ok());
            bool utf8 = false;
            for (const auto& d : r.diagnostics) utf8 = utf8 || d.code == "E0105";
            EXPECT_TRUE(utf8) << bia::format_diagnostics(r.diagnostics);
        }
    }
}

TEST(Hostile, RandomBytes) {
    isolated(time_limit_seconds, [] {
        Fails f;
        std::mt19937 rng(20260310);
        std::uniform_int_distribution<int> byte(0, 255);
        std::uniform_int_distribution<int> length(0, 4096);
        for (int i = 0; i < 300; ++i) {
            std::string text(static_cast<std::size_t>(length(rng)), '\0');
            for (auto& c : text) c = static_cast<char>(byte(rng));
            const auto r = compile_hostile(text, f);
            f.expect(!r.ok(), "random bytes compiled (iteration " + std::to_string(i) + ")");
        }
        return f.text;
    });
}

TEST(Hostile, RandomTokenSoup) {
    // Random sequences of the language's own tokens reach deeper into the grammar than random bytes.
    isolated(2 * time_limit_seconds, [] {
        Fails f;
        const std::vector<std::string> tokens = {
            "pack", "source", "fact", "let", "level", "domain", "rule", "severity", "score", "when", "action", "cites",
            "within", "of", "at", "and", "or", "not", "in", "known", "years", "days", "count", "today", "true", "false",
            "one", "set", "bool", "number", "text", "date", "day", "days", "week", "weeks", "version", "(", ")", "{", "}",
            ",", ":", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", ".", "\"s\"", "\"", "\\", "1", "2.5",
            "2026-03-10", "2026-02-30", "a", "a.b", "a.n", "a.p", "x", "#", "\n", "\r\n", "\t", " ", "é", "1e5", "-0"};
        std::mt19937 rng(42);
        std::uniform_int_distribution<std::size_t> pick(0, tokens.size() - 1);
        std::uniform_int_distribution<int> length(0, 400);
        for (int i = 0; i < 2000; ++i) {
            std::string text = i % 2 ? std::string(header) : std::string();
            const int n = length(rng);
            for (int k = 0; k < n; ++k) text += tokens[pick(rng)] + " ";
            const auto r = compile_hostile(text, f);
            if (r.ok()) (void)evaluate(*r.pack, R"({"a": {"n": 1, "p": true}})", f);
        }
        return f.text;
    });
}

TEST(Hostile, EveryTruncationAndByteFlipOfAValidPack) {
    const std::string valid = bia_test::read_file(std::string(BIA_SOURCE_DIR) + "/examples/quickstart/pack.bia");
    const std::string valid_case = bia_test::read_file(std::string(BIA_SOURCE_DIR) + "/examples/quickstart/case.json");
    ASSERT_TRUE(bia::compile(valid).ok());
    isolated(2 * time_limit_seconds, [&] {
        Fails f;
        for (std::size_t n = 0; n < valid.size(); ++n) (void)compile_hostile(valid.substr(0, n), f);
        std::mt19937 rng(7);
        std::uniform_int_distribution<std::size_t> where(0, valid.size() - 1);
        std::uniform_int_distribution<int> byte(0, 255);
        for (int i = 0; i < 2000; ++i) {
            std::string text = valid;
            for (int k = 0; k < 3; ++k) text[where(rng)] = static_cast<char>(byte(rng));
            const auto r = compile_hostile(text, f);
            if (r.ok()) {
                bia::EvalOptions o;
                o.as_of = bia_test::date("2026-03-10");
                (void)r.pack->evaluate(valid_case, o);  // may have fact errors after a flip; must not crash
            }
        }
        return f.text;
    });
}

TEST(Hostile, MissingAndOddPaths) {
    auto r = bia::load("/nonexistent/dir/pack.bia");
    EXPECT_FALSE(r.ok());
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].path, "/nonexistent/dir/pack.bia");
    EXPECT_EQ(r.diagnostics[0].line, 1u);
    EXPECT_EQ(r.diagnostics[0].column, 1u);
    r = bia::load("/dev/null");
    EXPECT_FALSE(r.ok());
    r = bia::load("");
    EXPECT_FALSE(r.ok());
    EXPECT_FALSE(r.diagnostics.empty());
    const auto empty = bia::compile(std::vector<bia::SourceFile>{}, "nothing");
    EXPECT_FALSE(empty.ok());
    EXPECT_FALSE(empty.diagnostics.empty());
}

// ---- hostile cases, end to end ------------------------------------------------------------

TEST(Hostile, HostileCasesAgainstARealPack) {
    const auto pack = must_compile(bia_test::read_file(std::string(BIA_SOURCE_DIR) + "/examples/quickstart/pack.bia"));
    isolated(time_limit_seconds, [&] {
        Fails f;
        std::mt19937 rng(99);
        std::uniform_int_distribution<int> byte(0, 255);
        std::uniform_int_distribution<int> length(0, 2048);
        bia::EvalOptions o;
        o.as_of = bia_test::date("2026-03-10");
        for (int i = 0; i < 500; ++i) {
            std::string json(static_cast<std::size_t>(length(rng)), '\0');
            for (auto& c : json) c = static_cast<char>(byte(rng));
            const auto e = pack.evaluate(json, o);
            f.expect(!e.ok() && !e.errors.empty(), "random bytes evaluated as a case");
        }
        std::string deep = "{\"child\": ";
        for (int i = 0; i < 1000000; ++i) deep += "[";
        const auto e = pack.evaluate(deep, o);
        f.expect(!e.ok(), "a million nested arrays evaluated");
        return f.text;
    });
}

}  // namespace
