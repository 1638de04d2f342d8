// Rendering a result for machines (JSON) and for people (text, HTML).
#pragma once

#include <bia/export.hpp>
#include <bia/pack.hpp>
#include <bia/result.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace bia {

// The result contract as text: two-space indentation, trailing newline,
// integral numbers without a fraction. Byte-identical for identical input.
BIA_API std::string render_json(const Result& result);
// The same contract as one compact line: no whitespace between tokens, then a
// newline; otherwise byte-identical to render_json (same keys, order, values).
// Written straight from the result, without building a JSON value: for batches.
BIA_API std::string render_json_line(const Result& result);
// Appends that line to `out`, so a caller can reuse one buffer for many results.
BIA_API void write_json_line(const Result& result, std::string& out);
// A case-conference sheet for people. The pack supplies fact descriptions.
BIA_API std::string render_text(const Result& result, const Pack& pack);
// One self-contained HTML page with the same content as the text report.
BIA_API std::string render_html(const Result& result, const Pack& pack);
// Text for HTML or XML: & < > " ' as character references, everything else as it is.
// render_html writes every string of the pack and the result through it.
BIA_API std::string escape_markup(std::string_view text);

// The JSON values below are built in this header, from the library's text or
// plain structs, so that the library's exported symbols carry no nlohmann type
// (a host may use another nlohmann version than the library was built with).

// The result contract as a JSON value, keys in contract order: render_json's
// text, parsed. (Whole numbers are unsigned or signed integers as nlohmann
// parses them; the text is the contract.)
inline nlohmann::ordered_json to_json(const Result& result) { return nlohmann::ordered_json::parse(render_json(result)); }

// Fact errors as JSON: [{"path": ..., "message": ...}].
inline nlohmann::ordered_json to_json(const std::vector<FactError>& errors) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& e : errors) out.push_back({{"path", e.path}, {"message", e.message}});
    return out;
}

// Diagnostics as JSON: [{"code", "path", "line", "column", "message"}].
inline nlohmann::ordered_json to_json(const std::vector<Diagnostic>& diagnostics) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& d : diagnostics) {
        out.push_back({{"code", d.code}, {"path", d.path}, {"line", d.line}, {"column", d.column}, {"message", d.message}});
    }
    return out;
}

}  // namespace bia
