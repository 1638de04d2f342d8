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
void build_steps(Plan& plan, StepsFor purpose = StepsFor::evaluation);

// A copy of `plan` whose evaluation leaves every node's value (StepsFor::every_node).
Plan with_every_node(const Plan& plan);

}  // namespace bia::compiler
