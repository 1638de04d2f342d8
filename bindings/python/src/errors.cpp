// Engine errors as Python exceptions: the types live in bia/_errors.py so they
// pickle, carry docstrings and can be subclassed like any Python class.
#include "errors.hpp"

#include "results.hpp"

namespace bia::python {
namespace {

py::object errors_module() {
    static PyObject* module = nullptr;
    if (module == nullptr) module = py::module_::import("bia._errors").release().ptr();
    return py::reinterpret_borrow<py::object>(module);
}

[[noreturn]] void raise_python(const py::object& exception) {
    PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exception.ptr())), exception.ptr());
    throw py::error_already_set();
}

std::string rstrip_newlines(std::string text) {
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
}

}  // namespace

void raise_compile_error(const std::vector<Diagnostic>& diagnostics) {
    py::object mod = errors_module();
    py::object make = mod.attr("Diagnostic");
    py::list items;
    for (const Diagnostic& d : diagnostics) {
        items.append(make(py::arg("code") = make_str(d.code), py::arg("path") = make_str(d.path),
                          py::arg("line") = d.line, py::arg("column") = d.column,
                          py::arg("message") = make_str(d.message),
                          py::arg("source_line") = make_str(d.source_line),
                          py::arg("formatted") = make_str(rstrip_newlines(d.format()))));
    }
    std::string text = rstrip_newlines(format_diagnostics(diagnostics));
    if (text.empty()) text = "the pack did not compile";
    raise_python(mod.attr("CompileError")(make_str(text), items));
}

std::string describe_errors(const std::vector<FactError>& errors) {
    std::string text;
    for (const FactError& e : errors) {
        if (!text.empty()) text += "; ";
        text += e.path.empty() ? std::string("$") : e.path;
        text += ": ";
        text += e.message;
    }
    return text;
}

void raise_fact_error(const std::vector<FactError>& errors, std::optional<std::size_t> index, const std::string* id) {
    // "case 3 (id "C-9"): child.age: ...", "case 3: ...", or the errors alone.
    std::string head = index ? "case " + std::to_string(*index) : std::string();
    if (id && *id != "null") head += index ? " (id " + *id + ")" : "id " + *id;
    std::string text = describe_errors(errors);
    if (!head.empty()) text = head + ": " + text;
    py::object path = errors.empty() ? py::object(py::none()) : py::object(make_str(errors.front().path));
    py::object idx = index ? py::object(py::int_(*index)) : py::object(py::none());
    py::object case_id = id ? id_object(*id) : py::object(py::none());
    raise_python(errors_module().attr("FactError")(make_str(text), py::arg("path") = path,
                                                   py::arg("errors") = error_list(errors),
                                                   py::arg("index") = idx, py::arg("id") = case_id));
}

}  // namespace bia::python
