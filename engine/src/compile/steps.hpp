// Lowering the node plan to the steps evaluation runs.
#pragma once

#include "compile/plan.hpp"

namespace bia::compiler {

enum class StepsFor : std::uint8_t {
    evaluation,  // only what results need, fact tests fused (see RangeTest)
    every_node,  // a step for every node, so that each holds its value: for explanations
};

// Fills plan.steps, the tests and the layouts from plan.nodes, plan.rules and
// plan.slots (see Step).
// With `only`, nodes whose entry is 0 get no step (every_node only; the
// nodes kept must include every operand of each kept node).
void build_steps(Plan& plan, StepsFor purpose = StepsFor::evaluation, const std::vector<std::uint8_t>* only = nullptr);

// A copy of `plan` whose evaluation leaves every node's value (StepsFor::every_node).
Plan with_every_node(const Plan& plan);

// The same, with steps only for the nodes `root` depends on (its cone: its
// operands, through lets, down to the facts): what explaining the rule whose
// condition is `root` reads. A pass then costs the cone, not the pack.
Plan with_every_node(const Plan& plan, std::uint32_t root);

}  // namespace bia::compiler
