// The language's operations, one row each: the one place that says which
// operands an operation of the plan reads, whether an unknown operand makes it
// unknown, what it yields, and which built-in function of the language lowers to it.
// The grammar's function list, the checker's typing of calls, the compiler's
// lowering, the plan's walks and every evaluator read these tables, so a new
// operation cannot mean one thing to one stage and another to the next.
// docs/architecture.md says how to add one.
#pragma once

#include "lang/table.hpp"

#include <array>
#include <cstdint>
#include <string_view>

namespace bia::lang {

// The operations of the flat plan (compile/plan.hpp's Node says where each keeps its operands).
enum class Op : std::uint8_t {
    constant,
    fact,
    let_ref,
    today,
    logic_not, logic_and, logic_or,
    negate, add, sub, mul, div,
    lt, le, gt, ge,
    eq_num, ne_num,
    eq_text, ne_text,
    eq_enum_map, ne_enum_map,
    in_enum_mask,
    in_enum_set,
    in_text_set,
    in_text_list,
    in_bit,
    known,
    years, days, count,
    min, max,
    possibly, certainly,
    add_days, add_months, add_years,
    count_true,
};
inline constexpr std::size_t op_count = static_cast<std::size_t>(Op::count_true) + 1;

// Which fields of a Node name the operand nodes an operation reads. (A field
// that holds something else, a fact slot or a table offset, is not listed.)
enum class Operands : std::uint8_t {
    none,  // a leaf: a constant, a fact slot (`fact`, `known`), `today`
    a,     // one operand node in `a`
    b,     // one operand node in `b` (`in_bit`: its `a` is unused, its bits are the member)
    a_b,   // two operand nodes, `a` and `b`
    list,  // operand nodes plan.operands[a, a + b)
};

// What an operation yields.
enum class Yields : std::uint8_t {
    truth,   // a truth value: true, false or unknown
    number,  // a number (dates are numbers of days)
    same,    // what its operands hold (a leaf: what the fact, constant or let holds)
};

struct OpRow {
    Op op;
    std::string_view name;  // as in docs/architecture.md and test messages
    Operands operands;
    // Strict: unknown when any operand is unknown. The evaluators apply it
    // once, from this flag; only the Kleene connectives are not strict, and
    // they say in their semantics what unknown does.
    bool strict;
    Yields yields;
    std::string_view doc;
};

inline constexpr std::array<OpRow, op_count> op_rows = {{
    {Op::constant, "constant", Operands::none, false, Yields::same, "a literal: number, date, bool, set mask, or text from the string table"},
    {Op::fact, "fact", Operands::none, false, Yields::same, "the value of fact slot `a` in the case, unknown when not recorded"},
    {Op::let_ref, "let_ref", Operands::a, false, Yields::same, "the value of the let whose node is `a`"},
    {Op::today, "today", Operands::none, false, Yields::number, "the evaluation date"},
    {Op::logic_not, "not", Operands::a, false, Yields::truth, "Kleene not: unknown stays unknown"},
    {Op::logic_and, "and", Operands::list, false, Yields::truth, "Kleene and: false if any operand is false, else unknown if any is unknown"},
    {Op::logic_or, "or", Operands::list, false, Yields::truth, "Kleene or: true if any operand is true, else unknown if any is unknown"},
    {Op::negate, "negate", Operands::a, true, Yields::number, "-a"},
    {Op::add, "add", Operands::a_b, true, Yields::number, "a + b; unknown when not finite"},
    {Op::sub, "sub", Operands::a_b, true, Yields::number, "a - b; unknown when not finite"},
    {Op::mul, "mul", Operands::a_b, true, Yields::number, "a * b; unknown when not finite"},
    {Op::div, "div", Operands::a_b, true, Yields::number, "a / b; unknown when b is 0 or the quotient is not finite"},
    {Op::lt, "lt", Operands::a_b, true, Yields::truth, "a < b (numbers, dates)"},
    {Op::le, "le", Operands::a_b, true, Yields::truth, "a <= b"},
    {Op::gt, "gt", Operands::a_b, true, Yields::truth, "a > b"},
    {Op::ge, "ge", Operands::a_b, true, Yields::truth, "a >= b"},
    {Op::eq_num, "eq_num", Operands::a_b, true, Yields::truth, "a = b: bools, numbers, dates, or indexes into one member list"},
    {Op::ne_num, "ne_num", Operands::a_b, true, Yields::truth, "a != b, as eq_num"},
    {Op::eq_text, "eq_text", Operands::a_b, true, Yields::truth, "a = b for text, byte for byte"},
    {Op::ne_text, "ne_text", Operands::a_b, true, Yields::truth, "a != b for text"},
    {Op::eq_enum_map, "eq_enum_map", Operands::a_b, true, Yields::truth, "a = b for `one of` values with the same members in another order; tables[c + b] maps b's index to a's"},
    {Op::ne_enum_map, "ne_enum_map", Operands::a_b, true, Yields::truth, "a != b, as eq_enum_map"},
    {Op::in_enum_mask, "in_enum_mask", Operands::a, true, Yields::truth, "`one of` a in a literal set: bit a of `bits` (false for an index of 64 or more)"},
    {Op::in_enum_set, "in_enum_set", Operands::a_b, true, Yields::truth, "`one of` a in `set of` b: tables[c + a] is a's bit in b, or -1"},
    {Op::in_text_set, "in_text_set", Operands::a_b, true, Yields::truth, "text a in `set of` b: the member of fact c's list that a names"},
    {Op::in_text_list, "in_text_list", Operands::a, true, Yields::truth, "text (or `one of` of fact b, by member name) a in strings [c, c + len)"},
    {Op::in_bit, "in_bit", Operands::b, true, Yields::truth, "a string literal in `set of` b: `bits` is its member's bit"},
    {Op::known, "known", Operands::none, false, Yields::truth, "whether fact slot `a` is recorded; never unknown"},
    {Op::years, "years", Operands::a_b, true, Yields::number, "whole years from date a to date b, truncated toward zero"},
    {Op::days, "days", Operands::a_b, true, Yields::number, "b - a in days"},
    {Op::count, "count", Operands::a, true, Yields::number, "the number of members of set a"},
    {Op::min, "min", Operands::a_b, true, Yields::same, "the smaller of a and b (numbers, or dates)"},
    {Op::max, "max", Operands::a_b, true, Yields::same, "the larger of a and b (numbers, or dates)"},
    {Op::possibly, "possibly", Operands::a, false, Yields::truth, "true when a is true or unknown, false when a is false; never unknown"},
    {Op::certainly, "certainly", Operands::a, false, Yields::truth, "true when a is true, false when a is false or unknown; never unknown"},
    {Op::add_days, "add_days", Operands::a, true, Yields::number, "date a plus `num` days (weeks are 7 days); unknown outside years 1..9999"},
    {Op::add_months, "add_months", Operands::a, true, Yields::number, "date a plus `num` calendar months, a day past the month's end on its last day; unknown outside years 1..9999"},
    {Op::add_years, "add_years", Operands::a, true, Yields::number, "date a plus `num` years; 29 February is 1 March of a common year going forward, 28 February going back; unknown outside years 1..9999"},
    {Op::count_true, "count_true", Operands::list, false, Yields::number, "how many operands are true, as the interval [true ones, true or unknown ones]: `count(m in L where E)`; never unknown"},
}};

constexpr const OpRow& row(Op op) { return op_rows[static_cast<std::size_t>(op)]; }

// The operations that read their operands' truth (true, false or unknown), not their values: a
// block keeps no value column for an operand that only these read.
constexpr bool reads_truth(Op op) {
    return op == Op::logic_not || op == Op::logic_and || op == Op::logic_or || op == Op::possibly ||
           op == Op::certainly || op == Op::count_true;
}

// The operations whose value is an interval of their own, whatever their operands (language 2):
// a count of truths some of which are unknown lies between the true ones and the true or unknown ones.
constexpr bool yields_interval(Op op) { return op == Op::count_true; }

// The presumptions (language 2): whether an operation, though never unknown itself, decides on
// behalf of an operand that may be. The walk for missing facts enters them (eval/missing.cpp).
constexpr bool presumes(Op op) { return op == Op::possibly || op == Op::certainly; }

static_assert(rows_in_enum_order<&OpRow::op>(op_rows), "op_rows must list the operations in the order of enum Op");

// ---- built-in functions -----------------------------------------------------

// What a built-in function's argument must be.
enum class Arg : std::uint8_t {
    fact_path,  // a fact's path itself, not an expression (known)
    date,
    set,        // a `set of` value or a set literal
    ordered,    // a number or a date; all `ordered` arguments of a call the same type
    truth,      // a bool expression
};

// What a call yields.
enum class Returns : std::uint8_t { boolean, number, like_arguments };

struct Builtin {
    std::string_view name;
    Op op;
    std::uint8_t arity;
    std::array<Arg, 2> args;
    Returns returns;
    // A reserved word since language v1. Functions added later are not, so
    // that no v1 pack that names a fact or let after them changes meaning:
    // their name is a call only when `(` follows.
    bool reserved;
    // The language version that added it: a pack declaring an earlier one (`language 2`; 1 when
    // absent) may not call it, so that it stays valid for the engines that version names.
    std::uint8_t since;
    std::string_view params;     // the call as docs/language.md writes it: years(from, to)
    std::string_view signature;  // what the arguments are, for messages: "from date, to date"
    std::string_view doc;        // the row of docs/language.md's function table (a test checks it)
};

inline constexpr std::array<Builtin, 8> builtins = {{
    {"known", Op::known, 1, {Arg::fact_path, Arg::fact_path}, Returns::boolean, true, 1, "path", "a fact path",
     "`true` when the case records the fact; never unknown. Takes a fact path only"},
    {"years", Op::years, 2, {Arg::date, Arg::date}, Returns::number, true, 1, "from, to", "from date, to date",
     "whole years from one date to another, truncated toward zero (negative when `to` is earlier); a 29 February "
     "birthday counts on 1 March in common years"},
    {"days", Op::days, 2, {Arg::date, Arg::date}, Returns::number, true, 1, "from, to", "from date, to date", "`to − from` in days; may be negative"},
    {"count", Op::count, 1, {Arg::set, Arg::set}, Returns::number, true, 1, "set", "a set", "the number of distinct members"},
    {"min", Op::min, 2, {Arg::ordered, Arg::ordered}, Returns::like_arguments, false, 1, "a, b", "two numbers or two dates",
     "the smaller of two numbers, or the earlier of two dates; unknown when either is"},
    {"max", Op::max, 2, {Arg::ordered, Arg::ordered}, Returns::like_arguments, false, 1, "a, b", "two numbers or two dates",
     "the larger of two numbers, or the later of two dates; unknown when either is"},
    {"possibly", Op::possibly, 1, {Arg::truth, Arg::truth}, Returns::boolean, false, 2, "condition", "a condition",
     "`true` when the condition is true or unknown (the benefit of the doubt), `false` when it is false; never "
     "unknown. Language 2"},
    {"certainly", Op::certainly, 1, {Arg::truth, Arg::truth}, Returns::boolean, false, 2, "condition", "a condition",
     "`true` only when the condition is true; `false` when it is false or unknown; never unknown. Language 2"},
}};

constexpr const Builtin* find_builtin(std::string_view name) {
    for (const Builtin& b : builtins) {
        if (b.name == name) return &b;
    }
    return nullptr;
}

// ---- calendar units --------------------------------------------------------------

// The units of a time frame (`within 2 weeks`) and of calendar arithmetic (`date + 18 years`).
enum class CalendarUnit : std::uint8_t { days, weeks, months, years };

struct CalendarUnitRow {
    CalendarUnit unit;
    Op op;                    // what adding an amount of it lowers to
    std::int32_t per_unit;    // the amount of `op` one unit is (a week is 7 days)
    std::uint8_t since;       // the language version that added it
    std::string_view plural;  // as a pack writes it (the singular, without the s, also reads)
    std::int32_t max_within;  // the largest `within N unit`: 100 years
    std::int32_t max_shift;   // the largest `+ N unit`: 9999 years, the calendar's span
};

inline constexpr std::array<CalendarUnitRow, 4> calendar_units = {{
    {CalendarUnit::days, Op::add_days, 1, 1, "days", 36525, 3652425},
    {CalendarUnit::weeks, Op::add_days, 7, 1, "weeks", 5217, 521775},
    {CalendarUnit::months, Op::add_months, 1, 2, "months", 1200, 119988},
    {CalendarUnit::years, Op::add_years, 1, 2, "years", 100, 9999},
}};

constexpr const CalendarUnitRow& row(CalendarUnit unit) { return calendar_units[static_cast<std::size_t>(unit)]; }

static_assert(rows_in_enum_order<&CalendarUnitRow::unit>(calendar_units),
              "calendar_units must list the units in the order of enum CalendarUnit");

// ---- the meanings every evaluator shares ---------------------------------------

// A comparison of two numbers (dates and `one of` indexes are numbers too).
template <Op op>
constexpr bool compare(double a, double b) {
    static_assert(op == Op::lt || op == Op::le || op == Op::gt || op == Op::ge || op == Op::eq_num || op == Op::ne_num);
    if constexpr (op == Op::lt) return a < b;
    else if constexpr (op == Op::le) return a <= b;
    else if constexpr (op == Op::gt) return a > b;
    else if constexpr (op == Op::ge) return a >= b;
    else if constexpr (op == Op::eq_num) return a == b;
    else return a != b;
}

// Truth as two sets of cases: those it holds for and those it fails for (a
// case in neither is unknown). W is one bit (the one-case evaluator's truth
// byte keeps holds in bit 0, fails in bit 1) or a 64-case word (the block
// evaluator's). Kleene's connectives, written once for both:
template <typename W>
struct Truth {
    W holds, fails;
};
template <typename W>
constexpr Truth<W> kleene_and(Truth<W> x, Truth<W> y) { return {static_cast<W>(x.holds & y.holds), static_cast<W>(x.fails | y.fails)}; }
template <typename W>
constexpr Truth<W> kleene_or(Truth<W> x, Truth<W> y) { return {static_cast<W>(x.holds | y.holds), static_cast<W>(x.fails & y.fails)}; }
template <typename W>
constexpr Truth<W> kleene_not(Truth<W> x) { return {x.fails, x.holds}; }

// possibly(x): the benefit of the doubt, true unless x is false. certainly(x): true only when x is.
// `all` is the set of cases there are (every lane of the block that holds one).
template <typename W>
constexpr Truth<W> possibly(Truth<W> x, W all) { return {static_cast<W>(all & ~x.fails), x.fails}; }
template <typename W>
constexpr Truth<W> certainly(Truth<W> x, W all) { return {x.holds, static_cast<W>(all & ~x.holds)}; }

// The identities a fold over operands starts from: all-true for `and`, all-false for `or`.
template <typename W>
constexpr Truth<W> and_identity(W all) { return {all, 0}; }
template <typename W>
constexpr Truth<W> or_identity(W all) { return {0, all}; }

}  // namespace bia::lang
