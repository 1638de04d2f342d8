// Binds case JSON to fact slots in one streaming pass. Messages name paths and
// JSON types, never values: case data are children's personal data.
#include "eval/facts.hpp"

#include "eval/decode.hpp"

#include "common/source.hpp"
#include "common/suggest.hpp"

#include <bia/date.hpp>
#include <bia/json_text.hpp>

#include <nlohmann/json.hpp>
#include <bia/pack.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_set>

namespace bia::eval {
namespace {

// More numbers too large for a double than this and the case gets one error at `$`.
constexpr std::size_t max_out_of_range_numbers = 100;

using compiler::KeyNode;
using compiler::none;
using compiler::Plan;
using compiler::SlotKind;

std::string member_text(const compiler::Slot& s) {
    std::string m = "{";
    for (std::size_t i = 0; i < s.members.size(); ++i) {
        if (i) m += ", ";
        if (i == 8) {
            m += "...";
            break;
        }
        m += "\"" + s.members[i] + "\"";
    }
    return m + "}";
}

// "; did you mean 'x'?", or nothing without a suggestion.
std::string did_you_mean(const std::string& suggestion) {
    return suggestion.empty() ? std::string() : "; did you mean " + detail::quoted(suggestion) + "?";
}

bool plain_name(std::string_view key) {
    if (key.empty() || (key[0] >= '0' && key[0] <= '9')) return false;
    return std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

std::string expected_of(const Plan& plan, const compiler::Slot& s) {
    if (s.list != none) return "an array of " + plan.lists[s.list].record + " records (JSON objects)";
    switch (s.kind) {
        case SlotKind::boolean: return "a boolean (true or false)";
        case SlotKind::number: return s.imprecise ? "a number or a range {\"min\": a, \"max\": b}" : "a number";
        case SlotKind::text: return "a string";
        case SlotKind::date: {
            std::string date = s.imprecise ? "a date string \"YYYY-MM-DD\", \"YYYY-MM\" or \"YYYY\"" : "a date string \"YYYY-MM-DD\"";
            return s.never ? date + " or \"never\"" : date;
        }
        case SlotKind::one_of:
        case SlotKind::set_of: {
            const std::string m = member_text(s);
            return s.kind == SlotKind::one_of ? "one of the strings " + m : "an array of strings from " + m;
        }
        case SlotKind::list: break;  // a list's slot is a number (its length): above
    }
    return "?";
}

class Binder {
public:
    Binder(const Plan& plan, const BindOptions& options, BoundCase& out) : plan_(plan), options_(options), out_(out) {
        out_.reset(plan.slots.size(), plan.imprecise_slots);
    }

    // ---- the SAX interface ------------------------------------------------
    bool null() {
        if (id_value("null", "")) return true;  // no id: as if the field were absent
        if (!value_start("null")) return true;
        if (const auto* set = array_slot()) {
            element_error(*set, "null");
            return true;
        }
        if (not_a_record("null")) return true;
        consume();  // null leaves a fact (or every fact under an object) unknown
        return true;
    }
    bool boolean(bool v) {
        if (id_value("boolean", "")) return true;
        if (!value_start("boolean")) return true;
        if (const auto* set = array_slot()) {
            element_error(*set, "boolean");
            return true;
        }
        if (not_a_record("boolean")) return true;
        if (leaf_kind(SlotKind::boolean, "boolean")) out_.slots[pending_fact()] = Value::boolean(v);
        consume();
        return true;
    }
    bool number_integer(std::int64_t v) { return number(static_cast<double>(v), [v] { return std::to_string(v); }); }
    bool number_unsigned(std::uint64_t v) { return number(static_cast<double>(v), [v] { return std::to_string(v); }); }
    // An id's number is written as nlohmann writes it (1e2 as 100.0), so the JSON
    // and the pretty result, which parses the id back, give the same text.
    bool number_float(double v, const std::string&) { return number(v, [v] { return nlohmann::json(v).dump(); }); }
    bool string(std::string& v) {
        if (pending_id_) {
            std::string text;
            append_json_string(text, v);
            return id_value("string", std::move(text));
        }
        if (!value_start("string")) return true;
        if (const auto* set_frame = array_slot()) {
            add_member(*set_frame, v);
            return true;
        }
        if (not_a_record("string")) return true;
        const std::uint32_t fact = pending_fact();
        if (fact == none) {
            mismatch("string");
            consume();
            return true;
        }
        const auto& slot = plan_.slots[fact];
        switch (slot.kind) {
            case SlotKind::text:
                out_.text_offsets[fact] = static_cast<std::uint32_t>(out_.arena.size());
                out_.arena += v;
                out_.slots[fact] = Value::text(nullptr, static_cast<std::uint32_t>(v.size()));
                break;
            case SlotKind::date:
                if (const auto span = decode_date_fact(slot, v)) {
                    out_.slots[fact] = Value::number(span->first);
                    // Only an imprecise slot keeps an upper bound (BoundCase::upper is empty otherwise).
                    if (slot.imprecise) out_.upper[fact] = span->last;
                } else {
                    error(pending_path(), "expected " + expected_of(plan_, slot) + " naming a real calendar date, found a string that is not one");
                }
                break;
            case SlotKind::one_of: {
                if (auto member = decode_member(slot, v)) out_.slots[fact] = *member;
                else error(pending_path(), "expected " + expected_of(plan_, slot) + ", found a string that is not one of them");
                break;
            }
            default: mismatch("string");
        }
        consume();
        return true;
    }
    bool binary(nlohmann::json::binary_t&) {
        if (id_value("binary", "")) return true;
        if (value_start("binary")) mismatch("binary");
        consume();
        return true;
    }
    bool start_object(std::size_t) {
        if (!push_depth()) return false;
        if (frames_.empty()) {
            frames_.push_back(Frame{Frame::object, 0, none, ""});
            return true;
        }
        if (!value_start("object")) {
            frames_.push_back(Frame{Frame::skip, none, none, child_path()});
            id_value("object", "");
            return true;
        }
        if (array_slot()) {
            element_error(*array_slot(), "object");
            frames_.push_back(Frame{Frame::skip, none, none, child_path()});
            return true;
        }
        if (Frame* list = list_frame()) {
            start_element(*list);
            return true;
        }
        const std::uint32_t key = pending_key_;
        const std::uint32_t fact = pending_fact();
        if (key != none && plan_.keys[key].fact == none) {
            frames_.push_back(Frame{Frame::object, key, none, ""});
        } else if (fact != none && plan_.slots[fact].kind == SlotKind::number && plan_.slots[fact].imprecise) {
            frames_.push_back(Frame{Frame::range, none, fact, pending_path()});
        } else {
            if (key != none || element_slot_ != none || range_frame()) mismatch("object");
            frames_.push_back(Frame{Frame::skip, none, none, child_path()});
        }
        pending_active_ = false;
        return true;
    }
    bool key(std::string& k) {
        Frame& f = frames_.back();
        pending_active_ = true;
        pending_key_ = none;
        pending_name_ = k;
        if (f.kind == Frame::range) {
            // {"min": a, "max": b}: each bound once, and nothing else.
            pending_active_ = false;
            if (f.seen.count(k) != 0) {
                error(key_path(f.path, k), "duplicate key in a JSON object");
            } else if (k == "min" || k == "max") {
                f.seen.insert(k);
                pending_active_ = true;
            } else {
                error(key_path(f.path, k), "a range has only \"min\" and \"max\"");
            }
            return true;
        }
        if (f.kind == Frame::element) {
            element_key(f, k);
            return true;
        }
        if (f.kind != Frame::object) {
            // Inside an ignored subtree: nothing to bind, but a duplicate key is still an error.
            pending_active_ = false;
            if (f.seen.count(k) != 0) {
                error(key_path(f.path, k), "duplicate key in a JSON object");
            } else {
                f.seen.insert(k);
                // The case id may sit in an object the pack does not declare (meta.id).
                if (!options_.id_field.empty() && f.kind == Frame::skip && !f.is_array &&
                    key_path(f.path, k) == options_.id_field)
                    pending_id_ = true;
            }
            return true;
        }
        const auto& children = plan_.keys[f.key].children;
        auto it = std::lower_bound(children.begin(), children.end(), k,
                                   [](const auto& c, const std::string& key) { return c.first < key; });
        const bool declared = it != children.end() && it->first == k;
        // Duplicate keys are errors: which value is meant cannot be known.
        auto& seen = f.seen;
        if (seen.count(k) != 0) {
            error(join(f, k), "duplicate key in a JSON object");
            pending_active_ = false;
            return true;
        }
        seen.insert(k);
        if (declared) {
            pending_key_ = it->second;
        } else if (const int id = options_.id_field.empty() ? 0 : id_relation(join(f, k)); id != 0) {
            // The case id, or an object on its path: not facts, and not strangers either.
            pending_id_ = id == 1;
            pending_active_ = false;
        } else {
            if (options_.strict) {
                Warning w = undeclared_field(plan_, f.key, k);
                error(std::move(w.path), "is not a fact of this pack (strict mode)" + did_you_mean(w.suggestion));
            } else {
                out_.warnings.push_back(undeclared_field(plan_, f.key, k));
            }
            pending_active_ = false;
        }
        return true;
    }
    bool end_object() { return close_frame(); }
    bool start_array(std::size_t) {
        if (!push_depth()) return false;
        if (frames_.empty()) {
            error("$", "the case must be a JSON object, found an array");
            push_skip_array();
            return true;
        }
        if (!value_start("array")) {
            push_skip_array();
            id_value("array", "");
            return true;
        }
        if (const auto* set = array_slot()) {
            element_error(*set, "array");
            push_skip_array();
            return true;
        }
        if (not_a_record("array")) {
            push_skip_array();
            return true;
        }
        const std::uint32_t fact = pending_fact();
        if (fact != none && plan_.slots[fact].kind == SlotKind::set_of) {
            Frame f{Frame::set, none, fact, pending_path()};
            out_.slots[fact] = Value::set(0);  // an empty array is known and empty
            frames_.push_back(std::move(f));
        } else if (fact != none && plan_.slots[fact].list != none) {
            frames_.push_back(Frame{Frame::list, none, fact, pending_path()});
        } else {
            mismatch("array");
            push_skip_array();
        }
        pending_active_ = false;
        return true;
    }
    bool end_array() { return close_frame(); }
    // The end of the object or array open at this depth: the value it was is consumed.
    bool close_frame() {
        const Frame::Kind kind = frames_.back().kind;
        if (kind == Frame::range) close_range(frames_.back());
        // A list is known once it closes: as long as the elements it gave, unless it gave too many.
        if (kind == Frame::list && !frames_.back().broken) out_.slots[frames_.back().fact] = Value::number(frames_.back().index);
        frames_.pop_back();
        if (kind == Frame::element) ++frames_.back().index;
        --depth_;
        consume();
        return true;
    }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
        syntax_error_at_ = position;
        // 406: a well-formed number too large for a double. Not a syntax error: the
        // caller finds every such number and reads again, to report each at its path.
        if (e.id == 406) number_overflow_ = true;
        return false;
    }

    std::size_t syntax_error_at_ = std::string::npos;
    bool number_overflow_ = false;
    bool depth_exceeded_ = false;
    // Ordinals, among the case's numbers in text order, of those too large for a double,
    // which the text read now has as zeros (see bind_json_text).
    const std::vector<std::size_t>* out_of_range_ = nullptr;
    bool too_many_out_of_range_ = false;

private:
    struct Frame {
        // list: a list fact's array (language 2); element: one of its objects.
        enum Kind : std::uint8_t { object, set, skip, range, list, element } kind = object;
        std::uint32_t key = none;   // object: the key node
        std::uint32_t fact = none;  // set, range, list, element: the slot (a list's, for an element)
        std::string path;           // set, range, list: the fact's path, for element errors; element: list[i]
        double bounds[2] = {0, 0};  // range: min and max as read
        std::uint8_t read = 0;      // range: bit 0, min was read; bit 1, max
        bool broken = false;        // range: a bound was refused (and reported); list: too many elements
        std::uint32_t index = 0;    // set, list: the next element's index; element: its own
        // A set, not a list: an object with n keys must not take n^2 comparisons (16 MiB of keys).
        std::unordered_set<std::string> seen;
        bool is_array = false;

        Frame(Kind k, std::uint32_t key_node, std::uint32_t slot, std::string fact_path)
            : kind(k), key(key_node), fact(slot), path(std::move(fact_path)) {}
    };

    const Plan& plan_;
    const BindOptions& options_;
    BoundCase& out_;
    std::vector<Frame> frames_;
    unsigned depth_ = 0;
    bool pending_active_ = false;   // a key of interest waits for its value
    // In a list's element: the slot and path of the field whose value comes next, or none.
    std::uint32_t element_slot_ = none;
    std::string element_path_;
    bool pending_id_ = false;       // the case id's key waits for its value
    std::uint32_t pending_key_ = none;
    std::string pending_name_;
    std::size_t numbers_seen_ = 0;
    std::size_t out_of_range_seen_ = 0;    // in the text, for matching the ordinals
    std::size_t out_of_range_errors_ = 0;  // reported

    // 1 when `path` is the case id's, 2 when it is an object on the way to it, else 0.
    int id_relation(const std::string& path) const {
        const std::string_view id = options_.id_field;
        if (id.empty() || id.substr(0, path.size()) != path) return 0;
        if (id.size() == path.size()) return 1;
        return id[path.size()] == '.' ? 2 : 0;
    }

    // At a value: if it is the case id's, takes it (a string or a number, as
    // JSON text; `text` is empty for any other type, an error, but for null).
    bool id_value(const char* json_type, std::string text) {
        if (!pending_id_) return false;
        pending_id_ = false;
        if (!text.empty()) out_.id = std::move(text);
        else if (std::string_view(json_type) != "null")
            error(std::string(options_.id_field), std::string("expected a string or a number (the case id), found ") + article(json_type));
        return true;
    }

    void push_skip_array() {
        frames_.push_back(Frame{Frame::skip, none, none, child_path()});
        frames_.back().is_array = true;
    }

    // The path of the value about to start, for frames of ignored subtrees.
    std::string child_path() const {
        if (frames_.empty()) return "$";
        const Frame& f = frames_.back();
        if (f.kind == Frame::set || (f.kind == Frame::skip && f.is_array)) return f.path + "[]";
        if (f.kind == Frame::list) return f.path + "[" + std::to_string(f.index) + "]";
        return key_path(f.kind == Frame::object ? plan_.keys[f.key].path : f.path, pending_name_);
    }

    bool push_depth() {
        if (++depth_ > options_.max_depth) {
            depth_exceeded_ = true;
            return false;
        }
        return true;
    }

    // Called at each value. False when the value belongs to an ignored subtree.
    bool value_start(const char* json_type) {
        if (frames_.empty()) {
            error("$", std::string("the case must be a JSON object, found ") + article(json_type));
            return false;
        }
        const Frame& f = frames_.back();
        if (f.kind == Frame::set || f.kind == Frame::list) return true;
        if (f.kind == Frame::skip) return false;
        return pending_active_;
    }

    Frame* list_frame() { return !frames_.empty() && frames_.back().kind == Frame::list ? &frames_.back() : nullptr; }

    // An element of a list that is not an object: refused at its path, and counted.
    bool not_a_record(const char* json_type) {
        Frame* list = list_frame();
        if (list == nullptr) return false;
        const std::string& record = plan_.lists[plan_.slots[list->fact].list].record;
        const bool vowel = std::string_view("aeiouAEIOU").find(record.front()) != std::string_view::npos;
        error(list->path + "[" + std::to_string(list->index) + "]",
              std::string(vowel ? "expected an " : "expected a ") + record + " record (a JSON object), found " +
                  article(json_type));
        ++list->index;
        return true;
    }

    // `{` in a list: the next element, unless the list already has as many as it may hold. Then the
    // list is refused (reported once) and stays unknown: binding only the first ones would lose the rest.
    void start_element(Frame& list) {
        const compiler::ListPlan& plan = plan_.lists[plan_.slots[list.fact].list];
        const std::string path = list.path + "[" + std::to_string(list.index) + "]";
        if (list.index >= plan.capacity) {
            if (!list.broken) {
                error(list.path, "the list has more than " + std::to_string(plan.capacity) +
                                     " elements, the most this pack's declaration (`up to " + std::to_string(plan.capacity) +
                                     "`) allows; the list is left unknown");
                out_.slots[list.fact] = Value::unknown();
            }
            list.broken = true;
            ++list.index;
            frames_.push_back(Frame{Frame::skip, none, none, path});
            return;
        }
        Frame element{Frame::element, none, list.fact, path};
        element.index = list.index;
        frames_.push_back(std::move(element));
        pending_active_ = false;
    }

    // A key in a list's element: a field of its record, or a stranger (as an undeclared fact is).
    void element_key(Frame& f, const std::string& k) {
        pending_active_ = false;
        element_slot_ = none;
        if (f.seen.count(k) != 0) {
            error(key_path(f.path, k), "duplicate key in a JSON object");
            return;
        }
        f.seen.insert(k);
        const compiler::ListPlan& list = plan_.lists[plan_.slots[f.fact].list];
        const auto it = std::lower_bound(list.fields.begin(), list.fields.end(), k,
                                         [](const auto& field, const std::string& key) { return field.first < key; });
        if (it != list.fields.end() && it->first == k) {
            element_slot_ = list.first + f.index * list.field_count() + it->second;
            element_path_ = key_path(f.path, k);
            pending_active_ = true;
            return;
        }
        detail::ClosestName closest(k);
        for (const auto& field : list.fields) closest.consider(field.first);
        const std::string suggestion = closest.best().empty() ? "" : key_path(f.path, closest.best());
        const std::string message = "is not a field of record " + detail::quoted(list.record);
        if (options_.strict) {
            error(key_path(f.path, k), message + " (strict mode)" + did_you_mean(suggestion));
        } else {
            Warning w{key_path(f.path, k), message + "; ignored", suggestion};
            if (!suggestion.empty()) w.message += " (" + did_you_mean(suggestion).substr(2) + ")";
            out_.warnings.push_back(std::move(w));
        }
    }

    const Frame* array_slot() const {
        return !frames_.empty() && frames_.back().kind == Frame::set ? &frames_.back() : nullptr;
    }

    void consume() {
        pending_active_ = false;
        pending_key_ = none;
        element_slot_ = none;
    }

    std::uint32_t pending_fact() const {
        if (element_slot_ != none) return element_slot_;
        return pending_key_ == none ? none : plan_.keys[pending_key_].fact;
    }

    std::string pending_path() const {
        if (element_slot_ != none) return element_path_;
        return pending_key_ == none ? std::string("$") : plan_.keys[pending_key_].path;
    }

    std::string join(Frame& f, const std::string& key) const { return key_path(plan_.keys[f.key].path, key); }

    static std::string article(const std::string& t) {
        if (t == "null") return "null";
        if (t == "array" || t == "object") return "an " + t;
        return "a " + t;
    }

    void error(std::string path, std::string message) { out_.errors.push_back({std::move(path), std::move(message)}); }

    Frame* range_frame() { return !frames_.empty() && frames_.back().kind == Frame::range ? &frames_.back() : nullptr; }

    // The end of {"min": a, "max": b}: the fact's value, or why it has none.
    void close_range(const Frame& range) {
        if (range.broken) return;  // a bound was refused, and reported where it was: a range never half-binds
        if (range.read != 3) {
            error(range.path, std::string("a range needs both \"min\" and \"max\" (numbers); ") +
                                  (range.read == 0 ? "neither was given" : range.read == 1 ? "\"max\" was not given" : "\"min\" was not given"));
            return;
        }
        if (!valid_range(range.bounds[0], range.bounds[1])) {
            error(range.path, "the range's \"min\" is greater than its \"max\"");
            return;
        }
        out_.slots[range.fact] = Value::number(range.bounds[0]);
        out_.upper[range.fact] = range.bounds[1];
    }

    bool leaf_kind(SlotKind want, const char* json_type) {
        const std::uint32_t fact = pending_fact();
        if (fact != none && plan_.slots[fact].kind == want && plan_.slots[fact].list == none) return true;
        mismatch(json_type);
        return false;
    }

    void mismatch(const char* json_type) {
        if (Frame* range = range_frame()) {
            error(key_path(range->path, pending_name_), std::string("expected a number, found ") + article(json_type));
            range->broken = true;
            return;
        }
        if (element_slot_ != none) {
            error(element_path_, "expected " + expected_of(plan_, plan_.slots[element_slot_]) + ", found " + article(json_type));
            return;
        }
        if (pending_key_ == none) return;
        const auto& k = plan_.keys[pending_key_];
        const std::string expected = k.fact == none ? "an object" : expected_of(plan_, plan_.slots[k.fact]);
        error(k.path, "expected " + expected + ", found " + article(json_type));
    }

    void element_error(const Frame& set, const char* json_type) {
        error(set.path + "[" + std::to_string(set.index) + "]",
              "expected a string from " + member_text(plan_.slots[set.fact]) + ", found " + article(json_type));
        ++frames_.back().index;
    }

    void add_member(const Frame& set, const std::string& v) {
        const auto& slot = plan_.slots[set.fact];
        if (const auto bit = decode_set_element(slot, v)) {
            out_.slots[set.fact].bits |= *bit;
        } else {
            error(set.path + "[" + std::to_string(set.index) + "]",
                  "expected a string from " + member_text(slot) + ", found a string that is not one of them");
        }
        ++frames_.back().index;
    }

    template <class Text>
    bool number(double v, const Text& text) {
        bool finite = std::isfinite(v);
        // Every number reaches here in text order, in ignored subtrees too, so the count
        // matches the ordinals found in the text.
        if (out_of_range_ && out_of_range_seen_ < out_of_range_->size() &&
            (*out_of_range_)[out_of_range_seen_] == numbers_seen_) {
            finite = false;
            ++out_of_range_seen_;
        }
        ++numbers_seen_;
        if (pending_id_) {
            if (finite) return id_value("number", text());
            pending_id_ = false;
            if (!count_out_of_range()) return false;
            error(std::string(options_.id_field), "the number is out of range (not a finite double)");
            return true;
        }
        if (!value_start("number")) return true;  // an ignored value: an undeclared field's
        if (!finite && !count_out_of_range()) return false;
        if (const auto* set = array_slot()) {
            element_error(*set, "number");
            return true;
        }
        if (not_a_record("number")) return true;
        if (Frame* range = range_frame()) {
            if (!finite) {
                error(key_path(range->path, pending_name_), "the number is out of range (not a finite double)");
                range->broken = true;
            } else {
                const int bound = pending_name_ == "max" ? 1 : 0;
                range->bounds[bound] = v;
                range->read |= static_cast<std::uint8_t>(1u << bound);
            }
            consume();
            return true;
        }
        if (leaf_kind(SlotKind::number, "number")) {
            if (!finite) error(pending_path(), "the number is out of range (not a finite double)");
            else out_.slots[pending_fact()] = Value::number(v);
        }
        consume();
        return true;
    }

    // An out-of-range number where a value is read (a fact, the case id). Only these count
    // towards the limit: one in an undeclared field is ignored with its field, and 101 of
    // them refused a case that had no error (issue 16, item 6). False: stop, too many.
    bool count_out_of_range() {
        if (++out_of_range_errors_ > max_out_of_range_numbers) {
            too_many_out_of_range_ = true;
            return false;
        }
        return true;
    }
};

std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return {line, column};
}

void depth_error(BoundCase& out, const BindOptions& options) {
    out.errors.push_back({"$", "the case is nested deeper than the limit of " + std::to_string(options.max_depth) +
                                   " arrays and objects (max_json_depth)"});
}

// One streaming pass. True when it stopped at a number too large for a double,
// which the caller then reports at its path. `out_of_range`: see Binder.
bool bind_text_once(const Plan& plan, std::string_view json, const BindOptions& options, BoundCase& out,
                    const std::vector<std::size_t>* out_of_range) {
    Binder binder(plan, options, out);
    binder.out_of_range_ = out_of_range;
    if (json.size() > options.max_bytes) {
        out.errors.push_back({"$", "the case is " + std::to_string(json.size()) + " bytes, over the limit of " +
                                       std::to_string(options.max_bytes) + " bytes (max_case_bytes)"});
        return false;
    }
    std::size_t bad = 0;
    if (!detail::valid_utf8(json, bad)) {
        const auto [line, column] = line_column(json, bad);
        out.errors.push_back({"$", "the case is not valid UTF-8 (line " + std::to_string(line) + ", column " +
                                       std::to_string(column) + ")"});
        return false;
    }
    // nlohmann's lexer takes a NUL byte for the end of its input, so `{"a":1}` followed by
    // a NUL and anything at all was accepted. JSON text never holds one (not even in a string).
    if (const auto nul = json.find('\0'); nul != std::string_view::npos) {
        const auto [line, column] = line_column(json, nul);
        out.errors.push_back({"$", "the case is not valid JSON: a NUL byte at byte offset " + std::to_string(nul) +
                                       " (line " + std::to_string(line) + ", column " + std::to_string(column) +
                                       ")"});
        return false;
    }
    const bool ok = nlohmann::json::sax_parse(json.begin(), json.end(), &binder);
    if (binder.depth_exceeded_) {
        out.errors.clear();
        depth_error(out, options);
    } else if (binder.too_many_out_of_range_) {
        out.errors.clear();
        out.errors.push_back({"$", "the case has more than " + std::to_string(max_out_of_range_numbers) +
                                       " numbers out of range (not finite doubles)"});
    } else if (!ok && binder.number_overflow_) {
        if (!out_of_range) return true;
        // The scan below missed a number nlohmann finds too large: never bind part of a case.
        out.errors.clear();
        out.errors.push_back({"$", "the case has a number out of range (not a finite double)"});
    } else if (!ok && binder.syntax_error_at_ != std::string::npos) {
        // nlohmann counts the position one past the offending character.
        const std::size_t at = binder.syntax_error_at_ > 0 ? binder.syntax_error_at_ - 1 : 0;
        const auto [line, column] = line_column(json, at);
        out.errors.clear();
        out.errors.push_back({"$", json.find_first_not_of(" \t\r\n") == std::string_view::npos
                                       ? std::string("the case is empty; expected a JSON object")
                                       : "the case is not valid JSON: syntax error at line " + std::to_string(line) +
                                             ", column " + std::to_string(column)});
    }
    return false;
}

// True when the JSON number `token` is too large for a double, as nlohmann's strtod finds it.
// Most numbers are ruled out by their decimal exponent alone, without converting them.
bool overflows(std::string_view token) {
    std::size_t i = token[0] == '-' ? 1 : 0;
    long long magnitude = 0;  // the power of ten of the first significant digit
    bool significant = false;
    long long integer_digits = 0;
    for (; i < token.size() && is_digit(token[i]); ++i, ++integer_digits) {
        if (!significant && token[i] != '0') {
            significant = true;
            magnitude = -integer_digits;  // completed once the integer part's length is known
        }
    }
    if (significant) magnitude += integer_digits - 1;
    if (i < token.size() && token[i] == '.') {
        for (long long place = -1; ++i < token.size() && is_digit(token[i]); --place) {
            if (!significant && token[i] != '0') {
                significant = true;
                magnitude = place;
            }
        }
    }
    if (!significant) return false;  // zero
    long long exponent = 0;
    if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
        bool negative = false;
        if (++i < token.size() && (token[i] == '+' || token[i] == '-')) negative = token[i++] == '-';
        for (; i < token.size(); ++i) exponent = std::min(exponent * 10 + (token[i] - '0'), 1'000'000'000'000LL);
        if (negative) exponent = -exponent;
    }
    if (magnitude + exponent < 308) return false;  // below 1e308: finite
    double value = 0;
    const auto r = std::from_chars(token.data(), token.data() + token.size(), value);
    return r.ec == std::errc::result_out_of_range || !std::isfinite(value);
}

