// bia._core: the engine's public API for Python; the package `bia` wraps it with a friendlier surface.
// The parts: errors.cpp (engine errors as Python exceptions), cases.cpp (Python cases as JSON text),
// pipeline.hpp/.cpp (the GIL-free batch pipeline), many.cpp (evaluate_many), frame.cpp (evaluate_frame's
// columns), pack_info.cpp (pack metadata, tests, explain), results.cpp (result dicts).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <bia/bia.hpp>

#include "bindings.hpp"
#include "cases.hpp"
#include "errors.hpp"
#include "facts_writer.hpp"
#include "parallel.hpp"
#include "results.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace py = pybind11;

namespace bia::python {
namespace {

PackHandle from_result(CompileResult&& r) {
    if (!r.ok()) raise_compile_error(r.diagnostics);
    return PackHandle{std::move(*r.pack)};
}

// str -> its UTF-8 bytes (lone surrogates kept as the invalid UTF-8 they are,
// so the engine reports them as a diagnostic); bytes -> as is.
std::string source_text(py::handle source, const char* what) {
    if (PyUnicode_Check(source.ptr())) {
        PyObject* b = PyUnicode_AsEncodedString(source.ptr(), "utf-8", "surrogatepass");
        if (b == nullptr) throw py::error_already_set();
        std::string s(PyBytes_AS_STRING(b), static_cast<std::size_t>(PyBytes_GET_SIZE(b)));
        Py_DECREF(b);
        return s;
    }
    if (PyBytes_Check(source.ptr()))
        return std::string(PyBytes_AS_STRING(source.ptr()), static_cast<std::size_t>(PyBytes_GET_SIZE(source.ptr())));
    throw py::type_error(std::string(what) + " must be str or bytes, not " + Py_TYPE(source.ptr())->tp_name);
}

// The limits a pack is compiled with: the defaults, with max_source_bytes when given
// (bia/__init__.py checks that it is a positive int).
Limits limits_of(std::optional<std::size_t> max_source_bytes) {
    Limits limits;
    if (max_source_bytes) limits.max_source_bytes = *max_source_bytes;
    return limits;
}

PackHandle compile_source(py::handle source, const std::string& name, std::optional<std::size_t> max_source_bytes) {
    std::string text = source_text(source, "source");
    CompileResult r;
    {
        py::gil_scoped_release release;
        r = bia::compile(text, name, limits_of(max_source_bytes));
    }
    return from_result(std::move(r));
}

PackHandle compile_files(const py::sequence& files, const std::string& origin,
                         std::optional<std::size_t> max_source_bytes) {
    std::vector<SourceFile> sources;
    for (py::handle item : files) {
        py::sequence pair = py::reinterpret_borrow<py::sequence>(item);
        if (pair.size() != 2) throw py::value_error("each source file must be a (name, text) pair");
        sources.push_back(SourceFile{py::cast<std::string>(pair[0]), source_text(pair[1], "source text")});
    }
    CompileResult r;
    {
        py::gil_scoped_release release;
        r = bia::compile(std::move(sources), origin, limits_of(max_source_bytes));
    }
    return from_result(std::move(r));
}

PackHandle load_path(const py::bytes& path, std::optional<std::size_t> max_source_bytes) {
    std::string p = path;
    CompileResult r;
    {
        py::gil_scoped_release release;
        r = bia::load(std::filesystem::path(p), limits_of(max_source_bytes));
    }
    return from_result(std::move(r));
}

Evaluation evaluate_one(const Pack& pack, py::handle facts, py::handle as_of, bool strict, bool accept_near_misses) {
    EvalOptions options;
    options.as_of = parse_as_of(as_of);
    options.strict = strict;
    options.accept_near_misses = accept_near_misses;
    CaseText c = prepare_single(facts);
    // `facts` is kept alive by the caller, so the view into it outlives the call.
    py::gil_scoped_release release;
    return evaluate_case(pack, c, options);
}

py::dict evaluate(const PackHandle& self, py::handle facts, py::handle as_of, bool strict, bool accept_near_misses) {
    Evaluation ev = evaluate_one(self.pack, facts, as_of, strict, accept_near_misses);
    if (!ev.ok()) raise_fact_error(ev.errors, std::nullopt);
    return ResultBuilder(self.pack).result(*ev.result);
}

// The report, and the result's warnings as (path, message) pairs for Python's warnings.warn.
py::tuple render(const PackHandle& self, py::handle facts, py::handle as_of, bool strict, const std::string& format,
                 bool accept_near_misses) {
    if (format != "json" && format != "text" && format != "html")
        throw py::value_error("format must be 'json', 'text' or 'html'");
    Evaluation ev = evaluate_one(self.pack, facts, as_of, strict, accept_near_misses);
    if (!ev.ok()) raise_fact_error(ev.errors, std::nullopt);
    std::string text;
    {
        py::gil_scoped_release release;
        if (format == "json") text = render_json(*ev.result);
        else if (format == "text") text = render_text(*ev.result, self.pack);
        else text = render_html(*ev.result, self.pack);
    }
    py::list warnings;
    for (const Warning& w : ev.result->warnings) warnings.append(py::make_tuple(make_str(w.path), make_str(w.message)));
    return py::make_tuple(make_str(text), warnings);
}

// The JSON text bia makes of a Python case, before the engine reads it: for
// benchmarks and for seeing what a dict turns into.
py::str facts_to_json(py::handle facts, bool nan_is_null) {
    WriteOptions options = dict_options();
    options.nan_is_null = nan_is_null;
    std::string text;
    std::vector<FactError> problems;
    if (!write_json(facts.ptr(), text, problems, options)) throw py::error_already_set();
    if (!problems.empty()) raise_fact_error(problems, std::nullopt);
    return make_str(text);
}

}  // namespace
}  // namespace bia::python

