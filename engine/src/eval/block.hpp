// The one evaluation loop: a pass of the plan over cases side by side, each
// node's truth as two words with a bit per case (see compiler::BlockLayout).
// Kleene's `and`, `or` and `not` cost one word operation for all the cases,
// the test of a bool fact a few; the tests of numbers, dates, indexes and sets
// and the other steps run a short loop over the cases, with the meaning of
// each operation taken from lang/operations.hpp and eval/semantics.hpp.
//
// The same source runs 64 cases at a time (run_block: Pack::evaluate_batch,
// `bia batch`, Python's evaluate_many) and one case (run_case: evaluate,
// summaries, the C API, explain), instantiated for each lane count, so a case
// gets the same truth on every path by construction.
#pragma once

#include "compile/plan.hpp"
#include "eval/facts.hpp"
#include "eval/value.hpp"

#include <bit>
#include <cstdint>
#include <vector>

namespace bia::eval {

using compiler::block_lanes;
using compiler::BlockLayout;

struct FactBlock {
    std::vector<std::uint64_t> words;  // layout.words
    std::uint32_t lanes = 0;           // the cases in the block, lanes [0, lanes)
};

// Working memory of a pass, reused pass after pass.
struct BlockScratch {
    std::vector<std::uint64_t> holds, fails;  // by node: the lanes it is true for, false for
    std::vector<std::uint64_t> columns;       // layout.columns words
};

// Empties `block` for 64 cases of `plan`.
void start_block(const compiler::Plan& plan, FactBlock& block);
// Adds the bound case as the block's next lane; the block must have fewer than
// block_lanes. A text fact points into the case's arena, so the case must
// outlive the block's evaluation.
void add_to_block(const compiler::Plan& plan, const BoundCase& facts, FactBlock& block);

// Runs the plan's tests and steps for every case of the block (plan.block).
// Afterwards each node that has a test or a step (rule roots included) is true
// for the lanes of scratch.holds[node], false for scratch.fails[node] and
// unknown for the rest; a node with a column holds each lane's value there too.
void run_block(const compiler::Plan& plan, const FactBlock& block, std::int32_t as_of_days, BlockScratch& scratch);

// One case's run: its facts as a one-lane block (plan.single) and the pass's words.
struct CaseRun {
    FactBlock facts;
    BlockScratch values;
};

// Runs the plan for one bound case: the same pass as run_block, with one lane.
void run_case(const compiler::Plan& plan, const BoundCase& facts, std::int32_t as_of_days, CaseRun& run);

// Where one case's node values are after a pass: one lane of a block's
// columns and truth words. (Its readers below are always inlined: scoring a case calls them for
// every rule and action, and a call each cost PROTECT 3% of an evaluation when GCC stopped
// inlining them in a larger evaluator.cpp.) What scores a case (summarize_case_values,
// evaluate_case_values, missing_facts) reads them through known_node,
// known_fact and node_value.
struct CaseValues {
    const BlockLayout* layout = nullptr;
    const std::uint64_t* holds = nullptr;
    const std::uint64_t* fails = nullptr;
    const std::uint64_t* columns = nullptr;
    const std::uint64_t* facts = nullptr;  // the FactBlock's words
    std::uint32_t lane = 0;
};

// Lane `lane`'s values after run_block on `facts`.
inline CaseValues lane_values(const compiler::Plan& plan, const BlockScratch& scratch, const FactBlock& facts,
                              std::uint32_t lane) {
    return {&plan.block, scratch.holds.data(), scratch.fails.data(), scratch.columns.data(), facts.words.data(), lane};
}

// The case's values after run_case.
inline CaseValues case_values(const compiler::Plan& plan, const CaseRun& run) {
    return {&plan.single, run.values.holds.data(), run.values.fails.data(), run.values.columns.data(),
            run.facts.words.data(), 0};
}

// One case's Value from a column of `layout` (a fact's, or a node's): a known
// word, a word per case, and for text a length per case.
[[gnu::always_inline]] inline Value column_lane(const BlockLayout& layout, const std::uint64_t* column, std::uint32_t lane, bool text) {
    Value x;
    x.bits = column[1 + lane];
    x.known = (column[0] >> lane) & 1u;
    if (text) x.len = static_cast<std::uint32_t>(column[1 + layout.lanes + lane]);
    return x;
}

// Whether node `i`, which has a test or a step, is known.
[[gnu::always_inline]] inline bool known_node(const CaseValues& v, std::uint32_t i) {
    const std::uint32_t column = v.layout->column[i];
    if (column != compiler::none) return (v.columns[column] >> v.lane) & 1u;
    return ((v.holds[i] | v.fails[i]) >> v.lane) & 1u;
}

// Whether the fact in `slot`, which the plan reads, is known.
[[gnu::always_inline]] inline bool known_fact(const CaseValues& v, std::uint32_t slot) {
    return (v.facts[v.layout->slot_offset[slot]] >> v.lane) & 1u;
}

// Whether the fact in `slot`, which the plan reads, is known but only as an interval (a partial
// date, a number range) wider than one value.
inline bool imprecise_fact(const compiler::Plan& plan, const CaseValues& v, std::uint32_t slot) {
    if (!plan.imprecise_slots || !plan.slots[slot].imprecise) return false;
    const std::uint64_t* c = v.facts + v.layout->slot_offset[slot];
    return ((c[0] >> v.lane) & 1u) && c[1 + v.layout->lanes + v.lane] != c[1 + v.lane];
}

// The value of node `i`, which has a test or a step (a rule root or an action
// anchor, for instance).
[[gnu::always_inline]] inline Value node_value(const CaseValues& v, std::uint32_t i) {
    const std::uint32_t column = v.layout->column[i];
    if (column != compiler::none) return column_lane(*v.layout, v.columns + column, v.lane, v.layout->text[i]);
    Value x;  // a bool with no column: its truth words
    x.known = ((v.holds[i] | v.fails[i]) >> v.lane) & 1u;
    x.num = (v.holds[i] >> v.lane) & 1u;
    return x;
}

// The upper bound of node `i`'s value when it may be an interval (Plan::interval), else its value.
[[gnu::always_inline]] inline double node_upper(const compiler::Plan& plan, const CaseValues& v, std::uint32_t i) {
    const std::uint32_t column = v.layout->column[i];
    if (!plan.interval[i] || column == compiler::none) return node_value(v, i).num;
    return std::bit_cast<double>(v.columns[column + 1 + v.layout->lanes + v.lane]);
}

}  // namespace bia::eval