// Finds, in one pass over the text, each number too large for a double (nlohmann stops at the
// first): its ordinal among all the case's numbers, and where it is. Tokens are found as
// nlohmann's lexer finds them; the scan stops where the lexer would fail on a number, since
// nlohmann reads nothing after that, and what it finds past another syntax error is never used.
struct OutOfRange {
    std::vector<std::size_t> ordinals;
    std::vector<std::pair<std::size_t, std::size_t>> spans;  // offset, length
};

OutOfRange find_out_of_range(std::string_view text) {
    OutOfRange found;
    std::size_t ordinal = 0;
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        const char c = text[i];
        if (c == '"') {
            for (++i; i < n && text[i] != '"'; ++i) {
                if (text[i] == '\\') ++i;
            }
            ++i;
            continue;
        }
        if (c != '-' && !is_digit(c)) {
            ++i;
            continue;
        }
        const std::size_t start = i;
        if (text[i] == '-') ++i;
        if (i == n || !is_digit(text[i])) break;
        if (text[i] == '0') ++i;
        else while (i < n && is_digit(text[i])) ++i;
        if (i < n && text[i] == '.') {
            if (++i == n || !is_digit(text[i])) break;
            while (i < n && is_digit(text[i])) ++i;
        }
        if (i < n && (text[i] == 'e' || text[i] == 'E')) {
            if (++i < n && (text[i] == '+' || text[i] == '-')) ++i;
            if (i == n || !is_digit(text[i])) break;
            while (i < n && is_digit(text[i])) ++i;
        }
        if (overflows(text.substr(start, i - start))) {
            found.ordinals.push_back(ordinal);
            found.spans.emplace_back(start, i - start);
        }
        ++ordinal;
    }
    return found;
}

}  // namespace

