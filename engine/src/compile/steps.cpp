// The last compile pass: from the node plan to the steps evaluation runs (see compiler::Step).
#include "compile/steps.hpp"

#include <algorithm>
#include <utility>

namespace bia::compiler {
namespace {

bool is_plain_fact(const Plan& plan, std::uint32_t node) {
    const Node& n = plan.nodes[node];
    return n.op == Op::fact && plan.slots[n.a].kind != SlotKind::text;
}

bool is_number_constant(const Plan& plan, std::uint32_t node) {
    const Node& n = plan.nodes[node];
    return n.op == Op::constant && !n.text;
}

// `a OP b` read as `b OP' a`.
Op mirrored(Op op) {
    switch (op) {
        case Op::lt: return Op::gt;
        case Op::le: return Op::ge;
        case Op::gt: return Op::lt;
        case Op::ge: return Op::le;
        default: return op;  // eq_num, ne_num
    }
}

StepOp fact_comparison(Op op) {
    switch (op) {
        case Op::eq_num: return StepOp::eq_fact;
        case Op::ne_num: return StepOp::ne_fact;
        case Op::lt: return StepOp::lt_fact;
        case Op::le: return StepOp::le_fact;
        case Op::gt: return StepOp::gt_fact;
        default: return StepOp::ge_fact;
    }
}

// A step that does the work of node `i` and its leaf operands, if there is one.
bool fuse(const Plan& plan, std::uint32_t i, Step& step) {
    const Node& n = plan.nodes[i];
    switch (n.op) {
        case Op::eq_num: case Op::ne_num: case Op::lt: case Op::le: case Op::gt: case Op::ge: {
            std::uint32_t fact = n.a, constant = n.b;
            Op op = n.op;
            if (!is_plain_fact(plan, fact)) {
                std::swap(fact, constant);
                op = mirrored(op);
            }
            if (!is_plain_fact(plan, fact) || !is_number_constant(plan, constant)) return false;
            step.op = fact_comparison(op);
            step.slot = plan.nodes[fact].a;
            step.k = plan.nodes[constant].num;
            return true;
        }
        case Op::in_enum_mask:
            if (!is_plain_fact(plan, n.a)) return false;
            step.op = StepOp::in_mask_fact;
            step.slot = plan.nodes[n.a].a;
            step.bits = n.bits;
            return true;
        case Op::in_bit:
            if (!is_plain_fact(plan, n.b)) return false;
            step.op = StepOp::in_bit_fact;
            step.slot = plan.nodes[n.b].a;
            step.bits = n.bits;
            return true;
        case Op::logic_not:
            if (!is_plain_fact(plan, n.a)) return false;
            step.op = StepOp::not_fact;
            step.slot = plan.nodes[n.a].a;
            return true;
        default: return false;
    }
}

// Short-circuit jumps are sound only if a skipped node is read by nothing but
// its parent: every node has at most one parent, apart from let roots, which
// let_ref nodes read and which are no other node's operand.
bool is_tree(const Plan& plan) {
    std::vector<std::uint8_t> parents(plan.nodes.size(), 0), let_root(plan.nodes.size(), 0);
    for (const Node& n : plan.nodes) {
        if (n.op == Op::let_ref) {
            let_root[n.a] = 1;
            continue;
        }
        bool shared = false;
        for_each_child(plan, n, [&](std::uint32_t c) { shared |= parents[c]++ > 0; });
        if (shared) return false;
    }
    for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
        if (let_root[i] && parents[i]) return false;
    }
    return true;
}

}  // namespace

