// The three-valued evaluator: one pass over the plan, then scoring and levels.
#pragma once

#include "compile/plan.hpp"
#include "eval/facts.hpp"
#include "eval/value.hpp"

#include <bia/result.hpp>

#include <vector>

namespace bia::eval {

// Per-thread working memory, reused across evaluations so the hot path does
// not allocate per node.
struct Scratch {
    std::vector<Value> values;
    std::vector<std::uint8_t> truth;  // truth bytes of boolean nodes, by node: bit 0 true, bit 1 false, 0 unknown
    std::vector<std::uint32_t> marks;
    std::uint32_t epoch = 0;
    std::vector<std::uint32_t> stack;
    // Each unknown let's own entries for the case (its unknown facts, and the
    // unknown lets it names), made once per case when let_epoch[root] is not
    // case_epoch, at let_entries[let_begin[root], let_end[root]): rules sharing
    // a let do not walk it again, and no let copies another's list, so a case
    // holds at most as many entries as the lets' conditions have nodes.
    std::vector<std::uint32_t> let_entries, let_begin, let_end;
    std::vector<std::uint32_t> let_epoch;
    std::uint32_t case_epoch = 1;
    // One missing_facts call's marks: lets entered and facts listed, where
    // let_seen / fact_seen equal root_epoch.
    std::vector<std::uint32_t> let_seen, fact_seen;
    std::uint32_t root_epoch = 0;
    std::vector<std::uint32_t> pending_lets, own_facts;
    // evaluate_case's working lists, kept between cases.
    std::vector<std::uint32_t> undetermined, list, order;
    std::vector<double> domain_scores;
    // The rank of each missing fact, by slot: valid where rank_stamp equals
    // rank_case; `ranked` lists those facts once each.
    std::vector<std::uint32_t> rank, rank_stamp, ranked, rank_start;
    std::uint32_t rank_case = 0;
    // summarize_case's lists for evaluate_case: the summary, and each
    // undetermined rule's missing facts, ending at undetermined_missing_ends[k].
    Summary summary;
    std::vector<std::uint32_t> undetermined_missing, undetermined_missing_ends;
    // Result elements a shorter case left over, kept with their memory for the next.
    std::vector<FiredRule> spare_fired;
    std::vector<ActionDue> spare_actions;
    std::vector<DomainScore> spare_domains;
    std::vector<UndeterminedRule> spare_undetermined;
    std::vector<std::string> spare_strings;
    // The bytes counted when a result went over max_result_bytes.
    std::size_t result_bytes = 0;
};

// Where a case's node values are after evaluation: in run_plan's Scratch, or
// in one lane of run_block's BlockScratch (eval/block.hpp, lane_values). What
// scores a case reads them through known_node and node_value, from either.
struct CaseValues {
    const Value* values = nullptr;  // run_plan's
    const std::uint8_t* truth = nullptr;
    const std::uint64_t* holds = nullptr;  // run_block's, when not null
    const std::uint64_t* fails = nullptr;
    const std::uint64_t* columns = nullptr;
    const std::uint64_t* facts = nullptr;  // the FactBlock's words
    std::uint32_t lane = 0;
};

// One case's Value from a column of a block (a fact's, or a node's): a known
// word, a word per case, and for text a length per case.
inline Value column_lane(const std::uint64_t* column, std::uint32_t lane, bool text) {
    Value x;
    x.bits = column[1 + lane];
    x.known = (column[0] >> lane) & 1u;
    if (text) x.len = static_cast<std::uint32_t>(column[compiler::block_words + lane]);
    return x;
}

inline CaseValues values_of(const Scratch& scratch) { return {scratch.values.data(), scratch.truth.data()}; }

// Whether node `i`, which has a test or a step, is known.
inline bool known_node(const compiler::Plan& plan, const CaseValues& v, std::uint32_t i) {
    if (v.holds == nullptr) return plan.truth_only[i] ? v.truth[i] != 0 : v.values[i].known;
    const std::uint32_t column = plan.block.column[i];
    if (column != compiler::none) return (v.columns[column] >> v.lane) & 1u;
    return ((v.holds[i] | v.fails[i]) >> v.lane) & 1u;
}

// Whether the fact in `slot`, which the plan reads, is known. (In a block,
// from the block's known word, which is in the cache where the bound case may not be.)
inline bool known_fact(const compiler::Plan& plan, const CaseValues& v, const BoundCase& facts, std::uint32_t slot) {
    if (v.holds == nullptr) return facts.slots[slot].known;
    return (v.facts[plan.block.slot_offset[slot]] >> v.lane) & 1u;
}

// The value of node `i`, which has a test or a step and is not truth-only
// (a rule root or an action anchor, for instance).
inline Value node_value(const compiler::Plan& plan, const CaseValues& v, std::uint32_t i) {
    if (v.holds == nullptr) return v.values[i];
    const std::uint32_t column = plan.block.column[i];
    if (column != compiler::none) return column_lane(v.columns + column, v.lane, plan.block.text[i]);
    Value x;  // a bool with no column: its truth words
    x.known = ((v.holds[i] | v.fails[i]) >> v.lane) & 1u;
    x.num = (v.holds[i] >> v.lane) & 1u;
    return x;
}

// Runs the plan's tests and steps for the bound case: afterwards every node
// with a test or a step holds the case's value (a truth-only test's in
// `truth`), which includes rule roots and action anchors (in `values`) and
// every node missing_facts reads (see compiler::RangeTest). What evaluation uses.
void run_plan(const compiler::Plan& plan, const BoundCase& facts, std::int32_t as_of_days, Scratch& scratch);
// Computes every node's value, for explanations that show each sub-expression
// (and the truth bytes of truth-only tests, as run_plan leaves them).
void run_every_node(const compiler::Plan& plan, const BoundCase& facts, std::int32_t as_of_days, Scratch& scratch);

// The facts whose unknown value makes node `root` unknown, in declaration order:
// descends only into unknown sub-expressions, through lets, never into known().
// Reads facts from `facts`, other nodes' values from `scratch` (after run_plan
// or run_every_node). Lists of lets are kept in `walk` for the case: call
// next_case(walk) before the first call for another case.
void next_case(Scratch& walk);
void missing_facts(const compiler::Plan& plan, const BoundCase& facts, const CaseValues& values, std::uint32_t root,
                   std::vector<std::uint32_t>& out, Scratch& walk);
inline void missing_facts(const compiler::Plan& plan, const BoundCase& facts, const Scratch& scratch,
                          std::uint32_t root, std::vector<std::uint32_t>& out, Scratch& walk) {
    missing_facts(plan, facts, values_of(scratch), root, out, walk);
}

// Evaluates the bound case and sums it up (see Summary): what evaluate_case
// builds its Result from. Leaves in `scratch` the per-rule lists it reads.
// Returns false, with the summary unspecified and the bytes counted so far in
// scratch.result_bytes (see result_too_large), when the result would be over
// the pack's max_result_bytes: counted while the lists grow, so they stop there.
[[nodiscard]] bool summarize_case(const detail::CompiledPack& pack, const BoundCase& facts, Date as_of,
                                  Scratch& scratch, Summary& summary);
// Evaluates the bound case and builds the result into `r`: the strings and
// lists of a result reused case after case keep their memory, so a loop over
// many cases does not allocate per case. False as summarize_case.
[[nodiscard]] bool evaluate_case(const detail::CompiledPack& pack, const BoundCase& facts, Date as_of,
                                 Scratch& scratch, Result& r);

// summarize_case and evaluate_case (into `r`) after the plan ran for the
// case and left its node values in `values`; `scratch` is working memory.
[[nodiscard]] bool summarize_case_values(const detail::CompiledPack& pack, const BoundCase& facts, Date as_of,
                                         const CaseValues& values, Scratch& scratch, Summary& summary);
[[nodiscard]] bool evaluate_case_values(const detail::CompiledPack& pack, const BoundCase& facts, Date as_of,
                                        const CaseValues& values, Scratch& scratch, Result& r);

using compiler::for_each_child;

}  // namespace bia::eval
