// Name resolution and type checking of a parsed pack.
#pragma once

#include "check/program.hpp"
#include "common/source.hpp"
#include "syntax/ast.hpp"

#include <vector>

namespace bia::check {

// Checks the parsed files, reporting every problem to `sink`. The program
// points into `files`, which must outlive it. It is complete only when the
// sink holds no errors. When parsing already failed somewhere (`parsed_fully`
// false), whole-pack checks that a lost declaration would trip (no `pack`, no
// level) are skipped rather than reported as false cascades.
Program check_pack(const std::vector<syntax::File>& files, const std::vector<detail::SourceText>& sources,
                   detail::DiagnosticSink& sink, bool parsed_fully = true);

// How a type reads in a message: `bool`, `one of {"a", "b"}`, `a string`, ...
std::string describe(const Program& program, Type type);
// A fact's name in messages about its type: its path, or for a list's element's field the record's
// field (member.relation), which every element shares.
std::string type_owner(const Program& program, std::int32_t fact);

}  // namespace bia::check
