// Result::ask_first (docs/result.md#ask-first): the few missing facts whose
// answer alone could raise the level, ranked by the level their rule could
// reach, then the highest severity among their open rules, then how many open
// rules they bear on, then declaration order; `missing` keeps its 1.0 order.
#include <bia/bia.hpp>

#include "test_util.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace {

using bia_test::must_compile;
using bia_test::must_evaluate;
using Paths = std::vector<std::string>;

// Declared in this order: y_score before z_one before w_two, so declaration
// order alone would put them the other way round from what ask_first wants.
const char* const ties = R"bia(pack ties version "1.0.0" "Ties"
fact x_med : bool "Reaches medium"
fact y_score : bool "Reaches high by score alone (no severity)"
fact z_one : bool "Reaches high by severity, in one open rule"
fact w_two : bool "Reaches high by severity, in two open rules"
fact case.arrived_on : date "Anchor of an action"
level low
level medium
level high at 20
level critical
rule r_med "Medium" severity medium when x_med
rule r_score "Score" score 25 when y_score
rule r_one "One" severity high when z_one or w_two
rule r_two "Two" severity high when w_two
rule r_act "Act" severity medium when x_med = false
  action "Act" within 1 day of case.arrived_on
)bia";

TEST(AskFirst, TiesGoToSeverityThenOpenRulesThenDeclarationOrder) {
    const auto pack = must_compile(ties);
    const auto r = must_evaluate(pack, "{}");
    EXPECT_EQ(r.level, "low");
    // missing: rank, then declaration order (result 1.0, unchanged).
    EXPECT_EQ(r.missing, (Paths{"y_score", "z_one", "w_two", "x_med"}));
    // ask_first: within rank high, severity high (z_one, w_two) before none
    // (y_score, high only by score), and two open rules (w_two) before one.
    EXPECT_EQ(r.ask_first, (Paths{"w_two", "z_one", "y_score", "x_med"}));
}

TEST(AskFirst, OnlyAnswersThatCouldRaiseTheLevel) {
    const auto pack = must_compile(ties);
    // Level medium (r_act fired): x_med is known, and the action's anchor is
    // missing (ranked at the level: it dates an action, it cannot raise it).
    const auto medium = must_evaluate(pack, R"({"x_med": false})");
    EXPECT_EQ(medium.level, "medium");
    EXPECT_EQ(medium.missing, (Paths{"y_score", "z_one", "w_two", "case.arrived_on"}));
    EXPECT_EQ(medium.ask_first, (Paths{"w_two", "z_one", "y_score"}));
    // Level high: nothing missing could raise it (there is no critical rule),
    // so nothing is asked first though facts are missing.
    const auto high = must_evaluate(pack, R"({"z_one": true})");
    EXPECT_EQ(high.level, "high");
    EXPECT_EQ(high.possible_level, "high");
    EXPECT_EQ(high.missing, (Paths{"x_med", "y_score", "w_two"}));
    EXPECT_TRUE(high.ask_first.empty());
    // Nothing missing, nothing asked.
    const auto known = must_evaluate(pack, R"({"x_med": true, "y_score": false, "z_one": false, "w_two": false})");
    EXPECT_TRUE(known.missing.empty());
    EXPECT_TRUE(known.ask_first.empty());
}

TEST(AskFirst, AtMostFiveInDeclarationOrderWhenAllElseTies) {
    std::string source = "pack many version \"1.0.0\" \"Many\"\nlevel low\nlevel high\n";
    for (int i = 0; i < 7; ++i) source += "fact f" + std::to_string(i) + " : bool \"F\"\n";
    for (int i = 0; i < 7; ++i)
        source += "rule r" + std::to_string(i) + " \"R\" severity high when f" + std::to_string(i) + "\n";
    const auto pack = must_compile(source);
    const auto r = must_evaluate(pack, "{}");
    EXPECT_EQ(r.missing.size(), 7u);
    EXPECT_EQ(r.ask_first, (Paths{"f0", "f1", "f2", "f3", "f4"}));
}

