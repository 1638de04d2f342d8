// The step program evaluation runs (compile/steps.cpp, eval/block.cpp): what
// it fuses and skips, that its pass agrees with each node's meaning applied to
// every node, and the missing-facts walk's per-case lists of lets.
#include "compile/plan.hpp"
#include "compile/steps.hpp"
#include "eval/evaluator.hpp"
#include "eval/facts.hpp"

#include "eval_oracle.hpp"
#include "test_util.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace {

using bia::compiler::Op;

bia::eval::BoundCase bind_case(const bia::Pack& pack, const std::string& json) {
    bia::eval::BoundCase bound;
    bia::eval::bind_json_text(bia::detail::compiled(pack).plan, json, bia::eval::BindOptions{}, bound);
    EXPECT_TRUE(bound.errors.empty()) << bia_test::describe_errors(bound.errors);
    return bound;
}

std::vector<std::string> missing_of(const bia::Pack& pack, const bia::compiler::Plan& plan,
                                    const bia::eval::CaseValues& values, std::uint32_t root, bia::eval::Scratch& walk) {
    std::vector<std::uint32_t> slots;
    bia::eval::missing_facts(plan, values, root, slots, walk);
    std::vector<std::string> paths;
    for (auto s : slots) paths.push_back(pack.facts()[s].path);
    return paths;
}
std::vector<std::string> missing_of(const bia::Pack& pack, const bia::eval::CaseValues& values, std::uint32_t root,
                                    bia::eval::Scratch& walk) {
    return missing_of(pack, bia::detail::compiled(pack).plan, values, root, walk);
}

// The plan's pass for one case, into `run`: its words poisoned first, so that
// a node the pass should write and does not shows.
bia::eval::CaseValues pass(const bia::compiler::Plan& plan, const bia::eval::BoundCase& bound, std::int32_t today,
                           bia::eval::CaseRun& run) {
    constexpr std::uint64_t poison = 0xA5A5A5A5A5A5A5A5u;
    run.values.holds.assign(plan.nodes.size(), poison);
    run.values.fails.assign(plan.nodes.size(), poison);
    run.values.columns.assign(plan.single.columns, poison);
    bia::eval::run_case(plan, bound, today, run);
    return bia::eval::case_values(plan, run);
}

// After the pass every node with a test or a step holds the value the oracle
// gives it; the others are fact and constant leaves and let references. The
// plan with a step for every node (what explanations run) holds every node's.
void expect_every_value(const bia::Pack& pack, const std::string& json, std::int32_t today = 0) {
    const auto& plan = bia::detail::compiled(pack).plan;
    const auto bound = bind_case(pack, json);
    const auto want = bia_test::reference_values(plan, bound, today);
    bia::eval::CaseRun run;
    const bia::eval::CaseValues got = pass(plan, bound, today, run);
    std::vector<std::uint32_t> written;
    for (const auto& t : plan.range_tests) written.push_back(t.out);
    for (const auto& t : plan.index_tests) written.push_back(t.out);
    for (const auto& t : plan.bit_tests) written.push_back(t.out);
    for (const auto& s : plan.steps) written.push_back(s.out);
    for (const std::uint32_t i : written) EXPECT_TRUE(bia_test::same_value(plan, got, want[i], i)) << json;
    for (const auto& rule : plan.rules) EXPECT_TRUE(bia_test::same_value(plan, got, want[rule.root], rule.root)) << json;

    const auto every_plan = bia::compiler::with_every_node(plan);
    EXPECT_TRUE(every_plan.range_tests.empty() && every_plan.index_tests.empty() && every_plan.bit_tests.empty());
    EXPECT_EQ(every_plan.steps.size(), plan.nodes.size());
    bia::eval::CaseRun every_run;
    const bia::eval::CaseValues every = pass(every_plan, bound, today, every_run);
    for (std::uint32_t i = 0; i < plan.nodes.size(); ++i) EXPECT_TRUE(bia_test::same_value(plan, every, want[i], i)) << json << " (every node)";
}

