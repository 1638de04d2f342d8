// The evaluator: Kleene's three-valued logic, unknown operands, missing facts,
// scoring and levels, due dates, dates, sets and text, all through the public
// API (bia::compile, Pack::evaluate) and the Result it returns.
#include "test_util.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <optional>
#include <string>
#include <vector>

namespace {

using bia_test::date;
using bia_test::must_compile;
using bia_test::must_evaluate;
using Strings = std::vector<std::string>;

const char* const header = R"(pack t version "1.0.0" "Evaluation"
level low
level medium at 20
level high at 50
)";
const char* const facts = R"(fact a.p : bool
fact a.q : bool
fact a.r : bool
fact a.n : number
fact a.m : number
fact a.t : text
fact a.t2 : text
fact a.d : date
fact a.d2 : date
fact a.e : one of {"x", "y", "z"}
fact a.f : one of {"z", "y", "x"}
fact a.s : set of {"x", "y", "z"}
fact a.s2 : set of {"y", "w"}
)";

std::string pack_with(const std::string& body) { return std::string(header) + facts + body; }

// The state of rule `r` whose condition is `cond`, for the case `json`: fired, false or unknown.
std::string state_of(const bia::Result& r, const std::string& rule) {
    if (bia_test::fired(r, rule)) return "fired";
    if (bia_test::undetermined(r, rule)) return "unknown";
    return "false";
}

std::string state(const std::string& cond, const std::string& json, const std::string& as_of = "2026-03-10") {
    const auto pack = must_compile(pack_with("rule r \"R\" when " + cond + "\n"));
    return state_of(must_evaluate(pack, json, as_of), "r");
}

std::string number_text(double k) {
    std::ostringstream o;
    o.precision(17);
    o << (k < 0 ? -k : k);
    return o.str();
}

// Where the number `expr` lies relative to k: "=k", "<k", ">k" (k without its sign), or "unknown".
std::string compare(const std::string& expr, const std::string& json, double k, const std::string& as_of = "2026-03-10") {
    const std::string ks = number_text(k);
    const std::string kexpr = k < 0 ? "(-" + ks + ")" : ks;
    const auto pack = must_compile(pack_with("let v = " + expr + "\nrule eq \"E\" when v = " + kexpr +
                                             "\nrule lt \"L\" when v < " + kexpr + "\nrule gt \"G\" when v > " + kexpr + "\n"));
    const auto r = must_evaluate(pack, json, as_of);
    if (bia_test::undetermined(r, "eq")) return "unknown";
    std::string out;
    if (bia_test::fired(r, "eq")) out += "=";
    if (bia_test::fired(r, "lt")) out += "<";
    if (bia_test::fired(r, "gt")) out += ">";
    return out + ks;
}

std::string num(double k) { return "=" + number_text(k); }

// JSON for the case {"a": {...}} with the given members (already JSON text).
std::string facts_json(const std::map<std::string, std::string>& fields) {
    std::string out = "{\"a\": {";
    bool first = true;
    for (const auto& [k, v] : fields) {
        if (!first) out += ", ";
        first = false;
        out += "\"" + k + "\": " + v;
    }
    return out + "}}";
}

// ---- Kleene truth tables -----------------------------------------------------

enum class K { t, f, u };
const K all_values[] = {K::t, K::f, K::u};

const char* name(K k) { return k == K::t ? "true" : k == K::f ? "false" : "unknown"; }

K k_not(K a) { return a == K::u ? K::u : a == K::t ? K::f : K::t; }
K k_and(K a, K b) {
    if (a == K::f || b == K::f) return K::f;
    if (a == K::u || b == K::u) return K::u;
    return K::t;
}
K k_or(K a, K b) {
    if (a == K::t || b == K::t) return K::t;
    if (a == K::u || b == K::u) return K::u;
    return K::f;
}
std::string as_state(K k) { return k == K::t ? "fired" : k == K::f ? "false" : "unknown"; }

// A case setting a.p and a.q; unknown is written as absent, or as null when `null_for_unknown`.
std::string pq_case(K p, K q, bool null_for_unknown) {
    std::map<std::string, std::string> f;
    auto put = [&](const char* key, K v) {
        if (v == K::u) {
            if (null_for_unknown) f[key] = "null";
        } else {
            f[key] = v == K::t ? "true" : "false";
        }
    };
    put("p", p);
    put("q", q);
    return facts_json(f);
}

class TruthTable : public ::testing::TestWithParam<bool> {};

TEST_P(TruthTable, NotAndOrOverAllNineCombinations) {
    const bool nulls = GetParam();
    const auto pack = must_compile(pack_with(R"(rule not_p "not p" when not a.p
rule p_and_q "p and q" when a.p and a.q
rule p_or_q "p or q" when a.p or a.q
rule q_and_p "q and p" when a.q and a.p
rule q_or_p "q or p" when a.q or a.p
rule not_not_p "not not p" when not not a.p
)"));
    for (K p : all_values) {
        for (K q : all_values) {
            SCOPED_TRACE(std::string("p = ") + name(p) + ", q = " + name(q) + (nulls ? " (unknown as null)" : " (unknown as absent)"));
            const auto r = must_evaluate(pack, pq_case(p, q, nulls));
            EXPECT_EQ(state_of(r, "not_p"), as_state(k_not(p)));
            EXPECT_EQ(state_of(r, "p_and_q"), as_state(k_and(p, q)));
            EXPECT_EQ(state_of(r, "p_or_q"), as_state(k_or(p, q)));
            EXPECT_EQ(state_of(r, "q_and_p"), as_state(k_and(q, p)));
            EXPECT_EQ(state_of(r, "q_or_p"), as_state(k_or(q, p)));
            EXPECT_EQ(state_of(r, "not_not_p"), as_state(p));
        }
    }
}

INSTANTIATE_TEST_SUITE_P(UnknownWrittenAs, TruthTable, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& i) { return i.param ? "null" : "absent"; });

TEST(Kleene, ContractExamples) {
    // "`false and unknown` is false, `true or unknown` is true, `not unknown` is unknown"
    EXPECT_EQ(state("false and a.p", "{}"), "false");
    EXPECT_EQ(state("a.p and false", "{}"), "false");
    EXPECT_EQ(state("true or a.p", "{}"), "fired");
    EXPECT_EQ(state("a.p or true", "{}"), "fired");
    EXPECT_EQ(state("not a.p", "{}"), "unknown");
}

