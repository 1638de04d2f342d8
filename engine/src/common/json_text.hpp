// Text as a JSON string and UTF-8 well-formedness: the one implementation the
// result writers, the binders, the checker, the C API and Python all use
// (Python and the C API through bia::append_json_string in <bia/json_text.hpp>).
#pragma once

#include <cstddef>
#include <string_view>

namespace bia::detail {

// The length of the UTF-8 sequence that starts at s[i] when it is well-formed
// (1 for ASCII); otherwise 0, with `bad` set to the bytes one U+FFFD replaces:
// the longest start of a well-formed sequence there, at least 1 (Unicode's
// "maximal subpart" practice, which nlohmann::json's replace handler follows).
// Overlong forms, surrogates and code points past U+10FFFF are ill-formed.
constexpr std::size_t utf8_sequence(std::string_view s, std::size_t i, std::size_t& bad) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return 1;
    std::size_t follow = 0;  // continuation bytes after the lead
    unsigned char lo = 0x80, hi = 0xBF;  // the range of the first continuation byte
    if (c >= 0xC2 && c <= 0xDF) follow = 1;
    else if (c == 0xE0) { follow = 2; lo = 0xA0; }
    else if (c == 0xED) { follow = 2; hi = 0x9F; }
    else if (c >= 0xE1 && c <= 0xEF) follow = 2;
    else if (c == 0xF0) { follow = 3; lo = 0x90; }
    else if (c == 0xF4) { follow = 3; hi = 0x8F; }
    else if (c >= 0xF1 && c <= 0xF3) follow = 3;
    else {
        bad = 1;
        return 0;
    }
    for (std::size_t k = 1; k <= follow; ++k) {
        if (i + k >= s.size()) {
            bad = k;
            return 0;
        }
        const auto x = static_cast<unsigned char>(s[i + k]);
        if (x < lo || x > hi) {
            bad = k;
            return 0;
        }
        lo = 0x80;
        hi = 0xBF;
    }
    return follow + 1;
}

// Writes `text` as a JSON string in quotes through put(const char*, std::size_t):
// `"` and `\` escaped, control characters as \b \f \n \r \t or \u00xx, every
// other character as it is (UTF-8 kept, not \u-escaped), each ill-formed UTF-8
// part replaced by one U+FFFD. Byte for byte what nlohmann::json's
// dump(-1, ' ', false, error_handler_t::replace) writes for the string, which
// the result contract was first written with. At most 6 bytes per byte of
// text, plus 2.
template <typename Put>
void write_json_string(std::string_view text, Put&& put) {
    static constexpr char hex[] = "0123456789abcdef";
    put("\"", 1);
    std::size_t written = 0;  // text before this is written
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') {
            if (c < 0x80) {
                ++i;
                continue;
            }
            std::size_t bad = 0;
            if (const std::size_t length = utf8_sequence(text, i, bad)) {
                i += length;
                continue;
            }
            put(text.data() + written, i - written);
            put("\xEF\xBF\xBD", 3);
            i += bad;
            written = i;
            continue;
        }
        put(text.data() + written, i - written);
        char escape[6] = {'\\', static_cast<char>(c), 0, 0, 0, 0};
        std::size_t length = 2;
        switch (c) {
            case '"': case '\\': break;
            case '\b': escape[1] = 'b'; break;
            case '\f': escape[1] = 'f'; break;
            case '\n': escape[1] = 'n'; break;
            case '\r': escape[1] = 'r'; break;
            case '\t': escape[1] = 't'; break;
            default:
                escape[1] = 'u';
                escape[2] = '0';
                escape[3] = '0';
                escape[4] = hex[c >> 4];
                escape[5] = hex[c & 15];
                length = 6;
        }
        put(escape, length);
        written = ++i;
    }
    put(text.data() + written, text.size() - written);
    put("\"", 1);
}

}  // namespace bia::detail