TEST(AskFirst, LastInTheJsonAndTheSameInEveryForm) {
    const auto pack = must_compile(ties);
    const auto r = must_evaluate(pack, R"({"x_med": false})");
    const auto j = nlohmann::ordered_json::parse(bia::render_json(r));
    ASSERT_FALSE(j.empty());
    EXPECT_EQ(j.items().begin().key(), "engine");
    std::string last;
    for (const auto& [k, v] : j.items()) last = k;
    EXPECT_EQ(last, "ask_first");
    EXPECT_EQ(j["ask_first"], nlohmann::ordered_json(Paths{"w_two", "z_one", "y_score"}));
    EXPECT_EQ(nlohmann::ordered_json::parse(bia::render_json_line(r)), j);
    // The summary names the same facts, by position.
    bia::Summary s;
    std::vector<bia::FactError> errors;
    bia::EvalOptions options;
    options.as_of = bia_test::date("2026-03-10");
    ASSERT_TRUE(pack.summarize_into(R"({"x_med": false})", options, s, errors));
    Paths named;
    for (auto f : s.ask_first) named.push_back(pack.facts().at(f).path);
    EXPECT_EQ(named, r.ask_first);
}

TEST(AskFirst, TextAndHtmlListThemBeforeTheMissingInformation) {
    const auto pack = must_compile(ties);
    const auto r = must_evaluate(pack, R"({"x_med": false})");
    const std::string text = bia::render_text(r, pack);
    const auto ask = text.find("ASK FIRST (3): each answer alone could raise the level\n"
                               "  - w_two: Reaches high by severity, in two open rules\n"
                               "  - z_one: ");
    const auto missing = text.find("MISSING INFORMATION (4)");
    ASSERT_NE(ask, std::string::npos) << text;
    ASSERT_NE(missing, std::string::npos) << text;
    EXPECT_LT(ask, missing);
    const std::string html = bia::render_html(r, pack);
    const auto list = html.find("<ol id=\"ask-first\">\n<li><code>w_two</code>");
    ASSERT_NE(list, std::string::npos) << html;
    EXPECT_LT(list, html.find("<table id=\"missing\">"));
    // No section when nothing could raise the level.
    const auto high = must_evaluate(pack, R"({"z_one": true})");
    EXPECT_EQ(bia::render_text(high, pack).find("ASK FIRST"), std::string::npos);
    EXPECT_EQ(bia::render_html(high, pack).find("ask-first"), std::string::npos);
}

TEST(AskFirst, CountsTowardMaxResultBytes) {
    // eval/result_size.hpp counts each entry's sizeof and its strings' bytes.
    // For {} the result of `ties` holds five undetermined rules (r_med r_score
    // r_one r_two r_act: 27 bytes of names) with six missing entries (x_med
    // y_score z_one w_two w_two x_med: 32 bytes), `missing` (22 bytes) and
    // `ask_first` (the same four paths, 22 bytes): 14 paths in all.
    const std::size_t with_ask_first =
        5 * sizeof(bia::UndeterminedRule) + 27 + 14 * sizeof(std::string) + 32 + 22 + 22;
    bia::EvalOptions options;
    options.as_of = bia_test::date("2026-03-10");
    auto fits = [&](std::size_t bytes) {
        bia::Limits limits;
        limits.max_result_bytes = bytes;
        auto compiled = bia::compile(ties, "t.bia", limits);
        EXPECT_TRUE(compiled.ok());
        bia::Result r;
        std::vector<bia::FactError> errors;
        const bool ok = compiled.pack->evaluate_into("{}", options, r, errors);
        EXPECT_TRUE(ok ? r.ask_first.size() == 4 : errors.size() == 1 && errors[0].path == "$");
        return ok;
    };
    EXPECT_TRUE(fits(with_ask_first));
    // Without the ask_first paths the result would fit in 4 paths less.
    EXPECT_FALSE(fits(with_ask_first - 1));
    EXPECT_FALSE(fits(with_ask_first - 4 * sizeof(std::string) - 22));
}

}  // namespace
