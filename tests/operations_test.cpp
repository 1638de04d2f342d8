// The operations table (lang/operations.hpp): the docs follow it, the built-ins
// it adds keep v1 packs' meaning, `min`/`max` as its recipe adds them, and every
// evaluation path gives one answer for `one of` members wherever they sit in
// their list (the divergence at member 64 that the one table removed).
#include "lang/operations.hpp"

#include <bia/explain.hpp>

#include "test_util.hpp"

#include <regex>
#include <set>

namespace {

using bia_test::must_compile;

const char* const header = "pack t version \"1.0.0\" \"T\"\nlevel low\nlevel high at 1\n";

// ---- the table and the docs --------------------------------------------------

// The rows of docs/language.md's function table, as "name(params)" -> text.
std::map<std::string, std::string> documented_functions() {
    const std::string doc = bia_test::read_file(std::filesystem::path(BIA_SOURCE_DIR) / "docs" / "language.md");
    const auto table = doc.find("| function | result |");
    EXPECT_NE(table, std::string::npos) << "docs/language.md has no function table";
    std::map<std::string, std::string> rows;
    std::istringstream lines(doc.substr(table));
    std::string line;
    std::getline(lines, line);  // header
    std::getline(lines, line);  // |---|---|
    static const std::regex row(R"(^\| `([a-z_]+\([^`]*\))` \| (.*) \|$)");
    while (std::getline(lines, line) && line.starts_with("|")) {
        std::smatch m;
        EXPECT_TRUE(std::regex_match(line, m, row)) << "not a function row: " << line;
        if (!m.empty()) rows[m[1]] = m[2];
    }
    return rows;
}

TEST(Operations, TheDocsFunctionTableIsTheBuiltinsTable) {
    const auto documented = documented_functions();
    std::set<std::string> listed;
    for (const auto& fn : bia::lang::builtins) {
        const std::string call = std::string(fn.name) + "(" + std::string(fn.params) + ")";
        listed.insert(call);
        const auto it = documented.find(call);
        ASSERT_NE(it, documented.end()) << call << " is a built-in but docs/language.md does not list it";
        EXPECT_EQ(it->second, fn.doc) << "docs/language.md describes " << call << " otherwise than lang/operations.hpp";
    }
    for (const auto& [call, text] : documented) {
        EXPECT_TRUE(listed.count(call)) << "docs/language.md lists " << call << ", which is not a built-in";
    }
}

TEST(Operations, EveryRowSaysWhatItReads) {
    // The rows are in Op order (a static_assert) and every one is documented.
    for (const auto& r : bia::lang::op_rows) {
        EXPECT_FALSE(r.name.empty());
        EXPECT_FALSE(r.doc.empty()) << r.name;
        // A strict operation has operands whose unknown it passes on.
        if (r.strict) {
            EXPECT_NE(r.operands, bia::lang::Operands::none) << r.name;
        }
    }
    for (const auto& fn : bia::lang::builtins) {
        EXPECT_EQ(bia::lang::find_builtin(fn.name), &fn);
        EXPECT_GE(fn.arity, 1);
        EXPECT_LE(fn.arity, 2);
    }
    EXPECT_EQ(bia::lang::find_builtin("nosuch"), nullptr);
}

// ---- built-ins after v1 keep v1 packs' meaning ----------------------------------

TEST(Operations, BuiltinsAddedAfterV1AreNotReservedWords) {
    for (const auto& fn : bia::lang::builtins) {
        const std::string name(fn.name);
        SCOPED_TRACE(name);
        const bool as_let = bia::compile(std::string(header) + "let " + name + " = 1\nrule r \"R\" when " + name +
                                         " > 0\n")
                                .ok();
        const bool as_fact = bia::compile(std::string(header) + "fact " + name + ".x : bool\n").ok();
        EXPECT_EQ(as_let, !fn.reserved);
        EXPECT_EQ(as_fact, !fn.reserved);
    }
    // A fact and a let named after min and max, beside calls of both.
    const auto pack = must_compile(std::string(header) +
                                   "fact min : number\nfact max.days : number\nlet max = 2\n"
                                   "rule r \"R\" severity high when min(min, max) < max(max.days, 0)\n");
    EXPECT_TRUE(bia_test::fired(bia_test::must_evaluate(pack, R"({"min": 1, "max": {"days": 3}})"), "r"));
    EXPECT_FALSE(bia_test::fired(bia_test::must_evaluate(pack, R"({"min": 5, "max": {"days": 1}})"), "r"));
}

// ---- min and max --------------------------------------------------------------

const char* const min_max_pack =
    "fact a : number\nfact b : number\nfact d : date\nfact e : date\n"
    "rule smaller \"min\" when min(a, b) < 3\n"
    "rule larger \"max\" when max(a, b) >= 10\n"
    "rule earlier \"min of dates\" when min(d, e) < 2026-01-01\n"
    "rule later \"max of dates\" when days(max(d, e), today) > 30\n"
    "rule nested \"nested\" when max(min(a, b), 1) = 1\n";

TEST(Operations, MinAndMaxOfNumbersAndDates) {
    const auto pack = must_compile(std::string(header) + min_max_pack);
    struct Case {
        const char* json;
        std::vector<std::string> fired, undetermined;
    };
    const Case cases[] = {
        {R"({"a": 5, "b": 2, "d": "2025-12-31", "e": "2026-02-01"})", {"smaller", "earlier", "later"}, {}},
        {R"({"a": 12, "b": 2})", {"smaller", "larger"}, {"earlier", "later"}},
        {R"({"a": -4, "b": 3})", {"smaller", "nested"}, {"earlier", "later"}},
        {R"({"a": 3, "b": 3, "d": "2026-01-01", "e": "2026-01-01"})", {"later"}, {}},
        // Unknown in either operand is unknown, whatever the other holds.
        {R"({"a": 1})", {}, {"smaller", "larger", "earlier", "later", "nested"}},
        {R"({"b": 100, "e": "2020-01-01"})", {}, {"smaller", "larger", "earlier", "later", "nested"}},
        {R"({"a": 10, "b": 10, "d": "2026-03-01", "e": "2026-02-28"})", {"larger"}, {}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.json);
        const auto r = bia_test::must_evaluate(pack, c.json, "2026-03-10");
        std::vector<std::string> fired, undetermined;
        for (const auto& f : r.fired) fired.push_back(f.rule);
        for (const auto& u : r.undetermined) undetermined.push_back(u.rule);
        std::sort(fired.begin(), fired.end());
        std::sort(undetermined.begin(), undetermined.end());
        auto expected_fired = c.fired, expected_undetermined = c.undetermined;
        std::sort(expected_fired.begin(), expected_fired.end());
        std::sort(expected_undetermined.begin(), expected_undetermined.end());
        EXPECT_EQ(fired, expected_fired);
        EXPECT_EQ(undetermined, expected_undetermined);
    }
}

TEST(Operations, ExplainSuggestsTheClosestRule) {
    const auto pack = must_compile(std::string(header) + min_max_pack);
    bia::EvalOptions options;
    options.as_of = bia_test::date("2026-03-10");
    const auto near = bia::explain(pack, "{}", "latter", options);
    EXPECT_FALSE(near.explanation);
    EXPECT_EQ(near.problem, "the pack has no rule named 'latter'; did you mean 'later'?");
    EXPECT_EQ(bia::explain(pack, "{}", "zzzzzzzz", options).problem, "the pack has no rule named 'zzzzzzzz'");
}

TEST(Operations, MinAndMaxExplainTheirValues) {
    const auto pack = must_compile(std::string(header) + min_max_pack);
    bia::EvalOptions options;
    options.as_of = bia_test::date("2026-03-10");
    const auto e = bia::explain(pack, R"({"a": 5, "b": 2, "d": "2025-12-31", "e": "2026-02-01"})", "later", options);
    ASSERT_TRUE(e.explanation);
    const std::string text = bia::render_explanation(*e.explanation);
    EXPECT_NE(text.find("max(d, e)  ->  2026-02-01"), std::string::npos) << text;
    EXPECT_NE(text.find("days(max(d, e), today)  ->  37"), std::string::npos) << text;
}

TEST(Operations, MinAndMaxRefuseWhatTheyCannotCompare) {
    const auto diagnostics = [](const std::string& condition) {
        return bia_test::diagnostics_of(std::string(header) +
                                        "fact a : number\nfact d : date\nfact t : text\nfact s : set of {\"x\"}\n"
                                        "rule r \"R\" when " + condition + "\n");
    };
    EXPECT_NE(diagnostics("min(a, d) < 3").find(
                  "t.bia:8:17: error: min() compares values of one type, but this gives it number and date [E0302]"),
              std::string::npos)
        << diagnostics("min(a, d) < 3");
    EXPECT_NE(diagnostics("max(t, a) > 1").find("t.bia:8:21: error: max() takes numbers or dates, but this is text [E0304]"),
              std::string::npos)
        << diagnostics("max(t, a) > 1");
    EXPECT_NE(diagnostics("max(a, s) > 1").find("max() takes numbers or dates, but this is"), std::string::npos)
        << diagnostics("max(a, s) > 1");
    EXPECT_NE(diagnostics("min(a) > 1").find(
                  "t.bia:8:17: error: min() takes 2 arguments (two numbers or two dates), but 1 were given [E0304]"),
              std::string::npos)
        << diagnostics("min(a) > 1");
    EXPECT_NE(diagnostics("min(a, a, a) > 1").find("min() takes 2 arguments"), std::string::npos);
    // A min of dates is a date: it does not meet a number.
    EXPECT_NE(diagnostics("min(d, d) < 3").find("[E0302]"), std::string::npos) << diagnostics("min(d, d) < 3");
}

// ---- `one of` members at every position, on every path ------------------------

// A `one of` of 130 members and a `set of` of 64, tested by literal sets that
// the compiler turns into masks (members below 64) and into name lists (a
// member of 64 or more), by equality, and against the set.
struct Positions {
    std::string source;
    std::vector<std::string> rules;
    // Whether rule i holds for member k (k in 0..129) with set {m0, m63}: worked out here from names, not by bia.
    std::function<bool(std::size_t rule, std::size_t k)> holds;
};

Positions positions_pack() {
    std::string members, set_members;
    for (int i = 0; i < 130; ++i) members += std::string(i ? ", " : "") + "\"m" + std::to_string(i) + "\"";
    for (int i = 0; i < 64; ++i) set_members += std::string(i ? ", " : "") + "\"m" + std::to_string(i) + "\"";
    Positions p;
    p.source = std::string(header) + "fact k : one of {" + members + "}\nfact s : set of {" + set_members + "}\n" +
               "rule low_mask \"mask\" when k in {\"m0\", \"m1\"}\n"
               "rule edge_mask \"mask at 63\" when k in {\"m63\", \"m2\"}\n"
               "rule by_name \"past the mask\" when k in {\"m0\", \"m64\", \"m129\"}\n"
               "rule equal_64 \"equality\" when k = \"m64\"\n"
               "rule in_set \"in the set\" when k in s\n"
               "rule not_mask \"negated mask\" when not (k in {\"m1\", \"m63\"})\n";
    p.rules = {"low_mask", "edge_mask", "by_name", "equal_64", "in_set", "not_mask"};
    p.holds = [](std::size_t rule, std::size_t k) {
        switch (rule) {
            case 0: return k == 0 || k == 1;
            case 1: return k == 63 || k == 2;
            case 2: return k == 0 || k == 64 || k == 129;
            case 3: return k == 64;
            case 4: return k == 0 || k == 63;  // s = {m0, m63}
            default: return !(k == 1 || k == 63);
        }
    };
    return p;
}

const std::size_t member_positions[] = {0, 1, 2, 62, 63, 64, 65, 66, 127, 128, 129};

std::string positions_case(std::size_t k) {
    return R"({"k": "m)" + std::to_string(k) + R"(", "s": ["m0", "m63"]})";
}

TEST(Operations, OneOfMembersAtEveryPositionAgreeOnEveryPath) {
    const Positions p = positions_pack();
    const auto pack = must_compile(p.source);
    bia::EvalOptions options;
    options.as_of = bia_test::date("2026-03-10");
    std::vector<std::string> jsons;
    for (const std::size_t k : member_positions) jsons.push_back(positions_case(k));
    std::vector<bia::Result> batch_results(jsons.size());
    std::vector<bia::Summary> batch_summaries(jsons.size());
    std::vector<bia::BatchCase> batch(jsons.size()), summaries(jsons.size());
    for (std::size_t i = 0; i < jsons.size(); ++i) {
        batch[i].json = jsons[i];
        batch[i].result = &batch_results[i];
        summaries[i].json = jsons[i];
        summaries[i].summary = &batch_summaries[i];
    }
    pack.evaluate_batch(batch, options);
    pack.evaluate_batch(summaries, options);
    for (std::size_t c = 0; c < jsons.size(); ++c) {
        const std::size_t k = member_positions[c];
        const auto alone = bia_test::must_evaluate(pack, jsons[c], "2026-03-10");
        ASSERT_TRUE(batch[c].evaluated);
        ASSERT_TRUE(summaries[c].evaluated);
        for (std::size_t r = 0; r < p.rules.size(); ++r) {
            const std::string& rule = p.rules[r];
            SCOPED_TRACE("member m" + std::to_string(k) + ", rule " + rule);
            const bool expected = p.holds(r, k);
            EXPECT_EQ(bia_test::fired(alone, rule), expected) << "evaluate";
            EXPECT_EQ(bia_test::fired(batch_results[c], rule), expected) << "evaluate_batch";
            const auto& fired = batch_summaries[c].fired;
            EXPECT_EQ(std::find(fired.begin(), fired.end(), r) != fired.end(), expected) << "evaluate_batch summaries";
            const auto e = bia::explain(pack, jsons[c], rule, options);
            ASSERT_TRUE(e.explanation);
            EXPECT_EQ(e.explanation->outcome, expected ? bia::RuleOutcome::fired : bia::RuleOutcome::not_fired)
                << "explain";
        }
    }
}

TEST(Operations, ExplainTriesEveryMemberOfAOneOf) {
    // An undetermined rule names each value that would make it fire, past the 64th member too.
    const Positions p = positions_pack();
    const auto pack = must_compile(p.source);
    bia::EvalOptions options;
    options.as_of = bia_test::date("2026-03-10");
    const auto e = bia::explain(pack, R"({"s": []})", "by_name", options);
    ASSERT_TRUE(e.explanation);
    EXPECT_EQ(e.explanation->outcome, bia::RuleOutcome::undetermined);
    EXPECT_EQ(e.explanation->would_fire, (std::vector<std::string>{"k = \"m0\"", "k = \"m64\"", "k = \"m129\""}));
}

}  // namespace

#include "lang/kinds.hpp"

namespace {

TEST(Operations, FactKindsConvertByTheirTable) {
    // Every kind has its own public type and name, and a pack's facts show them.
    std::set<bia::FactType> types;
    std::set<std::string_view> names;
    for (const auto& k : bia::lang::fact_kinds) {
        types.insert(k.public_type);
        names.insert(bia::fact_type_name(k.public_type));
        EXPECT_EQ(k.has_members, k.kind == bia::lang::FactKind::one_of || k.kind == bia::lang::FactKind::set_of);
    }
    EXPECT_EQ(types.size(), bia::lang::fact_kinds.size());
    EXPECT_EQ(names.size(), bia::lang::fact_kinds.size());
    const auto pack = must_compile(std::string(header) +
                                   "fact a : bool\nfact b : number\nfact c : text\nfact d : date\n"
                                   "fact e : one of {\"x\"}\nfact f : set of {\"y\"}\n");
    std::vector<std::string> shown;
    for (const auto& f : pack.facts()) shown.emplace_back(bia::fact_type_name(f.type));
    EXPECT_EQ(shown, (std::vector<std::string>{"bool", "number", "text", "date", "one_of", "set_of"}));
}

}  // namespace
