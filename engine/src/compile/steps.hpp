// Lowering the node plan to the steps evaluation runs.
#pragma once

#include "compile/plan.hpp"

namespace bia::compiler {

// Fills plan.steps from plan.nodes, plan.rules and plan.slots (see Step).
void build_steps(Plan& plan);

}  // namespace bia::compiler
