// Python cases into JSON text for the engine (through facts_writer), and the
// one-case evaluations every entry point shares.
#include "cases.hpp"

#include "errors.hpp"

#include <algorithm>
#include <optional>

namespace bia::python {

Date parse_as_of(py::handle value) {
    if (value.is_none()) return Date::today();
    std::string text;
    if (!iso_date_of(value.ptr(), text)) {
        if (PyErr_Occurred()) throw py::error_already_set();
        throw py::type_error("as_of must be a datetime.date or an ISO date string 'YYYY-MM-DD', not " +
                             std::string(Py_TYPE(value.ptr())->tp_name));
    }
    std::optional<Date> date = Date::parse(text);
    if (!date) throw py::value_error("as_of must be a real calendar date written YYYY-MM-DD");
    return *date;
}

bool prepare_case(PyObject* value, CaseText& out, const WriteOptions& options) {
    out.problems.clear();
    if (PyUnicode_Check(value)) {
        Py_ssize_t size = 0;
        const char* data = PyUnicode_AsUTF8AndSize(value, &size);
        if (data == nullptr) {
            if (!clear_ordinary_error()) throw py::error_already_set();
            out.text = {};
            out.problems.push_back(FactError{"$", "the case text is not valid Unicode (it holds a lone surrogate)"});
            return true;
        }
        out.text = std::string_view(data, static_cast<std::size_t>(size));
        return true;
    }
    if (PyBytes_Check(value)) {
        out.text = std::string_view(PyBytes_AS_STRING(value), static_cast<std::size_t>(PyBytes_GET_SIZE(value)));
        return true;
    }
    if (PyDict_Check(value)) {
        out.owned.clear();
        if (!write_json(value, out.owned, out.problems, options)) throw py::error_already_set();
        out.text = out.owned;
        return true;
    }
    if (PyObject_CheckBuffer(value)) {  // bytearray, memoryview
        Py_buffer view;
        if (PyObject_GetBuffer(value, &view, PyBUF_SIMPLE) != 0) {
            if (!clear_ordinary_error()) throw py::error_already_set();
            return false;
        }
        out.owned.assign(static_cast<const char*>(view.buf), static_cast<std::size_t>(view.len));
        PyBuffer_Release(&view);
        out.text = out.owned;
        return true;
    }
    static PyObject* mapping_abc = [] {
        PyObject* abc = PyImport_ImportModule("collections.abc");
        PyObject* m = abc ? PyObject_GetAttrString(abc, "Mapping") : nullptr;
        Py_XDECREF(abc);
        if (m == nullptr) PyErr_Clear();
        return m;
    }();
    if (mapping_abc != nullptr) {
        int is_mapping = PyObject_IsInstance(value, mapping_abc);
        if (is_mapping < 0 && !clear_ordinary_error()) throw py::error_already_set();
        if (is_mapping == 1) {
            out.owned.clear();
            if (!write_json(value, out.owned, out.problems, options)) throw py::error_already_set();
            out.text = out.owned;
            return true;
        }
    }
    return false;
}

// Evaluates a prepared case. Problems found while converting are fact errors
// too; the engine still reads the rest of the case so every error is reported.
Evaluation evaluate_case(const Pack& pack, const CaseText& c, const EvalOptions& options) {
    if (c.problems.empty()) return pack.evaluate(c.text, options);
    Evaluation ev;
    if (!c.text.empty()) {
        Evaluation rest = pack.evaluate(c.text, options);
        if (!rest.ok()) ev.errors = std::move(rest.errors);
    }
    ev.errors.insert(ev.errors.end(), c.problems.begin(), c.problems.end());
    std::stable_sort(ev.errors.begin(), ev.errors.end(),
                     [](const FactError& a, const FactError& b) { return a.path < b.path; });
    return ev;
}

// The same into `ev`, reusing the memory of the result it held before: a
// result is hundreds of strings and lists, and making them afresh for every
// case costs the workers about as much as evaluating it.
void evaluate_case_into(const Pack& pack, const CaseText& c, const EvalOptions& options, Evaluation& ev) {
    if (!c.problems.empty()) {
        ev = evaluate_case(pack, c, options);
        return;
    }
    if (!ev.result) ev.result.emplace();
    if (!pack.evaluate_into(c.text, options, *ev.result, ev.errors)) ev.result.reset();
}

// The same summed up (Pack::summarize_into), for format="summary" and
// evaluate_frame: true when `summary` holds the case's, else `errors` say why.
bool summarize_case_into(const Pack& pack, const CaseText& c, const EvalOptions& options, Summary& summary,
                         std::vector<FactError>& errors) {
    if (!c.problems.empty()) {
        errors = evaluate_case(pack, c, options).errors;
        return false;
    }
    return pack.summarize_into(c.text, options, summary, errors);
}

WriteOptions dict_options() {
    WriteOptions o;
    o.nan_is_null = false;
    // Past the engine's own limit, so the engine's message is the one users see
    // for merely deep cases; this bound only stops runaway or cyclic objects.
    o.max_depth = Limits{}.max_json_depth + 8;
    return o;
}

CaseText prepare_single(py::handle facts) {
    CaseText c;
    if (!prepare_case(facts.ptr(), c, dict_options()))
        throw py::type_error(std::string("facts must be ") + kCaseKinds + ", not " + Py_TYPE(facts.ptr())->tp_name);
    return c;
}

}  // namespace bia::python
