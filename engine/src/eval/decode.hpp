// What a JSON value in a case means for a fact: the one decoder both binders
// (facts.cpp, the full SAX binder; fast_bind.cpp, the one-pass fast path) use,
// so that a date, a `one of` member or a set element cannot be read two ways.
// Each returns nothing for a value the fact cannot take; the full binder then
// reports why, the fast binder hands the case to the full one.
#pragma once

#include "compile/plan.hpp"
#include "eval/value.hpp"

#include <bia/date.hpp>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>

namespace bia::eval {

// A JSON number's digit, for both binders' number scanners.
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// An imprecise date fact's string (language 2): a partial date, "YYYY", "YYYY-MM" or
// "YYYY-MM-DD", as the first and last days it may be.
struct DateSpan {
    std::int32_t first = 0, last = 0;
};
inline std::optional<DateSpan> decode_partial_date(std::string_view text) {
    const auto span = Date::parse_partial(text);
    if (!span) return std::nullopt;
    return DateSpan{span->first.days(), span->second.days()};
}

// A date fact's string, whatever the fact's declaration allows: "never" for a `date or never`
// fact (lang::never_day), a partial date for an imprecise one (language 2), else a full date. The
// days it may be, first and last (the same day unless partial).
inline std::optional<DateSpan> decode_date_fact(const compiler::Slot& slot, std::string_view text) {
    if (slot.never && text == "never") return DateSpan{lang::never_day, lang::never_day};
    if (slot.imprecise) return decode_partial_date(text);
    const auto d = Date::parse(text);
    if (!d) return std::nullopt;
    return DateSpan{d->days(), d->days()};
}

// A number range's bounds, {"min": a, "max": b}: both finite, a <= b.
inline bool valid_range(double min, double max) { return std::isfinite(min) && std::isfinite(max) && min <= max; }

// The position of `text` in a `one of` or `set of` fact's members, if it is one.
inline std::optional<std::uint32_t> member_position(const compiler::Slot& slot, std::string_view text) {
    for (std::uint32_t i = 0; i < slot.members.size(); ++i) {
        const std::string& m = slot.members[i];
        if (m.size() == text.size() && m.compare(0, m.size(), text) == 0) return i;
    }
    return std::nullopt;
}

// A `one of` fact's string: its member's position.
inline std::optional<Value> decode_member(const compiler::Slot& slot, std::string_view text) {
    const auto i = member_position(slot, text);
    if (!i) return std::nullopt;
    return Value::number(static_cast<double>(*i));
}

// One element of a `set of` fact's array: its member's bit (a set has at most 64 members).
inline std::optional<std::uint64_t> decode_set_element(const compiler::Slot& slot, std::string_view text) {
    const auto i = member_position(slot, text);
    if (!i) return std::nullopt;
    return std::uint64_t{1} << *i;
}

}  // namespace bia::eval
