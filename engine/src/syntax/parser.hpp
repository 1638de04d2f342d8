// Parsing a pack's files into the AST, recovering at each top-level declaration.
#pragma once

#include "common/source.hpp"
#include "syntax/ast.hpp"

#include <bia/pack.hpp>

#include <vector>

namespace bia::syntax {

// Parses every file. Each top-level declaration is parsed on its own, so one
// mistake does not hide the next: problems go to `sink`, good items to the AST.
std::vector<File> parse_files(const std::vector<detail::SourceText>& sources, const Limits& limits,
                              detail::DiagnosticSink& sink);

}  // namespace bia::syntax
