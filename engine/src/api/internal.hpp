// What the files of the public entry points share (engine/src/api/): the
// pack's compilation from its sources, and each thread's evaluation memory.
#pragma once

#include <bia/pack.hpp>

#include "compile/plan.hpp"
#include "eval/evaluator.hpp"
#include "eval/facts.hpp"

#include <string>
#include <vector>

namespace bia::api {

// A problem with a file or a pack as a whole, with no position in its text.
Diagnostic file_problem(const std::string& path, std::string code, std::string message);

// The stages from source text to a compiled pack (api/compile.cpp).
CompileResult compile_files(std::vector<SourceFile> files, std::string origin, const Limits& limits);

// This thread's working memory of single-case evaluation, reused case after case.
eval::Scratch& thread_scratch();
eval::BoundCase& thread_case();

// Results list warnings by path.
void sort_warnings(eval::BoundCase& bound);

// The case id's JSON text, when the options ask for one (EvalOptions::id_field).
std::string id_text(const eval::BoundCase& bound);
void set_id(Result& result, const eval::BoundCase& bound, const EvalOptions& options);

eval::BindOptions bind_options(const detail::CompiledPack& pack, const EvalOptions& options);

}  // namespace bia::api
