// Binding a case's JSON to the pack's fact slots, with every fact error and warning.
#pragma once

#include "compile/plan.hpp"
#include "eval/value.hpp"

#include <bia/result.hpp>

#include <nlohmann/json_fwd.hpp>

#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bia::eval {

// A case bound to slots. Text values point into `arena` by offset until the
// evaluation turns them into pointers.
struct BoundCase {
    std::vector<Value> slots;
    // Per slot, when the plan has imprecise slots: the upper bound of an interval value, whose
    // lower bound is in `slots` (NaN: the value is exact). Empty otherwise.
    std::vector<double> upper;
    std::vector<std::uint32_t> text_offsets;  // per slot, for text facts
    std::string arena;
    std::vector<Warning> warnings;
    std::vector<FactError> errors;
    std::string id;  // the case id's JSON text (BindOptions::id_field), or empty

    const char* text_of(std::uint32_t slot) const { return arena.data() + text_offsets[slot]; }

    // Every slot unknown and nothing bound, keeping the memory: what both binders start from.
    void reset(std::size_t slot_count, bool imprecise_slots = false) {
        slots.assign(slot_count, Value::unknown());
        if (imprecise_slots) upper.assign(slot_count, std::numeric_limits<double>::quiet_NaN());
        else upper.clear();
        text_offsets.assign(slot_count, 0);
        arena.clear();
        warnings.clear();
        errors.clear();
        id.clear();
    }
};

struct BindOptions {
    BindOptions() = default;
    // (A constructor, not aggregate initialisation: callers that give the first
    // three keep the defaults of the rest without -Wmissing-field-initializers.)
    BindOptions(bool strict_mode, unsigned depth, std::size_t bytes, bool accept = false, std::string_view id = {})
        : strict(strict_mode), max_depth(depth), max_bytes(bytes), accept_near_misses(accept), id_field(id) {}

    bool strict = false;
    unsigned max_depth = 64;
    std::size_t max_bytes = 16u << 20;
    bool accept_near_misses = false;  // see EvalOptions
    std::string_view id_field;        // see EvalOptions
};

// Parses and binds JSON text in one pass, without building a document.
void bind_json_text(const compiler::Plan& plan, std::string_view json, const BindOptions& options, BoundCase& out);
// The fast path of bind_json_text (eval/fast_bind.cpp): binds a clean
// case and returns true, or returns false and leaves the case to the full binder.
bool fast_bind(const compiler::Plan& plan, std::string_view json, const BindOptions& options, BoundCase& out);
// The path of `key` under the path `base`, as messages name it (a key that is not
// a name is quoted: a["a.b"]).
std::string key_path(std::string_view base, std::string_view key);
// The declared key under the key node `parent` closest to `key`, as a path, or
// empty: the "did you mean" of undeclared fields.
std::string closest_key(const compiler::Plan& plan, std::uint32_t parent, std::string_view key);
// The warning for a key that names no fact under the key node `parent`, from either
// binder, with the closest declared key under `parent` as its suggestion.
Warning undeclared_field(const compiler::Plan& plan, std::uint32_t parent, std::string_view key);
// Binds a case given as events (bia::CaseEvents): the calls a JSON reader
// makes for the case's text, into the same binder bind_json_text uses.
class EventBinder {
public:
    EventBinder(const compiler::Plan& plan, const BindOptions& options, BoundCase& out);
    ~EventBinder();
    EventBinder(const EventBinder&) = delete;
    EventBinder& operator=(const EventBinder&) = delete;

    bool null();
    bool boolean(bool value);
    bool integer(std::int64_t value);
    bool unsigned_integer(std::uint64_t value);
    bool number(double value);
    bool string(std::string_view value);
    bool binary();
    bool start_object();
    bool key(std::string_view key);
    bool end_object();
    bool start_array();
    bool end_array();
    // After the last event: nesting past the limit replaces the other errors
    // with the one bind_json_text reports, and a case cut short is an error.
    void finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Binds an already parsed JSON value, through an EventBinder.
void bind_json_value(const compiler::Plan& plan, const nlohmann::json& value, const BindOptions& options,
                     BoundCase& out);

}  // namespace bia::eval