// The runs cover the steps in order, each of one operation, and every step
// comes after the tests and steps that write its operands.
void expect_runs_in_order(const bia::compiler::Plan& plan) {
    std::vector<std::uint8_t> written(plan.nodes.size(), 0);
    for (const auto& t : plan.range_tests) written[t.out] = 1;
    for (const auto& t : plan.index_tests) written[t.out] = 1;
    for (const auto& t : plan.bit_tests) written[t.out] = 1;
    std::uint32_t next = 0;
    for (const auto& run : plan.step_runs) {
        ASSERT_EQ(run.first, next);
        ASSERT_GT(run.count, 0u);
        next += run.count;
        for (std::uint32_t i = run.first; i < run.first + run.count; ++i) {
            const auto& s = plan.steps[i];
            EXPECT_EQ(s.node.op, run.op);
            auto check = [&](std::uint32_t operand) { EXPECT_TRUE(written[operand]) << "step " << i << " reads " << operand; };
            if (s.node.op == Op::logic_and || s.node.op == Op::logic_or) {
                for (std::uint32_t k = 0; k < s.node.b; ++k) check(plan.step_operands[s.node.a + k]);
            } else if (s.node.op == Op::let_ref) {
                check(s.node.a);
            } else {
                bia::compiler::for_each_child(plan, s.node, check);
            }
            written[s.out] = 1;
        }
    }
    EXPECT_EQ(next, plan.steps.size());
}

TEST(Steps, AComparisonWithAConstantReadsTheFactDirectly) {
    const auto pack = bia_test::must_compile(R"(pack p version "1.0.0" "t"
level low
fact a : bool
fact n : number
fact k : one of {"x", "y", "z"}
fact s : set of {"x", "y"}
rule r "t" when a = true and n >= 3 and 5 > n and k in {"x", "z"} and "y" in s and not a
)");
    const auto& plan = bia::detail::compiled(pack).plan;
    // The comparisons are tests that read the facts' slots; the only step is
    // the `and`. No fact or constant needs a step of its own.
    ASSERT_EQ(plan.steps.size(), 1u);
    EXPECT_EQ(plan.steps[0].node.op, Op::logic_and);
    EXPECT_EQ(plan.steps[0].out, plan.rules[0].root);
    // In slot order: a = true, not a, n >= 3, 5 > n.
    ASSERT_EQ(plan.range_tests.size(), 4u);
    ASSERT_EQ(plan.index_tests.size(), 1u);
    ASSERT_EQ(plan.bit_tests.size(), 1u);
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_EQ(plan.range_tests[0].lo, 1);
    EXPECT_EQ(plan.range_tests[0].hi, 1);
    EXPECT_EQ(plan.range_tests[1].lo, 0);  // `not a`: a is false
    EXPECT_EQ(plan.range_tests[1].hi, 0);
    EXPECT_EQ(plan.range_tests[2].lo, 3);
    EXPECT_EQ(plan.range_tests[2].hi, inf);
    // `5 > n` is read as `n < 5`: n at most the double below 5.
    EXPECT_EQ(plan.range_tests[3].lo, -inf);
    EXPECT_EQ(plan.range_tests[3].hi, std::nextafter(5.0, 0.0));
    for (std::size_t i = 0; i < plan.range_tests.size(); ++i) EXPECT_EQ(plan.range_tests[i].outside, false);
    EXPECT_EQ(plan.index_tests[0].bits, 0b101u);
    EXPECT_EQ(plan.bit_tests[0].bits, 0b10u);

    for (const char* json : {R"({"a": false, "n": 4, "k": "x", "s": ["y"]})", R"({"a": true, "n": 4, "k": "x", "s": ["y"]})",
                             R"({"n": 4, "k": "z", "s": ["y"]})", R"({"n": 9})", R"({"n": 5, "k": "y", "s": []})", "{}"}) {
        expect_every_value(pack, json);
    }
}

