// One case at a time: Pack::evaluate, evaluate_into, summarize_into and
// CaseEvents, through this thread's reused memory.
#include "api/internal.hpp"

#include "eval/result_size.hpp"

#include <algorithm>

namespace bia {
namespace api {

eval::Scratch& thread_scratch() {
    thread_local eval::Scratch scratch;
    return scratch;
}

eval::BoundCase& thread_case() {
    thread_local eval::BoundCase bound;
    return bound;
}

void sort_warnings(eval::BoundCase& bound) {
    std::stable_sort(bound.warnings.begin(), bound.warnings.end(),
                     [](const Warning& a, const Warning& b) { return a.path < b.path; });
}

std::string id_text(const eval::BoundCase& bound) { return bound.id.empty() ? std::string("null") : bound.id; }

void set_id(Result& result, const eval::BoundCase& bound, const EvalOptions& options) {
    if (options.id_field.empty()) result.id.reset();
    else result.id = id_text(bound);
}

Evaluation finish(const detail::CompiledPack& pack, eval::BoundCase& bound, const EvalOptions& options) {
    Evaluation out;
    if (!bound.errors.empty()) {
        out.errors = bound.errors;
        return out;
    }
    sort_warnings(bound);
    const Date as_of = options.as_of.value_or(Date::today());
    eval::Scratch& scratch = thread_scratch();
    Result r;
    if (!eval::evaluate_case(pack, bound, as_of, scratch, r)) {
        out.errors.push_back(eval::result_too_large(pack, scratch.result_bytes));
        return out;
    }
    set_id(r, bound, options);
    out.result = std::move(r);
    return out;
}

eval::BindOptions bind_options(const detail::CompiledPack& pack, const EvalOptions& options) {
    return eval::BindOptions{options.strict, pack.limits.max_json_depth, pack.limits.max_case_bytes,
                             options.accept_near_misses, options.id_field};
}

}  // namespace api

namespace {

using api::bind_options;
using api::finish;
using api::set_id;
using api::sort_warnings;
using api::thread_case;
using api::thread_scratch;

// Binds the case into this thread's BoundCase; null, with `errors`, if it has fact errors.
eval::BoundCase* bind_text(const detail::CompiledPack& pack, std::string_view case_json, const EvalOptions& options,
                           std::vector<FactError>& errors) {
    eval::BoundCase& bound = thread_case();
    eval::bind_json_text(pack.plan, case_json, bind_options(pack, options), bound);
    errors = bound.errors;
    return bound.errors.empty() ? &bound : nullptr;
}

}  // namespace

Evaluation Pack::evaluate(std::string_view case_json, const EvalOptions& options) const {
    eval::BoundCase& bound = thread_case();
    eval::bind_json_text(impl_->plan, case_json, bind_options(*impl_, options), bound);
    return finish(*impl_, bound, options);
}

bool Pack::evaluate_into(std::string_view case_json, const EvalOptions& options, Result& result,
                         std::vector<FactError>& errors) const {
    eval::BoundCase* bound = bind_text(*impl_, case_json, options, errors);
    if (!bound) return false;
    sort_warnings(*bound);
    eval::Scratch& scratch = thread_scratch();
    if (!eval::evaluate_case(*impl_, *bound, options.as_of.value_or(Date::today()), scratch, result)) {
        errors.assign(1, eval::result_too_large(*impl_, scratch.result_bytes));
        return false;
    }
    set_id(result, *bound, options);
    return true;
}

bool Pack::summarize_into(std::string_view case_json, const EvalOptions& options, Summary& summary,
                          std::vector<FactError>& errors) const {
    eval::BoundCase* bound = bind_text(*impl_, case_json, options, errors);
    if (!bound) return false;
    eval::Scratch& scratch = thread_scratch();
    if (eval::summarize_case(*impl_, *bound, options.as_of.value_or(Date::today()), scratch, summary)) return true;
    errors.assign(1, eval::result_too_large(*impl_, scratch.result_bytes));
    return false;
}

struct CaseEvents::State {
    const Pack pack;  // a copy shares the compiled pack, so it outlives the events
    const EvalOptions options;
    eval::BoundCase bound;
    eval::EventBinder binder;
    bool evaluated = false;
    State(const Pack& p, const EvalOptions& o)
        : pack(p), options(o), binder(detail::compiled(pack).plan, bind_options(detail::compiled(pack), o), bound) {}
};

CaseEvents::CaseEvents(const Pack& pack, const EvalOptions& options) : state_(new State(pack, options)) {}
CaseEvents::~CaseEvents() = default;
bool CaseEvents::null() { return state_->binder.null(); }
bool CaseEvents::boolean(bool value) { return state_->binder.boolean(value); }
bool CaseEvents::integer(std::int64_t value) { return state_->binder.integer(value); }
bool CaseEvents::unsigned_integer(std::uint64_t value) { return state_->binder.unsigned_integer(value); }
bool CaseEvents::number(double value) { return state_->binder.number(value); }
bool CaseEvents::string(std::string_view value) { return state_->binder.string(value); }
bool CaseEvents::binary() { return state_->binder.binary(); }
bool CaseEvents::start_object() { return state_->binder.start_object(); }
bool CaseEvents::key(std::string_view key) { return state_->binder.key(key); }
bool CaseEvents::end_object() { return state_->binder.end_object(); }
bool CaseEvents::start_array() { return state_->binder.start_array(); }
bool CaseEvents::end_array() { return state_->binder.end_array(); }

Evaluation CaseEvents::evaluate() {
    if (state_->evaluated) {
        Evaluation out;
        out.errors.push_back({"$", "CaseEvents::evaluate was already called for this case"});
        return out;
    }
    state_->evaluated = true;
    state_->binder.finish();
    return finish(detail::compiled(state_->pack), state_->bound, state_->options);
}

}  // namespace bia
