// "Did you mean": the one rule for when a name is close enough to a declared one,
// used by the checker (unknown names in a pack) and the binder (undeclared case fields).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bia::detail {

// Edit distance (insertions, deletions, substitutions, swaps of two neighbours) between two names;
// a large number for names over 64 bytes, which are never suggested.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest of the candidates offered to consider(), if any is close enough to
// `name`: within max(2, length / 3) edits. On a tie the first offered wins.
class ClosestName {
public:
    // Keeps a view of `name`: a temporary string would dangle, so one is refused at compile time.
    explicit ClosestName(std::string_view name);
    explicit ClosestName(std::string&&) = delete;
    void consider(std::string_view candidate);
    // Empty when no candidate was close enough.
    const std::string& best() const { return best_; }

private:
    std::string_view name_;
    std::size_t bound_;  // a candidate must be closer than this
    std::string best_;
};

// True when `candidate`, a suggestion for `name`, is also close enough for a case
// field to be taken for a misspelling of it: at most two edits, and at most one in
// three characters of the longer name. Stricter than ClosestName's bound, which for
// short names lets any name of one or two letters suggest any other ("z" -> "b"),
// and for long ones takes a suffix for a slip ("appointed" -> "appointed_on", two
// facts of the PROTECT pack).
bool likely_misspelling(std::string_view name, std::string_view candidate);

}  // namespace bia::detail
