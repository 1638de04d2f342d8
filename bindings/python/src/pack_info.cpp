// What a compiled pack tells Python about itself, its own tests, and
// explanations of one rule for one case.
#include "bindings.hpp"
#include "cases.hpp"
#include "errors.hpp"
#include "results.hpp"

namespace bia::python {

namespace {

// (path, kind, type, members, description, record, fields, capacity, imprecise, never): a list's
// fields as tuples of the same shape (language 2).
py::tuple fact_tuple(const FactInfo& f) {
    py::list fields;
    for (const FactInfo& field : f.fields) fields.append(fact_tuple(field));
    return py::make_tuple(make_str(f.path), make_str(bia::fact_type_name(f.type)), make_str(f.type_text()),
                          py::cast(f.members), make_str(f.description), make_str(f.record), fields, f.capacity,
                          py::bool_(f.imprecise), py::bool_(f.never));
}

}  // namespace

py::list facts_of(const PackHandle& self) {
    py::list out;
    for (const FactInfo& f : self.pack.facts()) out.append(fact_tuple(f));
    return out;
}

py::list rules_of(const PackHandle& self) {
    py::list out;
    for (const RuleInfo& r : self.pack.rules())
        out.append(py::make_tuple(make_str(r.name), make_str(r.title), py::cast(r.domain), py::cast(r.severity),
                                  make_number(r.score)));
    return out;
}

py::list levels_of(const PackHandle& self) {
    py::list out;
    for (const LevelInfo& l : self.pack.levels())
        out.append(py::make_tuple(make_str(l.name), l.at ? make_number(*l.at) : py::object(py::none())));
    return out;
}

py::list domains_of(const PackHandle& self) {
    py::list out;
    for (const DomainInfo& d : self.pack.domains()) out.append(py::make_tuple(make_str(d.name), make_str(d.title)));
    return out;
}

py::list sources_of(const PackHandle& self) {
    py::list out;
    for (const SourceInfo& s : self.pack.citation_sources()) out.append(py::make_tuple(make_str(s.id), make_str(s.title)));
    return out;
}

// The source files as read, for pickling. Text that is not valid UTF-8 (the
// engine would have refused it) cannot occur here, but bytes keep it exact.
py::list source_files_of(const PackHandle& self) {
    py::list out;
    for (const SourceFile& f : self.pack.sources())
        out.append(py::make_tuple(make_str(f.name), py::bytes(f.text)));
    return out;
}

// The pack's own `test` declarations, run, with rule coverage.
py::tuple run_pack_tests(const PackHandle& self) {
    TestReport report;
    {
        py::gil_scoped_release release;
        report = bia::run_tests(self.pack);
    }
    py::list tests;
    for (const TestCaseResult& t : report.tests) {
        py::list failures;
        for (const std::string& f : t.failures) failures.append(make_str(f));
        tests.append(py::make_tuple(make_str(t.name), make_str(t.path), t.line, failures));
    }
    py::list coverage;
    for (const RuleCoverage& c : report.coverage)
        coverage.append(py::make_tuple(make_str(c.rule), c.fired, c.not_fired, c.undetermined, c.covered()));
    return py::make_tuple(tests, coverage, report.coverage_percent());
}

// Why one rule came out as it did for one case, sub-expression by sub-expression.
py::tuple explain_rule(const PackHandle& self, py::handle facts, const std::string& rule, py::handle as_of,
                       bool strict) {
    EvalOptions options;
    options.as_of = parse_as_of(as_of);
    options.strict = strict;
    CaseText c = prepare_single(facts);
    if (!c.problems.empty()) raise_fact_error(c.problems, std::nullopt);
    ExplainResult r;
    {
        py::gil_scoped_release release;
        r = bia::explain(self.pack, c.text, rule, options);
    }
    if (!r.errors.empty()) raise_fact_error(r.errors, std::nullopt);
    if (!r.explanation) throw py::key_error(r.problem.empty() ? "no such rule: " + rule : r.problem);
    const Explanation& e = *r.explanation;
    static const char* outcomes[] = {"fired", "not_fired", "undetermined"};
    py::list steps;
    for (const ExplainStep& step : e.steps)
        steps.append(py::make_tuple(step.depth, make_str(step.expression), make_str(step.value), step.via_let));
    py::list missing, would_fire;
    for (const std::string& m : e.missing) missing.append(make_str(m));
    for (const std::string& w : e.would_fire) would_fire.append(make_str(w));
    return py::make_tuple(make_str(e.rule), make_str(e.title), outcomes[static_cast<int>(e.outcome)], steps, missing,
                          would_fire, make_str(render_explanation(e)));
}

}  // namespace bia::python