// The path of `key` under `base`. A key that is not a name of the pack language (empty, dotted,
// with brackets, quotes, spaces or control characters...) is quoted, so `{"a.b": 1}` does not
// read as the fact a.b and `{"": 1}` does not give an empty path: a["a.b"], [""].
std::string key_path(std::string_view base, std::string_view key) {
    std::string path(base);
    if (plain_name(key)) {
        if (!path.empty()) path += '.';
        path += key;
    } else {
        // As a JSON string. A parsed value's key may be invalid UTF-8 (text input is checked
        // first): such bytes become U+FFFD, so a path is always text.
        path += '[';
        append_json_string(path, key);
        path += ']';
    }
    return path;
}

std::string closest_key(const Plan& plan, std::uint32_t parent, std::string_view key) {
    const KeyNode& node = plan.keys[parent];
    detail::ClosestName closest(key);
    for (const auto& child : node.children) closest.consider(child.first);
    return closest.best().empty() ? std::string() : key_path(node.path, closest.best());
}

Warning undeclared_field(const Plan& plan, std::uint32_t parent, std::string_view key) {
    Warning w{key_path(plan.keys[parent].path, key), "is not a fact of this pack; ignored", closest_key(plan, parent, key)};
    if (!w.suggestion.empty()) w.message += " (" + did_you_mean(w.suggestion).substr(2) + ")";
    return w;
}