PYBIND11_MODULE(_core, m) {
    using namespace bia::python;
    m.doc() = "bia's compiled engine. Use the `bia` package, which wraps this module.";
    init_result_keys();

    py::class_<PackHandle>(m, "Pack", "A compiled, immutable pack (internal; see bia.Pack).")
        .def_property_readonly("name", [](const PackHandle& p) { return p.pack.name(); })
        .def_property_readonly("version", [](const PackHandle& p) { return p.pack.version(); })
        .def_property_readonly("title", [](const PackHandle& p) { return p.pack.title(); })
        .def_property_readonly("digest", [](const PackHandle& p) { return p.pack.digest(); })
        .def_property_readonly("origin", [](const PackHandle& p) { return p.pack.origin(); })
        .def("source_files", &source_files_of)
        .def("facts", &facts_of)
        .def("rules", &rules_of)
        .def("levels", &levels_of)
        .def("domains", &domains_of)
        .def("citation_sources", &sources_of)
        .def("evaluate", &evaluate, py::arg("facts"), py::arg("as_of"), py::arg("strict"),
             py::arg("accept_near_misses") = false)
        .def("render", &render, py::arg("facts"), py::arg("as_of"), py::arg("strict"), py::arg("format"),
             py::arg("accept_near_misses") = false)
        .def("evaluate_many", &evaluate_many, py::arg("cases"), py::arg("as_of"), py::arg("strict"),
             py::arg("threads"), py::arg("collect"), py::arg("format") = "dict", py::arg("stats") = py::none(),
             py::arg("accept_near_misses") = false, py::arg("id_field") = py::none(), py::arg("progress") = py::none())
        .def("closest_path", [](const PackHandle& p, const std::string& path) { return p.pack.closest_path(path); },
             py::arg("path"))
        .def("id_field_problem",
             [](const PackHandle& p, const std::string& path) { return p.pack.id_field_problem(path); }, py::arg("path"))
        .def("run_tests", &run_pack_tests)
        .def("explain", &explain_rule, py::arg("facts"), py::arg("rule"), py::arg("as_of"), py::arg("strict"))
        .def("evaluate_columns", &evaluate_columns, py::arg("paths"), py::arg("columns"), py::arg("rows"),
             py::arg("as_of"), py::arg("strict"), py::arg("threads"), py::arg("collect"),
             py::arg("progress") = py::none());

    m.def("compile", &compile_source, py::arg("source"), py::arg("name"), py::arg("max_source_bytes") = py::none());
    m.def("compile_files", &compile_files, py::arg("files"), py::arg("origin"),
          py::arg("max_source_bytes") = py::none());
    m.def("load", &load_path, py::arg("path"), py::arg("max_source_bytes") = py::none());
    m.def("facts_to_json", &facts_to_json, py::arg("facts"), py::arg("nan_is_null") = false,
          "The JSON text bia makes of a Python case (raises FactError for what JSON cannot hold).");
    m.def("cores", &available_cores, "Cores this process may run on.");
    m.attr("summary_columns") = summary_columns();

    m.attr("__version__") = BIA_VERSION_STRING;
    m.attr("engine_version") = bia::version();
    m.attr("language_version") = BIA_LANGUAGE_VERSION;
    m.attr("result_version") = BIA_RESULT_VERSION;
    bia::Limits limits;
    py::dict lim;
    lim["max_source_bytes"] = limits.max_source_bytes;
    lim["max_expression_depth"] = limits.max_expression_depth;
    lim["max_json_depth"] = limits.max_json_depth;
    lim["max_case_bytes"] = limits.max_case_bytes;
    lim["max_diagnostics"] = limits.max_diagnostics;
    lim["max_result_bytes"] = limits.max_result_bytes;
    m.attr("limits") = lim;
}
