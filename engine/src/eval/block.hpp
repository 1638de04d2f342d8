// Evaluation of many cases at once: up to 64 bound cases' facts side by side
// in a FactBlock, and one pass of the plan over all of them that leaves each
// node's truth as two words, a bit per case (see compiler::BlockLayout).
// Kleene's `and`, `or` and `not` then cost one word operation for 64 cases,
// and the test of a bool fact a few; the tests of numbers, dates, indexes and
// sets and the other steps run a short loop over the cases, with the meaning
// of each operation taken from the one-case evaluator (eval/semantics.hpp).
// For every node, run_block gives each case the truth run_plan gives it alone
// (tests/property_test.cpp checks that on generated packs and on PROTECT).
#pragma once

#include "compile/plan.hpp"
#include "eval/evaluator.hpp"
#include "eval/facts.hpp"

#include <cstdint>
#include <vector>

namespace bia::eval {

using compiler::block_lanes;

struct FactBlock {
    std::vector<std::uint64_t> words;  // plan.block.words
    std::uint32_t lanes = 0;           // the cases in the block, lanes [0, lanes)
};

// Empties `block` for cases of `plan`.
void start_block(const compiler::Plan& plan, FactBlock& block);
// Adds the bound case as the block's next lane; the block must have fewer than
// block_lanes. A text fact points into the case's arena, so the case must
// outlive the block's evaluation.
void add_to_block(const compiler::Plan& plan, const BoundCase& facts, FactBlock& block);

// Per-thread working memory of run_block, reused block after block.
struct BlockScratch {
    std::vector<std::uint64_t> holds, fails;  // by node: the lanes it is true for, false for
    std::vector<std::uint64_t> columns;       // plan.block.columns words
};

// Runs the plan's tests and steps for every case of the block. Afterwards each
// node that has a test or a step (rule roots included) is true for the lanes
// of scratch.holds[node], false for scratch.fails[node] and unknown for the
// rest; a node with a column holds each lane's value there too.
void run_block(const compiler::Plan& plan, const FactBlock& block, std::int32_t as_of_days, BlockScratch& scratch);

// Where lane `lane`'s node values are after run_block on `facts`, for the
// readers of one case's values (summarize_case_values, evaluate_case_values,
// missing_facts).
inline CaseValues lane_values(const BlockScratch& block, const FactBlock& facts, std::uint32_t lane) {
    CaseValues v;
    v.holds = block.holds.data();
    v.fails = block.fails.data();
    v.columns = block.columns.data();
    v.facts = facts.words.data();
    v.lane = lane;
    return v;
}

}  // namespace bia::eval
