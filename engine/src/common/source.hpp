// Source files of a pack and the mapping from byte offsets to lines and columns.
#pragma once

#include <bia/diagnostic.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bia::detail {

// A place in a pack's source: which file, and a half-open byte range in it.
struct Span {
    std::uint32_t file = 0;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
};

struct LineColumn {
    std::uint32_t line = 1;
    std::uint32_t column = 1;
};

// One file's text with a line index, so diagnostics can name line and column
// without the AST storing them.
class SourceText {
public:
    SourceText(std::string name, std::string text);

    const std::string& name() const { return name_; }
    const std::string& text() const { return text_; }
    // 1-based line and column; the column counts code points. CRLF is one newline.
    LineColumn locate(std::uint32_t offset) const;
    // The line holding `offset`, without its line ending.
    std::string_view line_text(std::uint32_t offset) const;

private:
    std::string name_;
    std::string text_;
    std::vector<std::uint32_t> line_starts_;
};

// Collects diagnostics across files, up to a limit, and sorts them by position.
class DiagnosticSink {
public:
    DiagnosticSink(const std::vector<SourceText>& files, std::size_t limit)
        : files_(files), limit_(limit) {}

    void error(std::string code, Span span, std::string message);
    bool has_errors() const { return !entries_.empty(); }
    bool full() const { return entries_.size() >= limit_; }
    std::vector<Diagnostic> take();

private:
    struct Entry {
        Span span;
        Diagnostic diagnostic;
    };
    const std::vector<SourceText>& files_;
    std::size_t limit_;
    std::vector<Entry> entries_;
};

// The offset of a `#` comment in `line`, outside strings, or npos.
std::size_t comment_start(std::string_view line);

// True when `text` is well-formed UTF-8; otherwise `bad_offset` is the first bad byte.
bool valid_utf8(std::string_view text, std::size_t& bad_offset);

// A short, value-free description of the token at `offset`: "'when'", "a number",
// "a string", "end of line", "end of file", ...
std::string describe_token(std::string_view text, std::size_t offset);

// `text` between two `quote` characters.
std::string quoted(std::string_view text, char quote = '\'');

}  // namespace bia::detail
