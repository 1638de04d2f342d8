// Splits each file into top-level items, parses them, and keeps the comments.
#include "syntax/parser.hpp"

#include "syntax/grammar.hpp"

#include <string_view>

namespace bia::syntax {
namespace {

bool word_at(std::string_view line, std::size_t pos, std::string_view word) {
    return line.substr(pos, word.size()) == word && (pos + word.size() == line.size() || !is_ident_char(line[pos + word.size()]));
}

// Does the line (from `pos`, its first non-blank) start a top-level declaration?
// `domain NAME "title"` does; the rule clause `domain NAME` does not. So does `record NAME "title"`.
bool starts_item(std::string_view line, std::size_t pos) {
    for (std::string_view k : {"pack", "source", "fact", "let", "level", "rule", "test"}) {
        if (!word_at(line, pos, k)) continue;
        // `source : text` is a record's field (language 2) named after a keyword, which the checker
        // refuses by name (E0203), not a declaration: no declaration has a ':' after its keyword.
        std::size_t i = pos + k.size();
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        return i >= line.size() || line[i] != ':';
    }
    // `language 2`; a line starting `language.x` continues an expression (no v1 pack may break).
    if (word_at(line, pos, "language")) {
        std::size_t i = pos + 8;
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        return i < line.size() && line[i] >= '0' && line[i] <= '9';
    }
    // `record NAME "title"` (language 2) as a domain: a line `record.x ...` continues an expression.
    std::size_t i = pos;
    if (word_at(line, pos, "domain")) i += 6;
    else if (word_at(line, pos, "record")) i += 6;
    else return false;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t name_start = i;
    while (i < line.size() && is_ident_char(line[i])) ++i;
    if (i == name_start) return false;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    return i < line.size() && line[i] == '"';
}

}  // namespace

std::vector<File> parse_files(const std::vector<detail::SourceText>& sources, const Limits& limits,
                              detail::DiagnosticSink& sink) {
    std::vector<File> files;
    for (std::uint32_t f = 0; f < sources.size(); ++f) {
        File file;
        file.index = f;
        const std::string& text = sources[f].text();
        std::size_t bad = 0;
        if (!detail::valid_utf8(text, bad)) {
            sink.error("E0105", detail::Span{f, static_cast<std::uint32_t>(bad), static_cast<std::uint32_t>(bad + 1)},
                       "the file is not valid UTF-8 (first bad byte here); save it as UTF-8");
            files.push_back(std::move(file));
            continue;
        }
        // Find where each item starts, and the comments.
        std::vector<std::uint32_t> starts;
        std::size_t pos = 0;
        while (pos <= text.size()) {
            std::size_t eol = text.find('\n', pos);
            if (eol == std::string::npos) eol = text.size();
            const std::string_view line(text.data() + pos, eol - pos);
            std::size_t first = 0;
            while (first < line.size() && (line[first] == ' ' || line[first] == '\t' || line[first] == '\r')) ++first;
            const std::size_t hash = detail::comment_start(line);
            if (hash != std::string_view::npos) {
                std::size_t end = line.size();
                if (end > hash && line[end - 1] == '\r') --end;
                file.comments.push_back(
                    detail::Span{f, static_cast<std::uint32_t>(pos + hash), static_cast<std::uint32_t>(pos + end)});
            }
            if (first < line.size() && first != hash) {
                if (starts_item(line, first)) {
                    starts.push_back(static_cast<std::uint32_t>(pos + first));
                } else if (starts.empty()) {
                    starts.push_back(static_cast<std::uint32_t>(pos + first));
                }
            }
            if (eol == text.size()) break;
            pos = eol + 1;
        }
        for (std::size_t i = 0; i < starts.size() && !sink.full(); ++i) {
            const std::uint32_t begin = starts[i];
            const std::uint32_t end = i + 1 < starts.size() ? starts[i + 1] : static_cast<std::uint32_t>(text.size());
            auto parsed = parse_item(text, begin, end, f, limits.max_expression_depth);
            if (auto* item = std::get_if<Item>(&parsed)) {
                file.items.push_back(std::move(*item));
            } else {
                auto& p = std::get<ParseProblem>(parsed);
                sink.error(p.code, detail::Span{f, p.offset, p.offset + 1}, p.message);
            }
        }
        files.push_back(std::move(file));
    }
    return files;
}

}  // namespace bia::syntax
