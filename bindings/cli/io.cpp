// File and standard-input reading for the command line.
#include "io.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

namespace bia::cli {

std::optional<std::string> read_input(const std::string& path, std::size_t limit, std::string& problem,
                                      const char* limit_name) {
    std::string data;
    std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
    if (!f) {
        problem = std::string("cannot read: ") + std::strerror(errno);
        return std::nullopt;
    }
    char buf[1 << 16];
    while (true) {
        const std::size_t n = std::fread(buf, 1, sizeof buf, f);
        if (n == 0) break;
        if (data.size() + n > limit) {
            // Named as in bia::Limits, like the library's own limit errors.
            problem = "is larger than the limit of " + std::to_string(limit) + " bytes (" + limit_name + ")";
            if (f != stdin) std::fclose(f);
            return std::nullopt;
        }
        data.append(buf, n);
    }
    const bool failed = std::ferror(f) != 0;
    const int err = errno;
    if (f != stdin) std::fclose(f);
    if (failed) {
        problem = std::string("cannot read: ") + std::strerror(err);
        return std::nullopt;
    }
    return data;
}

}  // namespace bia::cli
