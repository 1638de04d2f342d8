// libFuzzer target 1: pack text -> parse -> check -> compile; a pack that compiles is then
// evaluated against an empty case and a case made up from the input, and reported.
#include "invariants.hpp"

#include <bia/bia.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace {

// A small deterministic generator, seeded from the input, for the made-up case.
struct Rng {
    std::uint64_t state;
    std::uint64_t next() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    }
    std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h | 1;
}

void put(nlohmann::json& root, const std::string& path, nlohmann::json value) {
    nlohmann::json* node = &root;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = path.find('.', start);
        const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (dot == std::string::npos) {
            (*node)[key] = std::move(value);
            return;
        }
        node = &(*node)[key];
        start = dot + 1;
    }
}

nlohmann::json made_up_case(const bia::Pack& pack, Rng& rng) {
    static const char* dates[] = {"2000-01-01", "2026-03-01", "2012-02-29", "2025-02-28",
                                  "0001-01-01", "9999-12-31", "2026-02-28", "1970-01-01"};
    static const double numbers[] = {0, 1, 2, -1, 17, 18, 0.5, 1e300, -1e300, 3};
    static const char* texts[] = {"", "x", "girl", "\xc3\xa9t\xc3\xa9", "a\"b"};
    // A value of `f`'s type; a list's elements are objects of made-up field values (language 2).
    std::function<nlohmann::json(const bia::FactInfo&)> value_of = [&](const bia::FactInfo& f) -> nlohmann::json {
        switch (f.type) {
            case bia::FactType::boolean: return rng.below(2) == 0;
            case bia::FactType::number: return numbers[rng.below(std::size(numbers))];
            case bia::FactType::text: return texts[rng.below(std::size(texts))];
            case bia::FactType::date: return dates[rng.below(std::size(dates))];
            case bia::FactType::one_of: return f.members[rng.below(f.members.size())];
            case bia::FactType::list: {
                nlohmann::json a = nlohmann::json::array();
                for (std::size_t n = rng.below(std::min<std::size_t>(f.capacity, 4) + 1); n > 0; --n) {
                    nlohmann::json element = nlohmann::json::object();
                    for (const auto& field : f.fields) {
                        if (rng.below(4) != 0) element[field.path] = value_of(field);
                    }
                    a.push_back(std::move(element));
                }
                return a;
            }
            case bia::FactType::set_of: {
                nlohmann::json a = nlohmann::json::array();
                for (const auto& m : f.members) {
                    if (rng.below(3) == 0) a.push_back(m);
                }
                return a;
            }
        }
        return nullptr;
    };
    nlohmann::json c = nlohmann::json::object();
    for (const auto& f : pack.facts()) {
        if (rng.below(4) == 0) continue;  // left unknown
        put(c, f.path, rng.below(10) == 0 ? nlohmann::json(nullptr) : value_of(f));
    }
    return c;
}

void evaluate_and_report(const bia::Pack& pack, const nlohmann::json& facts, bia::Date as_of) {
    bia::EvalOptions options;
    options.as_of = as_of;
    const std::string text = facts.dump();
    const auto from_text = pack.evaluate(std::string_view(text), options);
    const auto from_value = pack.evaluate(facts, options);
    bia::fuzz::require(from_text.ok() == from_value.ok(), "text and value binding agree on success");
    if (!from_text.ok()) {
        // Only a value the made-up case cannot hold should fail; facts clash only by prefix, which the
        // checker refuses, so any fact error here is an engine bug.
        bia::fuzz::fail("a well-typed made-up case was refused");
    }
    bia::fuzz::check_result(pack, *from_text.result);
    const std::string a = bia::fuzz::check_json(pack, *from_text.result);
    bia::fuzz::require(a == bia::render_json(*from_value.result), "text and value binding give the same result");
    (void)bia::render_text(*from_text.result, pack);
    (void)bia::render_html(*from_text.result, pack);
}

// A few made-up cases in one block (Pack::evaluate_batch): each gets the
// result it gets alone, whatever the pack's operations.
void check_batch(const bia::Pack& pack, Rng& rng, bia::Date as_of) {
    bia::EvalOptions options;
    options.as_of = as_of;
    std::vector<std::string> texts{nlohmann::json::object().dump()};
    for (int i = 0; i < 5; ++i) texts.push_back(made_up_case(pack, rng).dump());
    std::vector<bia::Result> results(texts.size());
    std::vector<bia::BatchCase> batch(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) batch[i] = {texts[i], &results[i], nullptr, nullptr};
    pack.evaluate_batch(batch, options);
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const auto alone = pack.evaluate(texts[i], options);
        bia::fuzz::require(batch[i].evaluated == alone.ok(), "a batch evaluates what evaluate does");
        if (alone.ok()) {
            bia::fuzz::require(bia::render_json(results[i]) == bia::render_json(*alone.result),
                               "a case in a batch gets the result it gets alone");
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view source(reinterpret_cast<const char*>(data), size);
    const bia::Limits limits;
    auto compiled = bia::compile(source, "fuzz.bia", limits);
    if (!compiled.ok()) {
        bia::fuzz::require(!compiled.diagnostics.empty(), "a refused pack has a diagnostic");
        bia::fuzz::require(compiled.diagnostics.size() <= limits.max_diagnostics, "at most max_diagnostics");
        for (const auto& d : compiled.diagnostics) {
            bia::fuzz::require(d.line >= 1 && d.column >= 1, "positions are 1-based");
            bia::fuzz::require(!d.code.empty() && !d.message.empty(), "a diagnostic has a code and a message");
        }
        (void)bia::format_diagnostics(compiled.diagnostics);
        (void)bia::to_json(compiled.diagnostics).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return 0;
    }
    const bia::Pack& pack = *compiled.pack;
    bia::fuzz::require(!pack.levels().empty(), "a compiled pack has a level");

    Rng rng{fnv1a(source)};
    const bia::Date as_of = *bia::Date::from_ymd(2026, 3, 1);
    evaluate_and_report(pack, nlohmann::json::object(), as_of);
    evaluate_and_report(pack, made_up_case(pack, rng), as_of);
    evaluate_and_report(pack, made_up_case(pack, rng), *bia::Date::from_ymd(9999, 12, 31));
    check_batch(pack, rng, as_of);

    // Explanations walk the plan a second way; a few rules are enough.
    const std::string facts = made_up_case(pack, rng).dump();
    bia::EvalOptions options;
    options.as_of = as_of;
    for (std::size_t i = 0; i < pack.rules().size() && i < 3; ++i) {
        const auto e = bia::explain(pack, facts, pack.rules()[rng.below(pack.rules().size())].name, options);
        bia::fuzz::require(e.explanation.has_value(), "a declared rule can be explained");
        (void)bia::render_explanation(*e.explanation);
    }
    // Pack tests read case files from disk; run only those that cannot.
    if (source.find("case") == std::string_view::npos) (void)bia::run_tests(pack);
    return 0;
}