// Each of the six comparisons, with the fact on either side, at, below and
// above the constant, between two doubles, and unknown: the interval tests
// agree with evaluating every node.
TEST(Steps, EachComparisonKindAgreesWithEveryNode) {
    std::string source = "pack p version \"1.0.0\" \"t\"\nlevel low\nfact n : number\nfact d : date\nfact b : bool\n"
                         "fact k : one of {\"x\", \"y\", \"z\"}\n";
    const char* ops[] = {"=", "!=", "<", "<=", ">", ">="};
    int rule = 0;
    for (const char* op : ops) {
        for (const char* side : {"n %s 2.5", "2.5 %s n", "n %s 0", "d %s 2026-01-02", "2026-01-02 %s d"}) {
            char condition[64];
            std::snprintf(condition, sizeof condition, side, op);
            source += "rule r" + std::to_string(rule++) + " \"t\" when " + condition + "\n";
        }
    }
    for (const char* op : {"=", "!="}) {
        source += "rule r" + std::to_string(rule++) + " \"t\" when b " + op + " false\n";
        source += "rule r" + std::to_string(rule++) + " \"t\" when k " + op + " \"y\"\n";
    }
    source += "rule r" + std::to_string(rule++) + " \"t\" when not b\n";
    source += "rule r" + std::to_string(rule++) + " \"t\" when k in {\"x\", \"z\"}\n";
    const auto pack = bia_test::must_compile(source);
    const auto& plan = bia::detail::compiled(pack).plan;
    EXPECT_TRUE(plan.steps.empty()) << "every rule should be one test";
    for (const char* n : {"2.5", "2.4999999999999996", "2.5000000000000004", "-1", "-1.5", "0", "1e300", "-0.0", static_cast<const char*>(nullptr)}) {
        for (const char* d : {"2026-01-01", "2026-01-02", "2026-01-03", static_cast<const char*>(nullptr)}) {
            for (const char* b : {"true", "false", static_cast<const char*>(nullptr)}) {
                for (const char* k : {"\"x\"", "\"y\"", "\"z\"", static_cast<const char*>(nullptr)}) {
                    std::string json = "{";
                    auto add = [&](const char* key, const char* value, bool quote) {
                        if (!value) return;
                        if (json.size() > 1) json += ", ";
                        json += std::string("\"") + key + "\": " + (quote ? "\"" : "") + value + (quote ? "\"" : "");
                    };
                    add("n", n, false);
                    add("d", d, true);
                    add("b", b, false);
                    add("k", k, false);
                    json += "}";
                    expect_every_value(pack, json);
                }
            }
        }
    }
}

// The steps that compute numbers and dates without branching on known-ness
// (days, count, today, constants) and the ones that still evaluate as nodes
// (years, sums), with their operands known and unknown.
TEST(Steps, NumberStepsAgreeWithEveryNode) {
    const auto pack = bia_test::must_compile(R"(pack p version "1.0.0" "t"
level low
fact s : set of {"x", "y", "z"}
fact d : date
fact e : date
fact n : number
fact t : text
let age = years(d, today)
rule r1 "t" when count(s) >= 2 and days(d, e) > 3
rule r2 "t" when age < 18 or n + 1 > 2
rule r3 "t" when days(d, today) = n and t = "a" and count(s) = n
)");
    expect_runs_in_order(bia::detail::compiled(pack).plan);
    for (const char* json : {"{}", R"({"s": [], "d": "2010-02-28", "e": "2010-03-05", "n": 2, "t": "a"})",
                             R"({"s": ["x", "z"], "d": "2008-02-29"})", R"({"e": "2020-01-01", "n": 0, "t": "b"})",
                             R"({"s": ["x", "y", "z"], "d": "1969-12-31", "e": "1969-12-31", "n": 3})"}) {
        expect_every_value(pack, json);
    }
}

TEST(Steps, OperandsThatAreNotTestsKeepTheirSteps) {
    const auto pack = bia_test::must_compile(R"(pack p version "1.0.0" "t"
level low
fact a : bool
fact b : number
fact c : number
rule r "t" when a = true and b + c > 3
)");
    const auto& plan = bia::detail::compiled(pack).plan;
    // `a = true` is a test; the sum, its comparison and the `and` are steps, in plan order.
    ASSERT_EQ(plan.range_tests.size(), 1u);
    const auto& last = plan.steps.back();
    EXPECT_EQ(last.node.op, Op::logic_and);
    EXPECT_EQ(last.out, plan.rules[0].root);
    EXPECT_EQ(plan.steps[plan.steps.size() - 2].node.op, Op::gt);
    for (const char* json : {R"({"a": false})", R"({"a": true, "b": 1, "c": 5})", R"({"a": true, "b": 1})",
                             R"({"b": 1, "c": 1})", "{}"}) {
        expect_every_value(pack, json);
    }
}

