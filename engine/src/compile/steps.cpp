// The last compile pass: from the node plan to the tests and steps evaluation runs (see compiler::RangeTest).
#include "compile/steps.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace bia::compiler {
namespace {

// The node that holds the value of node `i`: a let reference's let, through lets of lets.
std::uint32_t resolve(const Plan& plan, std::uint32_t i) {
    while (plan.nodes[i].op == Op::let_ref) i = plan.nodes[i].a;
    return i;
}

// The slot of a fact that is not text, read directly or through lets; none otherwise.
std::uint32_t plain_fact_slot(const Plan& plan, std::uint32_t node) {
    const Node& n = plan.nodes[resolve(plan, node)];
    // An imprecise fact's value may be an interval, which a test's one comparison cannot take.
    return n.op == Op::fact && plan.slots[n.a].kind != SlotKind::text && !plan.slots[n.a].imprecise ? n.a : none;
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

// `fact OP k` as `fact in [lo, hi]` (or outside it): one test for all six
// comparisons. Facts and constants are finite, so `< k` is `<= the double
// below k`; a NaN would be outside every interval, as it fails every comparison but `!=`.
RangeTest range_test(Op op, double k) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    RangeTest t;
    t.lo = -inf;
    t.hi = inf;
    switch (op) {
        case Op::eq_num: t.lo = t.hi = k; break;
        case Op::ne_num: t.lo = t.hi = k; t.outside = true; break;
        case Op::lt: t.hi = std::nextafter(k, -inf); break;
        case Op::le: t.hi = k; break;
        case Op::gt: t.lo = std::nextafter(k, inf); break;
        default: t.lo = k; break;  // ge
    }
    return t;
}

// The test of `slot`, writing node `out`, with the answers worked out for the pass (RangeTest).
void add_range_test(Plan& plan, RangeTest t, std::uint32_t slot, std::uint32_t out) {
    t.slot = slot;
    t.out = out;
    const std::uint64_t all = ~std::uint64_t{0};
    t.flip = t.outside ? all : 0;
    t.on_bool = plan.slots[slot].kind == SlotKind::boolean;
    if (t.on_bool) {  // a bool is 1 or 0
        t.when_true = ((t.lo <= 1 && 1 <= t.hi) != t.outside) ? all : 0;
        t.when_false = ((t.lo <= 0 && 0 <= t.hi) != t.outside) ? all : 0;
    }
    plan.range_tests.push_back(t);
}

// Adds a fact test doing the work of node `i` and its leaf operands, if one can.
bool add_test(Plan& plan, std::uint32_t i) {
    const Node& n = plan.nodes[i];
    switch (n.op) {
        case Op::eq_num: case Op::ne_num: case Op::lt: case Op::le: case Op::gt: case Op::ge: {
            std::uint32_t fact = n.a, constant = n.b;
            Op op = n.op;
            if (plain_fact_slot(plan, fact) == none) {
                std::swap(fact, constant);
                op = mirrored(op);
            }
            const std::uint32_t slot = plain_fact_slot(plan, fact);
            if (slot == none || !is_number_constant(plan, constant)) return false;
            add_range_test(plan, range_test(op, plan.nodes[constant].num), slot, i);
            return true;
        }
        case Op::logic_not: {
            const std::uint32_t slot = plain_fact_slot(plan, n.a);
            if (slot == none) return false;
            add_range_test(plan, range_test(Op::eq_num, 0), slot, i);  // a bool fact is false: 0
            return true;
        }
        case Op::in_enum_mask:
        case Op::in_bit: {
            const std::uint32_t slot = plain_fact_slot(plan, n.op == Op::in_bit ? n.b : n.a);
            if (slot == none) return false;
            SetTest t;
            t.bits = n.bits;
            t.slot = slot;
            t.out = i;
            (n.op == Op::in_bit ? plan.bit_tests : plan.index_tests).push_back(t);
            return true;
        }
        default: return false;
    }
}

// The step for node `i`: the node, with operands that are let references read from the let.
Step make_step(Plan& plan, std::uint32_t i) {
    Step s;
    s.node = plan.nodes[i];
    s.out = i;
    Node& n = s.node;
    switch (n.op) {
        case Op::logic_and:
        case Op::logic_or:
        case Op::count_true: {
            const std::uint32_t first = static_cast<std::uint32_t>(plan.step_operands.size());
            for (std::uint32_t k = 0; k < n.b; ++k) plan.step_operands.push_back(resolve(plan, plan.operands[n.a + k]));
            n.a = first;
            break;
        }
        case Op::in_bit: n.b = resolve(plan, n.b); break;
        default: {
            // The other operations read `a`, or `a` and `b`, as for_each_child says.
            bool first = true;
            for_each_child(plan, plan.nodes[i], [&](std::uint32_t c) {
                (first ? n.a : n.b) = resolve(plan, c);
                first = false;
            });
            break;
        }
    }
    return s;
}

bool is_boolean_op(Op op) { return lang::row(op).yields == lang::Yields::truth; }

// Where evaluation of `lanes` cases side by side keeps facts and node values
// (see BlockLayout). Which slots and nodes have a place does not depend on `lanes`.
BlockLayout lay_out(const Plan& plan, std::uint32_t lanes) {
    BlockLayout layout;
    layout.lanes = lanes;
    std::vector<std::uint8_t> slot_read(plan.slots.size(), 0);
    for (const RangeTest& t : plan.range_tests) slot_read[t.slot] = 1;
    for (const auto* tests : {&plan.index_tests, &plan.bit_tests}) {
        for (const SetTest& t : *tests) slot_read[t.slot] = 1;
    }
    for (const Step& s : plan.steps) {
        if (s.node.op == Op::fact || s.node.op == Op::known) slot_read[s.node.a] = 1;
    }
    layout.slot_offset.assign(plan.slots.size(), none);
    for (std::uint32_t i = 0; i < plan.slots.size(); ++i) {
        if (!slot_read[i]) continue;
        const SlotKind kind = plan.slots[i].kind;
        auto& list = kind == SlotKind::boolean ? layout.bool_slots : kind == SlotKind::text ? layout.text_slots : layout.value_slots;
        list.emplace_back(i, layout.words);
        layout.slot_offset[i] = layout.words;
        const bool wide = kind == SlotKind::text || plan.slots[i].imprecise;
        if (plan.slots[i].imprecise) layout.interval_slots.emplace_back(i, layout.words);
        layout.words += kind == SlotKind::boolean ? 2 : wide ? layout.text_words() : layout.value_words();
    }
    const std::size_t count = plan.nodes.size();
    std::vector<std::uint8_t> read_as_value(count, 0);
    std::vector<std::uint8_t>& text = layout.text;
    text.assign(count, 0);
    for (const Step& s : plan.steps) {
        const Op op = s.node.op;
        if (lang::reads_truth(op) || op == Op::let_ref) continue;
        for_each_child(plan, s.node, [&](std::uint32_t c) { read_as_value[c] = 1; });
    }
    layout.column.assign(count, none);
    auto give_column = [&](std::uint32_t i) {
        if (layout.column[i] != none) return;
        layout.column[i] = layout.columns;
        layout.columns += text[i] || plan.interval[i] ? layout.text_words() : layout.value_words();
    };
    for (const RangeTest& t : plan.range_tests) {
        if (read_as_value[t.out]) give_column(t.out);
    }
    for (const auto* tests : {&plan.index_tests, &plan.bit_tests}) {
        for (const SetTest& t : *tests) {
            if (read_as_value[t.out]) give_column(t.out);
        }
    }
    // Steps run operands first, so a let reference's let has its column by then.
    for (const Step& s : plan.steps) {
        const Node& n = s.node;
        bool column = read_as_value[s.out] || !is_boolean_op(n.op);
        if (n.op == Op::fact) {
            column = read_as_value[s.out] || plan.slots[n.a].kind != SlotKind::boolean;
            text[s.out] = plan.slots[n.a].kind == SlotKind::text;
        } else if (n.op == Op::constant) {
            text[s.out] = n.text;
        } else if (n.op == Op::let_ref) {
            column = layout.column[n.a] != none;
            text[s.out] = text[n.a];
        }
        if (column) give_column(s.out);
    }
    return layout;
}

}  // namespace

