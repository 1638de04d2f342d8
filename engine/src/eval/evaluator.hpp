// The three-valued evaluator: one pass over the plan, then scoring and levels.
#pragma once

#include "compile/plan.hpp"
#include "eval/facts.hpp"
#include "eval/value.hpp"

#include <bia/result.hpp>

#include <vector>

namespace bia::eval {

// Per-thread working memory, reused across evaluations so the hot path does
// not allocate per node.
struct Scratch {
    std::vector<Value> values;
    std::vector<std::uint32_t> marks;
    std::uint32_t epoch = 0;
    std::vector<std::uint32_t> stack;
    // evaluate_case's working lists, kept between cases.
    std::vector<std::uint32_t> undetermined, list, order;
    std::vector<double> domain_scores;
    std::vector<std::int64_t> rank;
    // Result elements a shorter case left over, kept with their memory for the next.
    std::vector<FiredRule> spare_fired;
    std::vector<ActionDue> spare_actions;
    std::vector<DomainScore> spare_domains;
    std::vector<UndeterminedRule> spare_undetermined;
    std::vector<std::string> spare_strings;
};

// Computes every node's value for the bound case.
void run_plan(const compiler::Plan& plan, const BoundCase& facts, std::int32_t as_of_days, Scratch& scratch);

// The facts whose unknown value makes node `root` unknown, in declaration order:
// descends only into unknown sub-expressions, through lets, never into known().
void missing_facts(const compiler::Plan& plan, const Scratch& scratch, std::uint32_t root,
                   std::vector<std::uint32_t>& out, Scratch& walk);

// Evaluates the bound case and builds the result.
Result evaluate_case(const detail::CompiledPack& pack, const BoundCase& facts, Date as_of, Scratch& scratch);
// The same, into `r`: the strings and lists of a result reused case after case
// keep their memory, so a loop over many cases does not allocate per case.
void evaluate_case(const detail::CompiledPack& pack, const BoundCase& facts, Date as_of, Scratch& scratch, Result& r);

// The children of a node in the plan, for walks over the expression tree.
template <typename F>
void for_each_child(const compiler::Plan& plan, const compiler::Node& n, F&& f) {
    using compiler::Op;
    switch (n.op) {
        case Op::logic_not: case Op::negate: case Op::count: case Op::in_enum_mask: case Op::in_text_list:
        case Op::let_ref:
            f(n.a);
            break;
        case Op::in_bit: f(n.b); break;
        case Op::logic_and:
        case Op::logic_or:
            for (std::uint32_t i = 0; i < n.b; ++i) f(plan.operands[n.a + i]);
            break;
        case Op::add: case Op::sub: case Op::mul: case Op::div: case Op::lt: case Op::le: case Op::gt: case Op::ge:
        case Op::eq_num: case Op::ne_num: case Op::eq_text: case Op::ne_text: case Op::eq_enum_map:
        case Op::ne_enum_map: case Op::in_enum_set: case Op::in_text_set: case Op::years: case Op::days:
            f(n.a);
            f(n.b);
            break;
        case Op::constant: case Op::unknown: case Op::fact: case Op::today: case Op::known: break;
    }
}

}  // namespace bia::eval
