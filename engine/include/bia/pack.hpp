// Compiling packs and evaluating cases: the engine's entry points.
#pragma once

#include <bia/date.hpp>
#include <bia/diagnostic.hpp>
#include <bia/export.hpp>
#include <bia/result.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bia {

namespace detail {
struct CompiledPack;
struct PackAccess;
}  // namespace detail

// Bounds on untrusted input. Each one exceeded is an error that names it.
struct Limits {
    std::size_t max_source_bytes = 4u << 20;   // a pack's source, all files together
    unsigned max_expression_depth = 256;       // nesting of parentheses, `not`, minus
    unsigned max_json_depth = 64;              // nesting of arrays and objects in a case
    std::size_t max_case_bytes = 16u << 20;    // one case's JSON text
    std::size_t max_diagnostics = 100;         // diagnostics reported before stopping
    std::size_t max_result_bytes = 16u << 20;  // one case's result, counted while it is built (docs/reliability.md)
};

// A fact's type, as the API shows it. A stable mirror of the engine's own
// enumeration (lang/kinds.hpp converts by a table, never by a cast).
enum class FactType { boolean, number, text, date, one_of, set_of, list };

// The type's name as Python's Pack.facts and docs/python.md give it: "bool",
// "number", "text", "date", "one_of", "set_of", "list" (language 2).
constexpr std::string_view fact_type_name(FactType type) {
    switch (type) {
        case FactType::boolean: return "bool";
        case FactType::number: return "number";
        case FactType::text: return "text";
        case FactType::date: return "date";
        case FactType::one_of: return "one_of";
        case FactType::set_of: return "set_of";
        case FactType::list: return "list";
    }
    return "";
}

struct BIA_API FactInfo {
    std::string path;
    FactType type = FactType::boolean;
    std::vector<std::string> members;  // for one_of and set_of
    std::string description;
    // A list (language 2): the record its elements are, their fields (each path a field name), and
    // the most elements a case may give (`up to N`).
    std::string record;
    std::vector<FactInfo> fields;
    std::uint32_t capacity = 0;
    // Language 2: a case may give the fact as an interval (a partial date, a number range), which
    // every date and number fact of a language 2 pack may be unless declared `exact`; and a
    // `date or never` fact may be "never".
    bool imprecise = false;
    bool never = false;
    // The type as written in the language: `bool`, `one of {"a", "b"}`, `list of member up to 20`, ...
    std::string type_text() const;
};

struct LevelInfo {
    std::string name;
    std::optional<double> at;
};

struct SourceInfo {
    std::string id;
    std::string title;
};

struct DomainInfo {
    std::string name;
    std::string title;
};

struct RuleInfo {
    std::string name;
    std::string title;
    std::optional<std::string> domain;
    std::optional<std::string> severity;
    double score = 0;
    std::vector<std::string> actions;  // the texts of the rule's `then` actions, in order
};

// One source file of a pack, as read. Kept so a pack can be shipped
// (pickled, sent to a worker) and recompiled to the same digest.
struct SourceFile {
    std::string name;
    std::string text;
};

struct EvalOptions {
    // The evaluation's "today"; the host's local date when not given.
    std::optional<Date> as_of;
    // Undeclared fields are errors instead of warnings.
    bool strict = false;
    // An undeclared field is a near miss when its name is within one edit in
    // three characters of a declared fact (or object of facts) under the same
    // object, its "did you mean" (Warning::suggestion), and the case leaves
    // that fact (every fact under that object) unknown: a likely misspelling
    // that would silently lower the level. Such a case is refused with a fact
    // error, unless this is true: then the field is only a warning, as any
    // other undeclared field (see "Misspelt fields" in docs/result.md).
    bool accept_near_misses = false;
    // The path of the case's id field (`case_id`, `meta.id`), or empty for none.
    // That field is not a fact: it gives no warning (no error in strict mode),
    // and its value, a string or a number, is passed through as Result::id and
    // BatchCase::id, so results can be matched back to the cases they came from.
    // Any other JSON type there is a fact error. It must not be a declared fact
    // or object of facts (see Pack::id_field_problem).
    std::string id_field;
};

