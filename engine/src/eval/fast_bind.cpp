// The fast path of binding: one pass over the case's text that checks the JSON
// and binds each value straight into its slot, with no document in between. It
// accepts only clean cases: every fact's value has the fact's type, no key or
// member name is written with an escape, and the only message is the warning
// for a field the pack does not declare (made by the same function as the full
// binder's). Anything else (errors, strict mode, limits, rare spellings) is left
// to the streaming nlohmann binder in facts.cpp, so every message keeps one
// source and stays the same. The pass may refuse more than it must, never accept
// more: any text it binds is valid JSON that the full binder binds to the same
// values and warnings.
//
// Why not a JSON library: simdjson's DOM parser copies every string to its tape
// before the walk can look at it, and its On-Demand parser is compiled, in
// Debian's build, for the portable scalar kernel only. Here the schema is known:
// a key is compared in place with the key the last case had there, and only a
// text value is ever copied (docs/performance.md, item 10).
#include "eval/facts.hpp"
#include "eval/decode.hpp"

#include "common/source.hpp"

#include <bia/date.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

namespace bia::eval {
namespace {

using compiler::none;
using compiler::Plan;
using compiler::SlotKind;

// Per-thread state: `seen` stamps the key nodes met in this case to find
// duplicate keys.
//
// Cases of a cohort come from one system and list their keys in the same order,
// so each object's keys are looked for where the last case had them:
// `first_key[n]` is the position, among key node n's children, of the key that
// came first in n's object last time, and `key_after[n]` the position, among
// n's siblings, of the key that followed n. They are only guesses (checked
// against the key, and against another pack's plan harmlessly wrong), so a
// case in another order costs a search, never a wrong binding.
struct FastState {
    std::vector<std::uint32_t> seen;
    std::uint32_t stamp = 0;
    std::vector<std::uint32_t> first_key, key_after;
};

FastState& state() {
    thread_local FastState s;
    return s;
}

using Children = std::vector<std::pair<std::string, std::uint32_t>>;

template <typename Word>
Word load(const char* p) {
    Word w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

// Keys and member names are short: comparing them here a word at a time (the
// last word overlapping the one before) is quicker than a call to memcmp for
// each candidate.
bool same_bytes(const char* a, const char* b, std::size_t n) {
    using W8 = std::uint64_t;
    using W4 = std::uint32_t;
    if (n >= 8) {
        for (std::size_t i = 0; i + 16 < n; i += 8) {
            if (load<W8>(a + i) != load<W8>(b + i)) return false;
        }
        // The last two words (overlapping for fewer than 16 bytes), with one branch.
        const std::size_t last = n > 16 ? n - 16 : 0;
        return ((load<W8>(a + last) ^ load<W8>(b + last)) | (load<W8>(a + n - 8) ^ load<W8>(b + n - 8))) == 0;
    }
    if (n >= 4) return ((load<W4>(a) ^ load<W4>(b)) | (load<W4>(a + n - 4) ^ load<W4>(b + n - 4))) == 0;
    for (; n > 0; --n) {
        if (*a++ != *b++) return false;
    }
    return true;
}

bool same_key(const std::string& a, std::string_view b) {
    return a.size() == b.size() && same_bytes(a.data(), b.data(), b.size());
}

// The position of key `k` among `children` (sorted by key), or none. A section
// holds a handful of keys: comparing lengths first rules out most at once.
std::uint32_t find_child(const Children& children, std::string_view k) {
    if (children.size() <= 32) {
        for (std::uint32_t i = 0; i < children.size(); ++i) {
            if (same_key(children[i].first, k)) return i;
        }
        return none;
    }
    auto it = std::lower_bound(children.begin(), children.end(), k,
                               [](const auto& c, std::string_view key) { return c.first < key; });
    return it != children.end() && it->first == k ? static_cast<std::uint32_t>(it - children.begin()) : none;
}

// Whether any of the eight bytes of `w` is a quote, a backslash or a control
// character: the bytes a string's scan must stop at (the usual bit tricks for a
// zero byte and a byte below 0x20; exact for "any").
constexpr bool stops_string(std::uint64_t w) {
    constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    const std::uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
    return (((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) | ((w - ones * 0x20) & ~w)) & highs;
}

constexpr bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Each step takes the cursor and returns it past what it read, or nullptr as
// soon as anything is not plainly clean (the full binder then decides). The
// cursor is passed by value so that it stays in a register: kept in the object,
// it would be stored and reloaded around every call.
class DirectBinder {
public:
    DirectBinder(const Plan& plan, const BindOptions& options, BoundCase& out, FastState& st, std::string_view json)
        : plan_(plan), options_(options), out_(out), st_(st), end_(json.data() + json.size()) {}

    // The whole text: one object, with nothing but white space around it.
    bool document(const char* p) {
        p = skip_space(p);
        if (p == end_ || *p != '{') return false;
        p = object(p, 0, 1);
        return p != nullptr && skip_space(p) == end_;
    }

private:
    const Plan& plan_;
    const BindOptions& options_;
    BoundCase& out_;
    FastState& st_;
    const char* const end_;

    // Cases are mostly written without white space: one comparison rules it out.
    const char* skip_space(const char* p) const {
        while (p != end_ && static_cast<unsigned char>(*p) <= ' ' && is_space(*p)) ++p;
        return p;
    }

    const char* literal(const char* p, std::string_view word) const {
        if (static_cast<std::size_t>(end_ - p) < word.size() || !same_bytes(p, word.data(), word.size())) return nullptr;
        return p + word.size();
    }

    // At the opening brace of the object for key node `key_node`.
    const char* object(const char* p, std::uint32_t key_node, unsigned depth) {
        if (depth > options_.max_depth) return nullptr;
        p = skip_space(p + 1);
        if (p != end_ && *p == '}') return p + 1;
        const auto& children = plan_.keys[key_node].children;
        std::uint32_t* guess = &st_.first_key[key_node];
        for (;;) {
            if (p == end_ || *p != '"') return nullptr;
            ++p;
            std::uint32_t position = *guess;
            const char* after = nullptr;
            if (position < children.size() && (after = key_here(p, children[position].first)) == nullptr) {
                // The key expected here was left out of this case: most often
                // the key that came after it last time is here instead. The
                // guess is kept, for the next case may have that key again.
                position = st_.key_after[children[position].second];
                if (position < children.size()) after = key_here(p, children[position].first);
            }
            if (after == nullptr) {
                std::string_view key;
                if ((after = plain_string(p, key)) == nullptr) return nullptr;
                position = find_child(children, key);
                if (position == none) {
                    // Not a fact: a warning (exports often carry such fields in every case).
                    if ((p = undeclared(after, key_node, depth, key)) == nullptr) return nullptr;
                    if (*p == ',') {
                        p = skip_space(p + 1);
                        continue;
                    }
                    return *p == '}' ? p + 1 : nullptr;
                }
                *guess = position;
            }
            p = after;
            const std::uint32_t child = children[position].second;
            guess = &st_.key_after[child];
            if (st_.seen[child] == st_.stamp) return nullptr;  // duplicate key
            st_.seen[child] = st_.stamp;
            p = skip_space(p);
            if (p == end_ || *p != ':') return nullptr;
            p = skip_space(p + 1);
            if (p == end_ || (p = value(p, child, depth)) == nullptr) return nullptr;
            p = skip_space(p);
            if (p == end_) return nullptr;
            if (*p == ',') {
                p = skip_space(p + 1);
                continue;
            }
            return *p == '}' ? p + 1 : nullptr;
        }
    }

    // Just past the closing quote of `key`, which names no fact under key node
    // `key_node` (an object at `depth`): past its value, which the full binder
    // would ignore too, and at the `,` or `}` after it, with the warning the
    // full binder gives. In strict mode, the error is the full binder's to give.
    const char* undeclared(const char* p, std::uint32_t key_node, unsigned depth, std::string_view key) {
        std::size_t bad = 0;
        if (!detail::valid_utf8(key, bad)) return nullptr;
        if (!options_.id_field.empty()) {
            const std::string path = key_path(plan_.keys[key_node].path, key);
            if (path == options_.id_field) return case_id(p, depth);
            // An id inside an object the pack does not declare (meta.id): the full binder finds it.
            if (options_.id_field.size() > path.size() && options_.id_field.substr(0, path.size()) == path &&
                options_.id_field[path.size()] == '.')
                return nullptr;
        }
        if (options_.strict) return nullptr;
        p = skip_space(p);
        if (p == end_ || *p != ':') return nullptr;
        p = skip_space(p + 1);
        if ((p = skip_value(p, depth)) == nullptr) return nullptr;
        // A few such fields are usual; many are left to the full binder, whose
        // check for duplicate keys does not compare each with every other.
        if (out_.warnings.size() >= max_ignored_keys) return nullptr;
        Warning warning = undeclared_field(plan_, key_node, key);
        // The same key twice in one object is an error: the same path twice.
        for (const auto& w : out_.warnings) {
            if (w.path == warning.path) return nullptr;
        }
        out_.warnings.push_back(std::move(warning));
        p = skip_space(p);
        return p == end_ ? nullptr : p;
    }

    // Past the value of the case id's key (BindOptions::id_field), kept as its
    // JSON text, when it is a string without escapes, which is taken as written.
    // Anything else (a number, whose text the full binder normalises, null, an
    // error, the key twice) is left to the full binder.
    const char* case_id(const char* p, unsigned depth) {
        p = skip_space(p);
        if (p == end_ || *p != ':') return nullptr;
        p = skip_space(p + 1);
        if (p == end_ || *p != '"' || !out_.id.empty()) return nullptr;
        const char* start = p;
        if ((p = skip_value(p, depth)) == nullptr) return nullptr;
        const std::string_view text(start, static_cast<std::size_t>(p - start));
        if (text.find('\\') != std::string_view::npos) return nullptr;
        out_.id.assign(text);
        p = skip_space(p);
        return p == end_ ? nullptr : p;
    }

    static constexpr std::size_t max_ignored_keys = 16;

    // At a value that binds nothing, inside a container at `depth`: past it,
    // when it is JSON the full binder would skip without a message (no
    // duplicate key, within the depth limit, every string plain UTF-8).
    const char* skip_value(const char* p, unsigned depth) {
        if (p == end_) return nullptr;
        std::size_t bad = 0;
        switch (*p) {
            case '"': {
                std::string_view s;
                if ((p = plain_string(p + 1, s)) == nullptr || !detail::valid_utf8(s, bad)) return nullptr;
                return p;
            }
            case 't': return literal(p, "true");
            case 'f': return literal(p, "false");
            case 'n': return literal(p, "null");
            case '[':
            case '{': break;
            default: {
                double d = 0;
                return number(p, d);
            }
        }
        // Containers: the depth limit as the full binder counts it, and a fixed
        // bound on this recursion whatever the limit is set to.
        if (depth + 1 > options_.max_depth || depth + 1 > 64) return nullptr;
        const bool object = *p == '{';
        p = skip_space(p + 1);
        if (p != end_ && *p == (object ? '}' : ']')) return p + 1;
        std::string_view keys[max_ignored_keys];
        std::size_t key_count = 0;
        for (;;) {
            if (object) {
                std::string_view key;
                if (p == end_ || *p != '"' || (p = plain_string(p + 1, key)) == nullptr) return nullptr;
                // A duplicate key here is still an error; a long object is left to the full binder.
                if (key_count == max_ignored_keys || !detail::valid_utf8(key, bad)) return nullptr;
                for (std::size_t i = 0; i < key_count; ++i) {
                    if (keys[i] == key) return nullptr;
                }
                keys[key_count++] = key;
                p = skip_space(p);
                if (p == end_ || *p != ':') return nullptr;
                p = skip_space(p + 1);
            }
            if ((p = skip_value(p, depth + 1)) == nullptr) return nullptr;
            p = skip_space(p);
            if (p == end_) return nullptr;
            if (*p == ',') {
                p = skip_space(p + 1);
                continue;
            }
            return *p == (object ? '}' : ']') ? p + 1 : nullptr;
        }
    }

    // Just past a key's opening quote: past its closing quote when the key is
    // written there as `key` is. Declared keys are names (letters, digits,
    // underscores), so the bytes up to the quote are the whole key.
    const char* key_here(const char* p, const std::string& key) const {
        const std::size_t n = key.size();
        if (static_cast<std::size_t>(end_ - p) <= n || p[n] != '"' || !same_bytes(p, key.data(), n)) return nullptr;
        return p + n + 1;
    }

    // Over the bytes of a string that need no look, eight at a time.
    const char* skip_plain(const char* p) const {
        while (end_ - p >= 8 && !stops_string(load<std::uint64_t>(p))) p += 8;
        return p;
    }

    // Just past an opening quote: the string's bytes when it has no escape, and
    // past its closing quote. Escapes in keys, members and dates are left to
    // the full binder; a control character is not JSON.
    const char* plain_string(const char* p, std::string_view& s) const {
        const char* start = p;
        for (p = skip_plain(p); p != end_; ++p) {
            const auto c = static_cast<unsigned char>(*p);
            if (c == '"') {
                s = std::string_view(start, static_cast<std::size_t>(p - start));
                return p + 1;
            }
            if (c == '\\' || c < 0x20) return nullptr;
        }
        return nullptr;
    }

    // Just past an opening quote: appends the string, unescaped, to the arena.
    const char* text_string(const char* p) {
        std::string& arena = out_.arena;
        const std::size_t begin = arena.size();
        const char* run = p;
        for (;;) {
            p = skip_plain(p);
            if (p == end_) return nullptr;
            const auto c = static_cast<unsigned char>(*p);
            if (c == '"') break;
            if (c < 0x20) return nullptr;
            if (c != '\\') {
                ++p;
                continue;
            }
            arena.append(run, static_cast<std::size_t>(p - run));
            if (++p == end_) return nullptr;
            switch (*p++) {
                case '"': arena += '"'; break;
                case '\\': arena += '\\'; break;
                case '/': arena += '/'; break;
                case 'b': arena += '\b'; break;
                case 'f': arena += '\f'; break;
                case 'n': arena += '\n'; break;
                case 'r': arena += '\r'; break;
                case 't': arena += '\t'; break;
                case 'u': {
                    std::uint32_t cp = 0;
                    if ((p = hex4(p, cp)) == nullptr) return nullptr;
                    if (cp >= 0xDC00 && cp <= 0xDFFF) return nullptr;  // a lone low surrogate
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        std::uint32_t low = 0;
                        if ((p = literal(p, "\\u")) == nullptr || (p = hex4(p, low)) == nullptr || low < 0xDC00 ||
                            low > 0xDFFF)
                            return nullptr;
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    }
                    append_utf8(arena, cp);
                    break;
                }
                default: return nullptr;
            }
            run = p;
        }
        arena.append(run, static_cast<std::size_t>(p - run));
        std::size_t bad = 0;
        return detail::valid_utf8(std::string_view(arena).substr(begin), bad) ? p + 1 : nullptr;
    }

    const char* hex4(const char* p, std::uint32_t& cp) const {
        if (end_ - p < 4) return nullptr;
        for (int i = 0; i < 4; ++i) {
            const int h = hex_value(*p++);
            if (h < 0) return nullptr;
            cp = cp << 4 | static_cast<std::uint32_t>(h);
        }
        return p;
    }

    // A JSON number, read as the full binder reads it: an integer exactly and
    // then rounded once, anything else rounded once from its decimal text (both
    // are the double nearest the written number). `-0` is left to the full
    // binder, which tells the integer from the fraction.
    const char* number(const char* p, double& d) const {
        const char* start = p;
        if (*p == '-') ++p;
        const char* digits = p;
        if (p == end_) return nullptr;
        if (*p == '0') {
            ++p;
        } else if (is_digit(*p)) {
            while (p != end_ && is_digit(*p)) ++p;
        } else {
            return nullptr;
        }
        bool integer = true;
        if (p != end_ && *p == '.') {
            integer = false;
            if (++p == end_ || !is_digit(*p)) return nullptr;
            while (p != end_ && is_digit(*p)) ++p;
        }
        if (p != end_ && (*p == 'e' || *p == 'E')) {
            integer = false;
            if (++p != end_ && (*p == '+' || *p == '-')) ++p;
            if (p == end_ || !is_digit(*p)) return nullptr;
            while (p != end_ && is_digit(*p)) ++p;
        }
        if (integer && p - digits <= 15) {  // below 2^53: exact as a double
            std::int64_t n = 0;
            for (const char* q = digits; q != p; ++q) n = n * 10 + (*q - '0');
            if (n == 0 && digits != start) return nullptr;
            d = static_cast<double>(digits != start ? -n : n);
            return p;
        }
        const auto [end, error] = std::from_chars(start, p, d);
        if (error != std::errc() || end != p || !std::isfinite(d) || (d == 0 && std::signbit(d))) return nullptr;
        return p;
    }

    // At the first character of key node `child`'s value.
    const char* value(const char* p, std::uint32_t child, unsigned depth) {
        if (*p == 'n') return literal(p, "null");  // unknown (or every fact under it)
        const std::uint32_t fact = plan_.keys[child].fact;
        if (fact == none) return *p == '{' ? object(p, child, depth + 1) : nullptr;
        return leaf(p, fact, depth);
    }

    // Field by field rather than `target = Value::number(d)`: the slot was
    // unknown, with a zero length, and a store of a whole Value (which holds a
    // pointer) would make the compiler assume any pointer may have changed.
    static void known_number(Value& v, double d) {
        v.num = d;
        v.known = true;
    }
    static void known_set(Value& v, std::uint64_t bits) {
        v.bits = bits;
        v.known = true;
    }

    const char* leaf(const char* p, std::uint32_t fact, unsigned depth) {
        const auto& slot = plan_.slots[fact];
        Value& target = out_.slots[fact];
        switch (slot.kind) {
            case SlotKind::boolean: {
                const bool yes = *p == 't';
                if ((p = literal(p, yes ? "true" : "false")) == nullptr) return nullptr;
                known_number(target, yes ? 1 : 0);
                return p;
            }
            case SlotKind::number: {
                if (slot.list != none) return nullptr;  // a list (language 2): the full binder's
                double d = 0;
                if ((p = number(p, d)) == nullptr) return nullptr;
                known_number(target, d);
                return p;
            }
            case SlotKind::text: {
                if (*p != '"') return nullptr;
                const std::size_t offset = out_.arena.size();
                if ((p = text_string(p + 1)) == nullptr) return nullptr;
                out_.text_offsets[fact] = static_cast<std::uint32_t>(offset);
                target = Value::text(nullptr, static_cast<std::uint32_t>(out_.arena.size() - offset));
                return p;
            }
            case SlotKind::date: {
                std::string_view s;
                if (*p != '"' || (p = plain_string(p + 1, s)) == nullptr) return nullptr;
                const auto span = decode_date_fact(slot, s);
                if (!span) return nullptr;
                known_number(target, span->first);
                if (slot.imprecise) out_.upper[fact] = span->last;
                return p;
            }
            case SlotKind::one_of: {
                std::string_view s;
                if (*p != '"' || (p = plain_string(p + 1, s)) == nullptr) return nullptr;
                const auto member = decode_member(slot, s);
                if (!member) return nullptr;
                target = *member;
                return p;
            }
            case SlotKind::list: return nullptr;  // never a slot's kind: a list's slot is a number
            case SlotKind::set_of: {
                if (*p != '[' || depth + 1 > options_.max_depth) return nullptr;
                p = skip_space(p + 1);
                std::uint64_t bits = 0;
                if (p != end_ && *p == ']') {
                    known_set(target, bits);
                    return p + 1;
                }
                for (;;) {
                    std::string_view s;
                    if (p == end_ || *p != '"' || (p = plain_string(p + 1, s)) == nullptr) return nullptr;
                    const auto bit = decode_set_element(slot, s);
                    if (!bit) return nullptr;
                    bits |= *bit;
                    p = skip_space(p);
                    if (p == end_) return nullptr;
                    if (*p == ']') break;
                    if (*p != ',') return nullptr;
                    p = skip_space(p + 1);
                }
                known_set(target, bits);
                return p + 1;
            }
        }
        return nullptr;
    }
};

}  // namespace

bool fast_bind(const Plan& plan, std::string_view json, const BindOptions& options, BoundCase& out) {
    if (json.size() > options.max_bytes || json.empty() || options.max_depth == 0) return false;
    FastState& st = state();
    out.reset(plan.slots.size(), plan.imprecise_slots);
    if (st.seen.size() < plan.keys.size()) {
        st.seen.assign(plan.keys.size(), 0);
        st.first_key.resize(plan.keys.size(), 0);
        st.key_after.resize(plan.keys.size(), 0);
    }
    if (++st.stamp == 0) {  // wrapped: forget every old stamp
        std::fill(st.seen.begin(), st.seen.end(), 0);
        st.stamp = 1;
    }
    return DirectBinder(plan, options, out, st, json).document(json.data());
}

}  // namespace bia::eval
