// bia::load: a pack's file, or the .bia files directly in its directory, read
// within max_source_bytes and compiled.
#include "api/internal.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace bia {
namespace {

using api::file_problem;

bool read_file(const std::filesystem::path& path, const std::string& shown, std::size_t limit, std::string& text,
               std::vector<Diagnostic>& problems) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        problems.push_back(file_problem(shown, "E0001", "cannot read the file: " + ec.message()));
        return false;
    }
    if (size > limit) {
        problems.push_back(file_problem(shown, "E0503",
                                        "the file is " + std::to_string(size) + " bytes, over the limit of " +
                                            std::to_string(limit) + " bytes (max_source_bytes)"));
        return false;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        problems.push_back(file_problem(shown, "E0001", "cannot open the file for reading"));
        return false;
    }
    text.assign(static_cast<std::size_t>(size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    if (in.gcount() != static_cast<std::streamsize>(size)) {
        problems.push_back(file_problem(shown, "E0001", "the file could not be read completely"));
        return false;
    }
    return true;
}

std::string file_kind(std::filesystem::file_type type) {
    switch (type) {
        case std::filesystem::file_type::directory: return "a directory";
        case std::filesystem::file_type::fifo: return "a fifo";
        case std::filesystem::file_type::socket: return "a socket";
        case std::filesystem::file_type::block: return "a block device";
        case std::filesystem::file_type::character: return "a character device";
        default: return "not a file";
    }
}

}  // namespace

CompileResult load(const std::filesystem::path& path, const Limits& limits) {
    CompileResult out;
    const std::string shown = path.string();
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
        out.diagnostics.push_back(file_problem(shown, "E0001", "cannot read the pack: no such file or directory"));
        return out;
    }
    std::vector<SourceFile> files;
    if (std::filesystem::is_directory(status)) {
        std::vector<std::string> names;
        for (std::filesystem::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            if (name.empty() || name[0] == '.' || it->path().extension() != ".bia") continue;
            // A .bia entry that cannot be read as a file is an error, never skipped: a
            // dangling symlink or a fifo would otherwise drop its rules without a word.
            std::error_code fec;
            const auto entry = it->status(fec);  // through symlinks
            if (!fec && std::filesystem::is_regular_file(entry)) {
                names.push_back(name);
                continue;
            }
            std::error_code lec;
            const bool link = it->is_symlink(lec);
            std::string why = fec ? (link ? "a symbolic link whose target cannot be read (" + fec.message() + ")"
                                          : "cannot read the file: " + fec.message())
                                  : "not a regular file (" + file_kind(entry.type()) + ")";
            out.diagnostics.push_back(file_problem((path / name).string(), "E0001", std::move(why)));
        }
        if (!out.diagnostics.empty()) {
            std::sort(out.diagnostics.begin(), out.diagnostics.end(),
                      [](const Diagnostic& a, const Diagnostic& b) { return a.path < b.path; });
            return out;
        }
        if (ec) {
            out.diagnostics.push_back(file_problem(shown, "E0001", "cannot list the directory: " + ec.message()));
            return out;
        }
        std::sort(names.begin(), names.end());  // byte order
        if (names.empty()) {
            out.diagnostics.push_back(file_problem(shown, "E0002", "the directory holds no .bia files"));
            return out;
        }
        // The limit is on the pack, so a directory over it is named with its sum, not
        // described by the one file that happened to cross it.
        std::uintmax_t sum = 0;
        for (const auto& name : names) {
            std::error_code sec;
            const auto size = std::filesystem::file_size(path / name, sec);
            if (!sec) sum += size;
        }
        if (sum > limits.max_source_bytes) {
            out.diagnostics.push_back(file_problem(
                shown, "E0503",
                "the pack directory's " + std::to_string(names.size()) + " .bia files are " + std::to_string(sum) +
                    " bytes together, over the limit of " + std::to_string(limits.max_source_bytes) +
                    " bytes (max_source_bytes)"));
            return out;
        }
        std::size_t total = 0;
        for (const auto& name : names) {
            std::string text;
            const std::string file_shown = (path / name).string();
            if (!read_file(path / name, file_shown, limits.max_source_bytes - std::min(total, limits.max_source_bytes),
                           text, out.diagnostics)) {
                return out;
            }
            total += text.size();
            files.push_back(SourceFile{file_shown, std::move(text)});
        }
        return api::compile_files(std::move(files), shown, limits);
    }
    std::string text;
    if (!read_file(path, shown, limits.max_source_bytes, text, out.diagnostics)) return out;
    files.push_back(SourceFile{shown, std::move(text)});
    return api::compile_files(std::move(files), shown, limits);
}

}  // namespace bia
