// Engine results -> Python objects shaped exactly like the result contract (docs/result.md).
#pragma once

#include <pybind11/pybind11.h>

#include <bia/bia.hpp>
#include <bia/result_fields.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <unordered_map>
#include <vector>

namespace bia::python {

namespace py = pybind11;

// A prototype of one contract object that repeats from result to result (a
// fired rule's entry, one of its actions or citations, a domain's entry): a
// dict holding the members the contract marks `repeats`, made from `seen`,
// with the varying members at their defaults; and, for each member that is a
// list of objects, the prototypes of its entries by position.
template <class T>
struct Proto;

// A Python string for text that is usually the same as last time: the
// comparison costs far less than hashing long titles over and over.
struct Slot {
    std::string text;
    py::object object;
};

template <class F>
struct ChildProtos {
    using type = std::monostate;
};
// A list of texts (fact paths): the string last seen at each position.
template <class O>
struct ChildProtos<contract::Field<O, std::vector<std::string>>> {
    using type = std::vector<Slot>;
};
template <class O, class E>
    requires contract::Object<E>
struct ChildProtos<contract::Field<O, std::vector<E>>> {
    using type = std::vector<Proto<E>>;
};
template <class T, class Seq = std::make_index_sequence<contract::field_count<T>>>
struct Children;
template <class T, std::size_t... I>
struct Children<T, std::index_sequence<I...>> {
    using type = std::tuple<
        typename ChildProtos<std::remove_cvref_t<decltype(std::get<I>(contract::Contract<T>::fields))>>::type...>;
};

template <class T>
struct Proto {
    T seen;  // its repeating members are those the dict was made from
    py::object dict;
    typename Children<T>::type children;
};

// Builds result dicts for one call (a single case or a whole cohort), walking
// the contract's description (bia/result_fields.hpp): a member added there
// appears in the dicts with nothing to change here.
//
// Most of a result repeats from one case to the next: a fired rule's name,
// title, domain, severity, score and citations, an action's text, a domain's
// title. Each such object gets a prototype (Proto) per rule and position, and
// an entry is a copy of it (PyDict_Copy copies the key table whole) with only
// the varying members set. A prototype is made anew whenever the strings it
// was made from differ, so the dicts always say what the result says.
//
// Comparing those strings is most of the work, and the GIL-holding thread
// would do it on results other threads wrote (cache misses on every string).
// So a worker can check a result right after evaluating it, against a
// snapshot of what the prototypes were made from (check()), and copy the
// varying members of every matching entry onto a tape; result() then builds
// those entries from the prototypes and the tape alone, provided the rule's
// prototypes have not changed since the snapshot, and from the Result for
// the rest.
//
// Only immutable objects (str, int, float, bool, None) are shared between
// results; every dict and list is fresh, so results stay independent.
class ResultBuilder {
public:
    explicit ResultBuilder(const Pack& pack);

    // What the prototypes were made from at one moment. Immutable, so any
    // thread may read it.
    struct Snapshot;
    // What a worker found out about one result (see check()).
    struct Checked {
        const Snapshot* snapshot = nullptr;
        // Per entry of `fired` and of `undetermined`: the rule's index in the
        // pack (kUnknown when not found), with kSame set when the entry's
        // repeating members are the snapshot's; then its tape words in bits 32-63.
        std::vector<std::uint64_t> fired, undetermined;
        bool domains_same = false;  // names and titles are the snapshot's
        std::size_t domain_words = 0;
        // The varying members of the matching entries and the result's fact
        // lists, in contract order (see ResultBuilder::check).
        std::vector<std::uint64_t> tape;
    };
    static constexpr std::uint64_t kSame = 0x80000000u;
    static constexpr std::uint32_t kUnknown = 0x7fffffffu;

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
    PyObject* fact(std::uint32_t index);  // borrowed: the fact's path

    // Any contract object, built member by member with no prototype (new reference).
    template <class T>
    PyObject* object(const T& v);
    // One member's value as json.loads would give it (new reference).
    template <class V>
    PyObject* value(const V& v, bool repeats);

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    struct Equal {
        using is_transparent = void;
        bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
    };