namespace {

bool all_unknown(const Plan& plan, std::uint32_t node, const BoundCase& bound) {
    const KeyNode& k = plan.keys[node];
    if (k.fact != none) return !bound.slots[k.fact].known;
    return std::all_of(k.children.begin(), k.children.end(),
                       [&](const auto& child) { return all_unknown(plan, child.second, bound); });
}

// A near miss (see EvalOptions::accept_near_misses) becomes a fact error.
void refuse_near_misses(const Plan& plan, const BindOptions& options, BoundCase& out) {
    if (options.accept_near_misses || !out.errors.empty()) return;
    for (const Warning& w : out.warnings) {
        if (w.suggestion.empty()) continue;
        // The field's key and the suggested key, each after their common parent's path.
        const std::size_t dot = w.suggestion.rfind('.');
        const std::size_t parent = dot == std::string::npos ? 0 : dot + 1;
        if (!detail::likely_misspelling(std::string_view(w.path).substr(parent), std::string_view(w.suggestion).substr(parent)))
            continue;
        // Rare (a likely misspelling), so finding the suggested node by its path costs nothing.
        const auto it = std::find_if(plan.keys.begin(), plan.keys.end(),
                                     [&](const KeyNode& k) { return k.path == w.suggestion; });
        if (it == plan.keys.end() || !all_unknown(plan, static_cast<std::uint32_t>(it - plan.keys.begin()), out)) continue;
        out.errors.push_back({w.path, "is not a fact of this pack" + did_you_mean(w.suggestion) +
                                          " The case leaves " + detail::quoted(w.suggestion) +
                                          " unknown, so it is refused as a likely misspelling "
                                          "(to evaluate it anyway, accept near misses: see docs/result.md)"});
    }
}

void bind_text(const Plan& plan, std::string_view json, const BindOptions& options, BoundCase& out) {
    if (fast_bind(plan, json, options, out)) return;
    if (!bind_text_once(plan, json, options, out, nullptr)) return;
    // A number too large for a double: find them all, write each as a zero of the same length
    // and sign ("0e000", "-0e00": no character that can follow the number extends it, the sign
    // is kept for the number that may come right before), so the text keeps its tokens and
    // positions, and read once more with the binder told which numbers they were.
    const OutOfRange found = find_out_of_range(json);
    std::string text(json);
    for (auto [offset, length] : found.spans) {
        if (text[offset] == '-') ++offset, --length;
        // An overflowing number has at least five characters besides its sign (1e309).
        text[offset] = '0';
        text[offset + 1] = 'e';
        std::fill_n(text.begin() + static_cast<std::ptrdiff_t>(offset + 2), length - 2, '0');
    }
    bind_text_once(plan, text, options, out, &found.ordinals);
}

}  // namespace

