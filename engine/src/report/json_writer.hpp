// The streaming writer behind render_json and render_json_line (json_writer.cpp).
#pragma once

#include <bia/result.hpp>

#include <string>

namespace bia::report {

// The two-space form of the result contract, byte for byte nlohmann's
// dump(2) of to_json(result) plus a newline, written without building it.
std::string render_json_pretty(const Result& result);

}  // namespace bia::report
