// The fast path of binding: simdjson parses the case into a reused tape and the
// walk binds values straight into slots. It accepts only clean cases, those in
// which every field is declared and every value has its fact's type; anything
// else (errors, warnings, limits) is left to the streaming nlohmann binder in
// facts.cpp, so every message keeps one source and stays the same.
#include "eval/facts.hpp"

#ifdef BIA_HAVE_SIMDJSON

#include "common/source.hpp"

#include <bia/date.hpp>

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace bia::eval {
namespace {

using compiler::KeyNode;
using compiler::none;
using compiler::Plan;
using compiler::SlotKind;
namespace dom = simdjson::dom;

// Per-thread state: the parser keeps its tape between cases, the input is
// copied into a padded buffer (simdjson reads up to SIMDJSON_PADDING past the
// end), and `seen` stamps the key nodes met in this case to find duplicate keys.
//
// Cases of a cohort come from one system and list their keys in the same order,
// so each object's keys are looked for where the last case had them:
// `first_key[n]` is the position, among key node n's children, of the key that
// came first in n's object last time, and `key_after[n]` the position, among
// n's siblings, of the key that followed n. They are only guesses (checked
// against the key, and against another pack's plan harmlessly wrong), so a
// case in another order costs a search, never a wrong binding.
struct FastState {
    dom::parser parser;
    std::string padded;
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
        for (std::size_t i = 0; i + 8 < n; i += 8) {
            if (load<W8>(a + i) != load<W8>(b + i)) return false;
        }
        return load<W8>(a + n - 8) == load<W8>(b + n - 8);
    }
    if (n >= 4) return load<W4>(a) == load<W4>(b) && load<W4>(a + n - 4) == load<W4>(b + n - 4);
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

std::uint32_t member_index(const std::vector<std::string>& members, std::string_view v) {
    for (std::uint32_t i = 0; i < members.size(); ++i) {
        if (same_key(members[i], v)) return i;
    }
    return none;
}

class FastBinder {
public:
    FastBinder(const Plan& plan, const BindOptions& options, BoundCase& out, FastState& st)
        : plan_(plan), options_(options), out_(out), st_(st) {}

    // False as soon as anything is not plainly clean: the slow path decides.
    bool object(dom::object obj, std::uint32_t key_node, unsigned depth) {
        if (depth > options_.max_depth) return false;
        const auto& children = plan_.keys[key_node].children;
        std::uint32_t* guess = &st_.first_key[key_node];
        for (auto field : obj) {
            std::uint32_t position = *guess;
            if (position >= children.size() || !same_key(children[position].first, field.key)) {
                position = find_child(children, field.key);
                if (position == none) return false;  // undeclared: a warning or an error
                *guess = position;
            }
            const std::uint32_t child = children[position].second;
            guess = &st_.key_after[child];
            if (st_.seen[child] == st_.stamp) return false;  // duplicate key
            st_.seen[child] = st_.stamp;
            const dom::element v = field.value;
            const auto type = v.type();
            if (type == dom::element_type::NULL_VALUE) continue;  // unknown (or every fact under it)
            const std::uint32_t fact = plan_.keys[child].fact;
            if (fact == none) {
                if (type != dom::element_type::OBJECT) return false;
                dom::object inner;
                if (v.get_object().get(inner) != simdjson::SUCCESS || !object(inner, child, depth + 1)) return false;
                continue;
            }
            if (!leaf(fact, v, type, depth)) return false;
        }
        return true;
    }

private:
    const Plan& plan_;
    const BindOptions& options_;
    BoundCase& out_;
    FastState& st_;

    bool leaf(std::uint32_t fact, const dom::element& v, dom::element_type type, unsigned depth) {
        const auto& slot = plan_.slots[fact];
        switch (slot.kind) {
            case SlotKind::boolean:
                if (type != dom::element_type::BOOL) return false;
                out_.slots[fact] = Value::boolean(v.get_bool().value_unsafe());
                return true;
            case SlotKind::number: {
                double d = 0;
                // Integers are converted as the slow path does: exactly, then rounded once.
                if (type == dom::element_type::DOUBLE) {
                    d = v.get_double().value_unsafe();
                    // nlohmann reads `-0` as the integer 0; which zero it was is not kept here.
                    if (d == 0 && std::signbit(d)) return false;
                } else if (type == dom::element_type::INT64) {
                    d = static_cast<double>(v.get_int64().value_unsafe());
                } else if (type == dom::element_type::UINT64) {
                    d = static_cast<double>(v.get_uint64().value_unsafe());
                } else {
                    return false;
                }
                out_.slots[fact] = Value::number(d);
                return true;
            }
            case SlotKind::text: {
                if (type != dom::element_type::STRING) return false;
                const std::string_view s = v.get_string().value_unsafe();
                // simdjson may let through what nlohmann refuses (a lone surrogate escape);
                // such a string is not valid UTF-8 once unescaped.
                std::size_t bad = 0;
                if (!detail::valid_utf8(s, bad)) return false;
                out_.text_offsets[fact] = static_cast<std::uint32_t>(out_.arena.size());
                out_.arena.append(s.data(), s.size());
                out_.slots[fact] = Value::text(nullptr, static_cast<std::uint32_t>(s.size()));
                return true;
            }
            case SlotKind::date: {
                if (type != dom::element_type::STRING) return false;
                const auto d = Date::parse(v.get_string().value_unsafe());
                if (!d) return false;
                out_.slots[fact] = Value::number(d->days());
                return true;
            }
            case SlotKind::one_of: {
                if (type != dom::element_type::STRING) return false;
                const std::uint32_t i = member_index(slot.members, v.get_string().value_unsafe());
                if (i == none) return false;
                out_.slots[fact] = Value::number(i);
                return true;
            }
            case SlotKind::set_of: {
                if (type != dom::element_type::ARRAY || depth + 1 > options_.max_depth) return false;
                std::uint64_t bits = 0;
                // A named copy: ranging over value_unsafe() of a temporary result dangles.
                const dom::array elements = v.get_array().value_unsafe();
                for (dom::element e : elements) {
                    if (e.type() != dom::element_type::STRING) return false;
                    const std::uint32_t i = member_index(slot.members, e.get_string().value_unsafe());
                    if (i == none) return false;
                    bits |= 1ull << i;
                }
                out_.slots[fact] = Value::set(bits);
                return true;
            }
        }
        return false;
    }
};

}  // namespace

bool fast_bind(const Plan& plan, std::string_view json, const BindOptions& options, BoundCase& out) {
    if (json.size() > options.max_bytes || json.empty() || options.max_depth == 0) return false;
    FastState& st = state();
    st.padded.resize(json.size() + simdjson::SIMDJSON_PADDING);
    std::memcpy(st.padded.data(), json.data(), json.size());
    dom::element root;
    if (st.parser.parse(st.padded.data(), json.size(), false).get(root) != simdjson::SUCCESS) return false;
    if (root.type() != dom::element_type::OBJECT) return false;

    out.slots.assign(plan.slots.size(), Value::unknown());
    out.text_offsets.assign(plan.slots.size(), 0);
    out.arena.clear();
    out.warnings.clear();
    out.errors.clear();
    if (st.seen.size() < plan.keys.size()) {
        st.seen.assign(plan.keys.size(), 0);
        st.first_key.resize(plan.keys.size(), 0);
        st.key_after.resize(plan.keys.size(), 0);
    }
    if (++st.stamp == 0) {  // wrapped: forget every old stamp
        std::fill(st.seen.begin(), st.seen.end(), 0);
        st.stamp = 1;
    }
    FastBinder binder(plan, options, out, st);
    dom::object top;
    if (root.get_object().get(top) != simdjson::SUCCESS) return false;
    return binder.object(top, 0, 1);
}

}  // namespace bia::eval

#else

namespace bia::eval {

bool fast_bind(const compiler::Plan&, std::string_view, const BindOptions&, BoundCase&) { return false; }

}  // namespace bia::eval

#endif
