// From a case's values after the pass over the plan: rule outcomes, scores,
// levels, due dates and the facts undetermined rules are missing.
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

std::uint32_t level_for_score(const Plan& plan, double score) {
    std::uint32_t level = 0;
    for (std::uint32_t i = 0; i < plan.thresholds.size(); ++i) {
        if (plan.thresholds[i] && score >= *plan.thresholds[i]) level = i;
    }
    return level;
}

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

// A due date in months or years (language 2), out of due_days' way.
[[gnu::noinline]] std::optional<std::int32_t> calendar_due(const compiler::ActionPlan& a, double anchor) {
    const Value due = shift_date(a.shift, static_cast<std::int32_t>(anchor), a.amount);
    if (!due.known) return std::nullopt;
    return static_cast<std::int32_t>(due.num);
}

// An action's due date in days, if it has a time frame, its anchor date is
// known and the date falls within years 1..9999 (others cannot be written as YYYY-MM-DD).
[[gnu::always_inline]] inline std::optional<std::int32_t> due_days(const compiler::ActionPlan& a, const CaseValues& v, Date as_of) {
    if (!a.has_within) return std::nullopt;
    const Value anchor = a.anchor == none ? Value::number(as_of.days()) : node_value(v, a.anchor);
    if (!anchor.known || !std::isfinite(anchor.num)) return std::nullopt;
    if (a.shift != Op::add_days) return calendar_due(a, anchor.num);
    // Days and weeks, v1's time frames, without the calendar.
    const double due = anchor.num + a.amount;
    if (due < first_day || due > last_day) return std::nullopt;
    return static_cast<std::int32_t>(due);
}

}  // namespace

bool summarize_case(const detail::CompiledPack& pack, const BoundCase& facts, Date as_of, Scratch& scratch,
                    Summary& summary) {
    run_case(pack.plan, facts, as_of.days(), scratch.run);
    return summarize_case_values(pack, as_of, case_values(pack.plan, scratch.run), scratch, summary);
}

