// One evaluation's memory is bounded by the pack and by max_result_bytes
// (docs/reliability.md, "Memory of one evaluation"). These tests count what an
// evaluation holds (entries, bytes) for the shapes that used to be quadratic,
// and assert linear bounds on the counts; no timing.
#include <bia/bia.hpp>

#include "eval/evaluator.hpp"
#include "eval/facts.hpp"
#include "test_util.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

const char* const header = "pack p version \"1.0.0\" \"t\"\nlevel low\n";

std::string facts(std::size_t n, const char* name = "f") {
    std::string out;
    for (std::size_t i = 1; i <= n; ++i) out += "fact " + std::string(name) + std::to_string(i) + " : bool\n";
    return out;
}

// l1 = f1, l_i = l_(i-1) and f_i, and one rule over l_n: the shape of issue 16,
// whose lets' lists of missing facts held n^2/2 entries (20,000 lets: 810 MB).
std::string let_chain(std::size_t n) {
    std::string src = std::string(header) + facts(n) + "let l1 = f1\n";
    for (std::size_t i = 2; i <= n; ++i)
        src += "let l" + std::to_string(i) + " = l" + std::to_string(i - 1) + " and f" + std::to_string(i) + "\n";
    return src + "rule r \"t\" when l" + std::to_string(n) + "\n";
}

// One let over m facts, used by n rules.
std::string rules_over_one_let(std::size_t rules, std::size_t m, const bia::Limits& = {}) {
    std::string src = std::string(header) + facts(m) + "let big = f1";
    for (std::size_t i = 2; i <= m; ++i) src += " or f" + std::to_string(i);
    src += "\n";
    for (std::size_t k = 1; k <= rules; ++k) src += "rule r" + std::to_string(k) + " \"t\" when big\n";
    return src;
}

bia::Pack compile_with(const std::string& src, const bia::Limits& limits) {
    auto r = bia::compile(src, "t.bia", limits);
    if (!r.ok()) throw std::runtime_error(bia::format_diagnostics(r.diagnostics));
    return std::move(*r.pack);
}

// Evaluates through the engine's own entry point, so the test can count what
// the evaluation's working memory holds afterwards.
struct Counted {
    bool fits = false;
    bia::Result result;
    bia::eval::Scratch scratch;
};

void evaluate_counted(const bia::Pack& pack, const std::string& json, Counted& out) {
    bia::eval::BoundCase bound;
    bia::eval::bind_json_text(bia::detail::compiled(pack).plan, json, bia::eval::BindOptions{}, bound);
    ASSERT_TRUE(bound.errors.empty()) << bia_test::describe_errors(bound.errors);
    out.fits = bia::eval::evaluate_case(bia::detail::compiled(pack), bound, bia::Date::from_days(0), out.scratch, out.result);
}

TEST(EvalMemory, LetChainHoldsLinearlyManyEntries) {
    for (const std::size_t n : {1000u, 8000u}) {
        const auto pack = bia_test::must_compile(let_chain(n));
        Counted c;
        evaluate_counted(pack, "{}", c);
        ASSERT_TRUE(c.fits);
        ASSERT_EQ(c.result.undetermined.size(), 1u);
        EXPECT_EQ(c.result.undetermined[0].missing.size(), n);
        EXPECT_EQ(c.result.missing.size(), n);
        // Each let keeps its own fact and the let it names: 2 entries, not i.
        EXPECT_LE(c.scratch.let_entries.size(), 2 * n) << n;
        // A second case with the same scratch: the entries start again.
        evaluate_counted(pack, R"({"f1": true, "f2": true})", c);
        ASSERT_TRUE(c.fits);
        EXPECT_EQ(c.result.undetermined[0].missing.size(), n - 2);
        EXPECT_LE(c.scratch.let_entries.size(), 2 * n) << n;
    }
}