TEST(Kleene, LongChains) {
    const std::string all_true = R"({"a": {"p": true, "q": true, "r": true}})";
    EXPECT_EQ(state("a.p and a.q and a.r and true", all_true), "fired");
    EXPECT_EQ(state("a.p and a.q and a.r", R"({"a": {"p": true, "r": true}})"), "unknown");
    EXPECT_EQ(state("a.p and a.q and a.r", R"({"a": {"r": false}})"), "false");
    EXPECT_EQ(state("a.p or a.q or a.r", R"({"a": {"r": true}})"), "fired");
    EXPECT_EQ(state("a.p or a.q or a.r", R"({"a": {"p": false, "q": false}})"), "unknown");
    EXPECT_EQ(state("a.p or a.q or a.r", R"({"a": {"p": false, "q": false, "r": false}})"), "false");
}

// ---- unknown operands --------------------------------------------------------

TEST(Helpers, CompareDistinguishesValues) {
    EXPECT_EQ(compare("5", "{}", 3), ">3");
    EXPECT_EQ(compare("1", "{}", 3), "<3");
    EXPECT_EQ(compare("-2", "{}", -2), "=2");
    EXPECT_EQ(compare("a.n", "{}", 3), "unknown");
    EXPECT_EQ(state("a.p", R"({"a": {"p": true}})"), "fired");
    EXPECT_EQ(state("a.p", R"({"a": {"p": false}})"), "false");
    EXPECT_EQ(state("a.p", "{}"), "unknown");
}

TEST(Unknown, ComparisonsWithAnUnknownOperandAreUnknown) {
    for (const char* op : {"=", "!=", "<", "<=", ">", ">="}) {
        SCOPED_TRACE(op);
        EXPECT_EQ(state(std::string("a.n ") + op + " 1", "{}"), "unknown");
        EXPECT_EQ(state(std::string("1 ") + op + " a.n", "{}"), "unknown");
        EXPECT_EQ(state(std::string("a.n ") + op + " a.m", R"({"a": {"n": 1}})"), "unknown");
        EXPECT_EQ(state(std::string("a.d ") + op + " today", "{}"), "unknown");
    }
    EXPECT_EQ(state("a.p = true", "{}"), "unknown");
    EXPECT_EQ(state("a.p != a.q", R"({"a": {"p": true}})"), "unknown");
    EXPECT_EQ(state("a.t = \"x\"", "{}"), "unknown");
    EXPECT_EQ(state("a.t != a.t2", R"({"a": {"t": "x"}})"), "unknown");
    EXPECT_EQ(state("a.e = \"x\"", "{}"), "unknown");
    EXPECT_EQ(state("a.e != a.f", R"({"a": {"e": "x"}})"), "unknown");
    // Even comparing a fact with itself: unknown = unknown is unknown.
    EXPECT_EQ(state("a.n = a.n", "{}"), "unknown");
}

TEST(Unknown, ArithmeticWithAnUnknownOperandIsUnknown) {
    EXPECT_EQ(compare("a.n + 1", "{}", 0), "unknown");
    EXPECT_EQ(compare("1 - a.n", "{}", 0), "unknown");
    EXPECT_EQ(compare("a.n * 0", "{}", 0), "unknown");  // not 0: the operand is unknown
    EXPECT_EQ(compare("0 / a.n", "{}", 0), "unknown");
    EXPECT_EQ(compare("-a.n", "{}", 0), "unknown");
    EXPECT_EQ(compare("a.n + a.m", R"({"a": {"n": 1}})", 0), "unknown");
}

TEST(Unknown, InWithAnUnknownOperandIsUnknown) {
    EXPECT_EQ(state("a.t in {\"x\"}", "{}"), "unknown");
    EXPECT_EQ(state("a.e in {\"x\"}", "{}"), "unknown");
    EXPECT_EQ(state("\"x\" in a.s", "{}"), "unknown");
    EXPECT_EQ(state("a.e in a.s", R"({"a": {"e": "x"}})"), "unknown");
    EXPECT_EQ(state("a.e in a.s", R"({"a": {"s": ["x"]}})"), "unknown");
    EXPECT_EQ(state("a.t in a.s", R"({"a": {"s": ["x"]}})"), "unknown");
    // An empty literal set: still unknown when x is unknown (an operand is unknown).
    EXPECT_EQ(state("a.t in {}", "{}"), "unknown");
}

TEST(Unknown, FunctionsWithAnUnknownOperandAreUnknown) {
    EXPECT_EQ(compare("years(a.d, today)", "{}", 0), "unknown");
    EXPECT_EQ(compare("years(2020-01-01, a.d)", "{}", 0), "unknown");
    EXPECT_EQ(compare("days(a.d, a.d2)", R"({"a": {"d": "2026-01-01"}})", 0), "unknown");
    EXPECT_EQ(compare("days(a.d, today)", "{}", 0), "unknown");
    EXPECT_EQ(compare("count(a.s)", "{}", 0), "unknown");
}

TEST(Unknown, DivisionByZeroIsUnknown) {
    // "Division by zero and any non-finite arithmetic result are unknown (as SQL's NULL)."
    EXPECT_EQ(compare("1 / a.n", R"({"a": {"n": 0}})", 0), "unknown");
    EXPECT_EQ(compare("0 / a.n", R"({"a": {"n": 0}})", 0), "unknown");
    EXPECT_EQ(compare("-1 / a.n", R"({"a": {"n": -0.0}})", 0), "unknown");
    EXPECT_EQ(compare("1 / 0", "{}", 0), "unknown");
    EXPECT_EQ(state("1 / a.n > 0", R"({"a": {"n": 0}})"), "unknown");
    EXPECT_EQ(state("not (1 / a.n > 0)", R"({"a": {"n": 0}})"), "unknown");
    // ... and it can be absorbed like any unknown.
    EXPECT_EQ(state("1 / a.n > 0 or true", R"({"a": {"n": 0}})"), "fired");
    EXPECT_EQ(state("1 / a.n > 0 and false", R"({"a": {"n": 0}})"), "false");
    EXPECT_EQ(compare("6 / a.n", R"({"a": {"n": 4}})", 1.5), num(1.5));
}

TEST(Unknown, NonFiniteArithmeticIsUnknown) {
    EXPECT_EQ(compare("a.n * a.n", R"({"a": {"n": 1e200}})", 0), "unknown");
    EXPECT_EQ(compare("a.n + a.n", R"({"a": {"n": 1.7e308}})", 0), "unknown");
    EXPECT_EQ(compare("-a.n - a.n", R"({"a": {"n": 1.7e308}})", 0), "unknown");
    EXPECT_EQ(compare("a.n / 0.5", R"({"a": {"n": 1.7e308}})", 0), "unknown");
    EXPECT_EQ(compare("a.n * a.n", R"({"a": {"n": 1e100}})", 0), ">0");  // large but finite
}