bool summarize_case_values(const detail::CompiledPack& pack, Date as_of,
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
        const Value w = node_value(values, rp.root);
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
            const auto due = due_days(rp.actions[k], values, as_of);
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
    // For ask_first, per ranked fact: the highest severity among the open
    // rules that miss it (its index + 1; 0 for none) and how many of them do.
    std::vector<std::uint32_t>& severity = scratch.rank_severity;
    std::vector<std::uint32_t>& open_rules = scratch.rank_open_rules;
    if (severity.size() < plan.slots.size()) {
        severity.resize(plan.slots.size());
        open_rules.resize(plan.slots.size());
    }
    auto raise = [&](std::uint32_t f, std::uint32_t reach) {
        if (stamp[f] != this_case) {
            stamp[f] = this_case;
            rank[f] = reach;
            severity[f] = 0;
            open_rules[f] = 0;
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
        missing_facts(plan, values, rp.root, list, walk);
        const std::uint32_t reach = std::max({rp.score == 0 ? scored : level_for_score(plan, score + rp.score),
                                              fired_severity, rp.severity == none ? 0u : rp.severity});
        const std::uint32_t rule_severity = rp.severity == none ? 0u : rp.severity + 1;
        for (std::uint32_t f : list) {  // each fact once per rule (missing_facts marks them)
            raise(f, reach);
            severity[f] = std::max(severity[f], rule_severity);
            ++open_rules[f];
            if (!size.add_fact(pack, f)) return too_large();
        }
        per_rule.insert(per_rule.end(), list.begin(), list.end());
        ends.push_back(static_cast<std::uint32_t>(per_rule.size()));
    }
    for (const std::uint32_t i : s.fired) {
        for (const auto& a : plan.rules[i].actions) {
            if (!a.has_within || a.anchor == none || known_node(values, a.anchor)) continue;
            list.clear();
            missing_facts(plan, values, a.anchor, list, walk);
            for (std::uint32_t f : list) raise(f, level);
        }
    }
    // A rule decided by a presumption (language 2's possibly, certainly) still names the facts
    // that would settle it: as an action's anchor does if it fired (their answer could lower the
    // case, not raise it), as an undetermined rule does if it did not (it could still fire).
    if (plan.presuming_rules) {
        for (std::uint32_t i = 0; i < rule_count; ++i) {
            const auto& rp = plan.rules[i];
            if (!rp.presumes || !known_node(values, rp.root)) continue;
            list.clear();
            presumed_facts(plan, values, rp.root, list, walk);
            if (list.empty()) continue;
            const bool fired = node_value(values, rp.root).num != 0;
            const std::uint32_t reach =
                fired ? level
                      : std::max({rp.score == 0 ? scored : level_for_score(plan, score + rp.score), fired_severity,
                                  rp.severity == none ? 0u : rp.severity});
            for (std::uint32_t f : list) raise(f, reach);
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

    // Ask first (docs/result.md#ask-first): the facts whose answer alone could
    // raise the level, i.e. ranked above it. `missing` lists them first, highest
    // rank first; among them the few with the highest rank, then severity, then
    // open rules, then declaration order. partial_sort needs no buffer, and the
    // key is a total order (slots are unique), so the pick is deterministic.
    std::size_t candidates = 0;
    while (candidates < s.missing.size() && rank[s.missing[candidates]] > level) ++candidates;
    std::vector<std::uint32_t>& first = scratch.ask_first;
    first.assign(s.missing.begin(), s.missing.begin() + static_cast<std::ptrdiff_t>(candidates));
    const std::size_t take = std::min(candidates, ask_first_count);
    std::partial_sort(first.begin(), first.begin() + static_cast<std::ptrdiff_t>(take), first.end(),
                      [&](std::uint32_t a, std::uint32_t b) {
                          if (rank[a] != rank[b]) return rank[a] > rank[b];
                          if (severity[a] != severity[b]) return severity[a] > severity[b];
                          if (open_rules[a] != open_rules[b]) return open_rules[a] > open_rules[b];
                          return a < b;
                      });
    s.ask_first.assign(first.begin(), first.begin() + static_cast<std::ptrdiff_t>(take));
    for (const std::uint32_t f : s.ask_first) {
        if (!size.add_fact(pack, f)) return too_large();
    }
    return true;
}

bool evaluate_case(const detail::CompiledPack& pack, const BoundCase& facts, Date as_of, Scratch& scratch, Result& r) {
    run_case(pack.plan, facts, as_of.days(), scratch.run);
    return evaluate_case_values(pack, facts, as_of, case_values(pack.plan, scratch.run), scratch, r);
}

bool evaluate_case_values(const detail::CompiledPack& pack, const BoundCase& facts, Date as_of,
                          const CaseValues& values, Scratch& scratch, Result& r) {
    Summary& s = scratch.summary;
    if (!summarize_case_values(pack, as_of, values, scratch, s)) return false;
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
            d.immediate = a.immediate;
            if (const auto due = due_days(a, values, as_of)) {
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
            next(u.missing, missing_count, scratch.spare_strings) = pack.slot_paths[scratch.undetermined_missing[m]];
        trim(u.missing, missing_count, scratch.spare_strings);
        begin = end;
    }
    trim(r.undetermined, undetermined_count, scratch.spare_undetermined);

    std::size_t missing_count = 0;
    for (std::uint32_t f : s.missing) next(r.missing, missing_count, scratch.spare_strings) = pack.slot_paths[f];
    trim(r.missing, missing_count, scratch.spare_strings);

    std::size_t ask_count = 0;
    for (std::uint32_t f : s.ask_first) next(r.ask_first, ask_count, scratch.spare_strings) = pack.slot_paths[f];
    trim(r.ask_first, ask_count, scratch.spare_strings);

    // A missing fact the case gives can only be one given imprecisely (missing.cpp).
    std::size_t imprecise_count = 0;
    if (plan.imprecise_slots) {
        for (std::uint32_t f : s.missing) {
            if (facts.slots[f].known) next(r.imprecise, imprecise_count, scratch.spare_strings) = pack.slot_paths[f];
        }
    }
    trim(r.imprecise, imprecise_count, scratch.spare_strings);
    return true;
}

}  // namespace bia::eval
