// Checks, case by case, that the fast paths change nothing: binding JSON text
// (the one-pass fast binder) gives the same result as binding the parsed
// value (always the nlohmann path), and the compact writer gives the same bytes
// as nlohmann's compact dump of the contract built independently
// (fuzz/result_oracle.hpp), and render_json the same as its dump(2);
// and Pack::evaluate_batch (64 cases in one pass of the plan) gives each case
// what it gets alone. Exits 1 at the first difference.
//   bia_check_paths PACK CASES.jsonl AS_OF [MAX_CASES]
#include <bia/bia.hpp>

#include "result_oracle.hpp"

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
    // Lines waiting for evaluate_batch, with what each gave alone: its result
    // line, or its fact errors.
    std::vector<std::string> pending, alone;
    auto check_batch = [&] {
        std::vector<bia::BatchCase> cases(pending.size());
        bia::Result result;
        std::vector<bia::FactError> errors;
        for (std::size_t i = 0; i < pending.size(); ++i) cases[i] = {pending[i], &result, nullptr, &errors};
        bool same = true;
        pack.evaluate_batch(cases, options, [&](std::size_t i) {
            const std::string got = cases[i].evaluated ? bia::render_json_line(result) : bia::to_json(errors).dump();
            if (same && got != alone[i]) {
                std::cerr << "line " << n - pending.size() + i + 1 << ": evaluate_batch differs from the case alone\n";
                same = false;
            }
        });
        pending.clear();
        alone.clear();
        return same;
    };
    while ((max < 0 || n < max) && std::getline(in, line)) {
        ++n;
        const auto fast = pack.evaluate(std::string_view(line), options);
        pending.push_back(line);
        alone.push_back(fast.ok() ? bia::render_json_line(*fast.result) : bia::to_json(fast.errors).dump());
        if (pending.size() == 1000 && !check_batch()) return 1;
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
        const std::string b = bia::fuzz::reference_json(*slow.result).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
        const std::string c = bia::render_json_line(reused);
        if (a != b || a != c) {
            std::cerr << "line " << n << ": different results\n" << a << b << c;
            return 1;
        }
        const std::string pretty = bia::fuzz::reference_json(*slow.result).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
        if (bia::render_json(*fast.result) != pretty) {
            std::cerr << "line " << n << ": render_json differs from nlohmann's dump(2)\n";
            return 1;
        }
    }
    if (!check_batch()) return 1;
    std::cout << "bia_check_paths: " << n << " cases, " << errors << " with fact errors: fast paths identical\n";
    return 0;
}