void build_steps(Plan& plan, StepsFor purpose, const std::vector<std::uint8_t>* only) {
    const bool every_node = purpose == StepsFor::every_node;
    if (!every_node) only = nullptr;  // evaluation's steps are what results read
    const std::size_t count = plan.nodes.size();
    for (Node& n : plan.nodes) {
        if (n.op != Op::fact) continue;
        n.text = plan.slots[n.a].kind == SlotKind::text;
    }
    plan.range_tests.clear();
    plan.index_tests.clear();
    plan.bit_tests.clear();
    plan.steps.clear();
    plan.step_runs.clear();
    plan.step_operands.clear();

    // Which nodes may hold an interval: operands come first, so one pass in order. A comparison
    // of one is a truth; the numbers and dates computed from one are intervals too.
    plan.interval.assign(count, 0);
    for (std::uint32_t i = 0; i < count; ++i) {
        Node& n = plan.nodes[i];
        if (n.op == Op::fact) {
            plan.interval[i] = plan.slots[n.a].imprecise;
        } else if (lang::yields_interval(n.op)) {
            plan.interval[i] = 1;
        } else if (lang::row(n.op).yields != lang::Yields::truth) {
            for_each_child(plan, n, [&](std::uint32_t c) { plan.interval[i] |= plan.interval[c]; });
        }
        n.wide = plan.interval[i] != 0;  // what the copy steps (fact, let_ref) read
    }

    // Which nodes need a value: the operands of steps (lets resolved), rule
    // roots and action anchors. Tests read their facts' slots.
    std::vector<std::uint8_t> tested(count, 0), read(count, 0);
    for (std::uint32_t i = 0; i < count; ++i) {
        if (!every_node && add_test(plan, i)) {
            tested[i] = 1;
            continue;
        }
        if (plan.nodes[i].op == Op::let_ref) continue;  // read only if a root or an anchor
        for_each_child(plan, plan.nodes[i], [&](std::uint32_t c) { read[resolve(plan, c)] = 1; });
    }
    auto read_by_results = [&](std::uint32_t node) {
        read[node] = 1;
        read[resolve(plan, node)] = 1;  // what its copy step reads
    };
    for (const RulePlan& r : plan.rules) {
        read_by_results(r.root);
        for (const ActionPlan& a : r.actions) {
            if (a.anchor != none) read_by_results(a.anchor);
        }
    }

    // In slot order, the tests read a case's facts front to back, which the
    // hardware prefetches: the facts of a case in a large batch are rarely in the cache.
    auto by_slot = [](const auto& x, const auto& y) { return x.slot < y.slot; };
    std::stable_sort(plan.range_tests.begin(), plan.range_tests.end(), by_slot);
    std::stable_sort(plan.index_tests.begin(), plan.index_tests.end(), by_slot);
    std::stable_sort(plan.bit_tests.begin(), plan.bit_tests.end(), by_slot);

    // Steps in plan order, with each node's depth: tests are depth 0, a step
    // one more than its deepest operand.
    std::vector<std::uint32_t> depth(count, 0);
    std::vector<std::uint8_t> truth_read(count, 0);
    std::vector<Step> steps;
    for (std::uint32_t i = 0; i < count; ++i) {
        const Op op = plan.nodes[i].op;
        const bool only_if_read = op == Op::fact || op == Op::constant || op == Op::let_ref;
        if (tested[i] || (only_if_read && !read[i] && !every_node)) continue;
        if (only && !(*only)[i]) continue;
        Step s = make_step(plan, i);
        for_each_child(plan, plan.nodes[i], [&](std::uint32_t c) { s.interval |= plan.interval[c] != 0; });
        // A let reference copies its let, lower and upper bounds alike, as it copies a text's lengths.
        if (op == Op::let_ref) s.interval = false;
        std::uint32_t deepest = 0;
        auto operand = [&](std::uint32_t c) {
            deepest = std::max(deepest, depth[c]);
            if (lang::reads_truth(op)) truth_read[c] = 1;
        };
        if (lang::row(op).operands == lang::Operands::list) {  // its operands are in step_operands
            for (std::uint32_t k = 0; k < s.node.b; ++k) operand(plan.step_operands[s.node.a + k]);
        } else if (op == Op::let_ref) {
            operand(s.node.a);
        } else {
            for_each_child(plan, s.node, operand);
        }
        depth[i] = deepest + 1;
        steps.push_back(s);
    }
    for (Step& s : steps) s.truth = truth_read[s.out];

    // By depth, then operation (`and`/`or` of two operands apart, interval steps apart), then plan
    // order: runs of one operation.
    auto pair = [](const Step& s) { return (s.node.op == Op::logic_and || s.node.op == Op::logic_or) && s.node.b == 2; };
    std::stable_sort(steps.begin(), steps.end(), [&](const Step& x, const Step& y) {
        if (depth[x.out] != depth[y.out]) return depth[x.out] < depth[y.out];
        if (x.node.op != y.node.op) return x.node.op < y.node.op;
        if (x.interval != y.interval) return y.interval;
        return pair(x) > pair(y);
    });
    plan.steps = std::move(steps);
    for (std::uint32_t i = 0; i < plan.steps.size(); ++i) {
        const Step& s = plan.steps[i];
        // (A run may span two depths: its steps still run in order.)
        const StepRun* last = plan.step_runs.empty() ? nullptr : &plan.step_runs.back();
        if (last != nullptr && last->op == s.node.op && last->pairs == pair(s) && last->interval == s.interval) {
            ++plan.step_runs.back().count;
        } else {
            plan.step_runs.push_back(StepRun{s.node.op, pair(s), s.interval, i, 1});
        }
    }
    plan.block = lay_out(plan, block_lanes);
    plan.single = lay_out(plan, 1);
}

Plan with_every_node(const Plan& plan) {
    Plan every = plan;
    build_steps(every, StepsFor::every_node);
    return every;
}

Plan with_every_node(const Plan& plan, std::uint32_t root) {
    // The cone by an explicit stack (a chain of 20,000 lets must not recurse),
    // each node once: linear in the cone however many parents share a node.
    std::vector<std::uint8_t> cone(plan.nodes.size(), 0);
    std::vector<std::uint32_t> pending{root};
    cone[root] = 1;
    auto reach = [&](std::uint32_t c) {
        if (!cone[c]) {
            cone[c] = 1;
            pending.push_back(c);
        }
    };
    while (!pending.empty()) {
        const Node& n = plan.nodes[pending.back()];
        pending.pop_back();
        for_each_child(plan, n, reach);  // a let reference's child is its let
    }
    Plan every = plan;
    build_steps(every, StepsFor::every_node, &cone);
    return every;
}

}  // namespace bia::compiler
