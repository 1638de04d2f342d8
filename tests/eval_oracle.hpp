// The oracle the evaluation loop is checked against: each node's meaning
// (eval_node, from lang/operations.hpp) applied to every node in plan order,
// with no fused tests, no lanes and no layout. Test code only: the engine has
// one loop (eval/block.cpp).
#pragma once

#include "compile/plan.hpp"
#include "eval/block.hpp"
#include "eval/semantics.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace bia_test {

inline std::vector<bia::eval::Value> reference_values(const bia::compiler::Plan& plan, const bia::eval::BoundCase& bound,
                                                      std::int32_t today) {
    std::vector<bia::eval::Value> v(plan.nodes.size());
    for (std::size_t i = 0; i < plan.nodes.size(); ++i) v[i] = bia::eval::eval_node(plan, plan.nodes[i], v.data(), bound, today);
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
