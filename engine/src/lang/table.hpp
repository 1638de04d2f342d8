// Tables indexed by an enumeration: each row sits at its enumerator's place.
#pragma once

#include <cstddef>

namespace bia::lang {

// Whether row i of `rows` is the row of enumerator i, as `row.*key` says: the
// tables check it with a static_assert, so looking a row up by its enumerator
// can never read another's.
template <auto key, typename Rows>
constexpr bool rows_in_enum_order(const Rows& rows) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (static_cast<std::size_t>(rows[i].*key) != i) return false;
    }
    return true;
}

}  // namespace bia::lang
