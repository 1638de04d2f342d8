// libFuzzer target 2: case JSON -> fact binding -> evaluation -> result JSON, against the PROTECT pack.
// The streaming binder (JSON text) is checked against the DOM binder (parsed value) on every input.
#include "invariants.hpp"

#include <bia/bia.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#ifndef BIA_FUZZ_PACK
#define BIA_FUZZ_PACK "rules/protect"
#endif

namespace {

const bia::Pack& protect() {
    static const bia::Pack pack = [] {
        const char* path = std::getenv("BIA_FUZZ_PACK");
        auto compiled = bia::load(path ? path : BIA_FUZZ_PACK);
        if (!compiled.ok()) {
            std::fprintf(stderr, "%s", bia::format_diagnostics(compiled.diagnostics).c_str());
            std::abort();
        }
        return *compiled.pack;
    }();
    return pack;
}

std::vector<std::pair<std::string, std::string>> sorted(const std::vector<bia::FactError>& errors) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& e : errors) out.emplace_back(e.path, e.message);
    std::sort(out.begin(), out.end());
    return out;
}

bool mentions(const std::vector<bia::FactError>& errors, std::string_view word) {
    return std::any_of(errors.begin(), errors.end(),
                       [&](const bia::FactError& e) { return e.message.find(word) != std::string::npos; });
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    (void)protect();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const bia::Pack& pack = protect();
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    bia::EvalOptions options;
    options.as_of = *bia::Date::from_ymd(2026, 3, 1);
    options.strict = size % 7 == 3;  // some inputs in strict mode, chosen by the input itself

    const auto from_text = pack.evaluate(text, options);
    for (const auto& e : from_text.errors) {
        // (The path is empty for an error about the case as a whole; an empty key is `[""]`.)
        bia::fuzz::require(!e.message.empty(), "a fact error says what is wrong");
    }
    if (from_text.ok()) {
        bia::fuzz::check_result(pack, *from_text.result);
        (void)bia::fuzz::check_json(pack, *from_text.result);
        (void)bia::render_text(*from_text.result, pack);
        (void)bia::render_html(*from_text.result, pack);
        bia::fuzz::require(bia::render_json(*pack.evaluate(text, options).result) == bia::render_json(*from_text.result),
                           "evaluation is deterministic");
    }
    {
        // In a block of cases (Pack::evaluate_batch), between two copies of a
        // training-shaped case, the input must get what it gets alone.
        static const std::string neighbour = R"({"child":{"birth_date":"2010-05-01","separation":"unaccompanied"},"views":{"heard":false}})";
        bia::Result results[3];
        std::vector<bia::FactError> errors[3];
        bia::BatchCase batch[3] = {{neighbour, &results[0], nullptr, &errors[0]},
                                   {text, &results[1], nullptr, &errors[1]},
                                   {neighbour, &results[2], nullptr, &errors[2]}};
        pack.evaluate_batch(batch, options);
        bia::fuzz::require(batch[1].evaluated == from_text.ok(), "a batch evaluates what evaluate does");
        if (from_text.ok()) {
            bia::fuzz::require(bia::render_json(results[1]) == bia::render_json(*from_text.result),
                               "a case in a batch gets the result it gets alone");
        } else {
            bia::fuzz::require(sorted(errors[1]) == sorted(from_text.errors), "a case in a batch gets its own fact errors");
        }
        bia::fuzz::require(batch[0].evaluated && batch[2].evaluated &&
                               bia::render_json(results[0]) == bia::render_json(results[2]),
                           "a case does not change its neighbours in a batch");
    }

    // The same case through a parsed value must give the same answer. nlohmann keeps the last of
    // duplicate keys and has no depth limit of its own, so skip what only the text binder can see.
    const bool text_only = mentions(from_text.errors, "duplicate key") || mentions(from_text.errors, "max_json_depth") ||
                           mentions(from_text.errors, "not valid") || mentions(from_text.errors, "empty");
    if (!text_only) {
        const auto value = nlohmann::json::parse(text, nullptr, false);
        if (!value.is_discarded()) {
            const auto from_value = pack.evaluate(value, options);
            bia::fuzz::require(from_value.ok() == from_text.ok(), "text and value binding agree on success");
            if (from_text.ok()) {
                bia::fuzz::require(bia::render_json(*from_value.result) == bia::render_json(*from_text.result),
                                   "text and value binding give the same result");
            } else {
                bia::fuzz::require(sorted(from_value.errors) == sorted(from_text.errors),
                                   "text and value binding report the same fact errors");
            }
        }
    }

    // One rule explained, chosen by the input.
    if (from_text.ok() && !pack.rules().empty()) {
        const auto& rule = pack.rules()[size % pack.rules().size()].name;
        const auto e = bia::explain(pack, text, rule, options);
        bia::fuzz::require(e.explanation.has_value(), "an evaluable case can be explained");
        (void)bia::render_explanation(*e.explanation);
    }
    return 0;
}