// The reproducer of issue 16 at the size that took 810 MB, through the public API.
TEST(EvalMemory, LetChainOfTwentyThousandEvaluates) {
    const std::size_t n = 20000;
    const auto pack = bia_test::must_compile(let_chain(n));
    const auto r = bia_test::must_evaluate(pack, "{}");
    ASSERT_EQ(r.undetermined.size(), 1u);
    EXPECT_EQ(r.undetermined[0].missing.size(), n);
    EXPECT_EQ(r.undetermined[0].missing.front(), "f1");
    EXPECT_EQ(r.undetermined[0].missing.back(), "f20000");
}

// A let shared by many undetermined rules is walked once per case (its entries
// are made once), whatever the number of rules: docs/reliability.md finding 12.
TEST(EvalMemory, ALetSharedByManyRulesIsListedOncePerCase) {
    const std::size_t rules = 2000, m = 2000;
    const auto pack = bia_test::must_compile(rules_over_one_let(rules, m));
    std::string json = "{";
    for (std::size_t i = 1; i < m; ++i) json += "\"f" + std::to_string(i) + "\": false, ";
    json += "\"unrelated\": 1}";
    Counted c;
    evaluate_counted(pack, json, c);
    ASSERT_TRUE(c.fits);
    ASSERT_EQ(c.result.undetermined.size(), rules);
    for (const auto& u : c.result.undetermined) ASSERT_EQ(u.missing, std::vector<std::string>{"f2000"});
    EXPECT_EQ(c.scratch.let_entries.size(), 1u);  // made once, not once per rule
}

// Rules x facts: n rules each missing the m facts of one let. The let's entries
// stay m; the result itself would be n*m paths, which max_result_bytes stops
// while the lists are built.
TEST(EvalMemory, RulesTimesFactsStopAtTheResultLimit) {
    const std::size_t rules = 2000, m = 2000;
    bia::Limits limits;
    limits.max_result_bytes = 1u << 20;
    const auto pack = compile_with(rules_over_one_let(rules, m), limits);
    Counted c;
    evaluate_counted(pack, "{}", c);
    EXPECT_FALSE(c.fits);
    EXPECT_LE(c.scratch.let_entries.size(), m);
    // Each path counts at least sizeof(std::string) bytes, so the per-rule lists
    // stop within one rule's list of the limit: not 4 million entries.
    EXPECT_LE(c.scratch.undetermined_missing.size(), limits.max_result_bytes / sizeof(std::string) + m);
    EXPECT_GT(c.scratch.result_bytes, limits.max_result_bytes);
    EXPECT_LE(c.scratch.result_bytes, limits.max_result_bytes + 64);

    const auto e = pack.evaluate("{}");
    ASSERT_FALSE(e.ok());
    ASSERT_EQ(e.errors.size(), 1u);
    EXPECT_EQ(e.errors[0].path, "$");
    EXPECT_NE(e.errors[0].message.find("over the limit of 1048576 bytes (max_result_bytes)"), std::string::npos)
        << e.errors[0].message;

    // Under the default limit (16 MiB) the same pack is refused too: 4 million
    // paths of 2 to 5 bytes, each counted with its std::string.
    const auto by_default = bia_test::must_compile(rules_over_one_let(rules, m));
    const auto d = by_default.evaluate("{}");
    ASSERT_FALSE(d.ok());
    EXPECT_NE(d.errors[0].message.find("over the limit of 16777216 bytes (max_result_bytes)"), std::string::npos);
    // And a case that leaves few facts unknown is evaluated.
    std::string json = "{";
    for (std::size_t i = 1; i < m; ++i) json += "\"f" + std::to_string(i) + "\": false, ";
    json += "\"f2000\": true}";
    EXPECT_TRUE(by_default.evaluate(json).ok());
}

TEST(EvalMemory, DefaultResultLimitIsSixteenMebibytes) { EXPECT_EQ(bia::Limits{}.max_result_bytes, 16u << 20); }