// One case of Pack::evaluate_batch: its JSON text in; its result or summary,
// or its fact errors, out.
struct BatchCase {
    std::string_view json;
    Result* result = nullptr;    // receives the result, reusing its memory, when not null;
    Summary* summary = nullptr;  // else the summary, when not null
    std::vector<FactError>* errors = nullptr;  // receives the fact errors (none when evaluated), when not null
    bool evaluated = false;      // set by evaluate_batch: false when the case has fact errors
    // Receives the case id as JSON text (see EvalOptions::id_field; "null" when
    // the case has none, or its JSON is broken before it), evaluated or not,
    // when not null and options.id_field is set.
    std::string* id = nullptr;
};

// A compiled, immutable pack. Cheap to copy (it shares one plan) and safe to
// evaluate from many threads at once.
class BIA_API Pack {
public:
    const std::string& name() const;
    const std::string& version() const;
    const std::string& title() const;
    // "sha256:<hex>" over the pack's source bytes (see docs/result.md).
    const std::string& digest() const;
    // The path or name the pack was compiled from.
    const std::string& origin() const;
    const std::vector<SourceFile>& sources() const;

    const std::vector<FactInfo>& facts() const;
    // Every fact a result may name, by the index a Summary uses: facts() in order, then (language 2)
    // each list's elements' fields, element by element: family.members[0].relation, ...
    const std::vector<std::string>& fact_paths() const;
    const std::vector<RuleInfo>& rules() const;
    const std::vector<LevelInfo>& levels() const;
    const std::vector<DomainInfo>& domains() const;
    const std::vector<SourceInfo>& citation_sources() const;

    // The declared fact, or object of facts, whose path is closest to `path`
    // (a path this pack does not declare), when one is close enough to be a
    // likely misspelling, as the "did you mean" of undeclared case fields: the
    // first segment of `path` that is not declared is compared with the keys
    // declared beside it. Empty when `path` is declared or nothing is close.
    std::string closest_path(std::string_view path) const;
    // Why `path` cannot be EvalOptions::id_field (it is empty, or a declared
    // fact or object of facts), or empty when it can.
    std::string id_field_problem(std::string_view path) const;

    // Evaluates one case given as JSON text.
    Evaluation evaluate(std::string_view case_json, const EvalOptions& options = {}) const;
    // (These two keep a std::string or literal from being taken for a JSON value.)
    Evaluation evaluate(const std::string& case_json, const EvalOptions& options = {}) const {
        return evaluate(std::string_view(case_json), options);
    }
    Evaluation evaluate(const char* case_json, const EvalOptions& options = {}) const {
        return evaluate(std::string_view(case_json), options);
    }
    // Evaluates one case given as a parsed JSON value: the same checks,
    // warnings and errors as its JSON text. Defined below, in this header, on
    // CaseEvents: the library's exported symbols carry no nlohmann type, so a
    // host may use another nlohmann version than the library was built with.
    Evaluation evaluate(const nlohmann::json& case_facts, const EvalOptions& options = {}) const;
    // Evaluates one case given as JSON text into `result`, reusing the memory of
    // its strings and lists, so a loop over many cases does not allocate per case.
    // Returns false, with the fact errors in `errors` and `result` unspecified,
    // when the case could not be evaluated. Otherwise the same as evaluate().
    bool evaluate_into(std::string_view case_json, const EvalOptions& options, Result& result,
                       std::vector<FactError>& errors) const;
    // The same evaluation as evaluate_into, summed up as positions in the pack's
    // lists (see Summary): no string is copied, for scoring cohorts.
    bool summarize_into(std::string_view case_json, const EvalOptions& options, Summary& summary,
                        std::vector<FactError>& errors) const;

    // Evaluates many cases, 64 of them in each pass of the plan (see
    // docs/performance.md): each case gets what evaluate_into, or summarize_into
    // when it asks for a summary, gives it alone, for less work per case. What
    // `bia batch` and Python's evaluate_many use. Without options.as_of, every
    // case of the call is evaluated as of the host's date when the call starts.
    // When `done` is given, done(i) is called as soon as case i is finished,
    // in the order of the cases; nothing is written to case i's result, summary
    // or errors before, or after done(i) is called. So cases can share one
    // Result (and errors) that `done` reads: a stream of cases then holds one
    // result at a time, which stays in the cache. `done` may evaluate other
    // cases, with this pack or another, evaluate_batch included.
    void evaluate_batch(std::span<BatchCase> cases, const EvalOptions& options,
                        const std::function<void(std::size_t)>& done = {}) const;

private:
    explicit Pack(std::shared_ptr<const detail::CompiledPack> impl) : impl_(std::move(impl)) {}
    friend struct detail::PackAccess;
    std::shared_ptr<const detail::CompiledPack> impl_;
};

