// An independent encoder of the result contract, for checking the library's
// one encoder (report/json_writer.cpp, behind render_json, render_json_line and
// to_json): the contract built field by field as an nlohmann value. The fuzz
// targets and bench/check_paths.cpp require the library's bytes to equal this
// value's dump. Test code only.
#pragma once

#include <bia/bia.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

namespace bia::fuzz {

using ordered = nlohmann::ordered_json;

// Scores are doubles; the contract prints whole numbers as integers.
inline ordered number(double v) {
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.0e15) return ordered(static_cast<std::int64_t>(v));
    return ordered(v);
}

inline ordered optional_string(const std::optional<std::string>& s) {
    return s ? ordered(*s) : ordered(nullptr);
}

// The contract of `r` as a JSON value, keys in contract order.
inline ordered reference_json(const Result& r) {
    ordered j;
    if (r.id) j["id"] = ordered::parse(*r.id);  // first, and only when asked for (EvalOptions::id_field)
    j["engine"] = r.engine;
    j["pack"] = ordered{{"name", r.pack_name}, {"version", r.pack_version}, {"digest", r.pack_digest}};
    j["as_of"] = r.as_of.to_string();
    j["level"] = r.level;
    j["possible_level"] = r.possible_level;
    j["score"] = number(r.score);
    j["possible_score"] = number(r.possible_score);
    ordered domains = ordered::object();
    for (const auto& d : r.domains) domains[d.name] = ordered{{"title", d.title}, {"score", number(d.score)}};
    j["domains"] = std::move(domains);
    ordered fired = ordered::array();
    for (const auto& f : r.fired) {
        ordered actions = ordered::array();
        for (const auto& a : f.actions) {
            ordered one{{"text", a.text},
                        {"due", a.due ? ordered(a.due->to_string()) : ordered(nullptr)},
                        {"overdue", a.overdue}};
            if (a.immediate) one["immediate"] = true;  // result 1.2: only then
            actions.push_back(std::move(one));
        }
        ordered cites = ordered::array();
        for (const auto& c : f.cites) {
            cites.push_back(ordered{{"source", c.source}, {"title", c.title}, {"ref", optional_string(c.ref)}});
        }
        fired.push_back(ordered{{"rule", f.rule},
                                {"title", f.title},
                                {"domain", optional_string(f.domain)},
                                {"severity", optional_string(f.severity)},
                                {"score", number(f.score)},
                                {"actions", std::move(actions)},
                                {"cites", std::move(cites)}});
    }
    j["fired"] = std::move(fired);
    ordered undetermined = ordered::array();
    for (const auto& u : r.undetermined) undetermined.push_back(ordered{{"rule", u.rule}, {"missing", u.missing}});
    j["undetermined"] = std::move(undetermined);
    j["missing"] = r.missing;
    ordered warnings = ordered::array();
    for (const auto& w : r.warnings) {
        ordered one{{"path", w.path}, {"message", w.message}};
        if (!w.suggestion.empty()) one["suggestion"] = w.suggestion;  // only then: older results keep their bytes
        warnings.push_back(std::move(one));
    }
    j["warnings"] = std::move(warnings);
    j["ask_first"] = r.ask_first;
    if (!r.imprecise.empty()) j["imprecise"] = r.imprecise;  // result 1.2 (language 2): only then
    return j;
}

}  // namespace bia::fuzz
