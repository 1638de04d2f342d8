// Per-case evaluation on pre-bound facts: bia's plan against the hand-written
// checklist (handwritten.hpp), with Google Benchmark.
//   bia_bench_eval CHECKLIST_PACK COHORT.jsonl N_CASES AS_OF [benchmark flags]
// First checks, on every case, that bia fires exactly the rules the hand-written
// code fires; a mismatch stops the run before any timing.
#include "handwritten.hpp"

#include <bia/bia.hpp>

#include "compile/plan.hpp"
#include "eval/block.hpp"
#include "eval/evaluator.hpp"
#include "eval/facts.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

struct Data {
    std::optional<bia::Pack> pack;
    std::vector<bia::eval::BoundCase> bound;
    std::vector<bia::eval::FactBlock> blocks;  // the same cases, 64 to a block
    std::vector<handwritten::Facts> facts;
    std::vector<std::uint32_t> rule_of_bit;  // plan rule index for each checklist bit
    bia::Date as_of;
};

Data data;

std::uint64_t bia_fired(const bia::compiler::Plan& plan, const bia::eval::CaseRun& run) {
    std::uint64_t bits = 0;
    const bia::eval::CaseValues values = bia::eval::case_values(plan, run);
    for (std::size_t b = 0; b < data.rule_of_bit.size(); ++b) {
        const auto v = bia::eval::node_value(values, plan.rules[data.rule_of_bit[b]].root);
        if (v.known && v.num != 0) bits |= 1ull << b;
    }
    return bits;
}

// Each case's fired rules from a block's evaluation, one bit per checklist rule.
void block_fired(const bia::compiler::Plan& plan, const bia::eval::BlockScratch& s, std::uint32_t lanes,
                 std::uint64_t* fired) {
    std::fill(fired, fired + lanes, 0);
    for (std::size_t b = 0; b < data.rule_of_bit.size(); ++b) {
        for (std::uint64_t w = s.holds[plan.rules[data.rule_of_bit[b]].root]; w != 0; w &= w - 1) {
            fired[std::countr_zero(w)] |= 1ull << b;
        }
    }
}

void BM_handwritten(benchmark::State& state) {
    std::size_t i = 0;
    const std::size_t n = data.facts.size();
    for (auto _ : state) {
        benchmark::DoNotOptimize(handwritten::evaluate(data.facts[i]));
        if (++i == n) i = 0;
    }
    state.SetItemsProcessed(state.iterations());
}

// The plan's one pass for one case (run_case: the bound case's facts into a
// one-lane block, then the pass), then the fired rules read off it.
void BM_bia_plan(benchmark::State& state) {
    const auto& pack = bia::detail::compiled(*data.pack);
    bia::eval::CaseRun run;
    std::size_t i = 0;
    const std::size_t n = data.bound.size();
    for (auto _ : state) {
        bia::eval::run_case(pack.plan, data.bound[i], data.as_of.days(), run);
        benchmark::DoNotOptimize(bia_fired(pack.plan, run));
        if (++i == n) i = 0;
    }
    state.SetItemsProcessed(state.iterations());
}

// The plan's pass over 64 cases at once (eval/block.hpp, what
// Pack::evaluate_batch runs), from blocks filled beforehand, then each case's fired rules.
void BM_bia_block(benchmark::State& state) {
    const auto& plan = bia::detail::compiled(*data.pack).plan;
    bia::eval::BlockScratch scratch;
    std::uint64_t fired[bia::eval::block_lanes];
    std::size_t i = 0, cases = 0;
    for (auto _ : state) {
        const bia::eval::FactBlock& block = data.blocks[i];
        bia::eval::run_block(plan, block, data.as_of.days(), scratch);
        block_fired(plan, scratch, block.lanes, fired);
        benchmark::DoNotOptimize(fired);
        cases += block.lanes;
        if (++i == data.blocks.size()) i = 0;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(cases));
}

