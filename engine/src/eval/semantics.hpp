// What each operation of the plan means for one case's values: shared by the
// evaluator of one case (evaluator.cpp) and of a block of cases (block.cpp),
// so that both give the same answer by construction.
#pragma once

#include "compile/plan.hpp"
#include "eval/facts.hpp"
#include "eval/value.hpp"

#include <bia/date.hpp>

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

inline Value eval_node(const Plan& plan, const Node& n, const Value* v, const BoundCase& facts, std::int32_t today) {
    switch (n.op) {
        case Op::constant: {
            if (n.text) {
                const std::string& s = plan.strings[n.a];
                return Value::text(s.data(), static_cast<std::uint32_t>(s.size()));
            }
            Value x;
            x.bits = n.bits;
            x.known = true;
            return x;
        }
        case Op::unknown: return Value::unknown();
        case Op::fact: {
            Value x = facts.slots[n.a];
            if (x.known && n.text) x.str = facts.text_of(n.a);
            return x;
        }
        case Op::let_ref: return v[n.a];
        case Op::today: return Value::number(today);
        case Op::logic_not: return v[n.a].known ? Value::boolean(v[n.a].num == 0) : Value::unknown();
        case Op::logic_and: {
            bool unknown = false;
            for (std::uint32_t i = 0; i < n.b; ++i) {
                const Value& x = v[plan.operands[n.a + i]];
                if (!x.known) unknown = true;
                else if (x.num == 0) return Value::boolean(false);
            }
            return unknown ? Value::unknown() : Value::boolean(true);
        }
        case Op::logic_or: {
            bool unknown = false;
            for (std::uint32_t i = 0; i < n.b; ++i) {
                const Value& x = v[plan.operands[n.a + i]];
                if (!x.known) unknown = true;
                else if (x.num != 0) return Value::boolean(true);
            }
            return unknown ? Value::unknown() : Value::boolean(false);
        }
        default: break;
    }
    // Every other operation is unknown when an operand is.
    const Value& a = v[n.a];
    switch (n.op) {
        case Op::negate: return a.known ? arithmetic(-a.num) : Value::unknown();
        case Op::count: return a.known ? Value::number(std::popcount(a.bits)) : Value::unknown();
        case Op::in_enum_mask:
            return a.known ? Value::boolean((n.bits >> static_cast<unsigned>(a.num)) & 1u) : Value::unknown();
        case Op::in_text_list: {
            if (!a.known) return Value::unknown();
            const char* s = a.str;
            std::uint32_t len = a.len;
            if (n.b != none) {  // an enum operand: compare by member name
                const std::string& m = plan.slots[n.b].members[static_cast<std::size_t>(a.num)];
                s = m.data();
                len = static_cast<std::uint32_t>(m.size());
            }
            for (std::uint32_t i = 0; i < n.len; ++i) {
                const std::string& c = plan.strings[n.c + i];
                if (same_text(s, len, c.data(), static_cast<std::uint32_t>(c.size()))) return Value::boolean(true);
            }
            return Value::boolean(false);
        }
        case Op::in_bit: {
            const Value& set = v[n.b];
            return set.known ? Value::boolean((set.bits & n.bits) != 0) : Value::unknown();
        }
        case Op::known: return Value::boolean(facts.slots[n.a].known);
        default: break;
    }
    const Value& b = v[n.b];
    if (!a.known || !b.known) return Value::unknown();
    switch (n.op) {
        case Op::add: return arithmetic(a.num + b.num);
        case Op::sub: return arithmetic(a.num - b.num);
        case Op::mul: return arithmetic(a.num * b.num);
        case Op::div: return b.num == 0 ? Value::unknown() : arithmetic(a.num / b.num);
        case Op::lt: return Value::boolean(a.num < b.num);
        case Op::le: return Value::boolean(a.num <= b.num);
        case Op::gt: return Value::boolean(a.num > b.num);
        case Op::ge: return Value::boolean(a.num >= b.num);
        case Op::eq_num: return Value::boolean(a.num == b.num);
        case Op::ne_num: return Value::boolean(a.num != b.num);
        case Op::eq_text: return Value::boolean(same_text(a.str, a.len, b.str, b.len));
        case Op::ne_text: return Value::boolean(!same_text(a.str, a.len, b.str, b.len));
        case Op::eq_enum_map:
        case Op::ne_enum_map: {
            const bool eq = plan.tables[n.c + static_cast<std::uint32_t>(b.num)] == static_cast<std::int32_t>(a.num);
            return Value::boolean(n.op == Op::eq_enum_map ? eq : !eq);
        }
        case Op::in_enum_set: {
            const std::int32_t bit = plan.tables[n.c + static_cast<std::uint32_t>(a.num)];
            return Value::boolean(bit >= 0 && ((b.bits >> bit) & 1u));
        }
        case Op::in_text_set: {
            const auto& members = plan.slots[n.c].members;
            for (std::size_t i = 0; i < members.size(); ++i) {
                if (same_text(a.str, a.len, members[i].data(), static_cast<std::uint32_t>(members[i].size()))) {
                    return Value::boolean((b.bits >> i) & 1u);
                }
            }
            return Value::boolean(false);
        }
        case Op::years:
            return Value::number(whole_years(static_cast<std::int32_t>(a.num), static_cast<std::int32_t>(b.num)));
        case Op::days: return Value::number(b.num - a.num);
        default: return Value::unknown();
    }
}

// Truth bytes: bit 0 = true, bit 1 = false, 0 = unknown. Kleene `and` is true
// when all its operands are and false when any is: bit 0 of the AND of their
// bytes, bit 1 of their OR. `or` the other way round; `not` swaps the bits.
// Combining bytes needs no branch on the values, so the control flow of a case
// is the same as every other's and the branch predictor learns it.
constexpr std::uint8_t truth_of(bool known, bool holds) {
    return static_cast<std::uint8_t>(static_cast<unsigned>(known) << static_cast<unsigned>(!holds));
}
inline constexpr Value truth_values[4] = {Value::unknown(), Value::boolean(true), Value::boolean(false), Value::unknown()};

}  // namespace bia::eval
