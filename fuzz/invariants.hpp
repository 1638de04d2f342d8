// Checks every fuzz target applies to a result: a violation aborts, so libFuzzer keeps the input.
#pragma once

#include <bia/bia.hpp>

#include "result_oracle.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace bia::fuzz {

[[noreturn]] inline void fail(const char* what) {
    std::fprintf(stderr, "bia fuzz invariant violated: %s\n", what);
    std::abort();
}

inline void require(bool ok, const char* what) {
    if (!ok) fail(what);
}

inline std::size_t level_index(const Pack& pack, const std::string& name) {
    const auto& levels = pack.levels();
    for (std::size_t i = 0; i < levels.size(); ++i) {
        if (levels[i].name == name) return i;
    }
    fail("a result names a level the pack does not declare");
}

// The invariants of issue 6 that hold for every result, whatever the input.
inline void check_result(const Pack& pack, const Result& r) {
    require(r.possible_score >= r.score, "possible_score >= score");
    require(level_index(pack, r.possible_level) >= level_index(pack, r.level), "possible_level >= level");
    require(r.domains.size() == pack.domains().size(), "every declared domain is listed");
    require(r.fired.size() + r.undetermined.size() <= pack.rules().size(), "fired and undetermined are rules");
    for (const auto& u : r.undetermined) {
        for (const auto& f : r.fired) require(f.rule != u.rule, "a rule is fired or undetermined, not both");
        for (const auto& m : u.missing) {
            require(std::find(r.missing.begin(), r.missing.end(), m) != r.missing.end(),
                    "a rule's missing fact is in the case's missing list");
        }
    }
    require(r.ask_first.size() <= 5, "ask_first holds at most five facts");
    require(r.ask_first.empty() || level_index(pack, r.possible_level) > level_index(pack, r.level),
            "a fact is asked first only when the level can still rise");
    for (std::size_t i = 0; i < r.ask_first.size(); ++i) {
        const auto it = std::find(r.missing.begin(), r.missing.end(), r.ask_first[i]);
        require(it != r.missing.end(), "an ask_first fact is in the case's missing list");
        require(std::find(r.ask_first.begin(), r.ask_first.begin() + static_cast<std::ptrdiff_t>(i), r.ask_first[i]) ==
                    r.ask_first.begin() + static_cast<std::ptrdiff_t>(i),
                "ask_first has no repeats");
    }
    for (std::size_t i = 1; i < r.warnings.size(); ++i) {
        require(!(r.warnings[i].path < r.warnings[i - 1].path), "warnings are sorted by path");
    }
    for (const auto& f : r.fired) {
        for (const auto& a : f.actions) require(!a.overdue || a.due.has_value(), "only a dated action is overdue");
    }
}

// The JSON report must be valid JSON with the contract's shape, and stable.
inline std::string check_json(const Pack& pack, const Result& r) {
    const std::string text = render_json(r);
    require(!text.empty() && text.back() == '\n', "the JSON report ends in a newline");
    const auto parsed = nlohmann::json::parse(text, nullptr, false);
    require(!parsed.is_discarded(), "the JSON report parses as JSON");
    require(parsed.is_object() && parsed.contains("level") && parsed.contains("possible_score"),
            "the JSON report has the contract's fields");
    require(text == render_json(r), "rendering is deterministic");
    // The library's one encoder must write exactly what nlohmann writes from the
    // contract built independently (result_oracle.hpp).
    const auto value = reference_json(r);
    require(text == value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
            "render_json is nlohmann's dump(2) of the reference encoding");
    require(render_json_line(r) == value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
            "render_json_line is nlohmann's compact dump of the reference encoding");
    require(to_json(r) == value, "to_json is the reference encoding");
    (void)pack;
    return text;
}

}  // namespace bia::fuzz
