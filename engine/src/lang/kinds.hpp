// The kinds of fact a pack may declare: one enumeration for the syntax tree,
// the checker and the plan, and the one table that converts it to the public
// API's stable mirror (bia::FactType) and names it, so that no stage or binding
// casts one kind enumeration into another.
#pragma once

#include "lang/table.hpp"

#include <bia/pack.hpp>

#include <array>
#include <cstdint>
#include <cstdint>
#include <string_view>

namespace bia::lang {

// A list (language 2) is of records, declared with `record`: its slot holds how many elements the
// case gives, and each element's fields have slots of their own (compile/plan.hpp's ListPlan).
enum class FactKind : std::uint8_t { boolean, number, text, date, one_of, set_of, list };

struct FactKindRow {
    FactKind kind;
    bia::FactType public_type;  // what the C++ API, the C API and Python show (bia::fact_type_name names it)
    bool has_members;           // declared with a member list: one of {...}, set of {...}
};

inline constexpr std::array<FactKindRow, 7> fact_kinds = {{
    {FactKind::boolean, bia::FactType::boolean, false},
    {FactKind::number, bia::FactType::number, false},
    {FactKind::text, bia::FactType::text, false},
    {FactKind::date, bia::FactType::date, false},
    {FactKind::one_of, bia::FactType::one_of, true},
    {FactKind::set_of, bia::FactType::set_of, true},
    {FactKind::list, bia::FactType::list, false},
}};

// "never" (language 2: a fact declared `date or never`): the event has not happened, and the case
// says so. A day later than every date the language writes (10000-01-01), so that it is after any
// date: `assessed_on <= arrived_on + 14 days` ("assessed by then") is false for it, as it should be.
inline constexpr std::int32_t never_day = 2932897;

constexpr const FactKindRow& row(FactKind kind) { return fact_kinds[static_cast<std::size_t>(kind)]; }

static_assert(rows_in_enum_order<&FactKindRow::kind>(fact_kinds), "fact_kinds must list the kinds in the order of enum FactKind");

}  // namespace bia::lang