TEST(Unknown, KnownIsNeverUnknown) {
    EXPECT_EQ(state("known(a.p)", "{}"), "false");
    EXPECT_EQ(state("known(a.p)", R"({"a": {"p": null}})"), "false");
    EXPECT_EQ(state("known(a.p)", R"({"a": null})"), "false");
    EXPECT_EQ(state("known(a.p)", R"({"a": {"p": false}})"), "fired");
    EXPECT_EQ(state("not known(a.p)", "{}"), "fired");
    EXPECT_EQ(state("known(a.s)", R"({"a": {"s": []}})"), "fired");  // an empty array is known
    EXPECT_EQ(state("known(a.t)", R"({"a": {"t": ""}})"), "fired");
    EXPECT_EQ(state("known(a.n)", R"({"a": {"n": 0}})"), "fired");
    EXPECT_EQ(state("known(a.n) or a.p", "{}"), "unknown");
    EXPECT_EQ(state("known(a.n) and a.p", "{}"), "false");
}

// ---- missing facts -------------------------------------------------------------

Strings missing_of(const std::string& body, const std::string& json, const std::string& rule = "r") {
    const auto pack = must_compile(pack_with(body));
    const auto r = must_evaluate(pack, json);
    const auto* u = bia_test::undetermined(r, rule);
    if (!u) return {"<not undetermined>"};
    return u->missing;
}

TEST(Missing, OnlyFactsThatCouldStillChangeTheOutcome) {
    // "in `(a or b) and c` with `b` true, only `c`"
    EXPECT_EQ(missing_of("rule r \"R\" when (a.p or a.q) and a.r\n", R"({"a": {"q": true}})"), Strings{"a.r"});
    EXPECT_EQ(missing_of("rule r \"R\" when (a.p or a.q) and a.r\n", "{}"), (Strings{"a.p", "a.q", "a.r"}));
    EXPECT_EQ(missing_of("rule r \"R\" when (a.p or a.q) and a.r\n", R"({"a": {"r": true}})"), (Strings{"a.p", "a.q"}));
    EXPECT_EQ(missing_of("rule r \"R\" when (a.p or a.q) and a.r\n", R"({"a": {"p": false, "r": true}})"), Strings{"a.q"});
    EXPECT_EQ(missing_of("rule r \"R\" when a.p or a.q\n", R"({"a": {"p": false}})"), Strings{"a.q"});
}

TEST(Missing, KnownSubExpressionsAreNotEntered) {
    // a.n is known, so only a.m is missing from a.n + a.m > 3.
    EXPECT_EQ(missing_of("rule r \"R\" when a.n + a.m > 3\n", R"({"a": {"n": 1}})"), Strings{"a.m"});
    EXPECT_EQ(missing_of("rule r \"R\" when a.n > 3 and a.m < 2\n", R"({"a": {"n": 5}})"), Strings{"a.m"});
    EXPECT_EQ(missing_of("rule r \"R\" when days(a.d, a.d2) > 3\n", R"({"a": {"d2": "2026-01-01"}})"), Strings{"a.d"});
    EXPECT_EQ(missing_of("rule r \"R\" when a.e in a.s\n", R"({"a": {"e": "x"}})"), Strings{"a.s"});
    EXPECT_EQ(missing_of("rule r \"R\" when a.t in a.s or a.p\n", R"({"a": {"s": []}})"), (Strings{"a.p", "a.t"}));
}

TEST(Missing, ReachesThroughLets) {
    EXPECT_EQ(missing_of("let l = a.p and a.q\nrule r \"R\" when l or a.r\n", R"({"a": {"p": true}})"),
              (Strings{"a.q", "a.r"}));
    // A let with a known value is not entered.
    EXPECT_EQ(missing_of("let l = a.p or a.q\nrule r \"R\" when l and a.r\n", R"({"a": {"p": true}})"), Strings{"a.r"});
    // Lets of lets.
    EXPECT_EQ(missing_of("let age = years(a.d, today)\nlet young = age < 15\nrule r \"R\" when young and a.p\n",
                         R"({"a": {"p": true}})"),
              Strings{"a.d"});
    // A let used twice lists its facts once.
    EXPECT_EQ(missing_of("let l = a.n * 2\nrule r \"R\" when l > 1 and l < 10\n", "{}"), Strings{"a.n"});
}

TEST(Missing, NeverInsideKnown) {
    // "a fact inside `known()` is never listed"
    EXPECT_EQ(missing_of("rule r \"R\" when not known(a.p) and a.q\n", "{}"), Strings{"a.q"});
    EXPECT_EQ(missing_of("rule r \"R\" when (known(a.n) or a.q) and (known(a.m) or a.r)\n", "{}"),
              (Strings{"a.q", "a.r"}));
    // A fact used both inside and outside known(): listed for the use outside.
    EXPECT_EQ(missing_of("rule r \"R\" when not known(a.p) and not a.p\n", "{}"), Strings{"a.p"});
}

TEST(Missing, InDeclarationOrder) {
    // "Order: fact declaration order." The condition names them in another order.
    EXPECT_EQ(missing_of("rule r \"R\" when a.r and a.q and a.p and a.n > a.m\n", "{}"),
              (Strings{"a.p", "a.q", "a.r", "a.n", "a.m"}));
    const auto pack = must_compile(std::string(header) + R"(fact z.last : bool
fact m.middle : bool
fact a.first : bool
rule r "R" when a.first and m.middle and z.last
)");
    const auto r = must_evaluate(pack, "{}");
    ASSERT_EQ(r.undetermined.size(), 1u);
    EXPECT_EQ(r.undetermined[0].missing, (Strings{"z.last", "m.middle", "a.first"}));
}

