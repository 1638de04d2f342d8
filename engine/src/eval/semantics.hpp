// What each operation of the plan means for one case's values (eval_node),
// with the shared pieces the loops of evaluator.cpp and block.cpp use: every
// evaluator computes each operation from here and lang/operations.hpp.
#pragma once

#include "compile/plan.hpp"
#include "eval/facts.hpp"
#include "eval/value.hpp"

#include <bia/date.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace bia::eval {

using compiler::none;
using compiler::Node;
using compiler::Op;
using compiler::Plan;

inline Value arithmetic(double v) { return std::isfinite(v) ? Value::number(v) : Value::unknown(); }

inline bool same_text(const char* a, std::uint32_t an, const char* b, std::uint32_t bn) {
    return an == bn && (an == 0 || std::memcmp(a, b, an) == 0);
}

// Whole years from `from` to `to`, when `from` is not after `to`. A 29
// February birthday falls on 1 March in common years.
inline double whole_years_forward(const YearMonthDay& from, const YearMonthDay& to) {
    int years = to.year - from.year;
    int month = from.month, day = from.day;
    const bool leap = (to.year % 4 == 0 && to.year % 100 != 0) || to.year % 400 == 0;
    if (month == 2 && day == 29 && !leap) {
        month = 3;
        day = 1;
    }
    if (to.month < month || (to.month == month && to.day < day)) --years;
    return years;
}

// Whole years from `from` to `to`, truncated toward zero.
inline double whole_years(std::int32_t from_days, std::int32_t to_days) {
    if (to_days < from_days) return -whole_years(to_days, from_days);
    return whole_years_forward(Date::from_days(from_days).ymd(), Date::from_days(to_days).ymd());
}

// The days of the first and last dates the language writes (0001-01-01, 9999-12-31).
inline constexpr std::int32_t first_day = -719162, last_day = 2932896;

// A day number, when it is one of those dates.
inline Value date_in_range(std::int64_t days) {
    return days < first_day || days > last_day ? Value::unknown() : Value::number(static_cast<double>(days));
}

// `date + N months` (language 2): the same day N calendar months on, or that month's last day
// when it is shorter (2026-01-31 + 1 month = 2026-02-28), the convention of time limits in
// months (EU Regulation 1182/71, art. 3(2)(c)). Unknown outside years 1..9999.
inline Value add_months(std::int32_t days, std::int64_t months) {
    const YearMonthDay from = Date::from_days(days).ymd();
    const std::int64_t index = std::int64_t{from.year} * 12 + (from.month - 1) + months;
    if (index < 12 || index >= 10000 * 12) return Value::unknown();
    const int year = static_cast<int>(index / 12), month = static_cast<int>(index % 12) + 1;
    int day = from.day;
    while (!Date::from_ymd(year, month, day)) --day;  // every month has a 28th
    return Value::number(Date::from_ymd(year, month, day)->days());
}

// `date + N years` (language 2): the same day N years on. 29 February in a common year is 1 March
// going forward, the day years() counts the birthday on, so that `d + 18 years <= today` exactly
// when `years(d, today) >= 18`; going back it is 28 February, so that `d <= today - 18 years`
// exactly when `years(d, today) >= 18` too. Unknown outside years 1..9999.
inline Value add_years(std::int32_t days, std::int64_t years) {
    const YearMonthDay from = Date::from_days(days).ymd();
    const std::int64_t year = from.year + years;
    if (year < 1 || year > 9999) return Value::unknown();
    if (const auto d = Date::from_ymd(static_cast<int>(year), from.month, from.day)) return Value::number(d->days());
    // Only 29 February can be missing from the year reached.
    const auto d = years > 0 ? Date::from_ymd(static_cast<int>(year), 3, 1) : Date::from_ymd(static_cast<int>(year), 2, 28);
    return Value::number(d->days());
}

// Date `days` moved by `amount` of a calendar operation (add_days, add_months, add_years): what
// `date + N unit` means in an expression and `within N unit` in an action.
inline Value shift_date(Op op, std::int32_t days, std::int64_t amount) {
    // `never` (lang::never_day) is no date to count from, in either direction.
    if (days < first_day || days > last_day) return Value::unknown();
    switch (op) {
        case Op::add_months: return add_months(days, amount);
        case Op::add_years: return add_years(days, amount);
        default: return date_in_range(std::int64_t{days} + amount);
    }
}

// days(from, to) and count(set), shared by eval_node and the loops that run
// them without it.
constexpr double days_between(double from, double to) { return to - from; }
constexpr double members_in(std::uint64_t set) { return std::popcount(set); }
static_assert(lang::row(Op::days).strict && lang::row(Op::count).strict && lang::row(Op::years).strict,
              "the evaluators' own loops for days, count and years treat them as strict");

