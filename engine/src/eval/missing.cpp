// The facts that leave a rule undetermined: a walk down the unknown nodes
// below a rule's root, after the plan ran for the case.
#include "eval/evaluator.hpp"
#include "eval/semantics.hpp"

#include <algorithm>

namespace bia::eval {

namespace {

// A fresh walk epoch. When the counter wraps, old marks could equal a new
// epoch (a thread can walk 2^32 times in a few weeks of service), so start over.
std::uint32_t next_epoch(Scratch& walk) {
    if (++walk.epoch == 0) {
        std::fill(walk.marks.begin(), walk.marks.end(), 0);
        walk.epoch = 1;
    }
    return walk.epoch;
}

// Whether node `i` is known after the plan's pass. A let reference that only
// steps read has no value of its own: its let's node (perhaps a fact) has the value.
// (Inlined: the walk asks it for most nodes it meets.)
[[gnu::always_inline]] inline bool known_value(const Plan& plan, const CaseValues& values, std::uint32_t i) {
    while (plan.nodes[i].op == Op::let_ref) i = plan.nodes[i].a;
    const Node& n = plan.nodes[i];
    if (n.op == Op::fact) return known_fact(values, n.a);
    return known_node(values, i);
}

// Whether node `i` is known and, if its value may be an interval (language 2), exact: a known
// but wide interval (the age from a birth year) may be what leaves the node above it unknown.
inline bool settled_value(const Plan& plan, const CaseValues& values, std::uint32_t i) {
    while (plan.nodes[i].op == Op::let_ref) i = plan.nodes[i].a;
    const Node& n = plan.nodes[i];
    if (n.op == Op::fact) return known_fact(values, n.a) && !imprecise_fact(plan, values, n.a);
    if (!known_node(values, i)) return false;
    return !plan.interval[i] || node_upper(plan, values, i) == node_value(values, i).num;
}

// Language 2's part of the walk, out of line so that a v1 pack's loop stays as tight as it was.
// Whether known node `i` settles what is above it: it is no wider than one value, and it is not a
// presumption standing in for an unknown operand (whose facts would settle it: walk on into them).
[[gnu::noinline]] bool settles(const Plan& plan, const CaseValues& values, std::uint32_t i) {
    const Node& n = plan.nodes[i];
    return settled_value(plan, values, i) && !(lang::presumes(n.op) && !known_value(plan, values, n.a));
}
[[gnu::noinline]] bool fact_too_wide(const Plan& plan, const CaseValues& values, std::uint32_t slot) {
    return imprecise_fact(plan, values, slot);
}

// Walks the unknown nodes below `root`, appending unknown facts to `out`
// unsorted, and hands each unknown let reached to `on_let(let_root)`, which
// returns whether to walk into it.
template <typename OnLet>
void walk_unknown(const Plan& plan, const CaseValues& values, std::uint32_t root,
                  std::vector<std::uint32_t>& out, Scratch& walk, OnLet&& on_let) {
    const std::uint32_t epoch = next_epoch(walk);
    // A v1 pack has no interval and no presumption: the walk is then v1's, at the cost of this flag.
    const bool language2 = plan.language2_values;
    walk.stack.clear();
    walk.stack.push_back(root);
    while (!walk.stack.empty()) {
        const std::uint32_t i = walk.stack.back();
        walk.stack.pop_back();
        const Node& n = plan.nodes[i];
        // Facts and constants a fused step read have no value of their own.
        // A fact given as an interval too wide to settle the node above it is missing a precise value.
        if (n.op == Op::fact) {
            if (!known_fact(values, n.a) || (language2 && fact_too_wide(plan, values, n.a))) out.push_back(n.a);
            continue;
        }
        if (n.op == Op::constant || walk.marks[i] == epoch) continue;
        // A presumption is known, but its unknown operand is what would settle it: walk on into that.
        if (known_value(plan, values, i) && (!language2 || settles(plan, values, i))) continue;
        walk.marks[i] = epoch;
        // An element's condition in a list the case does not give: the list is what is missing, not
        // the fields of elements that may not exist.
        if (language2 && plan.info[i].list != none && !known_fact(values, plan.info[i].list)) {
            out.push_back(plan.info[i].list);
            continue;
        }
        if (n.op == Op::let_ref) {
            if (on_let(n.a)) walk.stack.push_back(n.a);
            continue;
        }
        for_each_child(plan, n, [&](std::uint32_t c) { walk.stack.push_back(c); });
    }
}

}  // namespace

void next_case(Scratch& walk) {
    if (++walk.case_epoch == 0) {
        std::fill(walk.let_epoch.begin(), walk.let_epoch.end(), 0);
        walk.case_epoch = 1;
    }
    walk.let_entries.clear();
}

namespace {

// In a let's entry list, a let (a node index) is told from a fact (a slot) by this bit.
constexpr std::uint32_t let_tag = 0x80000000u;

// The let's own entries for this case, made on first use: the unknown facts its
// condition reads and the unknown lets it names, without entering those lets.
// Each let's entries are at most the size of its own condition, so a case's
// entries together are at most the size of the pack's let conditions,
// however the lets nest (a chain of n lets: 2n entries, not n^2/2).
std::pair<std::uint32_t, std::uint32_t> let_entries(const Plan& plan, const CaseValues& values, std::uint32_t let_root,
                                                    Scratch& walk) {
    if (walk.let_epoch[let_root] != walk.case_epoch) {
        walk.let_epoch[let_root] = walk.case_epoch;
        std::vector<std::uint32_t>& entries = walk.let_entries;
        const std::size_t begin = entries.size();
        walk_unknown(plan, values, let_root, entries, walk, [&](std::uint32_t inner) {
            entries.push_back(inner | let_tag);
            return false;
        });
        std::sort(entries.begin() + static_cast<std::ptrdiff_t>(begin), entries.end());
        entries.erase(std::unique(entries.begin() + static_cast<std::ptrdiff_t>(begin), entries.end()),
                      entries.end());
        walk.let_begin[let_root] = static_cast<std::uint32_t>(begin);
        walk.let_end[let_root] = static_cast<std::uint32_t>(entries.size());
    }
    return {walk.let_begin[let_root], walk.let_end[let_root]};
}

}  // namespace

namespace {

// Whether the value of node `i` (known) could change once the unknown operands of the
// presumptions below it are settled, worked out for every node below it that matters, children
// first, into walk.rests (valid where walk.rest_epoch is `epoch`). An explicit stack: a chain of
// lets may be far deeper than the call stack.
//   - a presumption rests on its operand: when that is unknown, or rests itself;
//   - `and` true rests when any operand does; false, only when every false operand does (one
//     false operand that stays false keeps it false); `or` the other way round;
//   - `not`, a let, and an operation of known operands rest when any operand does.
bool rests_on_presumption(const Plan& plan, const CaseValues& values, std::uint32_t root, std::uint32_t epoch,
                          Scratch& walk) {
    auto done = [&](std::uint32_t i) { return walk.rest_epoch[i] == epoch; };
    auto truth = [&](std::uint32_t i) {  // of a known node; a let reference's value is its let's
        while (plan.nodes[i].op == Op::let_ref) i = plan.nodes[i].a;
        return node_value(values, i);
    };
    walk.rest_stack.clear();
    walk.rest_stack.emplace_back(root, false);
    while (!walk.rest_stack.empty()) {
        auto [i, expanded] = walk.rest_stack.back();
        walk.rest_stack.pop_back();
        if (done(i)) continue;
        const Node& n = plan.nodes[i];
        const bool leaf = lang::row(n.op).operands == lang::Operands::none;
        if (leaf || !known_value(plan, values, i)) {
            walk.rest_epoch[i] = epoch;
            walk.rests[i] = 0;
            continue;
        }
        if (lang::presumes(n.op) && !known_value(plan, values, n.a)) {
            walk.rest_epoch[i] = epoch;
            walk.rests[i] = 1;
            continue;
        }
        if (!expanded) {
            walk.rest_stack.emplace_back(i, true);
            for_each_child(plan, n, [&](std::uint32_t c) {
                if (!done(c)) walk.rest_stack.emplace_back(c, false);
            });
            continue;
        }
        bool any = false, every_deciding = true, deciding_seen = false;
        const bool is_and = n.op == Op::logic_and, is_or = n.op == Op::logic_or;
        const bool value = truth(i).num != 0;
        for_each_child(plan, n, [&](std::uint32_t c) {
            const bool r = walk.rests[c] != 0;
            any |= r;
            // The operands that decide an `and` that is false, an `or` that is true.
            if ((is_and && !value) || (is_or && value)) {
                const Value x = known_value(plan, values, c) ? truth(c) : Value::unknown();
                if (x.known && (x.num != 0) == value) {
                    deciding_seen = true;
                    every_deciding &= r;
                }
            }
        });
        walk.rest_epoch[i] = epoch;
        walk.rests[i] = ((is_and && !value) || (is_or && value)) ? (deciding_seen && every_deciding) : any;
    }
    return walk.rests[root] != 0;
}

}  // namespace

void presumed_facts(const Plan& plan, const CaseValues& values, std::uint32_t root, std::vector<std::uint32_t>& out,
                    Scratch& walk) {
    const std::size_t count = plan.nodes.size();
    if (walk.marks.size() < count) walk.marks.resize(count, 0);
    if (walk.rest_epoch.size() < count) {
        walk.rest_epoch.resize(count, 0);
        walk.rests.resize(count, 0);
        walk.rest_seen.resize(count, 0);
    }
    if (++walk.rest_round == 0) {
        std::fill(walk.rest_epoch.begin(), walk.rest_epoch.end(), 0);
        std::fill(walk.rest_seen.begin(), walk.rest_seen.end(), 0);
        walk.rest_round = 1;
    }
    const std::uint32_t epoch = walk.rest_round;
    if (!known_value(plan, values, root) || !rests_on_presumption(plan, values, root, epoch, walk)) return;
    // Down the nodes that rest on a presumption, to each presumption whose operand is unknown;
    // the facts that leave that operand unknown are what would settle it.
    std::vector<std::uint32_t>& pending = walk.pending_lets;
    pending.clear();
    pending.push_back(root);
    walk.rest_seen[root] = epoch;
    while (!pending.empty()) {
        const std::uint32_t i = pending.back();
        pending.pop_back();
        const Node& n = plan.nodes[i];
        if (lang::presumes(n.op) && !known_value(plan, values, n.a)) {
            walk_unknown(plan, values, n.a, out, walk, [](std::uint32_t) { return true; });
            continue;
        }
        for_each_child(plan, n, [&](std::uint32_t c) {
            if (walk.rest_epoch[c] == epoch && walk.rests[c] && walk.rest_seen[c] != epoch) {
                walk.rest_seen[c] = epoch;
                pending.push_back(c);
            }
        });
    }
}

void missing_facts(const Plan& plan, const CaseValues& values, std::uint32_t root,
                   std::vector<std::uint32_t>& out, Scratch& walk) {
    const std::size_t count = plan.nodes.size();
    if (walk.marks.size() < count) walk.marks.resize(count, 0);
    if (walk.let_epoch.size() < count) {
        walk.let_epoch.resize(count, 0);
        walk.let_begin.resize(count);
        walk.let_end.resize(count);
        walk.let_seen.resize(count, 0);
    }
    if (walk.fact_seen.size() < plan.slots.size()) walk.fact_seen.resize(plan.slots.size(), 0);
    // This call's marks: a fact listed, a let entered. One counter for both;
    // when it wraps, both are cleared (see next_epoch).
    if (++walk.root_epoch == 0) {
        std::fill(walk.let_seen.begin(), walk.let_seen.end(), 0);
        std::fill(walk.fact_seen.begin(), walk.fact_seen.end(), 0);
        walk.root_epoch = 1;
    }
    const std::uint32_t mark = walk.root_epoch;
    const std::size_t first = out.size();
    std::vector<std::uint32_t>& lets = walk.pending_lets;
    lets.clear();
    // The root's own condition: its unknown facts, and the unknown lets it names.
    std::vector<std::uint32_t>& own = walk.own_facts;
    own.clear();
    walk_unknown(plan, values, root, own, walk, [&](std::uint32_t let_root) {
        if (walk.let_seen[let_root] != mark) {
            walk.let_seen[let_root] = mark;
            lets.push_back(let_root);
        }
        return false;
    });
    for (const std::uint32_t f : own) {
        if (walk.fact_seen[f] != mark) {
            walk.fact_seen[f] = mark;
            out.push_back(f);
        }
    }
    // Then every let reached, each once for this root, through the lists the
    // case keeps: a let shared by many rules is walked once per case, and each
    // rule pays for the entries of the lets it reaches, not for their conditions.
    while (!lets.empty()) {
        const std::uint32_t let_root = lets.back();
        lets.pop_back();
        const auto [begin, end] = let_entries(plan, values, let_root, walk);
        for (std::uint32_t e = begin; e < end; ++e) {
            const std::uint32_t x = walk.let_entries[e];
            if (x & let_tag) {
                const std::uint32_t inner = x & ~let_tag;
                if (walk.let_seen[inner] != mark) {
                    walk.let_seen[inner] = mark;
                    lets.push_back(inner);
                }
            } else if (walk.fact_seen[x] != mark) {
                walk.fact_seen[x] = mark;
                out.push_back(x);
            }
        }
    }
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
}

}  // namespace bia::eval
