// Building the immutable evaluation plan from a checked program.
#pragma once

#include "check/program.hpp"
#include "compile/plan.hpp"

namespace bia::compiler {

// Fills `plan` from a program that checked without errors.
void build_plan(const check::Program& program, Plan& plan);

}  // namespace bia::compiler