// Whether `one of` index `index` is in `mask` (bit i = member i). A `one of`
// can have more members than the mask has bits: those are never in it (the
// compiler tests a literal set naming such a member by name instead).
constexpr bool in_mask(std::uint64_t mask, double index) {
    const auto i = static_cast<std::uint32_t>(index);
    return (i < 64) & static_cast<bool>((mask >> (i & 63u)) & 1u);
}

// A Value as a truth pair of one bit, and back.
constexpr lang::Truth<std::uint8_t> truth_bit(const Value& x) {
    return {static_cast<std::uint8_t>(x.known && x.num != 0), static_cast<std::uint8_t>(x.known && x.num == 0)};
}
inline Value truth_value(lang::Truth<std::uint8_t> t) {
    return t.holds ? Value::boolean(true) : t.fails ? Value::boolean(false) : Value::unknown();
}

// Whether the operands node `n` reads are all known: what a strict operation
// (lang::OpRow::strict) needs before it computes anything.
inline bool operands_known(const Plan& plan, const Node& n, const Value* v) {
    bool known = true;
    for_each_child(plan, n, [&](std::uint32_t c) { known &= v[c].known; });
    return known;
}

// A constant node's value (the block's pass fills constant columns with it without the rest of eval_node).
inline Value constant_value(const Plan& plan, const Node& n) {
    if (n.text) {
        const std::string& s = plan.strings[n.a];
        return Value::text(s.data(), static_cast<std::uint32_t>(s.size()));
    }
    Value x;
    x.bits = n.bits;
    x.known = true;
    return x;
}

// The one-case meaning of each operation: node `n` of `plan` on the values `v`
// of the nodes before it. Every evaluator computes an operation this way, or,
// for the few it runs in loops of their own (comparisons, the connectives,
// days, count, years), with the same lang:: functions and the same strictness.
inline Value eval_node(const Plan& plan, const Node& n, const Value* v, const BoundCase& facts, std::int32_t today) {
    if (lang::row(n.op).strict && !operands_known(plan, n, v)) return Value::unknown();
    // Operands are read only by the operations that have them: a leaf's `a` is
    // a slot or a string, and the block evaluator passes no values for leaves.
    const auto a = [&]() -> const Value& { return v[n.a]; };
    const auto b = [&]() -> const Value& { return v[n.b]; };
    switch (n.op) {
        case Op::constant: return constant_value(plan, n);
        case Op::fact: {
            Value x = facts.slots[n.a];
            if (x.known && n.text) x.str = facts.text_of(n.a);
            return x;
        }
        case Op::let_ref: return a();
        case Op::today: return Value::number(today);
        case Op::logic_not: return truth_value(lang::kleene_not(truth_bit(a())));
        case Op::possibly: return truth_value(lang::possibly<std::uint8_t>(truth_bit(a()), 1));
        case Op::certainly: return truth_value(lang::certainly<std::uint8_t>(truth_bit(a()), 1));
        case Op::logic_and:
        case Op::logic_or: {
            const bool is_or = n.op == Op::logic_or;
            lang::Truth<std::uint8_t> t = is_or ? lang::or_identity<std::uint8_t>(1) : lang::and_identity<std::uint8_t>(1);
            for (std::uint32_t i = 0; i < n.b; ++i) {
                const lang::Truth<std::uint8_t> x = truth_bit(v[plan.operands[n.a + i]]);
                t = is_or ? lang::kleene_or(t, x) : lang::kleene_and(t, x);
            }
            return truth_value(t);
        }
        case Op::known: return Value::boolean(facts.slots[n.a].known);
        case Op::negate: return arithmetic(-a().num);
        case Op::count: return Value::number(members_in(a().bits));
        case Op::in_enum_mask: return Value::boolean(in_mask(n.bits, a().num));
        case Op::in_text_list: {
            const char* s = a().str;
            std::uint32_t len = a().len;
            if (n.b != none) {  // an enum operand: compare by member name
                const std::string& m = plan.slots[n.b].members[static_cast<std::size_t>(a().num)];
                s = m.data();
                len = static_cast<std::uint32_t>(m.size());
            }
            for (std::uint32_t i = 0; i < n.len; ++i) {
                const std::string& c = plan.strings[n.c + i];
                if (same_text(s, len, c.data(), static_cast<std::uint32_t>(c.size()))) return Value::boolean(true);
            }
            return Value::boolean(false);
        }
        case Op::in_bit: return Value::boolean((b().bits & n.bits) != 0);
        case Op::add: return arithmetic(a().num + b().num);
        case Op::sub: return arithmetic(a().num - b().num);
        case Op::mul: return arithmetic(a().num * b().num);
        case Op::div: return b().num == 0 ? Value::unknown() : arithmetic(a().num / b().num);
        case Op::lt: return Value::boolean(lang::compare<Op::lt>(a().num, b().num));
        case Op::le: return Value::boolean(lang::compare<Op::le>(a().num, b().num));
        case Op::gt: return Value::boolean(lang::compare<Op::gt>(a().num, b().num));
        case Op::ge: return Value::boolean(lang::compare<Op::ge>(a().num, b().num));
        case Op::eq_num: return Value::boolean(lang::compare<Op::eq_num>(a().num, b().num));
        case Op::ne_num: return Value::boolean(lang::compare<Op::ne_num>(a().num, b().num));
        case Op::eq_text: return Value::boolean(same_text(a().str, a().len, b().str, b().len));
        case Op::ne_text: return Value::boolean(!same_text(a().str, a().len, b().str, b().len));
        case Op::eq_enum_map:
        case Op::ne_enum_map: {
            const bool eq = plan.tables[n.c + static_cast<std::uint32_t>(b().num)] == static_cast<std::int32_t>(a().num);
            return Value::boolean(n.op == Op::eq_enum_map ? eq : !eq);
        }
        case Op::in_enum_set: {
            const std::int32_t bit = plan.tables[n.c + static_cast<std::uint32_t>(a().num)];
            return Value::boolean(bit >= 0 && ((b().bits >> bit) & 1u));
        }
        case Op::in_text_set: {
            const auto& members = plan.slots[n.c].members;
            for (std::size_t i = 0; i < members.size(); ++i) {
                if (same_text(a().str, a().len, members[i].data(), static_cast<std::uint32_t>(members[i].size()))) {
                    return Value::boolean((b().bits >> i) & 1u);
                }
            }
            return Value::boolean(false);
        }
        case Op::years:
            return Value::number(whole_years(static_cast<std::int32_t>(a().num), static_cast<std::int32_t>(b().num)));
        case Op::days: return Value::number(days_between(a().num, b().num));
        case Op::add_days:
        case Op::add_months:
        case Op::add_years: return shift_date(n.op, static_cast<std::int32_t>(a().num), static_cast<std::int64_t>(n.num));
        case Op::min: return Value::number(std::min(a().num, b().num));
        case Op::max: return Value::number(std::max(a().num, b().num));
        // Its lower bound, what a value column holds; the evaluation loop keeps the upper bound beside
        // it (block.cpp, count_truths, which counts the same truth words 64 cases at a time).
        case Op::count_true: {
            std::uint32_t true_ones = 0;
            for (std::uint32_t i = 0; i < n.b; ++i) true_ones += truth_bit(v[plan.operands[n.a + i]]).holds;
            return Value::number(true_ones);
        }
    }
    return Value::unknown();  // not reached: every operation has its case above
}

