// Text as a JSON string, written the one way bia writes it everywhere.
#pragma once

#include <bia/export.hpp>

#include <string>
#include <string_view>

namespace bia {

// Appends `text` to `out` as a JSON string in quotes: `"` and `\` escaped,
// control characters as \b \f \n \r \t or \u00xx, other characters as they are
// (UTF-8 is kept, not \u-escaped), and each ill-formed UTF-8 part replaced by
// one U+FFFD, so the output is always valid JSON. The same bytes as the result
// contract's strings (docs/result.md).
BIA_API void append_json_string(std::string& out, std::string_view text);

}  // namespace bia