void bind_json_text(const Plan& plan, std::string_view json, const BindOptions& options, BoundCase& out) {
    bind_text(plan, json, options, out);
    refuse_near_misses(plan, options, out);
}

struct EventBinder::Impl {
    const Plan& plan;
    const BindOptions options;  // before the binder, which keeps a reference to it
    BoundCase& out;
    Binder binder;
    std::size_t open = 0;   // objects and arrays started and not ended
    bool started = false;   // the first event came
    bool stopped = false;   // an event was refused: the case is incomplete

    Impl(const Plan& p, const BindOptions& o, BoundCase& bound)
        : plan(p), options(o), out(bound), binder(plan, options, bound) {}

    // Each event goes to the binder as a JSON reader would send it; after a
    // refusal nothing more is taken, as a reader stops reading.
    template <typename Send>
    bool event(Send&& send) {
        if (stopped) return false;
        started = true;
        if (!send(binder)) stopped = true;
        return !stopped;
    }
    // The end of an object or array: refused when nothing is open.
    template <typename Send>
    bool close(Send&& send) {
        if (open == 0) stopped = true;
        else --open;
        return event(send);
    }
};

EventBinder::EventBinder(const Plan& plan, const BindOptions& options, BoundCase& out)
    : impl_(std::make_unique<Impl>(plan, options, out)) {}
