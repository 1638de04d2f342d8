// Runs the `test` declarations of a pack and records which rules they exercise.
#include <bia/testing.hpp>

#include "common/source.hpp"
#include "compile/plan.hpp"
#include "syntax/ast.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace bia {
namespace {

using ExpectKind = syntax::ExpectKind;

std::string fmt(double v) {
    std::ostringstream o;
    o << v;
    return o.str();
}

// Sets `path` (dotted) in `root` to `value`, making objects on the way.
void overlay(nlohmann::json& root, const std::string& path, nlohmann::json value) {
    nlohmann::json* node = &root;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = path.find('.', start);
        const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!node->is_object()) *node = nlohmann::json::object();
        if (dot == std::string::npos) {
            (*node)[key] = std::move(value);
            return;
        }
        node = &(*node)[key];
        start = dot + 1;
    }
}

// True when JSON `text` nests arrays and objects deeper than `limit`, counted in one pass
// over the text (strings skipped), before anything is built: nlohmann's DOM of 16 MB of `[`
// took 656 MB before its depth could be checked.
bool nested_deeper_than(std::string_view text, std::size_t limit) {
    std::size_t depth = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"') {
            for (++i; i < text.size() && text[i] != '"'; ++i) {
                if (text[i] == '\\') ++i;
            }
        } else if (c == '[' || c == '{') {
            if (++depth > limit) return true;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return false;
}

std::optional<nlohmann::json> read_case(const std::filesystem::path& file, const Limits& limits,
                                        std::string& problem) {
    // A pack is untrusted input: read only a regular file, and no more than a case may hold
    // (`case "/dev/zero"` read forever).
    const std::size_t limit = limits.max_case_bytes;
    std::error_code ec;
    const auto status = std::filesystem::status(file, ec);
    if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
        problem = "case file " + file.string() + " is not a regular file";
        return std::nullopt;
    }
    if (const auto size = std::filesystem::file_size(file, ec); !ec && size > limit) {
        problem = "case file " + file.string() + " is larger than the limit of " + std::to_string(limit) +
                  " bytes (max_case_bytes)";
        return std::nullopt;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        problem = "cannot read case file " + file.string();
        return std::nullopt;
    }
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (nested_deeper_than(text, limits.max_json_depth)) {
        problem = "case file " + file.string() + " is nested deeper than the limit of " +
                  std::to_string(limits.max_json_depth) + " arrays and objects (max_json_depth)";
        return std::nullopt;
    }
    auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (parsed.is_discarded()) {
        problem = "case file " + file.string() + " is not valid JSON";
        return std::nullopt;
    }
    return parsed;
}

const char* outcome_word(const Result& r, const std::string& rule) {
    for (const auto& f : r.fired) {
        if (f.rule == rule) return "fired";
    }
    for (const auto& u : r.undetermined) {
        if (u.rule == rule) return "undetermined";
    }
    return "did not fire";
}

}  // namespace

std::size_t TestReport::passed() const {
    return static_cast<std::size_t>(std::count_if(tests.begin(), tests.end(), [](const auto& t) { return t.passed(); }));
}
std::size_t TestReport::failed() const { return tests.size() - passed(); }
double TestReport::coverage_percent() const {
    if (coverage.empty()) return 100;
    const auto covered = std::count_if(coverage.begin(), coverage.end(), [](const auto& c) { return c.covered(); });
    return 100.0 * static_cast<double>(covered) / static_cast<double>(coverage.size());
}

