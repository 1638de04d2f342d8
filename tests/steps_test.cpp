// The step program evaluation runs (compile/steps.cpp, eval/evaluator.cpp):
// what it fuses and skips, that it agrees with evaluating every node, and the
// missing-facts walk's per-case lists of lets.
#include "compile/plan.hpp"
#include "eval/evaluator.hpp"
#include "eval/facts.hpp"

#include "test_util.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <string>
#include <vector>

namespace {

using bia::compiler::Op;
using bia::compiler::StepOp;

bia::eval::BoundCase bind_case(const bia::Pack& pack, const std::string& json) {
    bia::eval::BoundCase bound;
    bia::eval::bind_json_text(pack.compiled().plan, json, bia::eval::BindOptions{}, bound);
    EXPECT_TRUE(bound.errors.empty()) << bia_test::describe_errors(bound.errors);
    return bound;
}

std::vector<std::string> missing_of(const bia::Pack& pack, const bia::eval::BoundCase& bound,
                                    const bia::eval::Scratch& values, std::uint32_t root, bia::eval::Scratch& walk) {
    std::vector<std::uint32_t> slots;
    bia::eval::missing_facts(pack.compiled().plan, bound, values, root, slots, walk);
    std::vector<std::string> paths;
    for (auto s : slots) paths.push_back(pack.facts()[s].path);
    return paths;
}

// The first rule's value from the steps equals its value from every node.
void expect_same_outcome(const bia::Pack& pack, const char* json) {
    const auto& plan = pack.compiled().plan;
    const auto bound = bind_case(pack, json);
    bia::eval::Scratch steps, every;
    bia::eval::run_plan(plan, bound, 0, steps);
    bia::eval::run_every_node(plan, bound, 0, every);
    const auto root = plan.rules[0].root;
    EXPECT_EQ(steps.values[root].known, every.values[root].known) << json;
    EXPECT_EQ(steps.values[root].num, every.values[root].num) << json;
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
    const auto& plan = pack.compiled().plan;
    // The whole condition is one step: an `and` over six fused comparisons. No
    // fact or constant needs a step of its own.
    ASSERT_EQ(plan.steps.size(), 1u);
    EXPECT_EQ(plan.steps[0].op, StepOp::and_atoms);
    EXPECT_EQ(plan.steps[0].out, plan.rules[0].root);
    std::vector<StepOp> ops;
    for (std::uint32_t i = 0; i < plan.steps[0].count; ++i) ops.push_back(plan.atoms[plan.steps[0].first + i].op);
    EXPECT_EQ(ops, (std::vector<StepOp>{StepOp::eq_fact, StepOp::ge_fact, StepOp::lt_fact, StepOp::in_mask_fact,
                                        StepOp::in_bit_fact, StepOp::not_fact}));
    EXPECT_EQ(plan.atoms[plan.steps[0].first + 2].k, 5);  // `5 > n` is read as `n < 5`

    // Evaluated, it agrees with every node's value, and a false atom stops it.
    for (const char* json : {R"({"a": false, "n": 4, "k": "x", "s": ["y"]})", R"({"a": true, "n": 4, "k": "x", "s": ["y"]})",
                             R"({"n": 4, "k": "z", "s": ["y"]})", R"({"n": 9})", "{}"}) {
        expect_same_outcome(pack, json);
    }
}

TEST(Steps, OperandsThatAreNotFusedKeepTheirStepsAndJump) {
    const auto pack = bia_test::must_compile(R"(pack p version "1.0.0" "t"
level low
fact a : bool
fact b : number
fact c : number
rule r "t" when a = true and b + c > 3
)");
    const auto& plan = pack.compiled().plan;
    // First the fused comparison, as an early step that jumps past the `and`
    // when false; then the sum and its comparison; then the `and` itself.
    const auto& early = plan.steps.front();
    ASSERT_EQ(early.op, StepOp::and_atoms);
    ASSERT_EQ(early.count, 1u);
    EXPECT_EQ(plan.atoms[early.first].op, StepOp::eq_fact);
    EXPECT_EQ(early.out, plan.rules[0].root);
    EXPECT_EQ(early.jump, plan.steps.size() - 1);
    EXPECT_FALSE(early.jump_when);
    const auto& last = plan.steps.back();
    EXPECT_EQ(last.op, StepOp::node);
    EXPECT_EQ(plan.nodes[last.out].op, Op::logic_and);
    // The `>` over the sum is a step of its own that jumps past the `and` when false.
    const auto& gt = plan.steps[plan.steps.size() - 2];
    EXPECT_EQ(plan.nodes[gt.out].op, Op::gt);
    EXPECT_EQ(gt.jump, plan.steps.size() - 1);
    EXPECT_FALSE(gt.jump_when);
    for (const char* json : {R"({"a": false})", R"({"a": true, "b": 1, "c": 5})", R"({"a": true, "b": 1})",
                             R"({"b": 1, "c": 1})", "{}"}) {
        expect_same_outcome(pack, json);
    }
}

TEST(Steps, AFalseOperandDecidesItsAndWithoutTheRest) {
    const auto pack = bia_test::must_compile(R"(pack p version "1.0.0" "t"
level low
fact a : bool
fact b : bool
fact c : bool
rule r "t" when a = true and (b = true or c = true)
)");
    const auto& plan = pack.compiled().plan;
    const std::uint32_t root = plan.rules[0].root;
    bia::eval::Scratch scratch;
    // Poison every value: whatever run_plan skips keeps the poison.
    scratch.values.assign(plan.nodes.size(), bia::eval::Value::number(42));
    bia::eval::run_plan(plan, bind_case(pack, R"({"a": false})"), 0, scratch);
    EXPECT_TRUE(scratch.values[root].known);
    EXPECT_EQ(scratch.values[root].num, 0);
    // `a = true` is checked before the `or`, and decides: the `or` never runs.
    std::uint32_t or_node = bia::compiler::none;
    for (std::uint32_t i = 0; i < plan.nodes.size(); ++i) {
        if (plan.nodes[i].op == Op::logic_or) or_node = i;
    }
    ASSERT_NE(or_node, bia::compiler::none);
    EXPECT_EQ(scratch.values[or_node].num, 42) << "the `or` was evaluated";
    EXPECT_EQ(plan.steps.front().op, StepOp::and_atoms);
    EXPECT_EQ(plan.steps.front().out, root);

    // `a` unknown: no operand decides, so the `or` runs and `c` true decides it.
    bia::eval::run_plan(plan, bind_case(pack, R"({"c": true})"), 0, scratch);
    EXPECT_FALSE(scratch.values[root].known);
    bia::eval::Scratch walk;
    EXPECT_EQ(missing_of(pack, bind_case(pack, R"({"c": true})"), scratch, root, walk), (std::vector<std::string>{"a"}));
}

// Rule outcomes, due-date anchors and missing facts from the steps equal those
// from every node's value, on the PROTECT pack and every training case with
// facts removed one at a time (so that many rules are undetermined).
TEST(Steps, AgreeWithEvaluatingEveryNodeOnThePROTECTPack) {
    auto loaded = bia::load(std::string(BIA_SOURCE_DIR) + "/rules/protect");
    ASSERT_TRUE(loaded.ok());
    const bia::Pack& pack = *loaded.pack;
    const auto& plan = pack.compiled().plan;
    EXPECT_LT(plan.steps.size(), plan.nodes.size());
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
            const auto bound = bind_case(pack, c.dump());
            bia::eval::Scratch steps, every, walk_steps, walk_every;
            bia::eval::run_plan(plan, bound, today, steps);
            bia::eval::run_every_node(plan, bound, today, every);
            for (const auto& rule : plan.rules) {
                const auto& a = steps.values[rule.root];
                const auto& b = every.values[rule.root];
                ASSERT_EQ(a.known, b.known) << entry.path();
                if (a.known) {
                    ASSERT_EQ(a.num, b.num) << entry.path();
                }
                if (!a.known) {
                    EXPECT_EQ(missing_of(pack, bound, steps, rule.root, walk_steps),
                              missing_of(pack, bound, every, rule.root, walk_every));
                }
                for (const auto& action : rule.actions) {
                    if (action.anchor == bia::compiler::none) continue;
                    ASSERT_EQ(steps.values[action.anchor].known, every.values[action.anchor].known);
                    if (steps.values[action.anchor].known) {
                        EXPECT_EQ(steps.values[action.anchor].num, every.values[action.anchor].num);
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
    const auto& plan = pack.compiled().plan;
    bia::eval::Scratch scratch;
    auto missing = [&](const std::string& json, std::size_t rule) {
        const auto bound = bind_case(pack, json);
        bia::eval::run_plan(plan, bound, 0, scratch);
        bia::eval::next_case(scratch);
        return missing_of(pack, bound, scratch, plan.rules[rule].root, scratch);
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
        bia::eval::run_plan(twice.compiled().plan, bound, 0, reused);
        bia::eval::next_case(reused);
        bia::eval::Scratch fresh;
        for (const auto& rule : twice.compiled().plan.rules) {
            EXPECT_EQ(missing_of(twice, bound, reused, rule.root, reused),
                      missing_of(twice, bound, reused, rule.root, fresh)) << json;
        }
    }

    // Within one case the second rule reads the lists the first one made.
    const auto bound = bind_case(pack, R"({"b": false})");
    bia::eval::run_plan(plan, bound, 0, scratch);
    bia::eval::next_case(scratch);
    EXPECT_EQ(missing_of(pack, bound, scratch, plan.rules[0].root, scratch), (L{"a", "c"}));
    EXPECT_EQ(missing_of(pack, bound, scratch, plan.rules[1].root, scratch), (L{"a", "c", "d"}));
    EXPECT_EQ(missing_of(pack, bound, scratch, plan.rules[2].root, scratch), (L{"a", "d"}));
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
    const auto& plan = pack.compiled().plan;
    const auto bound = bind_case(pack, "{}");
    bia::eval::Scratch values;
    bia::eval::run_plan(plan, bound, 0, values);
    bia::eval::Scratch fresh;
    const auto expected = missing_of(pack, bound, values, plan.rules[0].root, fresh);
    ASSERT_EQ(expected, (std::vector<std::string>{"a", "b"}));

    bia::eval::Scratch walk;
    (void)missing_of(pack, bound, values, plan.rules[0].root, walk);  // sizes the marks
    for (std::uint32_t back = 0; back < 6; ++back) {
        walk.epoch = std::numeric_limits<std::uint32_t>::max() - back;
        walk.case_epoch = std::numeric_limits<std::uint32_t>::max() - back / 2;
        // Old marks that equal what the counters will reach after wrapping.
        std::fill(walk.marks.begin(), walk.marks.end(), 1u);
        std::fill(walk.let_epoch.begin(), walk.let_epoch.end(), 1u);
        for (auto& l : walk.let_missing) l.clear();
        for (int k = 0; k < 3; ++k) {
            bia::eval::next_case(walk);
            EXPECT_EQ(missing_of(pack, bound, values, plan.rules[0].root, walk), expected) << back << " " << k;
        }
    }
}

}  // namespace
