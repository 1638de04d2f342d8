// Kleene three-valued evaluation of the plan, scoring, levels, due dates, missing facts.
#include "eval/evaluator.hpp"
#include "eval/result_size.hpp"
#include "eval/semantics.hpp"

#include <bia/version.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <optional>

namespace bia::eval {
namespace {

using compiler::Step;

std::uint32_t level_for_score(const Plan& plan, double score) {
    std::uint32_t level = 0;
    for (std::uint32_t i = 0; i < plan.thresholds.size(); ++i) {
        if (plan.thresholds[i] && score >= *plan.thresholds[i]) level = i;
    }
    return level;
}

}  // namespace

void run_every_node(const Plan& plan, const BoundCase& facts, std::int32_t as_of_days, Scratch& scratch) {
    const std::size_t n = plan.nodes.size();
    if (scratch.values.size() < n) scratch.values.resize(n);
    Value* v = scratch.values.data();
    const Node* nodes = plan.nodes.data();
    for (std::size_t i = 0; i < n; ++i) v[i] = eval_node(plan, nodes[i], v, facts, as_of_days);
    // Where run_plan leaves them, for readers of either (missing_facts).
    if (scratch.truth.size() < n) scratch.truth.resize(n);
    for (std::size_t i = 0; i < plan.truth_only.size(); ++i) {
        if (plan.truth_only[i]) scratch.truth[i] = truth_of(v[i].known, v[i].num != 0);
    }
}

namespace {


// Node `out` gets truth `t`: its Value (what results and other steps read) and its byte.
inline void write_truth(Value* v, std::uint8_t* truth, std::uint32_t out, std::uint8_t t) {
    v[out] = truth_values[t];
    truth[out] = t;
}

// The fact tests of one kind, into truth bytes.
void run_range_tests(const compiler::RangeTest* t, const compiler::RangeTest* end, const Value* slots, std::uint8_t* truth) {
    for (; t != end; ++t) {
        const Value& f = slots[t->slot];
        const bool inside = (t->lo <= f.num) & (f.num <= t->hi);
        truth[t->out] = truth_of(f.known, inside != t->outside);
    }
}

void run_index_tests(const compiler::SetTest* t, const compiler::SetTest* end, const Value* slots, std::uint8_t* truth) {
    for (; t != end; ++t) {
        const Value& f = slots[t->slot];
        truth[t->out] = truth_of(f.known, in_mask(t->bits, f.num));
    }
}

void run_bit_tests(const compiler::SetTest* t, const compiler::SetTest* end, const Value* slots, std::uint8_t* truth) {
    for (; t != end; ++t) {
        const Value& f = slots[t->slot];
        truth[t->out] = truth_of(f.known, (f.bits & t->bits) != 0);
    }
}

// A run of `and` (is_or false) or `or` steps over their operands' truth bytes;
// of exactly two operands each when `pairs`.
template <bool is_or, bool pairs>
void run_and_or(const Step* s, const Step* end, const std::uint32_t* operands, Value* v, std::uint8_t* truth) {
    constexpr auto combine = [](lang::Truth<std::uint8_t> x, lang::Truth<std::uint8_t> y) {
        return is_or ? lang::kleene_or(x, y) : lang::kleene_and(x, y);
    };
    for (; s != end; ++s) {
        const std::uint32_t* operand = operands + s->node.a;
        lang::Truth<std::uint8_t> t;
        if constexpr (pairs) {
            t = combine(unpack_truth(truth[operand[0]]), unpack_truth(truth[operand[1]]));
        } else {
            t = is_or ? lang::or_identity<std::uint8_t>(1) : lang::and_identity<std::uint8_t>(1);
            for (std::uint32_t i = 0; i < s->node.b; ++i) t = combine(t, unpack_truth(truth[operand[i]]));
        }
        write_truth(v, truth, s->out, pack_truth(t));
    }
}

// A run of comparisons of two numbers (or dates, or enum indexes).
template <Op op>
void run_compare(const Step* s, const Step* end, Value* v, std::uint8_t* truth) {
    static_assert(lang::row(op).strict);
    for (; s != end; ++s) {
        const Value& a = v[s->node.a];
        const Value& b = v[s->node.b];
        write_truth(v, truth, s->out, truth_of(a.known & b.known, lang::compare<op>(a.num, b.num)));
    }
}

// A run of boolean steps.
void run_boolean(const compiler::StepRun& run, const Step* s, const Step* end, const std::uint32_t* operands,
                 const Value* slots, Value* v, std::uint8_t* truth) {
    switch (run.op) {
        case Op::logic_and:
            if (run.pairs) run_and_or<false, true>(s, end, operands, v, truth);
            else run_and_or<false, false>(s, end, operands, v, truth);
            break;
        case Op::logic_or:
            if (run.pairs) run_and_or<true, true>(s, end, operands, v, truth);
            else run_and_or<true, false>(s, end, operands, v, truth);
            break;
        case Op::logic_not:
            for (; s != end; ++s) write_truth(v, truth, s->out, pack_truth(lang::kleene_not(unpack_truth(truth[s->node.a]))));
            break;
        case Op::known:
            for (; s != end; ++s) write_truth(v, truth, s->out, truth_of(true, slots[s->node.a].known));
            break;
        case Op::lt: run_compare<Op::lt>(s, end, v, truth); break;
        case Op::le: run_compare<Op::le>(s, end, v, truth); break;
        case Op::gt: run_compare<Op::gt>(s, end, v, truth); break;
        case Op::ge: run_compare<Op::ge>(s, end, v, truth); break;
        case Op::eq_num: run_compare<Op::eq_num>(s, end, v, truth); break;
        default: run_compare<Op::ne_num>(s, end, v, truth); break;
    }
}

bool is_boolean_step(Op op) {
    return op == Op::logic_and || op == Op::logic_or || op == Op::logic_not || op == Op::known ||
           (op >= Op::lt && op <= Op::ne_num);
}

}  // namespace

void run_plan(const Plan& plan, const BoundCase& facts, std::int32_t as_of_days, Scratch& scratch) {
    if (scratch.values.size() < plan.nodes.size()) scratch.values.resize(plan.nodes.size());
    if (scratch.truth.size() < plan.nodes.size()) scratch.truth.resize(plan.nodes.size());
    Value* v = scratch.values.data();
    std::uint8_t* truth = scratch.truth.data();
    const Value* slots = facts.slots.data();
#if defined(__GNUC__)
    // A case in a large batch is rarely in the cache: ask for all its facts at
    // once, so that their cache misses overlap instead of stalling test by test.
    const char* slot_bytes = reinterpret_cast<const char*>(slots);
    const std::size_t slot_size = facts.slots.size() * sizeof(Value);
    for (std::size_t offset = 0; offset < slot_size; offset += 64) __builtin_prefetch(slot_bytes + offset);
#endif
    // The fact tests, one loop per kind, write truth bytes; then the Values of
    // the few that results or other steps read. An unknown fact's slot holds 0,
    // a valid number, index or empty set, so the tests read it like any other.
    run_range_tests(plan.range_tests.data(), plan.range_tests.data() + plan.range_tests.size(), slots, truth);
    run_index_tests(plan.index_tests.data(), plan.index_tests.data() + plan.index_tests.size(), slots, truth);
    run_bit_tests(plan.bit_tests.data(), plan.bit_tests.data() + plan.bit_tests.size(), slots, truth);
    for (const std::uint32_t node : plan.test_values) v[node] = truth_values[truth[node]];

    // The steps, a run of one operation at a time.
    const Step* steps = plan.steps.data();
    const std::uint32_t* operands = plan.step_operands.data();
    for (const compiler::StepRun& run : plan.step_runs) {
        const Step* s = steps + run.first;
        const Step* end = s + run.count;
        if (is_boolean_step(run.op)) {
            run_boolean(run, s, end, operands, slots, v, truth);
            continue;
        }
        switch (run.op) {
            case Op::fact:
                for (; s != end; ++s) {
                    Value x = slots[s->node.a];
                    if (s->node.text && x.known) x.str = facts.text_of(s->node.a);  // the same for every case but the few text facts
                    v[s->out] = x;
                    truth[s->out] = truth_of(x.known, !s->node.text && x.num != 0);
                }
                break;
            case Op::constant:
                for (; s != end; ++s) {
                    // A number, date, bool, index or set: its bits; text from the plan's strings.
                    Value x;
                    x.bits = s->node.bits;
                    x.known = true;
                    if (s->node.text) x = eval_node(plan, s->node, v, facts, as_of_days);
                    v[s->out] = x;
                    truth[s->out] = truth_of(true, s->node.bits != 0);  // read only for a bool
                }
                break;
            case Op::today:
                for (; s != end; ++s) v[s->out] = Value::number(as_of_days);
                break;
            case Op::days:
                for (; s != end; ++s) {
                    const Value& a = v[s->node.a];
                    const Value& b = v[s->node.b];
                    Value x;
                    x.known = a.known & b.known;                       // strict (lang::row(Op::days))
                    x.num = x.known ? days_between(a.num, b.num) : 0;  // a select, not a branch
                    v[s->out] = x;
                }
                break;
            case Op::count:
                for (; s != end; ++s) {
                    const Value& a = v[s->node.a];
                    Value x;
                    x.known = a.known;  // strict (lang::row(Op::count))
                    x.num = a.known ? members_in(a.bits) : 0;
                    v[s->out] = x;
                }
                break;
            default:
                for (; s != end; ++s) {
                    const Value x = eval_node(plan, s->node, v, facts, as_of_days);
                    v[s->out] = x;
                    // Only for boolean nodes: another node's `num` may be text.
                    if (s->truth) truth[s->out] = truth_of(x.known, x.num != 0);
                }
                break;
        }
    }
}

namespace {

// The next element of a list being refilled: an old one (its strings keep
// their memory), one from `spare`, or a new one. `trim` moves what the case did
// not use to `spare`, so the next case with a longer list finds it there.
template <typename T>
T& next(std::vector<T>& list, std::size_t& used, std::vector<T>& spare) {
    if (used == list.size()) {
        if (spare.empty()) {
            list.emplace_back();
        } else {
            list.push_back(std::move(spare.back()));
            spare.pop_back();
        }
    }
    return list[used++];
}

template <typename T>
void trim(std::vector<T>& list, std::size_t used, std::vector<T>& spare) {
    for (std::size_t i = used; i < list.size(); ++i) spare.push_back(std::move(list[i]));
    list.erase(list.begin() + static_cast<std::ptrdiff_t>(used), list.end());
}

// An action's due date in days, if it has a time frame and its anchor date is
// known and within years 1..9999 (others cannot be written as YYYY-MM-DD).
std::optional<std::int32_t> due_days(const Plan& plan, const compiler::ActionPlan& a, const CaseValues& v, Date as_of) {
    if (!a.has_within) return std::nullopt;
    const Value anchor = a.anchor == none ? Value::number(as_of.days()) : node_value(plan, v, a.anchor);
    if (!anchor.known || !std::isfinite(anchor.num)) return std::nullopt;
    const double due = anchor.num + a.days;
    if (due < -719162 || due > 2932896) return std::nullopt;
    return static_cast<std::int32_t>(due);
}

}  // namespace

bool summarize_case(const detail::CompiledPack& pack, const BoundCase& facts, Date as_of, Scratch& scratch,
                    Summary& summary) {
    run_plan(pack.plan, facts, as_of.days(), scratch);
    return summarize_case_values(pack, facts, as_of, values_of(scratch), scratch, summary);
}

bool summarize_case_values(const detail::CompiledPack& pack, const BoundCase& facts, Date as_of,
                           const CaseValues& values, Scratch& scratch, Summary& s) {
    const Plan& plan = pack.plan;
    // The result's size is counted as its lists grow, and the case stops at the
    // limit: no list of the case is ever much longer than the limit allows.
    ResultSize size(pack.limits.max_result_bytes);
    auto too_large = [&] {
        scratch.result_bytes = size.bytes();
        return false;
    };
    if (!size.add_domains(pack)) return too_large();

    const std::uint32_t rule_count = static_cast<std::uint32_t>(plan.rules.size());
    double score = 0, undetermined_score = 0;
    std::uint32_t fired_severity = 0, undetermined_severity = 0;
    s.fired.clear();
    s.undetermined.clear();
    s.overdue.clear();
    std::vector<double>& domain_scores = scratch.domain_scores;
    domain_scores.assign(pack.domains.size(), 0);
    for (std::uint32_t i = 0; i < rule_count; ++i) {
        const auto& rp = plan.rules[i];
        const Value w = node_value(plan, values, rp.root);
        if (!w.known) {
            s.undetermined.push_back(i);
            undetermined_score += rp.score;
            if (rp.severity != none) undetermined_severity = std::max(undetermined_severity, rp.severity);
            continue;
        }
        if (w.num == 0) continue;
        s.fired.push_back(i);
        if (!size.add_fired(pack, i)) return too_large();
        score += rp.score;
        if (rp.severity != none) fired_severity = std::max(fired_severity, rp.severity);
        if (rp.domain != none) domain_scores[rp.domain] += rp.score;
        for (std::uint32_t k = 0; k < rp.actions.size(); ++k) {
            const auto due = due_days(plan, rp.actions[k], values, as_of);
            if (due && *due < as_of.days()) s.overdue.push_back({i, k});
        }
    }

    const std::uint32_t scored = level_for_score(plan, score);
    const std::uint32_t level = std::max(scored, fired_severity);
    s.score = score;
    s.possible_score = score + undetermined_score;
    s.level = level;
    s.possible_level =
        std::max({level_for_score(plan, score + undetermined_score), fired_severity, undetermined_severity});

    // Missing facts, ranked by the level their rule could reach on its own.
    // Each undetermined rule's own list is kept in scratch for evaluate_case.
    // Only the facts some rule misses are ranked, so this costs nothing per
    // declared fact: a stamp per case says which ranks are this case's.
    std::vector<std::uint32_t>& rank = scratch.rank;
    std::vector<std::uint32_t>& stamp = scratch.rank_stamp;
    std::vector<std::uint32_t>& ranked = scratch.ranked;
    if (stamp.size() < plan.slots.size()) {
        rank.resize(plan.slots.size());
        stamp.resize(plan.slots.size(), 0);
    }
    if (++scratch.rank_case == 0) {  // wrapped: forget every old stamp
        std::fill(stamp.begin(), stamp.end(), 0);
        scratch.rank_case = 1;
    }
    const std::uint32_t this_case = scratch.rank_case;
    ranked.clear();
    auto raise = [&](std::uint32_t f, std::uint32_t reach) {
        if (stamp[f] != this_case) {
            stamp[f] = this_case;
            rank[f] = reach;
            ranked.push_back(f);
        } else {
            rank[f] = std::max(rank[f], reach);
        }
    };
    std::vector<std::uint32_t>& list = scratch.list;
    std::vector<std::uint32_t>& per_rule = scratch.undetermined_missing;
    std::vector<std::uint32_t>& ends = scratch.undetermined_missing_ends;
    per_rule.clear();
    ends.clear();
    Scratch& walk = scratch;
    next_case(walk);  // the lets' lists of the last case are stale
    for (std::uint32_t i : s.undetermined) {
        const auto& rp = plan.rules[i];
        if (!size.add_rule(pack, i)) return too_large();
        list.clear();
        missing_facts(plan, facts, values, rp.root, list, walk);
        const std::uint32_t reach = std::max({rp.score == 0 ? scored : level_for_score(plan, score + rp.score),
                                              fired_severity, rp.severity == none ? 0u : rp.severity});
        for (std::uint32_t f : list) {
            raise(f, reach);
            if (!size.add_fact(pack, f)) return too_large();
        }
        per_rule.insert(per_rule.end(), list.begin(), list.end());
        ends.push_back(static_cast<std::uint32_t>(per_rule.size()));
    }
    for (const std::uint32_t i : s.fired) {
        for (const auto& a : plan.rules[i].actions) {
            if (!a.has_within || a.anchor == none || known_node(plan, values, a.anchor)) continue;
            list.clear();
            missing_facts(plan, facts, values, a.anchor, list, walk);
            for (std::uint32_t f : list) raise(f, level);
        }
    }
    // The case's own list of missing facts, one path each.
    for (const std::uint32_t f : ranked) {
        if (!size.add_fact(pack, f)) return too_large();
    }
    // Highest rank first, declaration order within a rank: the ranked facts in
    // declaration order, then a counting sort over the levels, which keeps that
    // order within a level (std::stable_sort would allocate its buffer for
    // every case). Bucket levels - 1 - rank puts the highest rank first.
    std::sort(ranked.begin(), ranked.end());
    const std::size_t levels = pack.levels.size();
    auto bucket = [levels](std::uint32_t r) { return levels - 1 - r; };
    std::vector<std::uint32_t>& start = scratch.rank_start;  // start[b + 1] counts bucket b first
    start.assign(levels + 1, 0);
    for (const std::uint32_t f : ranked) ++start[bucket(rank[f]) + 1];
    for (std::size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
    s.missing.resize(ranked.size());
    for (const std::uint32_t f : ranked) s.missing[start[bucket(rank[f])]++] = f;
    return true;
}

bool evaluate_case(const detail::CompiledPack& pack, const BoundCase& facts, Date as_of, Scratch& scratch, Result& r) {
    run_plan(pack.plan, facts, as_of.days(), scratch);
    return evaluate_case_values(pack, facts, as_of, values_of(scratch), scratch, r);
}

bool evaluate_case_values(const detail::CompiledPack& pack, const BoundCase& facts, Date as_of,
                          const CaseValues& values, Scratch& scratch, Result& r) {
    Summary& s = scratch.summary;
    if (!summarize_case_values(pack, facts, as_of, values, scratch, s)) return false;
    const Plan& plan = pack.plan;

    r.engine = BIA_VERSION_STRING;
    r.pack_name = pack.name;
    r.pack_version = pack.version;
    r.pack_digest = pack.digest;
    r.as_of = as_of;
    r.warnings = facts.warnings;
    r.score = s.score;
    r.possible_score = s.possible_score;
    r.level = pack.levels[s.level].name;
    r.possible_level = pack.levels[s.possible_level].name;

    std::size_t fired_count = 0;
    for (const std::uint32_t i : s.fired) {
        const auto& rp = plan.rules[i];
        const auto& info = pack.rules[i];
        FiredRule& f = next(r.fired, fired_count, scratch.spare_fired);
        f.rule = info.name;
        f.title = info.title;
        f.domain = info.domain;
        f.severity = info.severity;
        f.score = rp.score;
        std::size_t action_count = 0;
        for (const auto& a : rp.actions) {
            ActionDue& d = next(f.actions, action_count, scratch.spare_actions);
            d.text = a.text;
            d.due.reset();
            d.overdue = false;
            if (const auto due = due_days(plan, a, values, as_of)) {
                d.due = Date::from_days(*due);
                d.overdue = *d.due < as_of;
            }
        }
        trim(f.actions, action_count, scratch.spare_actions);
        f.cites.resize(rp.cites.size());
        for (std::size_t k = 0; k < rp.cites.size(); ++k) {
            const SourceInfo& source = pack.citation_sources[rp.cites[k].source];
            f.cites[k].source = source.id;
            f.cites[k].title = source.title;
            f.cites[k].ref = rp.cites[k].ref;
        }
    }
    trim(r.fired, fired_count, scratch.spare_fired);

    std::size_t domain_count = 0;
    for (std::size_t d = 0; d < pack.domains.size(); ++d) {
        DomainScore& ds = next(r.domains, domain_count, scratch.spare_domains);
        ds.name = pack.domains[d].name;
        ds.title = pack.domains[d].title;
        ds.score = scratch.domain_scores[d];
    }
    trim(r.domains, domain_count, scratch.spare_domains);

    std::size_t undetermined_count = 0;
    std::uint32_t begin = 0;
    for (std::size_t k = 0; k < s.undetermined.size(); ++k) {
        UndeterminedRule& u = next(r.undetermined, undetermined_count, scratch.spare_undetermined);
        u.rule = pack.rules[s.undetermined[k]].name;
        const std::uint32_t end = scratch.undetermined_missing_ends[k];
        std::size_t missing_count = 0;
        for (std::uint32_t m = begin; m < end; ++m)
            next(u.missing, missing_count, scratch.spare_strings) = pack.facts[scratch.undetermined_missing[m]].path;
        trim(u.missing, missing_count, scratch.spare_strings);
        begin = end;
    }
    trim(r.undetermined, undetermined_count, scratch.spare_undetermined);

    std::size_t missing_count = 0;
    for (std::uint32_t f : s.missing) next(r.missing, missing_count, scratch.spare_strings) = pack.facts[f].path;
    trim(r.missing, missing_count, scratch.spare_strings);
    return true;
}

}  // namespace bia::eval