// No short-circuit: an operand that decides its `and` does not spare the
// others, so every node with a step has its value whatever the case.
TEST(Steps, EveryStepRunsWhatACaseDecides) {
    const auto pack = bia_test::must_compile(R"(pack p version "1.0.0" "t"
level low
fact a : bool
fact b : bool
fact c : bool
rule r "t" when a = true and (b = true or c = true)
)");
    for (const char* json : {R"({"a": false})", R"({"a": false, "b": true})", R"({"c": true})", R"({"b": false, "c": false})",
                             "{}"}) {
        expect_every_value(pack, json);
    }
    const auto& plan = bia::detail::compiled(pack).plan;
    const auto bound = bind_case(pack, R"({"c": true})");
    bia::eval::Scratch walk;
    bia::eval::CaseRun run;
    const auto values = pass(plan, bound, 0, run);
    EXPECT_FALSE(bia::eval::known_node(values, plan.rules[0].root));
    EXPECT_EQ(missing_of(pack, values, plan.rules[0].root, walk), (std::vector<std::string>{"a"}));
}

// A test whose value only `and`/`or`/`not` and results read leaves its truth
// words alone; one that another kind of step reads has a column of values too,
// in the one-case layout as in the block's. missing_facts reads either, after
// the pass over the plan as after the pass over every node.
TEST(Steps, TestsWhoseValueOnlyLogicReadsHaveNoColumn) {
    const auto pack = bia_test::must_compile(R"(pack p version "1.0.0" "t"
level low
fact a : bool
fact b : bool
fact n : number
rule r1 "t" when a = true and (n > 3 or not b)
rule r2 "t" when n > 3
rule r3 "t" when (a = false) = (b = true)
)");
    const auto& plan = bia::detail::compiled(pack).plan;
    ASSERT_EQ(plan.range_tests.size(), 6u);
    for (const auto* layout : {&plan.single, &plan.block}) {
        std::size_t with_column = 0;
        for (const auto& t : plan.range_tests) with_column += layout->column[t.out] != bia::compiler::none;
        EXPECT_EQ(with_column, 2u);  // r3's two, read by `=`; r1's three and r2's root are truth words only
    }
    for (const char* json : {"{}", R"({"a": true})", R"({"a": true, "b": true})", R"({"n": 5, "b": false})"}) {
        expect_every_value(pack, json);
        const auto bound = bind_case(pack, json);
        const auto every_plan = bia::compiler::with_every_node(plan);
        bia::eval::Scratch walk_steps, walk_every;
        bia::eval::CaseRun steps_run, every_run;
        const auto steps = pass(plan, bound, 0, steps_run);
        const auto every = pass(every_plan, bound, 0, every_run);
        for (const auto& rule : plan.rules) {
            if (bia::eval::known_node(every, rule.root)) continue;
            EXPECT_EQ(missing_of(pack, steps, rule.root, walk_steps),
                      missing_of(pack, every_plan, every, rule.root, walk_every))
                << json;
        }
    }
}

// A let read by a step is read from the let's node: the let reference gets no
// copy step, unless a rule's condition is the let itself (results read it).
TEST(Steps, LetsAreResolvedAtCompileTime) {
    const auto pack = bia_test::must_compile(R"(pack p version "1.0.0" "t"
level low
fact a : bool
fact b : bool
fact c : bool
fact n : number
let either = a = true or b = true
let amount = n
let alias = either
rule r1 "t" when either and c = true
rule r2 "t" when amount > 3 and alias
rule r3 "t" when alias
)");
    const auto& plan = bia::detail::compiled(pack).plan;
    std::uint32_t either = bia::compiler::none;
    for (std::uint32_t i = 0; i < plan.nodes.size(); ++i) {
        if (plan.nodes[i].op == Op::logic_or) either = i;
    }
    ASSERT_NE(either, bia::compiler::none);
    std::size_t copies = 0;
    for (const auto& s : plan.steps) {
        if (s.node.op == Op::let_ref) {
            ++copies;
            EXPECT_EQ(s.out, plan.rules[2].root);  // r3's condition is the let reference
            EXPECT_EQ(s.node.a, either);           // read through `alias` to `either`
        }
        if (s.node.op == Op::logic_and) {
            // Both `and`s read `either` itself, through `alias` too.
            const auto* operands = plan.step_operands.data() + s.node.a;
            EXPECT_TRUE(operands[0] == either || operands[1] == either);
        }
    }
    EXPECT_EQ(copies, 1u);
    expect_runs_in_order(plan);
    // `amount > 3` reads n's slot through the let.
    bool count_test = false;
    for (const auto& t : plan.range_tests) count_test |= t.slot == 3 && t.lo == std::nextafter(3.0, 4.0);
    EXPECT_TRUE(count_test);

    const auto every_plan = bia::compiler::with_every_node(plan);
    bia::eval::Scratch walk;
    for (const char* json : {R"({"a": true, "c": true, "n": 4})", R"({"a": false, "b": false, "c": true})", R"({"c": true})",
                             R"({"n": 1})", R"({"b": true})", "{}"}) {
        expect_every_value(pack, json);
        const auto bound = bind_case(pack, json);
        bia::eval::Scratch walk_every;
        bia::eval::CaseRun steps_run, every_run;
        const auto steps = pass(plan, bound, 0, steps_run);
        const auto every = pass(every_plan, bound, 0, every_run);
        bia::eval::next_case(walk);
        for (const auto& rule : plan.rules) {
            if (bia::eval::known_node(steps, rule.root)) continue;
            EXPECT_EQ(missing_of(pack, steps, rule.root, walk),
                      missing_of(pack, every_plan, every, rule.root, walk_every))
                << json;
        }
    }
    const auto bound = bind_case(pack, R"({"c": true})");
    bia::eval::CaseRun run;
    const auto steps = pass(plan, bound, 0, run);
    EXPECT_EQ(missing_of(pack, steps, plan.rules[1].root, walk), (std::vector<std::string>{"a", "b", "n"}));
}

