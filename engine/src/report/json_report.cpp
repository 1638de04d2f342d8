// The result contract as JSON: fixed key order, integral numbers without a fraction.
#include <bia/report.hpp>

#include "report/json_writer.hpp"

#include <cmath>

namespace bia {
namespace {

using ordered = nlohmann::ordered_json;

// Scores are doubles; the contract prints whole numbers as integers.
ordered number(double v) {
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.0e15) return ordered(static_cast<std::int64_t>(v));
    return ordered(v);
}

ordered optional_string(const std::optional<std::string>& s) { return s ? ordered(*s) : ordered(nullptr); }

}  // namespace

ordered to_json(const Result& r) {
    ordered j;
    if (r.id) j["id"] = ordered::parse(*r.id);  // first, as render_json writes it; only when asked for
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
            actions.push_back(ordered{{"text", a.text},
                                      {"due", a.due ? ordered(a.due->to_string()) : ordered(nullptr)},
                                      {"overdue", a.overdue}});
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
        if (!w.suggestion.empty()) one["suggestion"] = w.suggestion;  // only then: older results stay the same bytes
        warnings.push_back(std::move(one));
    }
    j["warnings"] = std::move(warnings);
    return j;
}

std::string render_json(const Result& r) {
    // The same bytes as to_json(r).dump(2, ...) + "\n" (bench/check_paths.cpp checks it), without
    // building the JSON value first: about fifteen times faster.
    return report::render_json_pretty(r);
}

ordered to_json(const std::vector<FactError>& errors) {
    ordered out = ordered::array();
    for (const auto& e : errors) out.push_back(ordered{{"path", e.path}, {"message", e.message}});
    return out;
}

ordered to_json(const std::vector<Diagnostic>& diagnostics) {
    ordered out = ordered::array();
    for (const auto& d : diagnostics) {
        out.push_back(ordered{{"code", d.code},
                              {"path", d.path},
                              {"line", d.line},
                              {"column", d.column},
                              {"message", d.message}});
    }
    return out;
}

}  // namespace bia
