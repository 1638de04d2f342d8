// The near-miss rule behind every "did you mean" (see suggest.hpp).
#include "common/suggest.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace bia::detail {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    if (a.size() > 64 || b.size() > 64) return 1000;
    // Rows i-2, i-1 and i of the table; swapping two neighbours ("alnoe") is one edit, the
    // commonest slip of typing, which plain Levenshtein counts as two. On the stack: the binder
    // asks for this for every undeclared field of every case.
    std::array<std::size_t, 65> rows[3];
    std::size_t* before = rows[0].data();
    std::size_t* prev = rows[1].data();
    std::size_t* cur = rows[2].data();
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], before[j - 2] + 1);
        }
        std::swap(before, prev);
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

ClosestName::ClosestName(std::string_view name)
    : name_(name), bound_(std::max<std::size_t>(2, name.size() / 3) + 1) {}

void ClosestName::consider(std::string_view candidate) {
    // The length difference alone rules most candidates out, without the distance.
    const std::size_t gap = candidate.size() > name_.size() ? candidate.size() - name_.size()
                                                            : name_.size() - candidate.size();
    if (gap >= bound_) return;
    const std::size_t d = edit_distance(name_, candidate);
    if (d < bound_) {
        bound_ = d;
        best_ = candidate;
    }
}

bool likely_misspelling(std::string_view name, std::string_view candidate) {
    const std::size_t d = edit_distance(name, candidate);
    return d <= 2 && d * 3 <= std::max(name.size(), candidate.size());
}

}  // namespace bia::detail
