// bia._core: the engine's public API for Python; the package `bia` wraps it with a friendlier surface.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <bia/bia.hpp>

#include "facts_writer.hpp"
#include "parallel.hpp"
#include "results.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace py = pybind11;

namespace bia::python {
namespace {

// The exception and record types live in bia/_errors.py so they pickle, carry
// docstrings and can be subclassed like any Python class.
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

[[noreturn]] void raise_compile_error(const std::vector<Diagnostic>& diagnostics) {
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

// `id`: the case id's JSON text (EvalOptions::id_field), named in the message and kept as FactError.id.
[[noreturn]] void raise_fact_error(const std::vector<FactError>& errors, std::optional<std::size_t> index,
                                   const std::string* id = nullptr) {
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

// The evaluation's as-of date: None means today, resolved once per call so a
// cohort evaluated across midnight still shares one date.
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

// One case ready for the engine: a view of JSON text (inside a Python str or
// bytes object the caller keeps alive, or inside `owned`), plus any problems
// found while turning Python objects into JSON.
struct CaseText {
    std::string owned;
    std::string_view text;
    std::vector<FactError> problems;
};

constexpr const char* kCaseKinds = "a dict, a JSON str or bytes";

// Returns false when `value` is not a kind of case at all.
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

struct PackHandle {
    Pack pack;
};

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

PackHandle compile_source(py::handle source, const std::string& name) {
    std::string text = source_text(source, "source");
    CompileResult r;
    {
        py::gil_scoped_release release;
        r = bia::compile(text, name);
    }
    return from_result(std::move(r));
}

PackHandle compile_files(const py::sequence& files, const std::string& origin) {
    std::vector<SourceFile> sources;
    for (py::handle item : files) {
        py::sequence pair = py::reinterpret_borrow<py::sequence>(item);
        if (pair.size() != 2) throw py::value_error("each source file must be a (name, text) pair");
        sources.push_back(SourceFile{py::cast<std::string>(pair[0]), source_text(pair[1], "source text")});
    }
    CompileResult r;
    {
        py::gil_scoped_release release;
        r = bia::compile(std::move(sources), origin);
    }
    return from_result(std::move(r));
}

PackHandle load_path(const py::bytes& path) {
    std::string p = path;
    CompileResult r;
    {
        py::gil_scoped_release release;
        r = bia::load(std::filesystem::path(p));
    }
    return from_result(std::move(r));
}

CaseText prepare_single(py::handle facts) {
    CaseText c;
    if (!prepare_case(facts.ptr(), c, dict_options()))
        throw py::type_error(std::string("facts must be ") + kCaseKinds + ", not " + Py_TYPE(facts.ptr())->tp_name);
    return c;
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

// Taken as a Python object and converted here: a type mismatch reported by
// pybind11 itself would show every argument, the cases' facts among them.
unsigned resolve_threads(py::handle value) {
    if (!PyLong_Check(value.ptr()) || PyBool_Check(value.ptr())) throw py::type_error("threads must be an int");
    int overflow = 0;
    long long threads = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
    if (threads == -1 && PyErr_Occurred()) throw py::error_already_set();
    if (overflow < 0 || threads < 0) throw py::value_error("threads must be 0 (all cores) or a positive number");
    // More threads than that only cost memory and start-up time.
    constexpr long long kMaxThreads = 256;
    if (overflow > 0 || threads > kMaxThreads) threads = kMaxThreads;
    return threads == 0 ? available_cores() : static_cast<unsigned>(threads);
}

// Reads up to `limit` items of an iterator into `items` (new references).
void next_items(PyObject* iterator, std::size_t limit, std::vector<py::object>& items) {
    items.clear();
    while (items.size() < limit) {
        PyObject* item = PyIter_Next(iterator);
        if (item == nullptr) {
            if (PyErr_Occurred()) throw py::error_already_set();
            return;
        }
        items.push_back(py::reinterpret_steal<py::object>(item));
    }
}

// Cases per batch: large enough that handing a batch to the workers costs
// nothing (a batch is milliseconds of work), small enough that the first
// results come soon, memory stays flat, a batch's results stay in the shared
// cache until they are read, and the dict builder's snapshot (taken per batch)
// soon covers the pack's rules.
constexpr std::size_t kBatch = 512;
// Cases a worker evaluates together (Pack::evaluate_batch's block of cases).
constexpr std::size_t kGroup = 64;

// One batch of cases on its way through the pipeline.
struct Batch {
    std::size_t base = 0;                 // index of the first case in the whole input
    std::vector<py::object> items;        // keeps the Python objects the texts point into alive
    std::vector<CaseText> texts;
    std::vector<char> is_case;
    // Each case's result, or (Produce::summary) its fact errors only, the
    // result being in `summaries` when `summarized`.
    std::vector<Evaluation> evaluations;
    std::vector<std::string> rendered;    // the contract's JSON text, when asked for
    std::vector<Summary> summaries;
    std::vector<char> summarized;
    // When set, the workers also check each result against it, for the dict builder.
    std::shared_ptr<const ResultBuilder::Snapshot> snapshot;
    std::vector<ResultBuilder::Checked> checked;
    // Each case's id as JSON text (EvalOptions::id_field), "null" when it has none.
    std::vector<std::string> ids;
    std::size_t size() const { return texts.size(); }
};

// Runs batches through three stages: `fill` reads a batch's input (GIL held),
// the workers evaluate it (no GIL), `emit` turns its results into Python
// objects (GIL held). While one batch is emitted the next is being evaluated,
// and while a batch is evaluated the next is read, so the interpreter's
// thread and the workers are busy at the same time.
// Where the time of a batch run went: reading input and making results hold
// the GIL (the serial part), waiting is the workers' evaluation not hidden
// behind them.
struct Timing {
    double fill = 0, wait = 0, emit = 0;
};

class Stopwatch {
public:
    explicit Stopwatch(double& into) : into_(into), start_(std::chrono::steady_clock::now()) {}
    ~Stopwatch() { into_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

private:
    double& into_;
    std::chrono::steady_clock::time_point start_;
};

// Pauses the cyclic garbage collector while results are made. A cohort's
// results are millions of fresh containers, and each full collection walks
// all of them again (building 100,000 results took 3-4 times as long with it
// on); they hold only strings and numbers, so there is no cycle to find.
class GcPause {
public:
    GcPause() {
#if PY_VERSION_HEX >= 0x030A0000
        was_enabled_ = PyGC_Disable();
#else
        py::module_ gc = py::module_::import("gc");
        was_enabled_ = gc.attr("isenabled")().cast<bool>();
        gc.attr("disable")();
#endif
    }
    ~GcPause() {
        if (!was_enabled_) return;
#if PY_VERSION_HEX >= 0x030A0000
        PyGC_Enable();
#else
        PyObject* gc = PyImport_ImportModule("gc");
        if (gc) {
            PyObject* r = PyObject_CallMethod(gc, "enable", nullptr);
            Py_XDECREF(r);
            Py_DECREF(gc);
        }
        PyErr_Clear();
#endif
    }
    GcPause(const GcPause&) = delete;
    GcPause& operator=(const GcPause&) = delete;

private:
    bool was_enabled_ = false;
};

// What the workers make of each case: a Result, a Result and its JSON text,
// or only a Summary.
enum class Produce { result, json, summary };

template <class Fill, class Emit>
void run_batches(const Pack& pack, const EvalOptions& options, unsigned threads, Produce produce, Fill&& fill,
                 Emit&& emit, Timing& timing) {
    const bool render = produce == Produce::json;
    GcPause gc_pause;
    Batch batches[2];
    // The pool is declared after the batches so it is destroyed (waiting for
    // its job) before them, even when `emit` raises. The interpreter's thread
    // is one of the `threads`: it evaluates too, in finish(), so `threads`
    // workers would leave one more thread than cores, and the thread holding
    // the GIL would keep losing its core to a worker.
    BatchPool pool(threads > 1 ? threads - 1 : 0);
    auto evaluate_batch = [&](Batch& b) {
        // The previous batch's results are overwritten by the workers, in
        // parallel and without the GIL, reusing their memory.
        b.evaluations.resize(b.size());
        if (!options.id_field.empty()) b.ids.assign(b.size(), "null");
        if (render) b.rendered.resize(b.size());
        if (b.snapshot) b.checked.resize(b.size());
        if (produce == Produce::summary) {
            b.summaries.resize(b.size());
            b.summarized.assign(b.size(), 0);
        }
        // Workers take groups of cases: Pack::evaluate_batch evaluates 64 of
        // them in one pass of the plan.
        const std::size_t groups = (b.size() + kGroup - 1) / kGroup;
        pool.start(groups, [&pack, &options, &b, render, produce](std::size_t g) {
            const std::size_t first = g * kGroup, end = std::min(b.size(), first + kGroup);
            thread_local std::vector<BatchCase> cases;
            thread_local std::vector<std::size_t> case_index;
            cases.clear();
            case_index.clear();
            for (std::size_t i = first; i < end; ++i) {
                Evaluation& ev = b.evaluations[i];
                if (!b.is_case[i]) {
                    ev.errors = b.texts[i].problems;
                    if (produce != Produce::summary) ev.result.reset();
                    continue;
                }
                // A case with problems found while converting it reports the
                // engine's errors for the rest of it too: the one-case path.
                if (!b.texts[i].problems.empty()) {
                    if (produce == Produce::summary) {
                        b.summarized[i] = summarize_case_into(pack, b.texts[i], options, b.summaries[i], ev.errors);
                    } else {
                        evaluate_case_into(pack, b.texts[i], options, ev);
                        if (ev.ok() && ev.result->id) b.ids[i] = *ev.result->id;
                    }
                    continue;
                }
                BatchCase& c = cases.emplace_back();
                c.json = b.texts[i].text;
                c.errors = &ev.errors;
                if (!options.id_field.empty()) c.id = &b.ids[i];
                if (produce == Produce::summary) {
                    c.summary = &b.summaries[i];
                } else {
                    if (!ev.result) ev.result.emplace();
                    c.result = &*ev.result;
                }
                case_index.push_back(i);
            }
            // Comparing a result's texts, and rendering it, right after it is
            // made, while it is in this core's cache, spares the GIL-held part
            // most of its reading and leaves it one string per case.
            auto finish = [&b, render](std::size_t i) {
                if (b.snapshot && b.evaluations[i].ok())
                    ResultBuilder::check(*b.snapshot, *b.evaluations[i].result, b.checked[i]);
                if (render) {
                    const Evaluation& ev = b.evaluations[i];
                    b.rendered[i] = ev.ok() ? render_json(*ev.result) : std::string();
                }
            };
            pack.evaluate_batch(cases, options, [&](std::size_t k) {
                const std::size_t i = case_index[k];
                if (produce == Produce::summary) {
                    b.summarized[i] = cases[k].evaluated;
                    return;
                }
                if (!cases[k].evaluated) b.evaluations[i].result.reset();
                finish(i);
            });
            if (produce == Produce::summary) return;
            // The cases evaluate_batch did not see.
            std::size_t k = 0;
            for (std::size_t i = first; i < end; ++i) {
                if (k < case_index.size() && case_index[k] == i) ++k;
                else finish(i);
            }
        });
    };
    auto wait = [&] {
        Stopwatch watch(timing.wait);
        py::gil_scoped_release release;
        pool.finish();
    };
    auto timed_fill = [&](Batch& b) {
        Stopwatch watch(timing.fill);
        return fill(b);
    };

    Batch* current = &batches[0];
    Batch* next = &batches[1];
    current->base = 0;
    if (!timed_fill(*current)) return;
    evaluate_batch(*current);
    for (;;) {
        next->base = current->base + current->size();
        const bool more = timed_fill(*next);
        wait();
        if (more) evaluate_batch(*next);
        {
            Stopwatch watch(timing.emit);
            emit(*current);
        }
        if (!more) break;
        if (PyErr_CheckSignals() != 0) throw py::error_already_set();
        std::swap(current, next);
    }
}

// {"index": i, "errors": [...]} as JSON text, in the contract's style.
std::string error_record_json(std::size_t index, const std::string* id, const std::vector<FactError>& errors) {
    nlohmann::ordered_json record;
    record["index"] = index;
    if (id) record["id"] = nlohmann::ordered_json::parse(*id);
    record["errors"] = to_json(errors);
    return record.dump(2) + "\n";
}

void report_timing(const Timing& timing, py::handle stats) {
    if (stats.is_none()) return;
    py::dict d = py::reinterpret_borrow<py::dict>(stats);
    d["fill_s"] = timing.fill;
    d["wait_s"] = timing.wait;
    d["emit_s"] = timing.emit;
}

// What evaluate_many returns for each case.
enum class ManyFormat { dict, json, summary };

ManyFormat many_format(const std::string& name) {
    if (name == "dict") return ManyFormat::dict;
    if (name == "json") return ManyFormat::json;
    if (name == "summary") return ManyFormat::summary;
    throw py::value_error("format must be 'dict', 'json' or 'summary'");
}

py::list evaluate_many(const PackHandle& self, py::handle cases, py::handle as_of, bool strict, py::handle threads,
                       bool collect, const std::string& format_name, py::handle stats, bool accept_near_misses,
                       const std::optional<std::string>& id_field, py::handle progress) {
    const ManyFormat format = many_format(format_name);
    const bool as_json = format == ManyFormat::json;
    EvalOptions options;
    options.as_of = parse_as_of(as_of);
    options.strict = strict;
    options.accept_near_misses = accept_near_misses;
    if (id_field) {
        if (const std::string problem = self.pack.id_field_problem(*id_field); !problem.empty())
            throw py::value_error("id_field: " + problem);
        options.id_field = *id_field;
    }
    const bool with_id = id_field.has_value();
    const unsigned workers = resolve_threads(threads);
    const WriteOptions write_options = dict_options();
    ResultBuilder builder(self.pack);
    SummaryBuilder summaries(self.pack);

    py::object iterator = py::reinterpret_steal<py::object>(PyObject_GetIter(cases.ptr()));
    if (!iterator) throw py::error_already_set();

    py::list out;
    auto fill = [&](Batch& b) {
        next_items(iterator.ptr(), kBatch, b.items);
        const std::size_t n = b.items.size();
        if (format == ManyFormat::dict) b.snapshot = builder.snapshot();
        b.texts.resize(n);
        b.is_case.assign(n, 1);
        for (std::size_t i = 0; i < n; ++i) {
            CaseText& c = b.texts[i];
            c.owned.clear();
            c.text = {};
            if (!prepare_case(b.items[i].ptr(), c, write_options)) {
                b.is_case[i] = 0;
                c.problems.assign(1, FactError{"$", std::string("a case must be ") + kCaseKinds + ", found " +
                                                        Py_TYPE(b.items[i].ptr())->tp_name});
            }
        }
        return n > 0;
    };
    auto emit = [&](Batch& b) {
        for (std::size_t i = 0; i < b.size(); ++i) {
            Evaluation& ev = b.evaluations[i];
            const ResultBuilder::Checked* checked = b.snapshot ? &b.checked[i] : nullptr;
            if (format == ManyFormat::summary ? b.summarized[i] != 0 : ev.ok()) {
                if (as_json) {
                    out.append(make_str(b.rendered[i]));
                } else if (format == ManyFormat::summary) {
                    py::dict summary = summaries.dict(b.summaries[i]);
                    if (with_id) summary["id"] = id_object(b.ids[i]);
                    out.append(std::move(summary));
                } else {
                    out.append(builder.result(*ev.result, checked));
                }
            } else if (collect && as_json) {
                out.append(make_str(error_record_json(b.base + i, with_id ? &b.ids[i] : nullptr, ev.errors)));
            } else if (collect) {
                py::dict record;
                record["index"] = py::int_(b.base + i);
                if (with_id) record["id"] = id_object(b.ids[i]);
                record["errors"] = error_list(ev.errors);
                out.append(std::move(record));
            } else {
                raise_fact_error(ev.errors, b.base + i, with_id ? &b.ids[i] : nullptr);
            }
        }
        b.items.clear();
        if (!progress.is_none()) progress(b.base + b.size());  // cases done so far (see bia/_progress.py)
    };
    Timing timing;
    const Produce produce = as_json                          ? Produce::json
                            : format == ManyFormat::summary ? Produce::summary
                                                            : Produce::result;
    run_batches(self.pack, options, workers, produce, fill, emit, timing);
    report_timing(timing, stats);
    return out;
}

// The JSON text skeleton of a row: literal pieces with a value slot after each
// but the last, so a row is written without looking at any path.
struct RowProgram {
    std::vector<std::string> pieces;     // pieces.size() == slots.size() + 1
    std::vector<std::size_t> slots;      // column index for each value
};

RowProgram build_program(const std::vector<std::string>& paths) {
    struct Entry {
        std::vector<std::string> segments;
        std::size_t column;
    };
    std::vector<Entry> entries;
    for (std::size_t c = 0; c < paths.size(); ++c) {
        Entry e{{}, c};
        std::string_view p = paths[c];
        std::size_t start = 0;
        for (;;) {
            std::size_t dot = p.find('.', start);
            e.segments.emplace_back(p.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
            if (dot == std::string_view::npos) break;
            start = dot + 1;
        }
        for (const std::string& s : e.segments)
            if (s.empty()) throw py::value_error("column '" + paths[c] + "' is not a fact path");
        entries.push_back(std::move(e));
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.segments < b.segments; });
    for (std::size_t i = 1; i < entries.size(); ++i) {
        const auto& a = entries[i - 1].segments;
        const auto& b = entries[i].segments;
        if (a.size() <= b.size() && std::equal(a.begin(), a.end(), b.begin()))
            throw py::value_error("columns '" + paths[entries[i - 1].column] + "' and '" + paths[entries[i].column] +
                                  "' cannot both be given: one lies inside the other");
    }
    RowProgram program;
    std::string piece = "{";
    std::vector<std::string> open;  // the object path currently open
    bool need_comma = false;
    for (const Entry& e : entries) {
        std::size_t common = 0;
        while (common < open.size() && common + 1 < e.segments.size() && open[common] == e.segments[common]) ++common;
        while (open.size() > common) {
            piece += '}';
            open.pop_back();
            need_comma = true;
        }
        for (std::size_t s = common; s + 1 < e.segments.size(); ++s) {
            if (need_comma) piece += ',';
            bia::append_json_string(piece, e.segments[s]);
            piece += ":{";
            open.push_back(e.segments[s]);
            need_comma = false;
        }
        if (need_comma) piece += ',';
        bia::append_json_string(piece, e.segments.back());
        piece += ':';
        program.pieces.push_back(std::move(piece));
        program.slots.push_back(e.column);
        piece.clear();
        need_comma = true;
    }
    while (!open.empty()) {
        piece += '}';
        open.pop_back();
    }
    piece += '}';
    program.pieces.push_back(std::move(piece));
    return program;
}

// Evaluates a table given as columns (one Python sequence per fact path) and
// returns the per-case summary columns evaluate_frame turns into a DataFrame.
py::dict evaluate_columns(const PackHandle& self, const std::vector<std::string>& paths, const py::sequence& columns,
                          std::size_t rows, py::handle as_of, bool strict, py::handle threads, bool collect,
                          py::handle progress) {
    if (columns.size() != paths.size()) throw py::value_error("one column is needed per path");
    EvalOptions options;
    options.as_of = parse_as_of(as_of);
    options.strict = strict;
    const unsigned workers = resolve_threads(threads);
    RowProgram program = build_program(paths);

    std::vector<py::object> fast;
    for (py::handle col : columns) {
        PyObject* f = PySequence_Fast(col.ptr(), "each column must be a sequence");
        if (f == nullptr) throw py::error_already_set();
        fast.push_back(py::reinterpret_steal<py::object>(f));
        if (static_cast<std::size_t>(PySequence_Fast_GET_SIZE(f)) != rows)
            throw py::value_error("every column must have one value per row");
    }
    WriteOptions cell_options;
    cell_options.nan_is_null = true;
    cell_options.max_depth = Limits{}.max_json_depth + 8;

    SummaryBuilder summaries(self.pack);
    py::list level, possible_level, score, possible_score, fired, undetermined, missing, overdue, error;
    auto fill = [&](Batch& b) {
        const std::size_t n = b.base < rows ? std::min(kBatch, rows - b.base) : 0;
        b.texts.resize(n);
        b.is_case.assign(n, 1);
        for (std::size_t i = 0; i < n; ++i) {
            CaseText& c = b.texts[i];
            c.owned.clear();
            c.problems.clear();
            for (std::size_t s = 0; s < program.slots.size(); ++s) {
                c.owned += program.pieces[s];
                const std::size_t col = program.slots[s];
                // Fetched each time: a cell's __float__ could, in theory, change the list.
                PyObject* seq = fast[col].ptr();
                const Py_ssize_t row = static_cast<Py_ssize_t>(b.base + i);
                if (row >= PySequence_Fast_GET_SIZE(seq)) throw py::value_error("a column changed size while it was read");
                PyObject* cell = PySequence_Fast_GET_ITEM(seq, row);
                Py_INCREF(cell);
                const bool written = write_json(cell, c.owned, c.problems, cell_options, paths[col]);
                Py_DECREF(cell);
                if (!written) throw py::error_already_set();
            }
            c.owned += program.pieces.back();
            c.text = c.owned;
        }
        return n > 0;
    };
    auto emit = [&](Batch& b) {
        for (std::size_t i = 0; i < b.size(); ++i) {
            const Evaluation& ev = b.evaluations[i];
            if (!b.summarized[i]) {
                if (!collect) raise_fact_error(ev.errors, b.base + i);
                level.append(py::none());
                possible_level.append(py::none());
                score.append(py::none());
                possible_score.append(py::none());
                fired.append(py::list());
                undetermined.append(py::list());
                missing.append(py::list());
                overdue.append(py::list());
                error.append(make_str(describe_errors(ev.errors)));
                continue;
            }
            const Summary& s = b.summaries[i];
            level.append(py::reinterpret_borrow<py::object>(summaries.level(s.level)));
            possible_level.append(py::reinterpret_borrow<py::object>(summaries.level(s.possible_level)));
            score.append(py::float_(s.score));
            possible_score.append(py::float_(s.possible_score));
            fired.append(summaries.fired(s));
            undetermined.append(summaries.undetermined(s));
            missing.append(summaries.missing(s));
            overdue.append(summaries.overdue(s));
            error.append(py::none());
        }
        if (!progress.is_none()) progress(b.base + b.size());  // rows done so far (see bia/_progress.py)
    };
    Timing timing;
    run_batches(self.pack, options, workers, Produce::summary, fill, emit, timing);

    py::dict out;
    out["level"] = level;
    out["possible_level"] = possible_level;
    out["score"] = score;
    out["possible_score"] = possible_score;
    out["fired"] = fired;
    out["undetermined"] = undetermined;
    out["missing"] = missing;
    out["overdue"] = overdue;
    out["error"] = error;
    return out;
}

// Everything about the pack an IDE or a notebook may want to show.
py::list facts_of(const PackHandle& self) {
    py::list out;
    for (const FactInfo& f : self.pack.facts())
        out.append(py::make_tuple(make_str(f.path), make_str(bia::fact_type_name(f.type)), make_str(f.type_text()),
                                  py::cast(f.members), make_str(f.description)));
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

    m.def("compile", &compile_source, py::arg("source"), py::arg("name"));
    m.def("compile_files", &compile_files, py::arg("files"), py::arg("origin"));
    m.def("load", &load_path, py::arg("path"));
    m.def("facts_to_json", &facts_to_json, py::arg("facts"), py::arg("nan_is_null") = false,
          "The JSON text bia makes of a Python case (raises FactError for what JSON cannot hold).");
    m.def("cores", &available_cores, "Cores this process may run on.");

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