// One case given as events, value by value, instead of as JSON text: for a
// host whose case is in a structure of its own (a parsed JSON value of any
// library, a database row, a form). The events are the ones a JSON reader
// would report for the case's text, in order: start_object(), then for each
// field key() and its value (a scalar, or start_array() ... end_array(), or
// start_object() ... end_object()), then end_object(). The case gets the same
// checks, warnings and errors (paths included) as the same JSON as text.
// Each event returns false once binding cannot go on (nesting deeper than
// max_json_depth, or events out of order): send no more, and call evaluate().
// Not thread-safe; one CaseEvents per case.
class BIA_API CaseEvents {
public:
    explicit CaseEvents(const Pack& pack, const EvalOptions& options = {});
    ~CaseEvents();
    CaseEvents(const CaseEvents&) = delete;
    CaseEvents& operator=(const CaseEvents&) = delete;

    bool null();
    bool boolean(bool value);
    bool integer(std::int64_t value);
    bool unsigned_integer(std::uint64_t value);
    bool number(double value);  // a NaN or an infinity is an error at its path, as JSON cannot hold one
    bool string(std::string_view value);
    bool binary();  // binary data (CBOR, MessagePack), which no fact holds: an error at its path
    bool start_object();
    bool key(std::string_view key);
    bool end_object();
    bool start_array();
    bool end_array();

    // Evaluates the case the events gave, or returns its errors (as
    // Pack::evaluate does). Call it once.
    Evaluation evaluate();

private:
    struct State;
    std::unique_ptr<State> state_;
};

namespace detail {

// Sends a parsed nlohmann JSON value to `events` (a CaseEvents; see
// Pack::evaluate). Stops at the first event refused, so nesting deeper than the
// limit is not walked.
template <typename Json, typename Events>
bool send_json(const Json& v, Events& events) {
    using type = typename Json::value_t;
    switch (v.type()) {
        case type::null: return events.null();
        case type::boolean: return events.boolean(v.template get<bool>());
        case type::number_integer: return events.integer(v.template get<std::int64_t>());
        case type::number_unsigned: return events.unsigned_integer(v.template get<std::uint64_t>());
        case type::number_float: return events.number(v.template get<double>());
        case type::string: return events.string(v.template get_ref<const typename Json::string_t&>());
        case type::binary: return events.binary();
        case type::array:
            if (!events.start_array()) return false;
            for (const auto& e : v) {
                if (!send_json(e, events)) return false;
            }
            return events.end_array();
        case type::object:
            if (!events.start_object()) return false;
            for (auto it = v.begin(); it != v.end(); ++it) {
                if (!events.key(it.key()) || !send_json(it.value(), events)) return false;
            }
            return events.end_object();
        case type::discarded: return events.null();
    }
    return true;
}

}  // namespace detail

inline Evaluation Pack::evaluate(const nlohmann::json& case_facts, const EvalOptions& options) const {
    CaseEvents events(*this, options);
    detail::send_json(case_facts, events);
    return events.evaluate();
}

// A compiled pack, or every diagnostic that kept the source from compiling.
struct CompileResult {
    std::optional<Pack> pack;
    std::vector<Diagnostic> diagnostics;
    bool ok() const { return pack.has_value(); }
};

// Compiles a pack from source text. `name` is used in diagnostics.
BIA_API CompileResult compile(std::string_view source, std::string name = "<string>",
                              const Limits& limits = {});
// Compiles a pack from several named source files, read as one pack in the given order.
BIA_API CompileResult compile(std::vector<SourceFile> files, std::string origin,
                              const Limits& limits = {});
// Reads and compiles a pack from a `.bia` file, or a directory whose top-level
// `.bia` files (dotfiles skipped) are read in byte order of their names.
BIA_API CompileResult load(const std::filesystem::path& path, const Limits& limits = {});

// The library's version, e.g. "1.0.0".
BIA_API const char* version() noexcept;

}  // namespace bia
