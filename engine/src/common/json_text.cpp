// bia::append_json_string, for the bindings (Python, the C API) and the engine's own strings.
#include <bia/json_text.hpp>

#include "common/json_text.hpp"

namespace bia {

void append_json_string(std::string& out, std::string_view text) {
    out.reserve(out.size() + text.size() + 2);
    detail::write_json_string(text, [&out](const char* data, std::size_t size) { out.append(data, size); });
}

}  // namespace bia