// The same from the bound cases: each block filled from 64 BoundCases first.
void BM_bia_block_from_bound(benchmark::State& state) {
    const auto& plan = bia::detail::compiled(*data.pack).plan;
    bia::eval::BlockScratch scratch;
    bia::eval::FactBlock block;
    std::uint64_t fired[bia::eval::block_lanes];
    std::size_t i = 0, cases = 0;
    const std::size_t n = data.bound.size();
    for (auto _ : state) {
        bia::eval::start_block(plan, block);
        for (std::uint32_t k = 0; k < bia::eval::block_lanes && i < n; ++k) bia::eval::add_to_block(plan, data.bound[i++], block);
        bia::eval::run_block(plan, block, data.as_of.days(), scratch);
        block_fired(plan, scratch, block.lanes, fired);
        benchmark::DoNotOptimize(fired);
        cases += block.lanes;
        if (i == n) i = 0;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(cases));
}

// The whole evaluation: the plan, scores, levels, due dates, undetermined rules
// and missing facts, into a reused Result (what `bia batch` does per case).
void BM_bia_evaluate(benchmark::State& state) {
    const auto& pack = bia::detail::compiled(*data.pack);
    bia::eval::Scratch scratch;
    bia::Result result;
    std::size_t i = 0;
    const std::size_t n = data.bound.size();
    for (auto _ : state) {
        if (!bia::eval::evaluate_case(pack, data.bound[i], data.as_of, scratch, result)) state.SkipWithError("over max_result_bytes");
        benchmark::DoNotOptimize(result.fired.data());
        if (++i == n) i = 0;
    }
    state.SetItemsProcessed(state.iterations());
}

