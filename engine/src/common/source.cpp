// Line/column mapping, diagnostic formatting and collection.
#include "common/source.hpp"

#include "common/json_text.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace bia::detail {

SourceText::SourceText(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
    line_starts_.push_back(0);
    for (std::uint32_t i = 0; i < text_.size(); ++i) {
        if (text_[i] == '\n') line_starts_.push_back(i + 1);
    }
}

LineColumn SourceText::locate(std::uint32_t offset) const {
    offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const auto line_index = static_cast<std::uint32_t>(it - line_starts_.begin() - 1);
    std::uint32_t column = 1;
    for (std::uint32_t i = line_starts_[line_index]; i < offset; ++i) {
        // Continuation bytes do not start a code point.
        if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
    }
    return {line_index + 1, column};
}

std::string_view SourceText::line_text(std::uint32_t offset) const {
    offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const std::size_t begin = *(it - 1);
    std::size_t end = text_.find('\n', begin);
    if (end == std::string::npos) end = text_.size();
    if (end > begin && text_[end - 1] == '\r') --end;
    return std::string_view(text_).substr(begin, end - begin);
}

void DiagnosticSink::error(std::string code, Span span, std::string message) {
    if (full()) return;
    Diagnostic d;
    d.code = std::move(code);
    d.message = std::move(message);
    if (span.file < files_.size()) {
        const auto& file = files_[span.file];
        const auto lc = file.locate(span.begin);
        d.path = file.name();
        d.line = lc.line;
        d.column = lc.column;
        d.source_line = std::string(file.line_text(span.begin));
    }
    entries_.push_back({span, std::move(d)});
}

std::vector<Diagnostic> DiagnosticSink::take() {
    std::stable_sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
        if (a.span.file != b.span.file) return a.span.file < b.span.file;
        return a.span.begin < b.span.begin;
    });
    std::vector<Diagnostic> out;
    out.reserve(entries_.size());
    for (auto& e : entries_) out.push_back(std::move(e.diagnostic));
    entries_.clear();
    return out;
}

std::size_t comment_start(std::string_view line) {
    bool in_string = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (in_string) {
            if (c == '\\' && i + 1 < line.size()) ++i;
            else if (c == '"' ) in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '#') {
            return i;
        }
    }
    return std::string_view::npos;
}

bool valid_utf8(std::string_view s, std::size_t& bad_offset) {
    for (std::size_t i = 0; i < s.size();) {
        std::size_t bad = 0;
        const std::size_t length = utf8_sequence(s, i, bad);
        if (length == 0) {
            bad_offset = i;
            return false;
        }
        i += length;
    }
    return true;
}

std::string quoted(std::string_view text, char quote) {
    // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on "'" + std::string(...) + "'".
    std::string out;
    out.reserve(text.size() + 2);
    out += quote;
    out += text;
    out += quote;
    return out;
}

std::string describe_token(std::string_view text, std::size_t offset) {
    while (offset < text.size() && (text[offset] == ' ' || text[offset] == '\t')) ++offset;
    if (offset >= text.size()) return "end of file";
    const char c = text[offset];
    if (c == '\n' || c == '\r') return "end of line";
    if (c == '"') return "a string";
    if (c == '#') return "a comment";
    auto is_ident = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
    if (std::isdigit(static_cast<unsigned char>(c))) return "a number";
    if (is_ident(c)) {
        std::size_t end = offset;
        while (end < text.size() && end - offset < 40 && is_ident(text[end])) ++end;
        return quoted(text.substr(offset, end - offset));
    }
    if (static_cast<unsigned char>(c) >= 0x80) return "a non-ASCII character";
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
        char code[32];
        std::snprintf(code, sizeof code, "a control character U+%04X", static_cast<unsigned char>(c));
        return code;
    }
    return quoted(std::string_view(&text[offset], 1));
}

}  // namespace bia::detail

namespace bia {
namespace {

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

// A pack's control characters (ESC, NUL, ...) echoed raw would act on the
// terminal or cut the text: they are shown as \xHH, 4 columns wide.
void append_visible(std::string& out, std::string_view text, bool keep_tabs) {
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_control(c) && !(keep_tabs && c == '\t')) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += ch;
        }
    }
}

}  // namespace

std::string Diagnostic::format() const {
    std::string out;
    append_visible(out, path, false);
    // Appended piece by piece: `":" + std::to_string(...)` makes GCC 12 at -O3 warn
    // (-Wrestrict, a false positive in its inlined basic_string::insert).
    out += ':';
    out += std::to_string(line);
    out += ':';
    out += std::to_string(column);
    out += ": error: ";
    append_visible(out, message, false);
    if (!code.empty()) out += " [" + code + "]";
    out += "\n";
    if (!source_line.empty()) {
        // A very long line (hostile or generated input) is shown as a window around the column.
        constexpr std::uint32_t window = 60;
        std::vector<std::size_t> starts;  // byte offset of each code point
        for (std::size_t i = 0; i < source_line.size(); ++i) {
            if ((static_cast<unsigned char>(source_line[i]) & 0xC0) != 0x80) starts.push_back(i);
        }
        // A line of stray continuation bytes (a file that is not UTF-8) has no code point start.
        if (starts.empty()) starts.push_back(0);
        const std::uint32_t total = static_cast<std::uint32_t>(starts.size());
        std::uint32_t first = 1, last = total;
        if (total > 2 * window + 20) {
            first = column > window ? std::min(column - window, total) : 1;
            last = std::min(total, first + 2 * window);
        }
        const std::size_t from = starts[first - 1];
        const std::size_t to = last < total ? starts[last] : source_line.size();
        const std::string prefix = first > 1 ? "..." : "";
        out += "  " + prefix;
        append_visible(out, std::string_view(source_line).substr(from, to - from), true);
        out += std::string(last < total ? "..." : "") + "\n  " + std::string(prefix.size(), ' ');
        // Keep tabs so the caret lines up under the same code point.
        for (std::uint32_t col = first; col < column && col <= last; ++col) {
            const auto c = static_cast<unsigned char>(source_line[starts[col - 1]]);
            out += c == '\t' ? "\t" : is_control(c) ? "    " : " ";
        }
        out += "^\n";
    }
    return out;
}

std::string format_diagnostics(const std::vector<Diagnostic>& diagnostics) {
    std::string out;
    for (const auto& d : diagnostics) out += d.format();
    return out;
}

}  // namespace bia
