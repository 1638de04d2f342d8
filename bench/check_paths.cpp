// Checks, case by case, that the fast paths change nothing: binding JSON text
// (the one-pass fast binder) gives the same result as binding the parsed
// value (always the nlohmann path), and the compact writer gives the same bytes
// as nlohmann's compact dump of to_json, and render_json the same as its dump(2).
// Exits 1 at the first difference.
//   bia_check_paths PACK CASES.jsonl AS_OF [MAX_CASES]
#include <bia/bia.hpp>

#include <fstream>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    if (argc < 4) {
        std::cerr << "usage: bia_check_paths PACK CASES.jsonl AS_OF [MAX_CASES]\n";
        return 2;
    }
    auto compiled = bia::load(argv[1]);
    if (!compiled.ok()) {
        std::cerr << bia::format_diagnostics(compiled.diagnostics);
        return 1;
    }
    const bia::Pack& pack = *compiled.pack;
    bia::EvalOptions options;
    options.as_of = bia::Date::parse(argv[3]);
    const long max = argc > 4 ? std::stol(argv[4]) : -1;
    std::ifstream in(argv[2]);
    std::string line;
    long n = 0, errors = 0;
    bia::Result reused;
    std::vector<bia::FactError> reused_errors;
    while ((max < 0 || n < max) && std::getline(in, line)) {
        ++n;
        const auto fast = pack.evaluate(std::string_view(line), options);
        bia::Evaluation slow;
        try {
            slow = pack.evaluate(nlohmann::json::parse(line), options);
        } catch (const nlohmann::json::exception&) {
            if (fast.ok()) {
                std::cerr << "line " << n << ": nlohmann cannot parse a case bia evaluated\n";
                return 1;
            }
            ++errors;
            continue;
        }
        const bool into = pack.evaluate_into(line, options, reused, reused_errors);
        // A parsed value has lost duplicate keys, so it may pass where the text fails.
        if ((fast.ok() && !slow.ok()) || into != fast.ok()) {
            std::cerr << "line " << n << ": evaluated by one path and not the other\n";
            return 1;
        }
        if (!fast.ok()) {
            ++errors;
            if (bia::to_json(fast.errors) != bia::to_json(reused_errors)) {
                std::cerr << "line " << n << ": different fact errors\n";
                return 1;
            }
            continue;
        }
        const std::string a = bia::render_json_line(*fast.result);
        const std::string b = bia::to_json(*slow.result).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
        const std::string c = bia::render_json_line(reused);
        if (a != b || a != c) {
            std::cerr << "line " << n << ": different results\n" << a << b << c;
            return 1;
        }
        const std::string pretty = bia::to_json(*slow.result).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
        if (bia::render_json(*fast.result) != pretty) {
            std::cerr << "line " << n << ": render_json differs from nlohmann's dump(2)\n";
            return 1;
        }
    }
    std::cout << "bia_check_paths: " << n << " cases, " << errors << " with fact errors: fast paths identical\n";
    return 0;
}
