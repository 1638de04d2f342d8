// A Python case (a dict, a mapping, JSON str or bytes) made ready for the
// engine, and one case evaluated from it.
#pragma once

#include <pybind11/pybind11.h>

#include <bia/bia.hpp>

#include "facts_writer.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace bia::python {

namespace py = pybind11;

// The evaluation's as-of date: None means today, resolved once per call so a
// cohort evaluated across midnight still shares one date.
Date parse_as_of(py::handle value);

// One case ready for the engine: a view of JSON text (inside a Python str or
// bytes object the caller keeps alive, or inside `owned`), plus any problems
// found while turning Python objects into JSON.
struct CaseText {
    std::string owned;
    std::string_view text;
    std::vector<FactError> problems;
};

inline constexpr const char* kCaseKinds = "a dict, a JSON str or bytes";

// Returns false when `value` is not a kind of case at all.
bool prepare_case(PyObject* value, CaseText& out, const WriteOptions& options);
// The same for one case given to evaluate, render or explain: TypeError when it is not one.
CaseText prepare_single(py::handle facts);

// Evaluates a prepared case. Problems found while converting are fact errors
// too; the engine still reads the rest of the case so every error is reported.
Evaluation evaluate_case(const Pack& pack, const CaseText& c, const EvalOptions& options);
// The same into `ev`, reusing the memory of the result it held before.
void evaluate_case_into(const Pack& pack, const CaseText& c, const EvalOptions& options, Evaluation& ev);
// The same summed up (Pack::summarize_into): true when `summary` holds the case's, else `errors` say why.
bool summarize_case_into(const Pack& pack, const CaseText& c, const EvalOptions& options, Summary& summary,
                         std::vector<FactError>& errors);

// How dicts are written as JSON for the engine.
WriteOptions dict_options();

}  // namespace bia::python
