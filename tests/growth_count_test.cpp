// Growth counted, not timed (docs/reliability.md, "Growth checks that count"),
// for shapes that were quadratic in issue 16: explain (the passes it runs and
// the steps they run: an `or` over 40,000 facts re-ran the whole pack for each
// value tried, 19 s) and the compiler's key tree (key comparisons: 215,000
// facts under one object took 25 s). Counts do not depend on the machine's
// load, so these run in every ctest; bench/ times the same shapes. Let chains,
// rules x facts and citation titles in evaluation are counted in
// eval_memory_test.cpp.
#include <bia/bia.hpp>

#include "compile/plan.hpp"
#include "test_util.hpp"
#include "tools/explain_work.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace {

const char* const header = "pack p version \"1.0.0\" \"t\"\nlevel low\n";

std::string facts(std::size_t n) {
    std::string out;
    for (std::size_t i = 1; i <= n; ++i) out += "fact f" + std::to_string(i) + " : bool\n";
    return out;
}

// One rule `f1 or f2 or ... or fn`: undetermined on an empty case, missing all n.
std::string wide_or(std::size_t n) {
    std::string src = std::string(header) + facts(n) + "rule wide \"t\" when f1";
    for (std::size_t i = 2; i <= n; ++i) src += " or f" + std::to_string(i);
    return src + "\n";
}

// l1 = f1, l_i = l_(i-1) and f_i, one rule over l_n.
std::string let_chain(std::size_t n) {
    std::string src = std::string(header) + facts(n) + "let l1 = f1\n";
    for (std::size_t i = 2; i <= n; ++i)
        src += "let l" + std::to_string(i) + " = l" + std::to_string(i - 1) + " and f" + std::to_string(i) + "\n";
    return src + "rule chain \"t\" when l" + std::to_string(n) + "\n";
}

struct Explained {
    bia::Explanation e;
    bia::detail::ExplainWork work;
};

Explained explain(const std::string& src, const std::string& rule, const std::string& json = "{}") {
    const auto pack = bia_test::must_compile(src);
    Explained out;
    bia::EvalOptions options;
    options.as_of = bia::Date::from_days(0);
    auto r = bia::detail::explain(pack, json, rule, options, out.work);
    EXPECT_TRUE(r.explanation) << r.problem;
    if (r.explanation) out.e = std::move(*r.explanation);
    return out;
}

// The figures, in the test's XML report (--gtest_output=xml) for docs/reliability.md.
void record(const bia::detail::ExplainWork& small, const bia::detail::ExplainWork& large) {
    for (const auto& [name, w] : {std::pair{"n", &small}, std::pair{"8n", &large}}) {
        testing::Test::RecordProperty(std::string(name) + "_passes", std::to_string(w->passes));
        testing::Test::RecordProperty(std::string(name) + "_steps", std::to_string(w->steps));
    }
}

// 8-fold the input: linear work grows about 8-fold, quadratic 64-fold.
constexpr double linear = 10;

TEST(ExplainGrowth, AWideOrDoesLinearWorkAndSaysWhereTheSearchStopped) {
    const std::size_t n = 1000;
    const auto small = explain(wide_or(n), "wide");
    const auto large = explain(wide_or(8 * n), "wide");
    for (const auto* x : {&small, &large}) {
        EXPECT_EQ(x->e.outcome, bia::RuleOutcome::undetermined);
        // Every missing fact is listed, however far the search went.
        EXPECT_EQ(x->e.missing.size(), x == &small ? n : 8 * n);
        // 2 values per fact: over the bound at n = 1000, so both stop there.
        EXPECT_TRUE(x->e.search_stopped);
        EXPECT_EQ(x->work.passes, 1 + bia::explain_max_tries);
        // Each value tried that is `true` makes it fire: the first 500 facts.
        EXPECT_EQ(x->e.would_fire.size(), bia::explain_max_tries / 2);
        EXPECT_EQ(x->e.would_fire.front(), "f1 = true");
        const std::string text = bia::render_explanation(x->e);
        EXPECT_NE(text.find("search stopped after 1000 values tried"), std::string::npos) << text.substr(0, 2000);
    }
    // One pass is the cone: the n facts, the `or` (no other rule, no other node).
    EXPECT_LE(small.work.cone, n + 2);
    EXPECT_LE(static_cast<double>(large.work.steps), linear * static_cast<double>(small.work.steps))
        << small.work.steps << " steps for " << n << " facts, " << large.work.steps << " for " << 8 * n;
    record(small.work, large.work);
}

