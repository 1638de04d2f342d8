// The result of evaluating one case against a pack: the model behind every report.
#pragma once

#include <bia/date.hpp>
#include <bia/export.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bia {

struct ActionDue {
    std::string text;
    // Nothing when the action has no time frame or its anchor date is unknown.
    std::optional<Date> due;
    bool overdue = false;
    // The guidance says "immediately" (language 2's `immediately`): due on its anchor date.
    bool immediate = false;
};

struct Citation {
    std::string source;
    std::string title;
    std::optional<std::string> ref;
};

struct FiredRule {
    std::string rule;
    std::string title;
    std::optional<std::string> domain;
    std::optional<std::string> severity;
    double score = 0;
    std::vector<ActionDue> actions;
    std::vector<Citation> cites;
};

struct UndeterminedRule {
    std::string rule;
    // Unknown facts that could still change the rule's outcome, in declaration order.
    std::vector<std::string> missing;
};

struct DomainScore {
    std::string name;
    std::string title;
    double score = 0;
};

// A problem with the case data that did not stop the evaluation
// (an undeclared field, in non-strict mode). Never carries a fact value.
struct Warning {
    std::string path;
    std::string message;
    // The declared fact (or object of facts) whose name is closest to the
    // field's, when one is close enough to be a likely misspelling; else empty.
    // The message then ends with "(did you mean '<suggestion>'?)".
    std::string suggestion;
};

// A problem with the case data that stopped the evaluation. `path` names the
// field (`child.tags[0]`); `message` says what was expected and what JSON type
// was found, never the value.
struct FactError {
    std::string path;
    std::string message;
};

// The lean outcome of one evaluation (Pack::summarize_into): what cohort
// statistics need, as positions in the pack's lists instead of strings. It comes
// from the same evaluation as Result, so the two always agree: `level` names
// Result::level, `fired` the rules of Result::fired in the same order, and so on.
struct Summary {
    std::size_t level = 0, possible_level = 0;  // in Pack::levels()
    double score = 0, possible_score = 0;
    std::vector<std::uint32_t> fired;         // in Pack::rules(), as Result::fired
    std::vector<std::uint32_t> undetermined;  // in Pack::rules(), as Result::undetermined
    std::vector<std::uint32_t> missing;       // in Pack::fact_paths() (Pack::facts() for a pack without lists), ranked as Result::missing
    std::vector<std::uint32_t> ask_first;     // in Pack::fact_paths(), as Result::ask_first
    // The overdue actions of fired rules, in Result::fired's order: `action` is
    // the position in the rule's RuleInfo::actions.
    struct Overdue {
        std::uint32_t rule = 0, action = 0;
    };
    std::vector<Overdue> overdue;
};

struct Result {
    std::string engine;
    std::string pack_name;
    std::string pack_version;
    std::string pack_digest;
    Date as_of;
    std::string level;
    std::string possible_level;
    double score = 0;
    double possible_score = 0;
    std::vector<DomainScore> domains;
    std::vector<FiredRule> fired;
    std::vector<UndeterminedRule> undetermined;
    std::vector<std::string> missing;
    std::vector<Warning> warnings;
    // At most five of `missing`: those whose answer alone could raise the level,
    // highest rank, then severity, then open rules first (docs/result.md#ask-first).
    std::vector<std::string> ask_first;
    // The facts of `missing` that the case does give, but not precisely enough to settle a rule: a
    // partial date ("2009") or a number range that straddles what the rule asks (language 2).
    // A more precise value would settle them. In `missing`'s order.
    std::vector<std::string> imprecise;
    // The case id as JSON text ("C-17" with its quotes, or a number; "null"
    // when the case has none), only when EvalOptions::id_field was given.
    std::optional<std::string> id;
};

// Either a result, or the fact errors that kept the case from being evaluated.
struct Evaluation {
    std::optional<Result> result;
    std::vector<FactError> errors;
    bool ok() const { return result.has_value(); }
};

}  // namespace bia
