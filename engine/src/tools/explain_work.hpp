// What one explanation costs, counted as it runs, so that tests can assert its
// growth without timing it (tests/eval_memory_test.cpp, docs/reliability.md).
#pragma once

#include <bia/explain.hpp>

#include <cstdint>

namespace bia::detail {

struct ExplainWork {
    std::uint64_t passes = 0;  // passes over the rule's condition: one, then one per value tried
    std::uint64_t steps = 0;   // tests and steps those passes ran
    std::uint64_t cone = 0;    // nodes in the rule's cone: the steps of one pass
};

// bia::explain, adding what it does to `work`.
ExplainResult explain(const Pack& pack, std::string_view case_json, std::string_view rule, const EvalOptions& options,
                      ExplainWork& work);

}  // namespace bia::detail
