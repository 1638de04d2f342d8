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
bool known_value(const Plan& plan, const CaseValues& values, std::uint32_t i) {
    while (plan.nodes[i].op == Op::let_ref) i = plan.nodes[i].a;
    const Node& n = plan.nodes[i];
    if (n.op == Op::fact) return known_fact(values, n.a);
    return known_node(values, i);
}

// Walks the unknown nodes below `root`, appending unknown facts to `out`
// unsorted, and hands each unknown let reached to `on_let(let_root)`, which
// returns whether to walk into it.
template <typename OnLet>
void walk_unknown(const Plan& plan, const CaseValues& values, std::uint32_t root,
                  std::vector<std::uint32_t>& out, Scratch& walk, OnLet&& on_let) {
    const std::uint32_t epoch = next_epoch(walk);
    walk.stack.clear();
    walk.stack.push_back(root);
    while (!walk.stack.empty()) {
        const std::uint32_t i = walk.stack.back();
        walk.stack.pop_back();
        const Node& n = plan.nodes[i];
        // Facts and constants a fused step read have no value of their own.
        if (n.op == Op::fact) {
            if (!known_fact(values, n.a)) out.push_back(n.a);
            continue;
        }
        if (n.op == Op::constant || walk.marks[i] == epoch || known_value(plan, values, i)) continue;
        walk.marks[i] = epoch;
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
}

void missing_facts(const Plan& plan, const CaseValues& values, std::uint32_t root,
                   std::vector<std::uint32_t>& out, Scratch& walk) {
    const std::size_t count = plan.nodes.size();
    if (walk.marks.size() < count) walk.marks.resize(count, 0);
    if (walk.let_epoch.size() < count) {
        walk.let_epoch.resize(count, 0);
        walk.let_missing.resize(count);
    }
    const std::size_t first = out.size();
    // One walk: facts go to `out`; a let listed earlier in the case is noted and
    // not entered; a let not yet listed is entered (its facts are the rule's too)
    // and listed afterwards, for the next rules that reach it.
    std::vector<std::uint32_t>& pending = walk.pending_lets;
    std::vector<std::uint32_t>& listed_lets = walk.listed_lets;
    pending.clear();
    listed_lets.clear();
    walk_unknown(plan, values, root, out, walk, [&](std::uint32_t let_root) {
        if (walk.let_epoch[let_root] == walk.case_epoch) {
            listed_lets.push_back(let_root);
            return false;
        }
        walk.let_epoch[let_root] = walk.case_epoch;
        pending.push_back(let_root);
        return true;
    });
    // Lets are compiled in dependency order: by node index, each let's own lets
    // are listed before it, so listing needs no recursion.
    std::sort(pending.begin(), pending.end());
    for (const std::uint32_t let_root : pending) {
        std::vector<std::uint32_t>& listed = walk.let_missing[let_root];
        listed.clear();
        walk_unknown(plan, values, let_root, listed, walk, [&](std::uint32_t inner) {
            const auto& inner_listed = walk.let_missing[inner];
            listed.insert(listed.end(), inner_listed.begin(), inner_listed.end());
            return false;
        });
        std::sort(listed.begin(), listed.end());
        listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
    }
    // After the listing: a let entered above may also have been reached a second time.
    for (const std::uint32_t let_root : listed_lets) {
        const auto& listed = walk.let_missing[let_root];
        out.insert(out.end(), listed.begin(), listed.end());
    }
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
    out.erase(std::unique(out.begin() + static_cast<std::ptrdiff_t>(first), out.end()), out.end());
}

}  // namespace bia::eval
