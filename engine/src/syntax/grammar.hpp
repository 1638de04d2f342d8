// The parser for one top-level item; the only interface to the Spirit X3 grammar.
#pragma once

#include "syntax/ast.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace bia::syntax {

// The characters of a name, for the grammar and for the parser's split into items.
constexpr bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
constexpr bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

struct ParseProblem {
    std::uint32_t offset = 0;
    std::string code;
    std::string message;
};

// Parses the item in text[begin, end) of file number `file`. Spans in the
// result are offsets into `text`. Expressions nested deeper than `max_depth`
// are refused with a problem that names the limit.
std::variant<Item, ParseProblem> parse_item(std::string_view text, std::uint32_t begin, std::uint32_t end,
                                            std::uint32_t file, unsigned max_depth);

// Reserved words: they cannot name a fact (first path segment), let, rule,
// level, domain or source.
bool is_keyword(std::string_view word);

}  // namespace bia::syntax
