// Every crash, hang and wrong answer the fuzzers and the hardening tests found, as a readable
// test. The inputs themselves are in fuzz/regressions and are replayed by the fuzz_replay_* tests.
#include <bia/bia.hpp>

#include "test_util.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

// pack_fuzzer, c_api_fuzzer: a diagnostic on a line made only of UTF-8 continuation bytes (a
// file that is not valid UTF-8) indexed an empty vector while formatting: `bia check` crashed.
TEST(FuzzRegression, DiagnosticOnALineOfContinuationBytes) {
    for (const std::string bad : {"\x80", "\x80\xbf\x80", "  \x80", "\xc3"}) {
        const std::string source = "pack p version \"1.0.0\" \"t\"\nlevel low\n" + bad + "\n";
        const auto r = bia::compile(source, "bad.bia");
        ASSERT_FALSE(r.ok());
        const std::string text = bia::format_diagnostics(r.diagnostics);
        EXPECT_NE(text.find("bad.bia:3:"), std::string::npos) << text;
        EXPECT_NE(text.find("not valid UTF-8"), std::string::npos) << text;
    }
}

// The same formatting with a column past the end of a long line.
TEST(FuzzRegression, DiagnosticColumnPastALongLine) {
    bia::Diagnostic d;
    d.code.assign("E0000");
    d.path.assign("x.bia");
    d.line = 1;
    d.column = 5000;
    d.message.assign(1, 'm');
    d.source_line = std::string(300, 'a');
    const std::string text = d.format();
    EXPECT_NE(text.find("x.bia:1:5000: error: m"), std::string::npos);
    d.source_line = std::string(300, '\x80');
    EXPECT_FALSE(d.format().empty());
}

// pack_fuzzer (first minutes): a set fact bound by the simdjson fast path ranged over a
// temporary's element list after it was destroyed (stack-use-after-scope under ASan).
TEST(FuzzRegression, SetFactThroughTheFastBinder) {
    const auto pack = bia_test::must_compile(
        "pack p version \"1.0.0\" \"t\"\nlevel low\nfact s : set of {\"a\", \"b\", \"c\"}\n"
        "rule r \"t\" when \"b\" in s and count(s) = 2\n");
    const auto r = bia_test::must_evaluate(pack, R"({"s": ["a", "b"]})");
    EXPECT_TRUE(bia_test::fired(r, "r"));
    EXPECT_FALSE(bia_test::fired(bia_test::must_evaluate(pack, R"({"s": ["a", "c", "a"]})"), "r"));
}

// Hardening tests: hostile input inside the limits took time quadratic in its size (an object
// of n keys, n unknown names, a long one-line expression). limits_test times them; here they
// must at least still give the right answers.
TEST(FuzzRegression, QuadraticInputsStillGiveTheRightAnswers) {
    const auto pack = bia_test::must_compile("pack p version \"1.0.0\" \"t\"\nlevel low\nfact a : bool\nrule r \"t\" when a\n");
    const auto dup = bia_test::fact_errors(pack, R"({"k1": 1, "k2": 2, "k1": 3, "a": true})");
    ASSERT_EQ(dup.size(), 1u);
    EXPECT_EQ(dup[0].path, "k1");
    const auto dup_in_ignored = bia_test::fact_errors(pack, R"({"x": {"k": 1, "k": 2}, "a": true})");
    ASSERT_EQ(dup_in_ignored.size(), 1u);
    EXPECT_EQ(dup_in_ignored[0].path, "x.k");

    const auto unknown = bia::compile("pack p version \"1.0.0\" \"t\"\nlevel low\nfact alpha : bool\nrule r \"t\" when alpah\n");
    ASSERT_EQ(unknown.diagnostics.size(), 1u);
    EXPECT_NE(unknown.diagnostics[0].message.find("did you mean 'alpha'"), std::string::npos);

    // Spans still end before a trailing comment, on one line and across lines.
    const auto spans = bia::compile("pack p version \"1.0.0\" \"t\"\nlevel low\nfact n : number\n"
                                    "rule r \"t\" when n > \"#\" # comment\n");
    ASSERT_FALSE(spans.ok());
    EXPECT_NE(bia::format_diagnostics(spans.diagnostics).find(":4:"), std::string::npos);
}

// privacy_test: explanations printed numbers with six significant digits (86753091 showed as
// 8.67531e+07), so the value a caseworker read was not the case's value.
TEST(FuzzRegression, ExplanationsShowNumbersExactly) {
    const auto pack = bia_test::must_compile(
        "pack p version \"1.0.0\" \"t\"\nlevel low\nfact n : number\nrule r \"t\" when n > 3\n");
    bia::EvalOptions options;
    options.as_of = bia_test::date("2026-03-01");
    for (const std::string value : {"86753091", "0.1", "1234567.25", "-2.5"}) {
        const auto x = bia::explain(pack, "{\"n\": " + value + "}", "r", options);
        ASSERT_TRUE(x.explanation.has_value());
        EXPECT_NE(bia::render_explanation(*x.explanation).find("n  ->  " + value), std::string::npos)
            << bia::render_explanation(*x.explanation);
    }
}

}  // namespace