// ---- intervals (language 2) -------------------------------------------------------

// A value that may be an interval: [lo.num, hi] (a partial date, a number range, or what is
// computed from them). Exact when hi equals lo.num.
struct Bounds {
    Value lo;
    double hi = 0;
    bool exact() const { return hi == lo.num; }
};

inline Bounds exact_bounds(const Value& v) { return {v, v.num}; }

// [lo, hi] when both are finite, else unknown (as arithmetic is).
inline Bounds bounds_of(double lo, double hi) {
    if (!std::isfinite(lo) || !std::isfinite(hi)) return {};
    return {Value::number(lo), hi};
}

// A comparison of two intervals: true when it holds for every pair of values in them, false
// when it holds for none, unknown otherwise. For exact values, lang::compare's answer.
template <Op op>
inline Value compare_bounds(const Bounds& a, const Bounds& b) {
    const double alo = a.lo.num, ahi = a.hi, blo = b.lo.num, bhi = b.hi;
    bool every = false, none = false;
    if constexpr (op == Op::lt) every = ahi < blo, none = alo >= bhi;
    else if constexpr (op == Op::le) every = ahi <= blo, none = alo > bhi;
    else if constexpr (op == Op::gt) every = alo > bhi, none = ahi <= blo;
    else if constexpr (op == Op::ge) every = alo >= bhi, none = ahi < blo;
    else {
        const bool equal = alo == ahi && blo == bhi && alo == blo, apart = ahi < blo || bhi < alo;
        every = op == Op::eq_num ? equal : apart;
        none = op == Op::eq_num ? apart : equal;
    }
    return every ? Value::boolean(true) : none ? Value::boolean(false) : Value::unknown();
}

