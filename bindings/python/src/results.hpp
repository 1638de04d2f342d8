// Engine results -> Python objects shaped exactly like the result contract (docs/result.md).
#pragma once

#include <pybind11/pybind11.h>

#include <bia/bia.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bia::python {

namespace py = pybind11;

// Builds result dicts for one call (a single case or a whole cohort).
//
// Most of a result repeats from one case to the next: a fired rule's name,
// title, domain, severity, score and citations, an action's text, a domain's
// title. For each such object the builder keeps a prototype dict holding the
// repeating values, and makes an entry by copying it (PyDict_Copy copies the
// key table whole) and setting only the values that vary. A prototype is
// remembered together with the engine strings it was made from, and is made
// anew whenever they differ, so the dicts always say what the result says.
//
// Comparing those strings is most of the work, and the GIL-holding thread
// would do it on results other threads wrote (cache misses on every string).
// So a worker can check a result right after evaluating it, against a
// snapshot of the prototypes' strings (check()); result() then trusts what the
// check found for every rule whose prototypes have not changed since the
// snapshot was taken, and compares as before for the rest.
//
// Only immutable objects (str, int, float, bool, None) are shared between
// results; every dict and list is fresh, so results stay independent.
class ResultBuilder {
public:
    explicit ResultBuilder(const Pack& pack);

    // The strings behind the builder's prototypes at one moment. Immutable,
    // so any thread may read it.
    struct Snapshot;
    // What a worker found out about one result (see check()): enough that
    // result() need not read the Result's entries again when they match.
    struct Checked {
        const Snapshot* snapshot = nullptr;
        // Per fired entry: the rule's index in the pack (kUnknown when not
        // found) with kSame set when its texts are the snapshot's; for such an
        // entry, its number of actions in bits 32-47 and of cites in bits 48-63.
        std::vector<std::uint64_t> fired;
        // Every action of the kSame entries, in order: kHasDue, kOverdue and
        // the due date's days in the low 32 bits.
        std::vector<std::uint64_t> actions;
        // Per undetermined entry: the rule's index (or kUnknown), and its
        // number of missing facts in bits 32-63.
        std::vector<std::uint64_t> undetermined;
        // The fact index (or kUnknown) of every undetermined entry's missing
        // facts in order, then of the result's own `missing`.
        std::vector<std::uint32_t> missing;
        bool domains_same = false;  // names and titles are the snapshot's
        std::vector<double> domain_scores;
    };
    static constexpr std::uint64_t kSame = 0x80000000u;
    static constexpr std::uint32_t kUnknown = 0x7fffffffu;
    static constexpr std::uint64_t kHasDue = std::uint64_t{1} << 63, kOverdue = std::uint64_t{1} << 62;

    // The current snapshot (GIL held). Cheap when nothing changed since the last one.
    std::shared_ptr<const Snapshot> snapshot();
    // Any thread, no GIL: compares `r` with `s` and records the outcome in `out`.
    static void check(const Snapshot& s, const Result& r, Checked& out);

    // The result contract as a dict, keys in contract order; numbers that are
    // integral come back as int, as `json.loads` of the JSON output would give.
    // `checked`, when given, is check() of `r` against a snapshot that is still alive.
    py::dict result(const Result& r, const Checked* checked = nullptr);

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
    // On a miss the string comes from the shared text cache.
    PyObject* slot_or_text(Slot& s, std::string_view text);

    // {"text": ..., "due": None, "overdue": False}
    struct ActionProto {
        std::string text;
        py::object dict;
    };
    // {"source": ..., "title": ..., "ref": ...}, the whole entry.
    struct CiteProto {
        std::string source, title;
        std::optional<std::string> ref;
        py::object dict;
    };
    // What a rule's entries repeat from one result to the next.
    struct RuleCache {
        std::string name;
        py::object name_object;
        // {"rule", "title", "domain", "severity", "score", "actions": None, "cites": None}
        std::string title;
        std::optional<std::string> domain, severity;
        double score = 0;
        py::object fired;
        std::vector<ActionProto> actions;
        std::vector<CiteProto> cites;
        py::object undetermined;  // {"rule": ..., "missing": None}
        std::vector<Slot> missing;
        // Bumped whenever a fired prototype is made anew.
        std::uint64_t fired_version = 0;
    };
    // The rule's cache. Entries come in pack order, so a cursor walked along
    // the pack's rules finds each one without hashing its name.
    RuleCache& rule(std::string_view name, std::size_t& cursor);
    PyObject* fired_entry(const FiredRule& f, RuleCache& rc);
    // The same from the prototypes alone, for an entry check() found the same.
    PyObject* fired_entry(const RuleCache& rc, std::size_t actions, std::size_t cites, const std::uint64_t* codes);
    py::object domains(const Result& r, const Checked* checked);
    PyObject* fact(std::uint32_t index);  // borrowed: the fact's path

    // {"title": ..., "score": 0} for one declared domain.
    struct DomainProto {
        std::string name, title;
        py::object name_object, dict;
    };

    Pack pack_;
    py::object engine_, pack_dict_;
    Slot level_, possible_level_;
    std::int32_t as_of_days_ = 0;
    py::object as_of_;
    std::vector<Slot> case_missing_;
    std::vector<DomainProto> domains_;
    std::uint64_t domains_version_ = 0;
    std::vector<RuleCache> rules_;  // the pack's rules in pack order, then any others met
    std::vector<py::object> facts_;  // the facts' paths, in declaration order, made when first needed
    std::unordered_map<std::string, std::size_t, Hash, Equal> rule_index_;
    std::unordered_map<std::string, py::object, Hash, Equal> texts_;
    std::unordered_map<std::int32_t, py::object> dates_;
    std::shared_ptr<const Snapshot> snapshot_;
    std::shared_ptr<const std::unordered_map<std::string_view, std::uint32_t>> fact_index_;
    bool changed_ = true;  // since snapshot_ was taken
};

// Python objects for Summary entries (evaluate_many's format="summary",
// evaluate_frame's columns). A summary names the pack's levels, rules, facts
// and actions by position, so each name is made once per call and then picked
// by index: no hashing, no comparing of strings. Lists and dicts are fresh.
class SummaryBuilder {
public:
    explicit SummaryBuilder(const Pack& pack) : pack_(pack) {}

    PyObject* level(std::size_t index);  // borrowed
    py::list fired(const Summary& s);
    py::list undetermined(const Summary& s);
    py::list missing(const Summary& s);
    py::list overdue(const Summary& s);
    py::list ask_first(const Summary& s);
    // {"level", "possible_level", "score", "possible_score", "fired",
    //  "undetermined", "missing", "overdue", "ask_first"}, numbers as make_number gives them.
    py::dict dict(const Summary& s);

private:
    // The string for `text` at `cache[index]`, made when first asked for.
    static PyObject* cached(std::vector<py::object>& cache, std::size_t index, std::string_view text);
    PyObject* rule(std::uint32_t index);
    py::list rule_list(const std::vector<std::uint32_t>& rules);
    py::list fact_list(const std::vector<std::uint32_t>& facts);

    Pack pack_;
    std::vector<py::object> levels_, rules_, facts_;
    std::vector<std::vector<py::object>> actions_;  // per rule
};

// Creates the interned keys and dict templates. Called once when the module loads.
void init_result_keys();

py::str make_str(std::string_view s);
py::object make_number(double v);
// [{"path": ..., "message": ...}, ...]
py::list error_list(const std::vector<FactError>& errors);
// The case id (Result::id, BatchCase::id: JSON text of a string or a number) as a Python value.
py::object id_object(const std::string& json);

}  // namespace bia::python
