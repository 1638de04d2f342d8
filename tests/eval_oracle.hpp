// The oracle the evaluation loop is checked against: each node's meaning
// (eval_node, from lang/operations.hpp) applied to every node in plan order,
// with no fused tests, no lanes and no layout. Test code only: the engine has
// one loop (eval/block.cpp).
#pragma once

#include "compile/plan.hpp"
#include "eval/block.hpp"
#include "eval/semantics.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include <string>
#include <string_view>
#include <vector>

namespace bia_test {

// Language 2's intervals too: a node that reads an interval takes eval_bounds' meaning (over every
// node's bounds), an imprecise fact its case's bounds, and a count of truths the interval of the
// true ones to the true or unknown ones; the values returned are the lower bounds, as a value
// column holds them.
inline std::vector<bia::eval::Value> reference_values(const bia::compiler::Plan& plan, const bia::eval::BoundCase& bound,
                                                      std::int32_t today) {
    using bia::compiler::Op;
    std::vector<bia::eval::Value> v(plan.nodes.size());
    std::vector<bia::eval::Bounds> b(plan.nodes.size());
    for (std::uint32_t i = 0; i < plan.nodes.size(); ++i) {
        const auto& n = plan.nodes[i];
        bool reads_interval = false;
        bia::compiler::for_each_child(plan, n, [&](std::uint32_t c) { reads_interval |= plan.interval[c] != 0; });
        if (n.op == Op::count_true) {
            double lower = 0, upper = 0;
            for (std::uint32_t k = 0; k < n.b; ++k) {
                const auto& x = v[plan.operands[n.a + k]];
                lower += x.known && x.num != 0;
                upper += !(x.known && x.num == 0);
            }
            v[i] = bia::eval::Value::number(lower);
            b[i] = {v[i], upper};
            continue;
        }
        if (reads_interval && n.op != Op::let_ref) {
            b[i] = bia::eval::eval_bounds(plan, n, b.data(), today);
            v[i] = b[i].lo;
            continue;
        }
        v[i] = bia::eval::eval_node(plan, n, v.data(), bound, today);
        b[i] = {v[i], v[i].num};
        if (n.op == Op::let_ref) b[i] = b[n.a];
        if (n.op == Op::fact && v[i].known && !bound.upper.empty() && !std::isnan(bound.upper[n.a])) b[i].hi = bound.upper[n.a];
    }
    return v;
}

// Node `i` after a pass (`got`) is what the oracle says (`want`): known the
// same, and if known the same truth, text, or bits (or equal numbers).
inline ::testing::AssertionResult same_value(const bia::compiler::Plan& plan, const bia::eval::CaseValues& got,
                                             const bia::eval::Value& want, std::uint32_t i) {
    const bool known = bia::eval::known_node(got, i);
    const bia::eval::Value x = bia::eval::node_value(got, i);
    if (known != want.known || x.known != want.known) {
        return ::testing::AssertionFailure() << "node " << i << " known " << known << ", oracle " << want.known;
    }
    if (!want.known) return ::testing::AssertionSuccess();
    if (got.layout->text[i]) {
        if (std::string_view(x.str, x.len) == std::string_view(want.str, want.len)) return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << "node " << i << " text differs from the oracle's";
    }
    if (plan.info[i].kind == bia::compiler::NodeKind::boolean) {
        if ((x.num != 0) == (want.num != 0)) return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << "node " << i << " truth " << x.num << ", oracle " << want.num;
    }
    if (x.num == want.num || x.bits == want.bits) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "node " << i << " value " << x.num << ", oracle " << want.num;
}

}  // namespace bia_test