// Rule outcomes, due-date anchors and missing facts from the steps equal those
// from every node's value, on the PROTECT pack and every training case with
// facts removed one at a time (so that many rules are undetermined).
TEST(Steps, AgreeWithEvaluatingEveryNodeOnThePROTECTPack) {
    auto loaded = bia::load(std::string(BIA_SOURCE_DIR) + "/rules/protect");
    ASSERT_TRUE(loaded.ok());
    const bia::Pack& pack = *loaded.pack;
    const auto& plan = bia::detail::compiled(pack).plan;
    EXPECT_LT(plan.steps.size(), plan.nodes.size());
    expect_runs_in_order(plan);
    const auto every_plan = bia::compiler::with_every_node(plan);
    expect_runs_in_order(every_plan);
    const std::int32_t today = bia_test::date("2026-03-01").days();
    std::size_t compared = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(BIA_SOURCE_DIR) + "/examples/cases")) {
        if (entry.path().extension() != ".json") continue;
        const auto whole = nlohmann::json::parse(bia_test::read_file(entry.path()));
        std::vector<nlohmann::json> variants{whole};
        for (const auto& [section, facts] : whole.items()) {
            if (!facts.is_object()) continue;
            nlohmann::json without = whole;
            without.erase(section);
            variants.push_back(without);
        }
        for (const auto& c : variants) {
            expect_every_value(pack, c.dump(), today);
            const auto bound = bind_case(pack, c.dump());
            bia::eval::Scratch walk_steps, walk_every;
            bia::eval::CaseRun steps_run, every_run;
            const auto steps = pass(plan, bound, today, steps_run);
            const auto every = pass(every_plan, bound, today, every_run);
            for (const auto& rule : plan.rules) {
                const auto a = bia::eval::node_value(steps, rule.root);
                const auto b = bia::eval::node_value(every, rule.root);
                ASSERT_EQ(a.known, b.known) << entry.path();
                if (a.known) {
                    ASSERT_EQ(a.num, b.num) << entry.path();
                }
                if (!a.known) {
                    EXPECT_EQ(missing_of(pack, steps, rule.root, walk_steps),
                              missing_of(pack, every_plan, every, rule.root, walk_every));
                }
                for (const auto& action : rule.actions) {
                    if (action.anchor == bia::compiler::none) continue;
                    const auto x = bia::eval::node_value(steps, action.anchor);
                    const auto y = bia::eval::node_value(every, action.anchor);
                    ASSERT_EQ(x.known, y.known);
                    if (x.known) {
                        EXPECT_EQ(x.num, y.num);
                    }
                }
                ++compared;
            }
        }
    }
    EXPECT_GT(compared, 1000u);
}