// What node `n` gives for operands that may be intervals: every value it can take for values
// in them, as an interval (numbers, dates), or the truth that holds for all of them (comparisons).
// Exact operands give exactly eval_node's value: an interval of width 0 means what v1's value does.
inline Bounds eval_bounds(const Plan& plan, const Node& n, const Bounds* v, std::int32_t today) {
    const auto a = [&]() -> const Bounds& { return v[n.a]; };
    const auto b = [&]() -> const Bounds& { return v[n.b]; };
    bool exact = true, known = true;
    for_each_child(plan, n, [&](std::uint32_t c) {
        exact &= v[c].exact();
        known &= v[c].lo.known;
    });
    if (!known && lang::row(n.op).strict) return {};
    if (exact) {
        Value lo[2];
        Node one = n;
        if (lang::row(n.op).operands == lang::Operands::a || lang::row(n.op).operands == lang::Operands::a_b) {
            lo[0] = a().lo;
            one.a = 0;
        }
        if (lang::row(n.op).operands == lang::Operands::a_b) {
            lo[1] = b().lo;
            one.b = 1;
        }
        static const BoundCase no_facts;  // only fact and known() read a case's facts: never here
        return exact_bounds(eval_node(plan, one, lo, no_facts, today));
    }
    const double alo = a().lo.num, ahi = a().hi;
    switch (n.op) {
        case Op::negate: return bounds_of(-ahi, -alo);
        case Op::add: return bounds_of(alo + b().lo.num, ahi + b().hi);
        case Op::sub: return bounds_of(alo - b().hi, ahi - b().lo.num);
        case Op::mul:
        case Op::div: {
            const double blo = b().lo.num, bhi = b().hi;
            if (n.op == Op::div && blo <= 0 && 0 <= bhi) return {};  // it may divide by zero
            const auto f = [&](double x, double y) { return n.op == Op::mul ? x * y : x / y; };
            const double c[4] = {f(alo, blo), f(alo, bhi), f(ahi, blo), f(ahi, bhi)};
            return bounds_of(*std::min_element(c, c + 4), *std::max_element(c, c + 4));
        }
        // years() and days() rise with `to` and fall with `from`.
        case Op::years:
            return bounds_of(whole_years(static_cast<std::int32_t>(ahi), static_cast<std::int32_t>(b().lo.num)),
                             whole_years(static_cast<std::int32_t>(alo), static_cast<std::int32_t>(b().hi)));
        case Op::days: return bounds_of(days_between(ahi, b().lo.num), days_between(alo, b().hi));
        case Op::min: return bounds_of(std::min(alo, b().lo.num), std::min(ahi, b().hi));
        case Op::max: return bounds_of(std::max(alo, b().lo.num), std::max(ahi, b().hi));
        case Op::add_days:
        case Op::add_months:
        case Op::add_years: {  // each rises with its date
            const Value lo = shift_date(n.op, static_cast<std::int32_t>(alo), static_cast<std::int64_t>(n.num));
            const Value hi = shift_date(n.op, static_cast<std::int32_t>(ahi), static_cast<std::int64_t>(n.num));
            return lo.known && hi.known ? bounds_of(lo.num, hi.num) : Bounds{};
        }
        case Op::lt: return exact_bounds(compare_bounds<Op::lt>(a(), b()));
        case Op::le: return exact_bounds(compare_bounds<Op::le>(a(), b()));
        case Op::gt: return exact_bounds(compare_bounds<Op::gt>(a(), b()));
        case Op::ge: return exact_bounds(compare_bounds<Op::ge>(a(), b()));
        case Op::eq_num: return exact_bounds(compare_bounds<Op::eq_num>(a(), b()));
        case Op::ne_num: return exact_bounds(compare_bounds<Op::ne_num>(a(), b()));
        case Op::let_ref: return a();
        default: return {};  // no other operation reads a number or a date (steps.cpp marks only these)
    }
}

// Truth bytes: bit 0 = true, bit 1 = false, 0 = unknown: a lang::Truth of one
// bit packed in a byte, so Kleene's connectives combine them without
// branching on the values, the control flow of a case is the same as every
// other's, and the branch predictor learns it.
constexpr std::uint8_t truth_of(bool known, bool holds) {
    return static_cast<std::uint8_t>(static_cast<unsigned>(known) << static_cast<unsigned>(!holds));
}
constexpr lang::Truth<std::uint8_t> unpack_truth(std::uint8_t t) {
    return {static_cast<std::uint8_t>(t & 1u), static_cast<std::uint8_t>(t >> 1)};
}
constexpr std::uint8_t pack_truth(lang::Truth<std::uint8_t> t) {
    return static_cast<std::uint8_t>(t.holds | (t.fails << 1));
}
inline constexpr Value truth_values[4] = {Value::unknown(), Value::boolean(true), Value::boolean(false), Value::unknown()};

}  // namespace bia::eval
