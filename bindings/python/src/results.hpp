// Engine results -> Python objects shaped exactly like the result contract (docs/result.md).
#pragma once

#include <pybind11/pybind11.h>

#include <bia/bia.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bia::python {

namespace py = pybind11;

// Builds result dicts for one call (a single case or a whole cohort). The
// strings results repeat (rule names and titles, action texts, citations,
// levels, fact paths, due dates) are made once per call and shared: Python
// strings are immutable, so sharing them is invisible. Containers are never
// shared: every result is a fresh, independent object.
class ResultBuilder {
public:
    explicit ResultBuilder(const Pack& pack);

    // The result contract as a dict, keys in contract order; numbers that are
    // integral come back as int, as `json.loads` of the JSON output would give.
    py::dict result(const Result& r);

    // A shared Python string for text the pack's results keep repeating.
    PyObject* text(std::string_view s);  // borrowed
    PyObject* date(Date d);              // borrowed

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    struct Equal {
        using is_transparent = void;
        bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
    };

    // A Python string for text that is usually the same as last time: the
    // comparison costs far less than hashing long titles over and over.
    struct Slot {
        std::string text;
        py::object object;
    };
    PyObject* slot(Slot& s, std::string_view text);
    // The same, but on a miss the string comes from the shared text cache.
    PyObject* slot_or_text(Slot& s, std::string_view text);

    // What a fired rule repeats from one result to the next.
    struct RuleTexts {
        Slot title, domain, severity;
        std::vector<Slot> actions;
        std::vector<std::array<Slot, 3>> cites;  // source, title, ref
        std::vector<Slot> missing;               // when it is undetermined
    };
    RuleTexts& rule_texts(std::string_view rule);

    py::object engine_, pack_name_, pack_version_, pack_digest_;
    std::string pack_name_text_;
    std::vector<Slot> case_missing_;
    std::vector<Slot> domain_names_, domain_titles_;
    std::unordered_map<std::string, RuleTexts, Hash, Equal> rules_;
    std::unordered_map<std::string, py::object, Hash, Equal> texts_;
    std::unordered_map<std::int32_t, py::object> dates_;
};

// Creates the interned keys and dict templates. Called once when the module loads.
void init_result_keys();

py::str make_str(std::string_view s);
py::object make_number(double v);
// [{"path": ..., "message": ...}, ...]
py::list error_list(const std::vector<FactError>& errors);

}  // namespace bia::python