TEST(Missing, FiredAndFalseRulesAreNotUndetermined) {
    const auto pack = must_compile(pack_with(R"(rule fires "F" when a.p or a.q
rule fails "N" when a.p and a.q
rule open "O" when a.q
)"));
    const auto r = must_evaluate(pack, R"({"a": {"p": true, "q": null}})");
    EXPECT_TRUE(bia_test::fired(r, "fires"));
    ASSERT_EQ(r.undetermined.size(), 2u);
    EXPECT_EQ(r.undetermined[0].rule, "fails");
    EXPECT_EQ(r.undetermined[1].rule, "open");
    const auto r2 = must_evaluate(pack, R"({"a": {"p": false}})");
    ASSERT_EQ(r2.undetermined.size(), 2u);  // fires (unknown q) and open; not fails (false)
    EXPECT_EQ(r2.undetermined[0].rule, "fires");
    EXPECT_EQ(r2.undetermined[1].rule, "open");
}

TEST(Missing, UndeterminedInPackOrder) {
    const auto pack = must_compile(pack_with(R"(rule z "Z" when a.p
rule a "A" when a.q
rule m "M" when a.r
)"));
    const auto r = must_evaluate(pack, "{}");
    ASSERT_EQ(r.undetermined.size(), 3u);
    EXPECT_EQ(r.undetermined[0].rule, "z");
    EXPECT_EQ(r.undetermined[1].rule, "a");
    EXPECT_EQ(r.undetermined[2].rule, "m");
}

// ---- scoring and levels ----------------------------------------------------------

TEST(Scoring, ScoreIsTheSumOfFiredRules) {
    const auto pack = must_compile(pack_with(R"(rule r1 "R1" score 5 when a.p
rule r2 "R2" score 2.5 when a.q
rule r3 "R3" score 0.25 when true
rule r4 "R4" score 100 when false
rule r5 "R5" when true
)"));
    auto r = must_evaluate(pack, R"({"a": {"p": true, "q": true}})");
    EXPECT_EQ(r.score, 7.75);
    EXPECT_EQ(r.possible_score, 7.75);
    r = must_evaluate(pack, R"({"a": {"p": true, "q": false}})");
    EXPECT_EQ(r.score, 5.25);
    r = must_evaluate(pack, "{}");
    EXPECT_EQ(r.score, 0.25);
    EXPECT_EQ(r.possible_score, 7.75);  // as if r1 and r2 fired
    for (const auto& f : r.fired) {
        if (f.rule == "r5") {
            EXPECT_EQ(f.score, 0);  // a rule without `score` scores 0
        }
    }
}

const char* const level_pack = R"(pack t version "1.0.0" "Levels"
level low
level medium at 20
level high at 50
level critical
fact a.n : number
fact a.p : bool
fact a.q : bool
rule s20 "Score 20" score 20 when a.n >= 20
rule s30 "Score 30" score 30 when a.n >= 50
rule s05 "Score 5" score 5 when a.n = 5
rule sev_high "Severity high" severity high when a.p
rule sev_critical "Severity critical" severity critical when a.q
rule sev_low "Severity low" severity low score 19.5 when a.n = 19.5
)";

TEST(Levels, ThresholdsAreAtLeast) {
    const auto pack = must_compile(level_pack);
    EXPECT_EQ(must_evaluate(pack, R"({"a": {"n": 0, "p": false, "q": false}})").level, "low");
    EXPECT_EQ(must_evaluate(pack, R"({"a": {"n": 5, "p": false, "q": false}})").level, "low");
    EXPECT_EQ(must_evaluate(pack, R"({"a": {"n": 19.5, "p": false, "q": false}})").level, "low");  // 19.5 < 20
    EXPECT_EQ(must_evaluate(pack, R"({"a": {"n": 20, "p": false, "q": false}})").level, "medium");  // 20 >= 20
    const auto r = must_evaluate(pack, R"({"a": {"n": 50, "p": false, "q": false}})");
    EXPECT_EQ(r.score, 50);
    EXPECT_EQ(r.level, "high");  // 50 >= 50
}

TEST(Levels, SeverityRaisesTheLevel) {
    // "`level` = the higher of the level implied by the score thresholds and the highest severity among fired rules"
    const auto pack = must_compile(level_pack);
    auto r = must_evaluate(pack, R"({"a": {"n": 0, "p": true, "q": false}})");
    EXPECT_EQ(r.score, 0);
    EXPECT_EQ(r.level, "high");
    r = must_evaluate(pack, R"({"a": {"n": 50, "p": false, "q": true}})");
    EXPECT_EQ(r.level, "critical");  // a level without `at` is reached only by severity
    r = must_evaluate(pack, R"({"a": {"n": 19.5, "p": false, "q": false}})");
    EXPECT_EQ(r.level, "low");  // a low severity does not lower anything
    r = must_evaluate(pack, R"({"a": {"n": 20, "p": true, "q": false}})");
    EXPECT_EQ(r.level, "high");  // severity above the score's level
    r = must_evaluate(pack, R"({"a": {"n": 50, "p": false, "q": false}})");
    EXPECT_EQ(r.level, "high");
}

TEST(Levels, RuleWithoutSeverityRaisesNoLevel) {
    const auto pack = must_compile(pack_with("rule r \"R\" score 1 when true\n"));
    EXPECT_EQ(must_evaluate(pack, "{}").level, "low");
}

TEST(Levels, FirstLevelIsTheBaseEvenWithAThreshold) {
    const auto pack = must_compile(R"(pack t version "1.0.0" "T"
level base at 10
level raised at 20
rule r "R" score 5 when true
)");
    const auto r = must_evaluate(pack, "{}");
    EXPECT_EQ(r.level, "base");
    EXPECT_EQ(r.possible_level, "base");
}

TEST(Levels, PossibleScoreAndLevelAsIfEveryUndeterminedRuleFired) {
    const auto pack = must_compile(level_pack);
    // n unknown: s20, s30, s05, sev_low undetermined; p true fires sev_high; q false.
    auto r = must_evaluate(pack, R"({"a": {"p": true, "q": false}})");
    EXPECT_EQ(r.score, 0);
    EXPECT_EQ(r.level, "high");
    EXPECT_EQ(r.possible_score, 20 + 30 + 5 + 19.5);
    EXPECT_EQ(r.possible_level, "high");
    // q unknown: critical is possible through severity alone.
    r = must_evaluate(pack, R"({"a": {"n": 0, "p": false}})");
    EXPECT_EQ(r.level, "low");
    EXPECT_EQ(r.possible_level, "critical");
    EXPECT_EQ(r.possible_score, 0);
    // Score-only possibility: n unknown, p and q false.
    r = must_evaluate(pack, R"({"a": {"p": false, "q": false}})");
    EXPECT_EQ(r.level, "low");
    EXPECT_EQ(r.possible_score, 74.5);
    EXPECT_EQ(r.possible_level, "high");
    // Nothing undetermined: possible equals actual.
    r = must_evaluate(pack, R"({"a": {"n": 20, "p": false, "q": false}})");
    EXPECT_EQ(r.possible_score, r.score);
    EXPECT_EQ(r.possible_level, r.level);
}

TEST(Levels, PossibleIsAnUpperBoundEvenForRulesThatCannotAllFire) {
    // "undetermined rules may not all fire together": both rules count toward possible_score.
    const auto pack = must_compile(pack_with(R"(rule yes "Yes" score 30 when a.p
rule no "No" score 30 when not a.p
)"));
    const auto r = must_evaluate(pack, "{}");
    EXPECT_EQ(r.score, 0);
    EXPECT_EQ(r.possible_score, 60);
    EXPECT_EQ(r.possible_level, "high");
}

// ---- case-level missing ----------------------------------------------------------

TEST(CaseMissing, OrderedByTheLevelTheRuleCouldReachThenDeclarationOrder) {
    const auto pack = must_compile(R"(pack t version "1.0.0" "T"
level low
level medium at 20
level high at 50
fact f.plain : bool
fact f.scored : bool
fact f.severe : bool
fact f.plain2 : bool
rule plain "No score, no severity" when f.plain and f.plain2
rule scored "Score 20" score 20 when f.scored
rule severe "Severity high" severity high when f.severe
)");
    const auto r = must_evaluate(pack, "{}");
    EXPECT_EQ(r.missing, (Strings{"f.severe", "f.scored", "f.plain", "f.plain2"}));
}

TEST(CaseMissing, ReachIsOnTopOfTheFiredRules) {
    // "ordered by the highest level their rule could reach if it alone fired on top of the fired rules"
    const auto pack = must_compile(R"(pack t version "1.0.0" "T"
level low
level medium at 20
fact f.early : bool
fact f.late : bool
rule base "Fires with 15" score 15 when true
rule small "Score 10" score 10 when f.late
rule nothing "Score 0" when f.early
)");
    const auto r = must_evaluate(pack, "{}");
    EXPECT_EQ(r.level, "low");
    // `small` alone on top of 15 reaches 25: medium; `nothing` stays low. Declaration order would be the reverse.
    EXPECT_EQ(r.missing, (Strings{"f.late", "f.early"}));
}

TEST(CaseMissing, AFactInSeveralRulesRanksByItsHighestRule) {
    const auto pack = must_compile(R"(pack t version "1.0.0" "T"
level low
level high
fact f.a : bool
fact f.b : bool
fact f.shared : bool
rule one "One" when f.a and f.shared
rule two "Two" severity high when f.shared or f.b
)");
    const auto r = must_evaluate(pack, "{}");
    EXPECT_EQ(r.missing, (Strings{"f.b", "f.shared", "f.a"}));  // shared and b: high (declaration order); a: low
}

TEST(CaseMissing, WithoutRepeats) {
    const auto pack = must_compile(pack_with(R"(rule r1 "R1" when a.p and a.q
rule r2 "R2" when a.q or a.p
rule r3 "R3" when a.p
)"));
    const auto r = must_evaluate(pack, "{}");
    EXPECT_EQ(r.missing, (Strings{"a.p", "a.q"}));
}

TEST(CaseMissing, IncludesUnknownAnchorsOfFiredRulesActions) {
    // "Case-level `missing`: those facts, plus the unknown anchor facts of fired rules' actions"
    const auto pack = must_compile(R"(pack t version "1.0.0" "T"
level low
level medium
level high
fact f.low : bool
fact f.high : bool
fact case.arrived_on : date
fact case.seen_on : date
let seen = case.seen_on
rule fired "Fired, medium" severity medium when true
  action "Anchored on arrival" within 1 day of case.arrived_on
  action "Anchored on a let" within 2 days of seen
  action "Today" within 3 days
rule undetermined_low "No severity" when f.low
rule undetermined_high "High" severity high when f.high
)");
    const auto r = must_evaluate(pack, "{}");
    // f.high can reach high; f.low reaches medium (on top of the fired medium); the anchors are at the
    // fired level, medium; ties in declaration order.
    EXPECT_EQ(r.missing, (Strings{"f.high", "f.low", "case.arrived_on", "case.seen_on"}));
    // They are not undetermined rules' facts.
    for (const auto& u : r.undetermined) {
        for (const auto& m : u.missing) EXPECT_NE(m.rfind("case.", 0), 0u);
    }
    ASSERT_EQ(r.fired.size(), 1u);
    EXPECT_FALSE(r.fired[0].actions[0].due.has_value());
    EXPECT_FALSE(r.fired[0].actions[1].due.has_value());
    EXPECT_EQ(r.fired[0].actions[2].due, date("2026-03-13"));
}

TEST(CaseMissing, AnchorsOfRulesThatDidNotFireAreNotMissing) {
    const auto pack = must_compile(R"(pack t version "1.0.0" "T"
level low
fact case.arrived_on : date
fact f.p : bool
rule r "R" when f.p
  action "A" within 1 day of case.arrived_on
)");
    EXPECT_TRUE(must_evaluate(pack, R"({"f": {"p": false}})").missing.empty());
    // Undetermined: the anchor is not in its condition, so not missing either.
    EXPECT_EQ(must_evaluate(pack, "{}").missing, Strings{"f.p"});
}

TEST(CaseMissing, AnchorAlsoInAnUndeterminedRuleIsListedOnce) {
    const auto pack = must_compile(R"(pack t version "1.0.0" "T"
level low
level high
fact case.arrived_on : date
rule fired "F" when true
  action "A" within 1 day of case.arrived_on
rule open "O" severity high when days(case.arrived_on, today) > 30
)");
    const auto r = must_evaluate(pack, "{}");
    EXPECT_EQ(r.missing, Strings{"case.arrived_on"});
}

// ---- domains ---------------------------------------------------------------------

TEST(Domains, EveryDeclaredDomainInDeclarationOrderWithTitleAndScore) {
    const auto pack = must_compile(pack_with(R"(domain safety "Care, protection and safety"
domain family "Family environment"
domain health "Health"
rule r1 "R1" domain family score 3 when true
rule r2 "R2" domain family score 4.5 when true
rule r3 "R3" domain safety score 10 when a.p
rule r4 "R4" domain health score 7 when false
rule r5 "R5" score 1 when true
)"));
    const auto r = must_evaluate(pack, "{}");
    ASSERT_EQ(r.domains.size(), 3u);
    EXPECT_EQ(r.domains[0].name, "safety");
    EXPECT_EQ(r.domains[0].title, "Care, protection and safety");
    EXPECT_EQ(r.domains[0].score, 0);  // r3 is undetermined
    EXPECT_EQ(r.domains[1].name, "family");
    EXPECT_EQ(r.domains[1].title, "Family environment");
    EXPECT_EQ(r.domains[1].score, 7.5);
    EXPECT_EQ(r.domains[2].name, "health");
    EXPECT_EQ(r.domains[2].score, 0);
    EXPECT_EQ(r.score, 8.5);
    const auto* r5 = bia_test::fired_rule(r, "r5");
    ASSERT_NE(r5, nullptr);
    EXPECT_FALSE(r5->domain.has_value());  // without `domain` its `domain` is null
    EXPECT_FALSE(r5->severity.has_value());
    EXPECT_EQ(bia_test::fired_rule(r, "r1")->domain, "family");
}

TEST(Domains, NoDomainsDeclared) {
    const auto pack = must_compile(pack_with("rule r \"R\" score 1 when true\n"));
    EXPECT_TRUE(must_evaluate(pack, "{}").domains.empty());
}

TEST(Fired, InPackOrderWithTitlesAndCitations) {
    const auto pack = must_compile(pack_with(R"(source GC14 "UN CRC General Comment No. 14"
source GC6 "UN CRC General Comment No. 6"
rule z "Zed" severity medium score 2 when true cites GC14 "para 90" cites GC6
rule a "Ay" when true
rule m "Em" when a.p
)"));
    const auto r = must_evaluate(pack, R"({"a": {"p": true}})");
    ASSERT_EQ(r.fired.size(), 3u);
    EXPECT_EQ(r.fired[0].rule, "z");
    EXPECT_EQ(r.fired[0].title, "Zed");
    EXPECT_EQ(r.fired[0].severity, "medium");
    EXPECT_EQ(r.fired[0].score, 2);
    ASSERT_EQ(r.fired[0].cites.size(), 2u);
    EXPECT_EQ(r.fired[0].cites[0].source, "GC14");
    EXPECT_EQ(r.fired[0].cites[0].title, "UN CRC General Comment No. 14");
    EXPECT_EQ(r.fired[0].cites[0].ref, "para 90");
    EXPECT_EQ(r.fired[0].cites[1].source, "GC6");
    EXPECT_EQ(r.fired[0].cites[1].title, "UN CRC General Comment No. 6");
    EXPECT_FALSE(r.fired[0].cites[1].ref.has_value());
    EXPECT_EQ(r.fired[1].rule, "a");
    EXPECT_EQ(r.fired[2].rule, "m");
}

// ---- due dates --------------------------------------------------------------------

const char* const due_pack = R"(pack t version "1.0.0" "Due dates"
level low
fact case.arrived_on : date
fact case.other : date
rule r "R" when true
  action "no time frame"
  action "1 day of today" within 1 day
  action "2 weeks of today" within 2 weeks
  action "1 day of arrival" within 1 day of case.arrived_on
  action "3 weeks of arrival" within 3 weeks of case.arrived_on
  action "0 days of arrival" within 0 days of case.arrived_on
  action "explicit today" within 5 days of today
  action "unknown anchor" within 1 day of case.other
)";

TEST(DueDates, AnchorPlusInterval) {
    const auto pack = must_compile(due_pack);
    const auto r = must_evaluate(pack, R"({"case": {"arrived_on": "2026-02-27"}})", "2026-03-10");
    const auto& a = r.fired.at(0).actions;
    ASSERT_EQ(a.size(), 8u);
    EXPECT_FALSE(a[0].due.has_value());  // "An action without `within` has `due: null`."
    EXPECT_FALSE(a[0].overdue);
    EXPECT_EQ(a[1].due, date("2026-03-11"));  // anchor defaults to today (the as-of date)
    EXPECT_FALSE(a[1].overdue);
    EXPECT_EQ(a[2].due, date("2026-03-24"));
    EXPECT_EQ(a[3].due, date("2026-02-28"));
    EXPECT_TRUE(a[3].overdue);  // due before as-of
    EXPECT_EQ(a[4].due, date("2026-03-20"));
    EXPECT_FALSE(a[4].overdue);
    EXPECT_EQ(a[5].due, date("2026-02-27"));
    EXPECT_TRUE(a[5].overdue);
    EXPECT_EQ(a[6].due, date("2026-03-15"));
    EXPECT_FALSE(a[7].due.has_value());  // unknown anchor: due null, overdue false
    EXPECT_FALSE(a[7].overdue);
}

TEST(DueDates, DueOnTheAsOfDateIsNotOverdue) {
    const auto pack = must_compile(due_pack);
    const auto r = must_evaluate(pack, R"({"case": {"arrived_on": "2026-03-09"}})", "2026-03-10");
    const auto& a = r.fired.at(0).actions;
    EXPECT_EQ(a[3].due, date("2026-03-10"));
    EXPECT_FALSE(a[3].overdue);  // "overdue when the due date is before as-of"
    EXPECT_EQ(a[5].due, date("2026-03-09"));
    EXPECT_TRUE(a[5].overdue);
}

TEST(DueDates, AcrossMonthsYearsAndLeapDays) {
    const auto pack = must_compile(due_pack);
    auto r = must_evaluate(pack, R"({"case": {"arrived_on": "2024-02-28"}})", "2024-02-28");
    EXPECT_EQ(r.fired[0].actions[3].due, date("2024-02-29"));
    r = must_evaluate(pack, R"({"case": {"arrived_on": "2025-02-28"}})", "2025-02-28");
    EXPECT_EQ(r.fired[0].actions[3].due, date("2025-03-01"));
    r = must_evaluate(pack, R"({"case": {"arrived_on": "2025-12-31"}})", "2025-12-31");
    EXPECT_EQ(r.fired[0].actions[3].due, date("2026-01-01"));
    EXPECT_EQ(r.fired[0].actions[1].due, date("2026-01-01"));
    EXPECT_EQ(r.fired[0].actions[4].due, date("2026-01-21"));
}

TEST(DueDates, AsOfChangesTodayAnchoredActions) {
    const auto pack = must_compile(due_pack);
    const auto r = must_evaluate(pack, "{}", "2030-01-31");
    EXPECT_EQ(r.as_of, date("2030-01-31"));
    EXPECT_EQ(r.fired[0].actions[1].due, date("2030-02-01"));
    EXPECT_EQ(r.fired[0].actions[2].due, date("2030-02-14"));
}

TEST(DueDates, DefaultAsOfIsToday) {
    const auto pack = must_compile(due_pack);
    const auto before = bia::Date::today();
    const auto e = pack.evaluate(std::string_view("{}"));
    const auto after = bia::Date::today();
    ASSERT_TRUE(e.ok());
    EXPECT_TRUE(e.result->as_of == before || e.result->as_of == after);
    EXPECT_EQ(*e.result->fired[0].actions[1].due, bia::Date::from_days(e.result->as_of.days() + 1));
}

// ---- dates: years() and days() ----------------------------------------------------

TEST(Dates, YmdIsYearMonthAndDay) {
    // Across four centuries either side of 1970, leap days and century years included.
    std::size_t leap_days = 0;
    for (std::int32_t days = -146097 * 4; days <= 146097 * 4; days += 13) {
        const bia::Date d = bia::Date::from_days(days);
        const bia::YearMonthDay ymd = d.ymd();
        ASSERT_EQ(ymd.year, d.year()) << days;
        ASSERT_EQ(ymd.month, d.month()) << days;
        ASSERT_EQ(ymd.day, d.day()) << days;
        ASSERT_EQ(bia::Date::from_ymd(ymd.year, ymd.month, ymd.day), d) << days;
        leap_days += ymd.month == 2 && ymd.day == 29;
    }
    EXPECT_GT(leap_days, 0u);
    EXPECT_EQ(bia::Date::from_days(0).ymd().year, 1970);
}

TEST(Dates, YearsCountsWholeYearsWithTheBirthdayOnItsDate) {
    auto y = [](const std::string& from, const std::string& to, double expected) {
        SCOPED_TRACE("years(" + from + ", " + to + ")");
        EXPECT_EQ(compare("years(a.d, a.d2)", R"({"a": {"d": ")" + from + R"(", "d2": ")" + to + R"("}})", expected),
                  num(expected));
    };
    y("2010-03-10", "2026-03-10", 16);  // a birthday counts on its date
    y("2010-03-10", "2026-03-09", 15);
    y("2010-03-10", "2026-03-11", 16);
    y("2026-03-10", "2026-03-10", 0);
    y("2026-03-10", "2026-12-31", 0);
    y("2025-12-31", "2026-01-01", 0);
    y("2000-01-01", "2026-12-31", 26);
    y("1999-12-31", "2000-01-01", 0);
    // Truncated toward zero, negative when `to` is earlier.
    y("2026-03-10", "2010-03-10", -16);
    y("2026-03-10", "2010-03-11", -15);
    y("2026-03-10", "2026-03-09", 0);
    y("2026-03-10", "2025-03-10", -1);
    y("2026-03-10", "2025-03-11", 0);
}

TEST(Dates, LeapDayBirthdayCountsOnFirstMarchInCommonYears) {
    auto y = [](const std::string& from, const std::string& to, double expected) {
        SCOPED_TRACE("years(" + from + ", " + to + ")");
        EXPECT_EQ(compare("years(a.d, a.d2)", R"({"a": {"d": ")" + from + R"(", "d2": ")" + to + R"("}})", expected),
                  num(expected));
    };
    y("2008-02-29", "2026-02-28", 17);
    y("2008-02-29", "2026-03-01", 18);
    y("2008-02-29", "2009-02-28", 0);
    y("2008-02-29", "2009-03-01", 1);
    y("2008-02-29", "2028-02-28", 19);  // leap year: the birthday is 29 February itself
    y("2008-02-29", "2028-02-29", 20);
    y("2000-02-29", "2100-02-28", 99);  // 2100 is a common year
    y("2000-02-29", "2100-03-01", 100);
}

TEST(Dates, YearsWithToday) {
    const auto pack = must_compile(pack_with("let age = years(a.d, today)\nrule under15 \"U\" when age < 15\n"
                                             "rule exactly15 \"E\" when age = 15\n"));
    auto r = must_evaluate(pack, R"({"a": {"d": "2011-03-10"}})", "2026-03-09");
    EXPECT_TRUE(bia_test::fired(r, "under15"));
    r = must_evaluate(pack, R"({"a": {"d": "2011-03-10"}})", "2026-03-10");
    EXPECT_TRUE(bia_test::fired(r, "exactly15"));
}

TEST(Dates, DaysIsToMinusFrom) {
    auto d = [](const std::string& from, const std::string& to, double expected) {
        SCOPED_TRACE("days(" + from + ", " + to + ")");
        EXPECT_EQ(compare("days(a.d, a.d2)", R"({"a": {"d": ")" + from + R"(", "d2": ")" + to + R"("}})", expected),
                  num(expected));
    };
    d("2026-03-01", "2026-03-10", 9);
    d("2026-03-10", "2026-03-01", -9);
    d("2026-03-10", "2026-03-10", 0);
    d("2024-02-28", "2024-03-01", 2);
    d("2025-02-28", "2025-03-01", 1);
    d("2025-12-31", "2026-01-01", 1);
    d("2000-01-01", "2026-01-01", 9497);
    EXPECT_EQ(compare("days(2026-03-01, today)", "{}", 9, "2026-03-10"), num(9));
    EXPECT_EQ(compare("days(today, 2026-03-01)", "{}", -9, "2026-03-10"), num(-9));
}

TEST(Dates, DateComparisons) {
    const std::string c = R"({"a": {"d": "2026-03-01", "d2": "2026-03-10"}})";
    EXPECT_EQ(state("a.d < a.d2", c), "fired");
    EXPECT_EQ(state("a.d > a.d2", c), "false");
    EXPECT_EQ(state("a.d <= 2026-03-01 and a.d >= 2026-03-01 and a.d = 2026-03-01", c), "fired");
    EXPECT_EQ(state("a.d2 = today", c, "2026-03-10"), "fired");
    EXPECT_EQ(state("a.d2 < today", c, "2026-03-10"), "false");
    EXPECT_EQ(state("a.d != a.d2", c), "fired");
}

// ---- sets, text, enums ------------------------------------------------------------

TEST(Sets, CountCountsDistinctMembers) {
    // "Duplicates in a set collapse (`count` counts distinct members)."
    EXPECT_EQ(compare("count(a.s)", R"({"a": {"s": ["x", "x", "y", "x"]}})", 2), num(2));
    EXPECT_EQ(compare("count(a.s)", R"({"a": {"s": []}})", 0), num(0));
    EXPECT_EQ(compare("count(a.s)", R"({"a": {"s": ["z", "y", "x"]}})", 3), num(3));
    EXPECT_EQ(compare("count({\"p\", \"q\", \"r\"})", "{}", 3), num(3));
    EXPECT_EQ(compare("count({})", "{}", 0), num(0));
}

TEST(Sets, Membership) {
    const std::string c = R"({"a": {"s": ["x", "z"], "s2": [], "t": "z", "e": "y"}})";
    EXPECT_EQ(state("\"x\" in a.s", c), "fired");
    EXPECT_EQ(state("\"y\" in a.s", c), "false");
    EXPECT_EQ(state("\"y\" in a.s2", c), "false");  // empty: known and empty
    EXPECT_EQ(state("a.t in a.s", c), "fired");
    EXPECT_EQ(state("a.t in a.s2", c), "false");
    EXPECT_EQ(state("a.e in a.s", c), "false");
    EXPECT_EQ(state("a.e in {\"x\", \"y\"}", c), "fired");
    EXPECT_EQ(state("a.e in {}", c), "false");
    EXPECT_EQ(state("a.t in {\"z\"}", c), "fired");
    EXPECT_EQ(state("a.t in {\"Z\"}", c), "false");
    EXPECT_EQ(state("\"q\" in {\"p\", \"q\"}", c), "fired");
    EXPECT_EQ(state("\"r\" in {\"p\", \"q\"}", c), "false");
    EXPECT_EQ(state("\"r\" in {}", c), "false");
    // A `one of` value against a set fact with other members: compared by member name.
    EXPECT_EQ(state("a.e in a.s2", R"({"a": {"e": "y", "s2": ["y"]}})"), "fired");
    EXPECT_EQ(state("a.e in a.s2", R"({"a": {"e": "x", "s2": ["y", "w"]}})"), "false");
    // Text against a set fact's members, including a string that is not a member at all.
    EXPECT_EQ(state("a.t in a.s", R"({"a": {"t": "w", "s": ["x", "y", "z"]}})"), "false");
}

TEST(Text, Comparisons) {
    const std::string c = R"({"a": {"t": "Kabul", "t2": "kabul"}})";
    EXPECT_EQ(state("a.t = \"Kabul\"", c), "fired");
    EXPECT_EQ(state("a.t = \"kabul\"", c), "false");  // case-sensitive
    EXPECT_EQ(state("a.t != a.t2", c), "fired");
    EXPECT_EQ(state("a.t = a.t", c), "fired");
    EXPECT_EQ(state("a.t = \"Kabul \"", c), "false");
    EXPECT_EQ(state("a.t = \"\"", R"({"a": {"t": ""}})"), "fired");
    EXPECT_EQ(state("a.t = \"Zoë — 保护\"", R"({"a": {"t": "Zoë — 保护"}})"), "fired");
    EXPECT_EQ(state("a.t = \"say \\\"hi\\\"\"", R"({"a": {"t": "say \"hi\""}})"), "fired");
    EXPECT_EQ(state("a.t = a.t2", R"({"a": {"t": "x", "t2": "x"}})"), "fired");
    EXPECT_EQ(state("a.t = \"ab\"", R"({"a": {"t": "a\u0000b"}})"), "false");
}

TEST(Enums, Comparisons) {
    const std::string c = R"({"a": {"e": "y", "f": "y"}})";
    EXPECT_EQ(state("a.e = \"y\"", c), "fired");
    EXPECT_EQ(state("a.e = \"x\"", c), "false");
    EXPECT_EQ(state("a.e != \"x\"", c), "fired");
    EXPECT_EQ(state("\"y\" = a.e", c), "fired");
    // Two `one of` facts with the same members in another order compare by member.
    EXPECT_EQ(state("a.e = a.f", c), "fired");
    EXPECT_EQ(state("a.e = a.f", R"({"a": {"e": "x", "f": "x"}})"), "fired");
    EXPECT_EQ(state("a.e = a.f", R"({"a": {"e": "x", "f": "z"}})"), "false");
    EXPECT_EQ(state("a.e != a.f", R"({"a": {"e": "z", "f": "x"}})"), "fired");
}

TEST(Arithmetic, Values) {
    const std::string c = R"({"a": {"n": 7, "m": 2}})";
    EXPECT_EQ(compare("a.n + a.m", c, 9), num(9));
    EXPECT_EQ(compare("a.n - a.m", c, 5), num(5));
    EXPECT_EQ(compare("a.n * a.m", c, 14), num(14));
    EXPECT_EQ(compare("a.n / a.m", c, 3.5), num(3.5));
    EXPECT_EQ(compare("-a.n", c, -7), num(-7));
    EXPECT_EQ(compare("a.n - a.m - 1", c, 4), num(4));
    EXPECT_EQ(compare("a.n / a.m / 2", c, 1.75), num(1.75));
    EXPECT_EQ(compare("1 + 2 * 3", c, 7), num(7));
    EXPECT_EQ(compare("(1 + 2) * 3", c, 9), num(9));
    EXPECT_EQ(compare("0.1 + 0.2", c, 0.30000000000000004), num(0.30000000000000004));
    EXPECT_EQ(compare("2.5", c, 2.5), num(2.5));
}

TEST(Bools, Equality) {
    EXPECT_EQ(state("a.p = true", R"({"a": {"p": true}})"), "fired");
    EXPECT_EQ(state("a.p = false", R"({"a": {"p": true}})"), "false");
    EXPECT_EQ(state("a.p != a.q", R"({"a": {"p": true, "q": false}})"), "fired");
    EXPECT_EQ(state("a.p = a.q", R"({"a": {"p": false, "q": false}})"), "fired");
}

TEST(Evaluation, EmptyCaseIsAllUnknown) {
    const auto pack = must_compile(pack_with("rule r \"R\" when a.p\nrule s \"S\" when not known(a.p)\n"));
    const auto r = must_evaluate(pack, "{}");
    EXPECT_TRUE(bia_test::undetermined(r, "r"));
    EXPECT_TRUE(bia_test::fired(r, "s"));
}

TEST(Evaluation, SameInputsSameResult) {
    const auto pack = must_compile(pack_with("rule r \"R\" score 3 when a.p or a.n > 2\n"));
    const std::string c = R"({"a": {"n": 5}})";
    const auto r1 = must_evaluate(pack, c);
    const auto r2 = must_evaluate(pack, c);
    EXPECT_EQ(bia::render_json(r1), bia::render_json(r2));
}

}  // namespace