// The whole evaluation 64 cases at a time, as Pack::evaluate_batch does it:
// the block's pass, then each case's result from its lane.
void BM_bia_evaluate_block(benchmark::State& state) {
    const auto& pack = bia::detail::compiled(*data.pack);
    bia::eval::BlockScratch block_scratch;
    bia::eval::Scratch scratch;
    bia::Result result;
    std::size_t i = 0, cases = 0;
    for (auto _ : state) {
        const bia::eval::FactBlock& block = data.blocks[i];
        bia::eval::run_block(pack.plan, block, data.as_of.days(), block_scratch);
        for (std::uint32_t lane = 0; lane < block.lanes; ++lane) {
            if (!bia::eval::evaluate_case_values(pack, data.bound[i * bia::eval::block_lanes + lane], data.as_of,
                                                 bia::eval::lane_values(pack.plan, block_scratch, block, lane),
                                                 scratch, result))
                state.SkipWithError("over max_result_bytes");
            benchmark::DoNotOptimize(result.fired.data());
        }
        cases += block.lanes;
        if (++i == data.blocks.size()) i = 0;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(cases));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: bia_bench_eval CHECKLIST_PACK COHORT.jsonl N_CASES AS_OF [benchmark flags]\n");
        return 2;
    }
    auto compiled = bia::load(argv[1]);
    if (!compiled.ok()) {
        std::cerr << bia::format_diagnostics(compiled.diagnostics);
        return 1;
    }
    data.pack = std::move(compiled.pack);
    data.as_of = *bia::Date::parse(argv[4]);
    const std::size_t max_cases = std::stoul(argv[3]);
    const auto& pack = bia::detail::compiled(*data.pack);

    // The checklist's rule order (bench/checklist.py), as written in handwritten.hpp.
    static const char* names[] = {
        "views_not_heard", "views_heard_without_interpreter", "views_weighing_not_recorded", "identity_no_documents",
        "identity_background_not_respected", "identity_statelessness_risk", "family_tracing_endangers",
        "family_abroad_no_route", "family_reunification_unassessed", "family_siblings_apart", "family_no_contact",
        "family_escort_unrelated", "family_escort_unverified", "safety_no_accommodation", "safety_with_unrelated_adults",
        "safety_feels_unsafe", "vulnerability_child_marriage", "vulnerability_disability_unsupported",
        "vulnerability_young_parent_unsupported", "health_urgent_need", "health_distress_unsupported",
        "health_untreated_need", "health_no_access", "education_not_attending", "guardian_conflict", "guardian_not_met",
        "age_disputed_unresolved", "age_sexual_maturity_exam", "age_documents_disregarded", "age_placeholder_birth_date",
        "age_birth_date_missing", "detention_age_disputed", "indicator_debt", "indicator_controlling_adult",
        "trafficking_several_indicators", "trafficking_not_referred", "trafficking_unverified_adult", "missing_now",
        "missing_with_indicators", "missing_no_return_interview", "procedure_no_lawyer", "bip_decision_without_bia",
        "bip_bid_few_professions", "violence_punishment_in_care", "violence_no_barnahus", "care_no_plan"};
    for (const char* name : names) {
        const auto& rules = data.pack->rules();
        std::uint32_t found = UINT32_MAX;
        for (std::uint32_t r = 0; r < rules.size(); ++r) {
            if (rules[r].name == name) found = r;
        }
        if (found == UINT32_MAX) {
            std::cerr << "bia_bench_eval: rule " << name << " not in the pack\n";
            return 1;
        }
        data.rule_of_bit.push_back(found);
    }

    std::ifstream in(argv[2]);
    std::string line;
    while (data.bound.size() < max_cases && std::getline(in, line)) {
        bia::eval::BoundCase b;
        bia::eval::bind_json_text(pack.plan, line, bia::eval::BindOptions{}, b);
        if (!b.errors.empty()) {
            std::cerr << "bia_bench_eval: case " << data.bound.size() + 1 << " has fact errors\n";
            return 1;
        }
        data.bound.push_back(std::move(b));
        data.facts.push_back(handwritten::bind(nlohmann::json::parse(line)));
    }

    // Equivalence first: the same fired rules on every case, or no figures at all.
    bia::eval::CaseRun run;
    std::size_t fired_total = 0;
    for (std::size_t i = 0; i < data.bound.size(); ++i) {
        bia::eval::run_case(pack.plan, data.bound[i], data.as_of.days(), run);
        const std::uint64_t a = bia_fired(pack.plan, run), b = handwritten::evaluate(data.facts[i]);
        if (a != b) {
            std::cerr << "bia_bench_eval: MISMATCH on case " << i + 1 << ":";
            for (std::size_t k = 0; k < data.rule_of_bit.size(); ++k) {
                if (((a ^ b) >> k) & 1) std::cerr << " " << names[k] << (((a >> k) & 1) ? " (bia fired)" : " (hand-written fired)");
            }
            std::cerr << "\n";
            return 1;
        }
        fired_total += static_cast<std::size_t>(__builtin_popcountll(a));
    }

    // And the block evaluation, block by block.
    bia::eval::BlockScratch block_scratch;
    for (std::size_t first = 0; first < data.bound.size(); first += bia::eval::block_lanes) {
        bia::eval::FactBlock& block = data.blocks.emplace_back();
        bia::eval::start_block(pack.plan, block);
        for (std::size_t i = first; i < std::min(first + bia::eval::block_lanes, data.bound.size()); ++i) {
            bia::eval::add_to_block(pack.plan, data.bound[i], block);
        }
        bia::eval::run_block(pack.plan, block, data.as_of.days(), block_scratch);
        std::uint64_t fired[bia::eval::block_lanes];
        block_fired(pack.plan, block_scratch, block.lanes, fired);
        for (std::uint32_t lane = 0; lane < block.lanes; ++lane) {
            if (fired[lane] != handwritten::evaluate(data.facts[first + lane])) {
                std::cerr << "bia_bench_eval: MISMATCH of the block evaluation on case " << first + lane + 1 << "\n";
                return 1;
            }
        }
    }

    std::cerr << "bia_bench_eval: equivalence ok on " << data.bound.size() << " cases (" << fired_total
              << " rules fired), " << pack.plan.nodes.size() << " plan nodes, " << pack.plan.steps.size() << " steps\n";

    benchmark::RegisterBenchmark("handwritten", BM_handwritten);
    benchmark::RegisterBenchmark("bia_plan", BM_bia_plan);
    benchmark::RegisterBenchmark("bia_block", BM_bia_block);
    benchmark::RegisterBenchmark("bia_block_from_bound", BM_bia_block_from_bound);
    benchmark::RegisterBenchmark("bia_evaluate", BM_bia_evaluate);
    benchmark::RegisterBenchmark("bia_evaluate_block", BM_bia_evaluate_block);
    int bargc = argc - 4;
    std::vector<char*> bargv{argv[0]};
    for (int i = 5; i < argc; ++i) bargv.push_back(argv[i]);
    benchmark::Initialize(&bargc, bargv.data());
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