bool test_name_matches(std::string_view name, std::string_view pattern) {
    // Iterative glob: on a mismatch after a `*`, let that `*` take one more character.
    std::size_t n = 0, p = 0, star = std::string_view::npos, resume = 0;
    while (n < name.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
            ++n;
            ++p;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = n;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            n = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

TestReport run_tests(const Pack& pack) { return run_tests(pack, "*"); }

TestReport run_tests(const Pack& pack, std::string_view only) {
    const auto& compiled = detail::compiled(pack);
    const auto& plan = compiled.plan;
    TestReport report;
    for (const auto& r : compiled.rules) report.coverage.push_back(RuleCoverage{r.name});

    std::vector<detail::SourceText> sources;
    for (const auto& f : compiled.sources) sources.emplace_back(f.name, f.text);

    for (const auto& t : plan.tests) {
        if (!test_name_matches(t.name, only)) continue;
        TestCaseResult out;
        out.name = t.name;
        const auto& source = sources[t.file];
        out.path = source.name();
        out.line = source.locate(t.line).line;
        auto at = [&](std::uint32_t offset) { return "line " + std::to_string(source.locate(offset).line) + ": "; };

        nlohmann::json facts = nlohmann::json::object();
        if (t.case_file) {
            const auto base = std::filesystem::path(source.name()).parent_path();
            std::string problem;
            auto loaded = read_case(base / *t.case_file, compiled.limits, problem);
            if (!loaded) {
                out.failures.push_back(problem);
                report.tests.push_back(std::move(out));
                continue;
            }
            facts = std::move(*loaded);
        }
        for (const auto& [slot, literal] : t.given) {
            overlay(facts, compiled.slot_paths[slot], nlohmann::json::parse(literal));
        }
        EvalOptions options;
        if (t.as_of_days) options.as_of = Date::from_days(*t.as_of_days);
        const auto evaluation = pack.evaluate(facts, options);
        if (!evaluation.ok()) {
            for (const auto& e : evaluation.errors) out.failures.push_back("fact error at " + e.path + ": " + e.message);
            report.tests.push_back(std::move(out));
            continue;
        }
        const Result& r = *evaluation.result;
        for (std::size_t i = 0; i < compiled.rules.size(); ++i) {
            const std::string word = outcome_word(r, compiled.rules[i].name);
            auto& c = report.coverage[i];
            if (word == "fired") c.fired = true;
            else if (word == "undetermined") c.undetermined = true;
            else c.not_fired = true;
        }
        for (const auto& x : t.expects) {
            const auto kind = static_cast<ExpectKind>(x.kind);
            std::string failure;
            switch (kind) {
                case ExpectKind::level:
                    if (r.level != compiled.levels[x.target].name) {
                        failure = "expected level " + compiled.levels[x.target].name + ", got " + r.level;
                    }
                    break;
                case ExpectKind::possible_level:
                    if (r.possible_level != compiled.levels[x.target].name) {
                        failure = "expected possible_level " + compiled.levels[x.target].name + ", got " + r.possible_level;
                    }
                    break;
                case ExpectKind::score:
                    if (std::fabs(r.score - x.number) > 1e-9) failure = "expected score " + fmt(x.number) + ", got " + fmt(r.score);
                    break;
                case ExpectKind::possible_score:
                    if (std::fabs(r.possible_score - x.number) > 1e-9) {
                        failure = "expected possible_score " + fmt(x.number) + ", got " + fmt(r.possible_score);
                    }
                    break;
                case ExpectKind::fired:
                case ExpectKind::not_fired:
                case ExpectKind::undetermined:
                case ExpectKind::not_undetermined: {
                    const std::string& rule = compiled.rules[x.target].name;
                    const std::string word = outcome_word(r, rule);
                    if (kind == ExpectKind::fired && word != "fired") failure = "expected " + rule + " to fire; it " + (word == "undetermined" ? "was undetermined" : word);
                    if (kind == ExpectKind::not_fired && word == "fired") failure = "expected " + rule + " not to fire; it fired";
                    if (kind == ExpectKind::undetermined && word != "undetermined") failure = "expected " + rule + " to be undetermined; it " + word;
                    if (kind == ExpectKind::not_undetermined && word == "undetermined") failure = "expected " + rule + " not to be undetermined; it was";
                    if (!failure.empty() && word == "undetermined") {
                        for (const auto& u : r.undetermined) {
                            if (u.rule != rule) continue;
                            failure += " (missing:";
                            for (const auto& m : u.missing) failure += " " + m;
                            failure += ")";
                        }
                    }
                    break;
                }
                case ExpectKind::missing:
                case ExpectKind::not_missing: {
                    const std::string& path = compiled.slot_paths[x.target];
                    const bool listed = std::find(r.missing.begin(), r.missing.end(), path) != r.missing.end();
                    if (kind == ExpectKind::missing && !listed) failure = "expected " + path + " among the missing facts; it is not";
                    if (kind == ExpectKind::not_missing && listed) failure = "expected " + path + " not to be missing; it is";
                    break;
                }
            }
            if (!failure.empty()) out.failures.push_back(at(x.line) + failure);
        }
        report.tests.push_back(std::move(out));
    }
    return report;
}

}  // namespace bia