    // On a miss the string comes from the shared text cache.
    PyObject* slot_or_text(Slot& s, std::string_view text);
    // A fresh list of `list`'s strings, `slots` holding the last seen at each position (new reference).
    PyObject* texts(std::vector<Slot>& slots, const std::vector<std::string>& list);

    // What a rule's entries repeat from one result to the next. A version is
    // bumped whenever a prototype in its tree is made anew.
    struct RuleCache {
        std::string name;
        Proto<FiredRule> fired;
        Proto<UndeterminedRule> undetermined;
        std::uint64_t fired_version = 0, undetermined_version = 0;
    };
    template <class E>
    static Proto<E>& proto_of(RuleCache& rc);
    template <class E>
    static std::uint64_t& version_of(RuleCache& rc);
    // The rule's cache. Entries come in pack order, so a cursor walked along
    // the pack's rules finds each one without hashing its name.
    RuleCache& rule(std::string_view name, std::size_t& cursor);

    // An entry from its prototype and `v`, making the prototype (and those of
    // its lists' entries) anew where `v` repeats other strings; `remade` is set then.
    template <class T>
    PyObject* entry(Proto<T>& p, const T& v, bool& remade);
    // The same from the prototype and the tape alone, for an entry check() found the same.
    template <class T>
    PyObject* entry(const Proto<T>& p, const std::uint64_t*& tape);
    template <class E>
    py::list rule_entries(const std::vector<E>& entries, const Checked* checked, const std::uint64_t*& tape);
    py::object domains(const Result& r, const Checked* checked, const std::uint64_t*& tape);
    template <class Tag>
    py::object group(const Result& r);

    Pack pack_;
    // The result's own strings (engine, level, ...) and lists of texts, by member.
    Slot top_[contract::field_count<Result>];
    std::vector<Slot> top_lists_[contract::field_count<Result>];
    Result group_seen_;  // what pack_dict_ was made from
    py::object pack_dict_;
    std::vector<Proto<DomainScore>> domains_;  // every declared domain, in declaration order
    std::vector<py::object> domain_names_;
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

    // A summary as a dict: the members of Contract<Summary> in order, numbers
    // as make_number gives them.
    py::dict dict(const Summary& s);
    // The frame's columns: one list per member of Contract<Summary>, keyed as
    // the dict, then "error". Numbers are floats (the columns are float64).
    class Columns {
    public:
        explicit Columns(SummaryBuilder& b) : b_(b) {}
        void add(const Summary& s);
        // A row for a case that could not be evaluated: None for the values,
        // empty lists for the lists, and what was wrong.
        void add_error(py::object message);
        py::dict take();

    private:
        SummaryBuilder& b_;
        py::list columns_[contract::field_count<Summary>];
        py::list error_;
    };

private:
    // Member I of Contract<Summary> for `s` (new reference).
    template <std::size_t I>
    PyObject* member(const Summary& s, bool number_as_float);
    PyObject* name(contract::Names names, std::uint32_t index, std::uint32_t action = 0);  // borrowed
    // The string for `text` at `cache[index]`, made when first asked for.
    static PyObject* cached(std::vector<py::object>& cache, std::size_t index, std::string_view text);

    Pack pack_;
    std::vector<py::object> levels_, rules_, facts_;
    std::vector<std::vector<py::object>> actions_;  // per rule
};

// The frame's columns as (key, kind) pairs in contract order, kind being
// "level", "number" or "list": what bia._frame needs to give each its dtype.
py::list summary_columns();

// Creates the interned keys and dict templates. Called once when the module loads.
void init_result_keys();

py::str make_str(std::string_view s);
py::object make_number(double v);
// [{"path": ..., "message": ...}, ...]
py::list error_list(const std::vector<FactError>& errors);
// The case id (Result::id, BatchCase::id: JSON text of a string or a number) as a Python value.
py::object id_object(const std::string& json);

}  // namespace bia::python