// A 1 MB source title cited by 400 rules that fire made a 400 MB result: the
// citations are counted as each fired rule is listed, so it stops at about 16.
std::string cited_title_pack(std::size_t rules) {
    std::string src = std::string(header) + "fact x : bool\nsource big \"" + std::string(1'000'000, 't') + "\"\n";
    for (std::size_t k = 1; k <= rules; ++k) src += "rule r" + std::to_string(k) + " \"t\" when x cites big\n";
    return src;
}

TEST(EvalMemory, ALargeTitleCitedByManyFiredRulesIsRefusedEarly) {
    const auto pack = bia_test::must_compile(cited_title_pack(400));
    Counted c;
    evaluate_counted(pack, R"({"x": true})", c);
    EXPECT_FALSE(c.fits);
    EXPECT_LE(c.scratch.summary.fired.size(), 17u);  // 16 MiB / 1 MB, counted before any copy
    EXPECT_TRUE(c.result.fired.empty());             // nothing was copied into the result

    const auto e = pack.evaluate(R"({"x": true})");
    ASSERT_FALSE(e.ok());
    EXPECT_NE(e.errors[0].message.find("(max_result_bytes)"), std::string::npos);
    EXPECT_TRUE(pack.evaluate(R"({"x": false})").ok());

    // Every way in says the same: evaluate_into, summarize_into, evaluate_batch.
    bia::Result result;
    bia::Summary summary;
    std::vector<bia::FactError> errors;
    EXPECT_FALSE(pack.evaluate_into(R"({"x": true})", {}, result, errors));
    EXPECT_EQ(errors.size(), 1u);
    errors.clear();
    EXPECT_FALSE(pack.summarize_into(R"({"x": true})", {}, summary, errors));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].message, e.errors[0].message);

    std::vector<bia::BatchCase> cases(3);
    std::vector<bia::Result> results(3);
    std::vector<std::vector<bia::FactError>> errs(3);
    const char* jsons[] = {R"({"x": false})", R"({"x": true})", R"({})"};
    for (std::size_t i = 0; i < 3; ++i) {
        cases[i].json = jsons[i];
        cases[i].result = &results[i];
        cases[i].errors = &errs[i];
    }
    pack.evaluate_batch(cases, {});
    EXPECT_TRUE(cases[0].evaluated);
    EXPECT_FALSE(cases[1].evaluated);
    ASSERT_EQ(errs[1].size(), 1u);
    EXPECT_EQ(errs[1][0].message, e.errors[0].message);
    EXPECT_TRUE(cases[2].evaluated);
    EXPECT_TRUE(errs[2].empty());
}

// The compiled pack keeps each source's title once, however many rules cite
// it; a result copies it for each fired rule, which max_result_bytes counts.
TEST(EvalMemory, ACitedTitleIsKeptOncePerPack) {
    bia::Limits limits;
    limits.max_result_bytes = 64u << 20;
    const auto pack = compile_with(cited_title_pack(400), limits);
    std::size_t held = 0;
    for (const auto& s : bia::detail::compiled(pack).citation_sources) held += s.id.size() + s.title.size();
    for (const auto& rule : bia::detail::compiled(pack).plan.rules) {
        for (const auto& c : rule.cites) held += sizeof(c) + (c.ref ? c.ref->size() : 0);
    }
    EXPECT_LT(held, 1'100'000u);  // was 400 copies of the title: 400 MB

    const auto few = compile_with(cited_title_pack(3), limits);
    const auto r = bia_test::must_evaluate(few, R"({"x": true})");
    ASSERT_EQ(r.fired.size(), 3u);
    for (const auto& f : r.fired) {
        ASSERT_EQ(f.cites.size(), 1u);
        EXPECT_EQ(f.cites[0].source, "big");
        EXPECT_EQ(f.cites[0].title.size(), 1'000'000u);
        EXPECT_FALSE(f.cites[0].ref.has_value());
    }
}

}  // namespace
