// Reading inputs for the command line: files or standard input, with size limits.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace bia::cli {

// Reads a whole file, or standard input for "-". On failure returns nothing
// and sets `problem` to a message that names the file but not its content;
// `limit_name` is the bia::Limits field the size limit stands for.
std::optional<std::string> read_input(const std::string& path, std::size_t limit, std::string& problem,
                                      const char* limit_name = "max_case_bytes");

}  // namespace bia::cli
