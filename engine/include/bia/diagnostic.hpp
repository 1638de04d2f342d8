// Problems found in a pack's source, as values with positions.
#pragma once

#include <bia/export.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace bia {

struct BIA_API Diagnostic {
    // Stable code a user can look up in docs/language.md, e.g. "E0201".
    std::string code;
    // The file the problem is in, printed as it was given.
    std::string path;
    // 1-based; the column counts Unicode code points.
    std::uint32_t line = 1;
    std::uint32_t column = 1;
    std::string message;
    // The text of the offending line (without its newline), for the caret display.
    std::string source_line;

    // "path:line:column: error: message", then the source line and a caret.
    std::string format() const;
};

// All diagnostics formatted one after the other, each ending in a newline.
BIA_API std::string format_diagnostics(const std::vector<Diagnostic>& diagnostics);

}  // namespace bia
