// Whole single-case evaluations, for counting their instructions under callgrind: a figure
// that the machine's load cannot move, so before/after comparisons hold on a busy machine.
//
//   bia_bench_instructions PACK CASES.jsonl ROUNDS
//
// Binds every case once, then runs eval::evaluate_case (the work of Pack::evaluate_into after
// binding: the pass, scores, levels, due dates, missing facts and the Result) ROUNDS times over
// all of them, and prints the number of rules fired (so both sides can be checked to agree).
// Instructions of one evaluation: run it under
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null bia_bench_instructions P C 0
// and again with 2 rounds; the difference of the two "Collected" counts over 2 x cases.
#include <bia/bia.hpp>

#include "compile/plan.hpp"
#include "eval/evaluator.hpp"
#include "eval/facts.hpp"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fputs("usage: bia_bench_instructions PACK CASES.jsonl ROUNDS\n", stderr);
        return 2;
    }
    auto compiled = bia::load(argv[1]);
    if (!compiled.ok()) {
        std::fputs(bia::format_diagnostics(compiled.diagnostics).c_str(), stderr);
        return 2;
    }
    const bia::Pack pack = std::move(*compiled.pack);
    const auto& cp = bia::detail::compiled(pack);
    std::ifstream in(argv[2]);
    std::vector<bia::eval::BoundCase> bound;
    for (std::string line; std::getline(in, line);) {
        bia::eval::BoundCase& b = bound.emplace_back();
        bia::eval::bind_json_text(cp.plan, line, bia::eval::BindOptions{}, b);
    }
    const int rounds = std::stoi(argv[3]);
    const bia::Date as_of = *bia::Date::parse("2026-03-01");
    bia::eval::Scratch scratch;
    bia::Result result;
    std::size_t fired = 0;
    for (int k = 0; k < rounds; ++k) {
        for (const auto& b : bound) {
            if (!b.errors.empty()) continue;
            if (bia::eval::evaluate_case(cp, b, as_of, scratch, result)) fired += result.fired.size();
        }
    }
    std::printf("%zu\n", fired);
}
