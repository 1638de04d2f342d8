// A C++ host: compiles a rule pack once, then evaluates case files against it.
//
//   bia_embed_cpp [--as-of YYYY-MM-DD] PACK CASE.json...
//
// For each case it prints "== <file name>" and the result JSON (or the fact
// errors) on stdout, and a one-line summary on stderr. Results never contain
// fact values, and neither does anything printed here.
#include <bia/bia.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::optional<std::string> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return std::move(text).str();
}

int usage() {
    std::cerr << "usage: bia_embed_cpp [--as-of YYYY-MM-DD] PACK CASE.json...\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    bia::EvalOptions options;
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--as-of") == 0 && i + 1 < argc) {
            options.as_of = bia::Date::parse(argv[++i]);
            if (!options.as_of) return usage();
        } else {
            args.emplace_back(argv[i]);
        }
    }
    if (args.size() < 2) return usage();

    // Compile once; the pack is immutable and may be shared by threads.
    bia::CompileResult compiled = bia::load(args[0]);
    if (!compiled.ok()) {
        std::cerr << bia::format_diagnostics(compiled.diagnostics);
        return 1;
    }
    const bia::Pack& pack = *compiled.pack;
    std::cerr << "pack " << pack.name() << " " << pack.version() << " (" << pack.digest()
              << "), bia " << bia::version() << "\n";

    int status = 0;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::filesystem::path path = args[i];
        const std::string name = path.filename().string();
        std::cout << "== " << name << "\n";
        auto text = read_file(path);
        if (!text) {
            std::cout << "error: cannot read the case file\n";
            status = 1;
            continue;
        }
        bia::Evaluation evaluation = pack.evaluate(*text, options);
        if (!evaluation.ok()) {
            // Each error names a field path and what was expected, never the value.
            std::cout << "error: fact error\n";
            for (const auto& error : evaluation.errors) {
                std::cout << "  " << error.path << ": " << error.message << "\n";
            }
            status = 1;
            continue;
        }
        const bia::Result& result = *evaluation.result;
        std::cout << bia::render_json(result);
        std::cerr << name << ": level " << result.level << " (possible " << result.possible_level
                  << "), " << result.fired.size() << " rule(s) fired, " << result.missing.size()
                  << " fact(s) missing\n";
    }
    return status;
}
