// Whole single-case evaluations, for counting their instructions under callgrind: a figure
// that the machine's load cannot move, so before/after comparisons hold on a busy machine.
//
//   bia_bench_instructions PACK CASES.jsonl ROUNDS [single|summary|result]
//
// single (the default): binds every case once, then runs eval::evaluate_case (the work of
// Pack::evaluate_into after binding: the pass, scores, levels, due dates, missing facts and the
// Result) ROUNDS times over all of them. summary, result: the block path instead, through the
// public Pack::evaluate_batch alone (binding included; what `bia batch` and Python's evaluate_many
// run), so that the same source builds against an older engine for a before/after count.
// Prints the number of rules fired (so both sides can be checked to agree).
// Instructions of one evaluation: run it under
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null bia_bench_instructions P C 0 [MODE]
// and again with 2 rounds; the difference of the two "Collected" counts over 2 x cases.
#include <bia/bia.hpp>

#include "compile/plan.hpp"
#include "eval/evaluator.hpp"
#include "eval/facts.hpp"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace {

// The block path: every case's JSON text through Pack::evaluate_batch, `rounds` times.
int batch(const bia::Pack& pack, const char* path, int rounds, bool results) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::vector<bia::Summary> summaries(lines.size());
    std::vector<bia::Result> out(lines.size());
    std::vector<bia::BatchCase> cases(lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        cases[i].json = lines[i];
        if (results) cases[i].result = &out[i];
        else cases[i].summary = &summaries[i];
    }
    bia::EvalOptions options;
    options.as_of = bia::Date::parse("2026-03-01");
    std::size_t fired = 0;
    for (int k = 0; k < rounds; ++k) {
        pack.evaluate_batch(cases, options);
        for (std::size_t i = 0; i < lines.size(); ++i) fired += results ? out[i].fired.size() : summaries[i].fired.size();
    }
    std::printf("%zu\n", fired);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4 && argc != 5) {
        std::fputs("usage: bia_bench_instructions PACK CASES.jsonl ROUNDS [single|summary|result]\n", stderr);
        return 2;
    }
    auto compiled = bia::load(argv[1]);
    if (!compiled.ok()) {
        std::fputs(bia::format_diagnostics(compiled.diagnostics).c_str(), stderr);
        return 2;
    }
    const bia::Pack pack = std::move(*compiled.pack);
    const std::string mode = argc == 5 ? argv[4] : "single";
    if (mode != "single") return batch(pack, argv[2], std::stoi(argv[3]), mode == "result");
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
