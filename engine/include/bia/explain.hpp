// Explaining one rule's outcome for one case, sub-expression by sub-expression.
#pragma once

#include <bia/export.hpp>
#include <bia/pack.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bia {

struct ExplainStep {
    unsigned depth = 0;       // nesting below the rule's condition
    std::string expression;   // the source text of the sub-expression
    std::string value;        // "true", "false", "unknown", "12", "2026-03-01", "\"girl\"", ...
    bool via_let = false;     // the expression is the definition of a let used above
};

// The search for `would_fire` tries one value of one missing fact at a time
// (both values of a yes/no fact, each member of a `one of`), each try a pass
// over the rule's condition; it stops after this many tries, so that an
// explanation costs at most this many passes over the condition, however many
// facts the rule is missing (docs/reliability.md).
inline constexpr std::size_t explain_max_tries = 1000;

enum class RuleOutcome { fired, not_fired, undetermined };

struct Explanation {
    std::string rule;
    std::string title;
    RuleOutcome outcome = RuleOutcome::not_fired;
    std::vector<ExplainStep> steps;
    // For an undetermined rule: the facts it waits for, and single facts whose
    // value alone would make it fire ("child.unaccompanied = true").
    std::vector<std::string> missing;
    std::vector<std::string> would_fire;
    // The search for would_fire stopped at explain_max_tries: values not tried
    // may also make the rule fire on their own. `missing` is complete either way.
    bool search_stopped = false;
};

struct ExplainResult {
    std::optional<Explanation> explanation;
    std::vector<FactError> errors;  // the case could not be read
    std::string problem;            // the rule does not exist
};

// The caller asks to see values here: unlike errors, explanations show the
// case's values, because explaining them is the point.
BIA_API ExplainResult explain(const Pack& pack, std::string_view case_json, std::string_view rule,
                              const EvalOptions& options = {});
BIA_API std::string render_explanation(const Explanation& explanation);

}  // namespace bia