void build_steps(Plan& plan) {
    const std::size_t count = plan.nodes.size();
    for (Node& n : plan.nodes) {
        if (n.op == Op::fact) n.text = plan.slots[n.a].kind == SlotKind::text;
    }

    // Which nodes need a step: all but fact and constant leaves that only fused steps read.
    std::vector<Step> fused(count);
    std::vector<std::uint8_t> is_fused(count, 0), read(count, 0);
    for (std::uint32_t i = 0; i < count; ++i) {
        Step& s = fused[i];
        s.out = i;
        if (fuse(plan, i, s)) {
            is_fused[i] = 1;
            continue;
        }
        for_each_child(plan, plan.nodes[i], [&](std::uint32_t c) { read[c] = 1; });
    }
    for (const RulePlan& r : plan.rules) {
        read[r.root] = 1;
        for (const ActionPlan& a : r.actions) {
            if (a.anchor != none) read[a.anchor] = 1;
        }
    }

    // An `and`/`or` takes its fused operands in as atoms; they need no step then.
    // (Only in a tree: an operand with two parents would be left unwritten for one.)
    // If it has other operands too, its atoms are a step placed before them all
    // (`early`), which jumps past the `and`/`or` when an atom decides it; the
    // `and`/`or` itself stays a plain step that reads every operand's value.
    const bool tree = is_tree(plan);
    std::vector<std::uint8_t> absorbed(count, 0);
    std::vector<Step> early(count);
    std::vector<std::uint8_t> has_early(count, 0);
    std::vector<std::uint32_t> subtree_start(count);
    plan.atoms.clear();
    for (std::uint32_t i = 0; tree && i < count; ++i) {
        const Node& n = plan.nodes[i];
        subtree_start[i] = i;
        if (n.op != Op::let_ref) {
            for_each_child(plan, n, [&](std::uint32_t c) { subtree_start[i] = std::min(subtree_start[i], subtree_start[c]); });
        }
        if (n.op != Op::logic_and && n.op != Op::logic_or) continue;
        std::uint32_t fused_operands = 0;
        for (std::uint32_t k = 0; k < n.b; ++k) fused_operands += is_fused[plan.operands[n.a + k]];
        if (fused_operands == 0) continue;
        Step& s = fused_operands == n.b ? fused[i] : early[i];
        has_early[i] = fused_operands != n.b;
        s.out = i;
        s.op = n.op == Op::logic_and ? StepOp::and_atoms : StepOp::or_atoms;
        s.first = static_cast<std::uint32_t>(plan.atoms.size());
        s.count = fused_operands;
        for (std::uint32_t k = 0; k < n.b; ++k) {
            const std::uint32_t operand = plan.operands[n.a + k];
            if (!is_fused[operand]) continue;
            Atom atom;
            atom.out = operand;
            atom.op = fused[operand].op;
            atom.slot = fused[operand].slot;
            atom.bits = fused[operand].bits;
            absorbed[operand] = 1;
            plan.atoms.push_back(atom);
        }
    }

    // Steps in node order; an early step goes before the first node of its
    // `and`/`or` (outer ones first: they may spare the inner ones).
    std::vector<std::vector<std::uint32_t>> early_at(count);
    for (std::uint32_t i = count; i-- > 0;) {
        if (has_early[i]) early_at[subtree_start[i]].push_back(i);
    }
    std::vector<std::uint32_t> step_of(count, none), early_step(count, none);
    plan.steps.clear();
    for (std::uint32_t i = 0; i < count; ++i) {
        for (const std::uint32_t owner : early_at[i]) {
            early_step[owner] = static_cast<std::uint32_t>(plan.steps.size());
            plan.steps.push_back(early[owner]);
        }
        const Op op = plan.nodes[i].op;
        const bool leaf = op == Op::fact || op == Op::constant || op == Op::unknown;
        if ((leaf && !read[i]) || absorbed[i]) continue;
        step_of[i] = static_cast<std::uint32_t>(plan.steps.size());
        plan.steps.push_back(fused[i]);
    }

    if (!tree) return;
    for (std::uint32_t i = 0; i < count; ++i) {
        const Node& n = plan.nodes[i];
        if (n.op != Op::logic_and && n.op != Op::logic_or) continue;
        for (std::uint32_t k = 0; k < n.b; ++k) {
            const std::uint32_t operand = plan.operands[n.a + k];
            if (step_of[operand] == none) continue;  // an atom of this and/or
            Step& s = plan.steps[step_of[operand]];
            s.jump = step_of[i];
            s.jump_when = n.op == Op::logic_or;
        }
        if (early_step[i] != none) {
            Step& s = plan.steps[early_step[i]];
            s.jump = step_of[i];
            s.jump_when = n.op == Op::logic_or;
        }
    }
}

}  // namespace bia::compiler