// Lets of lets shared by many rules: each let is listed once per case and the
// lists stay right from case to case with one scratch.
TEST(Steps, MissingFactsThroughSharedLetsAreRightFromCaseToCase) {
    const auto pack = bia_test::must_compile(R"(pack p version "1.0.0" "t"
level low
fact a : bool
fact b : bool
fact c : bool
fact d : bool
let inner = a or b
let outer = inner and c
rule r1 "t" when outer
rule r2 "t" when outer and d = true
rule r3 "t" when inner or d = true
)");
    const auto& plan = bia::detail::compiled(pack).plan;
    bia::eval::Scratch scratch;
    bia::eval::CaseRun run;
    auto missing = [&](const std::string& json, std::size_t rule) {
        const auto bound = bind_case(pack, json);
        const auto values = pass(plan, bound, 0, run);
        bia::eval::next_case(scratch);
        return missing_of(pack, values, plan.rules[rule].root, scratch);
    };
    using L = std::vector<std::string>;
    EXPECT_EQ(missing("{}", 0), (L{"a", "b", "c"}));
    EXPECT_EQ(missing("{}", 1), (L{"a", "b", "c", "d"}));
    EXPECT_EQ(missing(R"({"a": false})", 0), (L{"b", "c"}));
    EXPECT_EQ(missing(R"({"a": true})", 1), (L{"c", "d"}));
    EXPECT_EQ(missing(R"({"c": true, "d": false})", 2), (L{"a", "b"}));

    // A let reached twice in one rule: entered once, listed once, never a stale list.
    EXPECT_EQ(missing(R"({"a": false, "b": false, "d": true})", 0), L{});
    const auto twice = bia_test::must_compile(R"(pack p version "1.0.0" "t"
level low
fact a : bool
fact b : bool
fact c : bool
let inner = a or b
rule r1 "t" when (inner and c = true) or (c = false and inner)
rule r2 "t" when inner
)");
    bia::eval::Scratch reused;
    for (const char* json : {R"({"a": false})", R"({"b": false})", R"({"c": true})"}) {
        const auto bound = bind_case(twice, json);
        const auto values = pass(bia::detail::compiled(twice).plan, bound, 0, run);
        bia::eval::next_case(reused);
        bia::eval::Scratch fresh;
        for (const auto& rule : bia::detail::compiled(twice).plan.rules) {
            EXPECT_EQ(missing_of(twice, values, rule.root, reused), missing_of(twice, values, rule.root, fresh)) << json;
        }
    }

    // Within one case the second rule reads the lists the first one made.
    const auto bound = bind_case(pack, R"({"b": false})");
    const auto values = pass(plan, bound, 0, run);
    bia::eval::next_case(scratch);
    EXPECT_EQ(missing_of(pack, values, plan.rules[0].root, scratch), (L{"a", "c"}));
    EXPECT_EQ(missing_of(pack, values, plan.rules[1].root, scratch), (L{"a", "c", "d"}));
    EXPECT_EQ(missing_of(pack, values, plan.rules[2].root, scratch), (L{"a", "d"}));
}

// The walk's counters wrap after 2^32 walks or cases, which a long-running
// host reaches: the marks left by old walks must not hide nodes from new ones.
TEST(Steps, MissingFactsStayRightWhenTheWalkCountersWrap) {
    const auto pack = bia_test::must_compile(R"(pack p version "1.0.0" "t"
level low
fact a : bool
fact b : bool
let either = a or b
rule r "t" when either and a = true
)");
    const auto& plan = bia::detail::compiled(pack).plan;
    const auto bound = bind_case(pack, "{}");
    bia::eval::CaseRun run;
    const auto values = pass(plan, bound, 0, run);
    bia::eval::Scratch fresh;
    const auto expected = missing_of(pack, values, plan.rules[0].root, fresh);
    ASSERT_EQ(expected, (std::vector<std::string>{"a", "b"}));

    bia::eval::Scratch walk;
    (void)missing_of(pack, values, plan.rules[0].root, walk);  // sizes the marks
    for (std::uint32_t back = 0; back < 6; ++back) {
        walk.epoch = std::numeric_limits<std::uint32_t>::max() - back;
        walk.case_epoch = std::numeric_limits<std::uint32_t>::max() - back / 2;
        // Old marks that equal what the counters will reach after wrapping.
        std::fill(walk.marks.begin(), walk.marks.end(), 1u);
        walk.root_epoch = std::numeric_limits<std::uint32_t>::max() - back;
        std::fill(walk.let_epoch.begin(), walk.let_epoch.end(), 1u);
        std::fill(walk.let_seen.begin(), walk.let_seen.end(), 1u);
        std::fill(walk.fact_seen.begin(), walk.fact_seen.end(), 1u);
        walk.let_entries.clear();
        for (int k = 0; k < 3; ++k) {
            bia::eval::next_case(walk);
            EXPECT_EQ(missing_of(pack, values, plan.rules[0].root, walk), expected) << back << " " << k;
        }
    }
}

}  // namespace