EventBinder::~EventBinder() = default;

bool EventBinder::null() { return impl_->event([](Binder& b) { return b.null(); }); }
bool EventBinder::boolean(bool value) { return impl_->event([&](Binder& b) { return b.boolean(value); }); }
bool EventBinder::integer(std::int64_t value) { return impl_->event([&](Binder& b) { return b.number_integer(value); }); }
bool EventBinder::unsigned_integer(std::uint64_t value) {
    return impl_->event([&](Binder& b) { return b.number_unsigned(value); });
}
bool EventBinder::number(double value) { return impl_->event([&](Binder& b) { return b.number_float(value, {}); }); }
bool EventBinder::string(std::string_view value) {
    std::string text(value);  // the binder's SAX interface takes the reader's buffer
    return impl_->event([&](Binder& b) { return b.string(text); });
}
bool EventBinder::binary() {
    nlohmann::json::binary_t none;
    return impl_->event([&](Binder& b) { return b.binary(none); });
}
bool EventBinder::start_object() {
    ++impl_->open;
    return impl_->event([](Binder& b) { return b.start_object(std::size_t(-1)); });
}
bool EventBinder::key(std::string_view key) {
    std::string text(key);
    return impl_->event([&](Binder& b) { return b.key(text); });
}
bool EventBinder::end_object() { return impl_->close([](Binder& b) { return b.end_object(); }); }
bool EventBinder::start_array() {
    ++impl_->open;
    return impl_->event([](Binder& b) { return b.start_array(std::size_t(-1)); });
}
bool EventBinder::end_array() { return impl_->close([](Binder& b) { return b.end_array(); }); }

void EventBinder::finish() {
    if (impl_->binder.depth_exceeded_) {
        impl_->out.errors.clear();
        depth_error(impl_->out, impl_->options);
        return;
    }
    // Events out of order, or a case that never ended, are not a case: never
    // evaluate part of one.
    if ((impl_->stopped || impl_->open != 0 || !impl_->started) && impl_->out.errors.empty()) {
        impl_->out.errors.push_back({"$", "the case's events did not describe one whole JSON value"});
    }
    refuse_near_misses(impl_->plan, impl_->options, impl_->out);
}

void bind_json_value(const Plan& plan, const nlohmann::json& value, const BindOptions& options, BoundCase& out) {
    EventBinder binder(plan, options, out);
    bia::detail::send_json(value, binder);
    binder.finish();
}

}  // namespace bia::eval