TEST(ExplainGrowth, UnderTheBoundEveryValueIsTriedAndNothingSaysStopped) {
    const auto x = explain(wide_or(3), "wide", R"({"f2": false})");
    EXPECT_FALSE(x.e.search_stopped);
    EXPECT_EQ(x.work.passes, 1u + 4u);  // f1 and f3, two values each
    EXPECT_EQ(x.e.would_fire, (std::vector<std::string>{"f1 = true", "f3 = true"}));
    const std::string text = bia::render_explanation(x.e);
    EXPECT_EQ(text.find("search stopped"), std::string::npos);
    EXPECT_EQ(text.find("explain's limit"), std::string::npos);
}

TEST(ExplainGrowth, NoValueFoundBeforeTheBoundSaysSo) {
    // `and` of 800 facts: no single value makes it fire, and 1,600 values exceed the bound.
    std::string src = std::string(header) + facts(800) + "rule all \"t\" when f1";
    for (std::size_t i = 2; i <= 800; ++i) src += " and f" + std::to_string(i);
    const auto x = explain(src + "\n", "all");
    EXPECT_TRUE(x.e.search_stopped);
    EXPECT_TRUE(x.e.would_fire.empty());
    const std::string text = bia::render_explanation(x.e);
    EXPECT_NE(text.find("None of the first 1000 values tried makes it fire on its own"), std::string::npos);
}

TEST(ExplainGrowth, ALetChainDoesLinearWork) {
    const std::size_t n = 1000;
    const auto small = explain(let_chain(n), "chain");
    const auto large = explain(let_chain(8 * n), "chain");
    EXPECT_EQ(small.e.missing.size(), n);
    EXPECT_EQ(large.e.missing.size(), 8 * n);
    EXPECT_LE(static_cast<double>(large.work.steps), linear * static_cast<double>(small.work.steps))
        << small.work.steps << " steps for " << n << " lets, " << large.work.steps << " for " << 8 * n;
    record(small.work, large.work);
}

// Rules x facts: explaining one rule of a pack runs that rule's cone, whatever
// the number of other rules (each here over its own facts).
TEST(ExplainGrowth, OneRuleAmongManyRunsOnlyItsCone) {
    auto pack_of = [](std::size_t rules, std::size_t per_rule) {
        std::string src = std::string(header) + facts(rules * per_rule);
        for (std::size_t r = 0; r < rules; ++r) {
            src += "rule r" + std::to_string(r + 1) + " \"t\" when f" + std::to_string(r * per_rule + 1);
            for (std::size_t k = 2; k <= per_rule; ++k) src += " or f" + std::to_string(r * per_rule + k);
            src += "\n";
        }
        return src;
    };
    const auto few = explain(pack_of(10, 50), "r3");
    const auto many = explain(pack_of(400, 50), "r3");
    EXPECT_EQ(few.work.cone, many.work.cone);
    EXPECT_EQ(few.work.steps, many.work.steps);
    EXPECT_EQ(few.work.passes, 1u + 100u);
    EXPECT_EQ(few.e.missing, many.e.missing);
    EXPECT_EQ(few.e.would_fire, many.e.would_fire);
    EXPECT_FALSE(many.e.search_stopped);
}

// Wide facts: n facts under one object, each key found among its siblings by
// a hash, not a search (n^2/2 comparisons before).
TEST(CompileGrowth, WideFactsCostLinearlyManyKeyComparisons) {
    auto comparisons = [](std::size_t n) {
        std::string src = header;
        for (std::size_t i = 1; i <= n; ++i) src += "fact child.f" + std::to_string(i) + " : bool\n";
        const auto pack = bia_test::must_compile(src);
        EXPECT_EQ(bia::detail::compiled(pack).plan.keys.size(), n + 2);  // the root, `child`, its n keys
        return bia::detail::compiled(pack).plan.key_comparisons;
    };
    const auto small = comparisons(2000), large = comparisons(16000);
    EXPECT_GE(small, 2000u - 1);  // each fact's `child` is found again: the count is not vacuous
    EXPECT_LE(static_cast<double>(large), linear * static_cast<double>(small)) << small << " " << large;
    EXPECT_LE(large, 4u * 16000u);
    testing::Test::RecordProperty("comparisons_2000", std::to_string(small));
    testing::Test::RecordProperty("comparisons_16000", std::to_string(large));
}

}  // namespace
