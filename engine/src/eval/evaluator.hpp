// The three-valued evaluator: one pass over the plan (eval/block.hpp), then
// scoring, levels, due dates and missing facts.
#pragma once

#include "compile/plan.hpp"
#include "eval/block.hpp"
#include "eval/facts.hpp"
#include "eval/value.hpp"

#include <bia/result.hpp>

#include <vector>

namespace bia::eval {

// Per-thread working memory, reused across evaluations so the hot path does
// not allocate per node.
struct Scratch {
    CaseRun run;  // evaluate_case's and summarize_case's pass over the plan
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
    // presumed_facts' marks: by node, whether its value rests on a presumption (rests), valid where
    // rest_epoch is rest_round; rest_seen marks the nodes its walk down has met.
    std::vector<std::uint32_t> rest_epoch, rest_seen;
    std::vector<std::uint8_t> rests;
    std::vector<std::pair<std::uint32_t, bool>> rest_stack;
    std::uint32_t rest_round = 0;
    // evaluate_case's working lists, kept between cases.
    std::vector<std::uint32_t> undetermined, list, order;
    std::vector<double> domain_scores;
    // The rank of each missing fact, by slot: valid where rank_stamp equals
    // rank_case; `ranked` lists those facts once each.
    std::vector<std::uint32_t> rank, rank_stamp, ranked, rank_start;
    std::uint32_t rank_case = 0;
    // By slot, valid with rank: the highest severity + 1 among the undetermined
    // rules missing the fact (0: none has a severity), and how many miss it;
    // ask_first: the candidates being ordered.
    std::vector<std::uint32_t> rank_severity, rank_open_rules, ask_first;
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

// The facts whose unknown value makes node `root` unknown, in declaration order:
// descends only into unknown sub-expressions, through lets, never into known().
// Reads facts and nodes' values from `values`, after a pass of the plan
// (run_case or run_block). Lists of lets are kept in `walk` for the case: call
// next_case(walk) before the first call for another case.
void next_case(Scratch& walk);
void missing_facts(const compiler::Plan& plan, const CaseValues& values, std::uint32_t root,
                   std::vector<std::uint32_t>& out, Scratch& walk);

// The facts that would settle the presumptions (possibly, certainly: language 2) that known node
// `root`'s value rests on: those whose answer could change it. Appended unsorted, perhaps more than
// once. Nothing when `root` is unknown (missing_facts lists those) or rests on no presumption.
void presumed_facts(const compiler::Plan& plan, const CaseValues& values, std::uint32_t root,
                    std::vector<std::uint32_t>& out, Scratch& walk);

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
[[nodiscard]] bool summarize_case_values(const detail::CompiledPack& pack, Date as_of, const CaseValues& values,
                                         Scratch& scratch, Summary& summary);
[[nodiscard]] bool evaluate_case_values(const detail::CompiledPack& pack, const BoundCase& facts, Date as_of,
                                        const CaseValues& values, Scratch& scratch, Result& r);

// How many questions Result::ask_first holds at most (docs/result.md#ask-first).
inline constexpr std::size_t ask_first_count = 5;

using compiler::for_each_child;

}  // namespace bia::eval
