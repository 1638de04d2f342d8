// Python case data -> JSON text, in one pass, with fact-error paths and no value in any message.
#include "facts_writer.hpp"

#include <datetime.h>

#include <charconv>
#include <cmath>
#include <cstring>

namespace bia::python {
namespace {

// The datetime C API is a per-translation-unit capsule; load it on first use.
bool datetime_api() {
    if (PyDateTimeAPI == nullptr) {
        PyDateTime_IMPORT;
        if (PyDateTimeAPI == nullptr) {
            PyErr_Clear();
            return false;
        }
    }
    return true;
}

// pandas' missing markers, found by identity once pandas has been imported by
// someone; bia itself never imports pandas here.
struct PandasMarkers {
    PyObject* na = nullptr;
    PyObject* nat = nullptr;
    bool resolved = false;
};

PandasMarkers& pandas_markers() {
    static PandasMarkers markers;
    if (!markers.resolved) {
        PyObject* modules = PyImport_GetModuleDict();  // borrowed
        PyObject* pandas = modules ? PyDict_GetItemString(modules, "pandas") : nullptr;  // borrowed
        if (pandas != nullptr) {
            // Kept for the life of the process: these are immortal singletons anyway.
            markers.na = PyObject_GetAttrString(pandas, "NA");
            if (markers.na == nullptr) PyErr_Clear();
            markers.nat = PyObject_GetAttrString(pandas, "NaT");
            if (markers.nat == nullptr) PyErr_Clear();
            markers.resolved = true;
        }
    }
    return markers;
}

bool type_is(PyObject* value, const char* name) { return std::strcmp(Py_TYPE(value)->tp_name, name) == 0; }

std::string type_name(PyObject* value) {
    const char* name = Py_TYPE(value)->tp_name;
    return name ? std::string(name) : std::string("object");
}

// One step of the path from the case's root to the value being written.
struct Segment {
    std::string_view key;  // empty with is_index
    std::size_t index = 0;
    bool is_index = false;
};

class Writer {
public:
    Writer(std::string& out, std::vector<FactError>& errors, const WriteOptions& options,
           std::string_view base_path)
        : out_(out), errors_(errors), options_(options), base_path_(base_path) {}

    // False when user code raised something that is not an ordinary Exception:
    // the walk stopped and that exception is still set, for the caller to raise.
    bool completed() const { return !stopped_; }

    void value(PyObject* v, unsigned depth) {
        if (stopped_) return;
        if (v == Py_None) return null();
        if (PyBool_Check(v)) return raw(v == Py_True ? "true" : "false");
        if (PyUnicode_Check(v)) return string(v);
        if (PyLong_Check(v)) return integer(v);
        if (PyFloat_Check(v)) return number(PyFloat_AS_DOUBLE(v));
        if (PyDict_Check(v)) return dict(v, depth);
        if (PyList_Check(v) || PyTuple_Check(v)) return sequence(v, depth);
        return other(v, depth);
    }

private:
    void raw(std::string_view text) { out_.append(text); }
    void null() { raw("null"); }

    // After a Python error: an ordinary Exception (a value that cannot be read)
    // is cleared and becomes a fact error; anything else stops the walk.
    void python_error() {
        if (!clear_ordinary_error()) stopped_ = true;
    }

    void fail(std::string message) {
        if (stopped_) return;
        errors_.push_back(FactError{path(), std::move(message)});
        null();
    }

    std::string path() const {
        std::string p(base_path_);
        for (const Segment& s : segments_) {
            if (s.is_index) {
                p += '[';
                p += std::to_string(s.index);
                p += ']';
            } else if (plain_key(s.key)) {
                if (!p.empty()) p += '.';
                p += s.key;
            } else {
                // As the engine writes such keys (docs/result.md, Paths): ["a.b"], [""].
                p += '[';
                bia::append_json_string(p, s.key);
                p += ']';
            }
        }
        return p.empty() ? std::string("$") : p;  // "$" is the case itself, as the engine says
    }

    // A name of the pack language: letters, digits and _, not starting with a digit.
    static bool plain_key(std::string_view key) {
        if (key.empty() || (key[0] >= '0' && key[0] <= '9')) return false;
        for (char c : key) {
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
        }
        return true;
    }

    void string(PyObject* v) {
        Py_ssize_t size = 0;
        const char* data = PyUnicode_AsUTF8AndSize(v, &size);
        if (data == nullptr) {
            python_error();
            return fail("text is not valid Unicode (it holds a lone surrogate)");
        }
        bia::append_json_string(out_, std::string_view(data, static_cast<std::size_t>(size)));
    }

    void integer(PyObject* v) {
        int overflow = 0;
        long long n = PyLong_AsLongLongAndOverflow(v, &overflow);
        if (overflow == 0) {
            if (n == -1 && PyErr_Occurred()) {
                python_error();
                return fail("expected a number, found " + type_name(v) + " that cannot be read as one");
            }
            char buf[32];
            auto r = std::to_chars(buf, buf + sizeof buf, n);
            return raw(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
        }
        double d = PyLong_AsDouble(v);
        if (d == -1.0 && PyErr_Occurred()) {
            python_error();
            return fail("number is outside the range of a double");
        }
        number(d);
    }

    void number(double d) {
        if (!std::isfinite(d)) {
            if (options_.nan_is_null && std::isnan(d)) return null();
            return fail(std::isnan(d) ? "expected a number, found NaN (use None for an unknown fact)"
                                      : "number is infinite");
        }
        char buf[40];
        auto r = std::to_chars(buf, buf + sizeof buf, d);
        raw(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
    }

    bool enter(unsigned depth) {
        if (depth >= options_.max_depth) {
            fail("nested deeper than " + std::to_string(options_.max_depth) +
                 " levels (limit max_json_depth)");
            return false;
        }
        return true;
    }

    bool key(PyObject* k) {
        if (!PyUnicode_Check(k)) {
            errors_.push_back(FactError{path(), "object keys must be text, found a key of type " + type_name(k)});
            return false;
        }
        Py_ssize_t size = 0;
        const char* data = PyUnicode_AsUTF8AndSize(k, &size);
        if (data == nullptr) {
            python_error();
            errors_.push_back(FactError{path(), "an object key is not valid Unicode (it holds a lone surrogate)"});
            return false;
        }
        segments_.push_back(Segment{std::string_view(data, static_cast<std::size_t>(size))});
        return true;
    }

    void dict(PyObject* v, unsigned depth) {
        if (!enter(depth)) return;
        out_ += '{';
        PyObject* k = nullptr;
        PyObject* item = nullptr;
        Py_ssize_t pos = 0;
        bool first = true;
        // PyDict_Next hands out borrowed references, and writing a value may run
        // Python code (__float__, tolist) that could drop them: hold everything.
        Py_INCREF(v);
        while (!stopped_ && PyDict_Next(v, &pos, &k, &item)) {
            Py_INCREF(k);
            Py_INCREF(item);
            if (key(k)) {
                if (!first) out_ += ',';
                first = false;
                bia::append_json_string(out_, segments_.back().key);
                out_ += ':';
                value(item, depth + 1);
                segments_.pop_back();
            }
            Py_DECREF(item);
            Py_DECREF(k);
        }
        Py_DECREF(v);
        out_ += '}';
    }

    void sequence(PyObject* v, unsigned depth) {
        if (!enter(depth)) return;
        PyObject* fast = PySequence_Fast(v, "");
        if (fast == nullptr) {
            python_error();
            return fail("cannot read a value of type " + type_name(v));
        }
        out_ += '[';
        // The size is read on every step: a value's __float__ could shrink the list.
        for (Py_ssize_t i = 0; !stopped_ && i < PySequence_Fast_GET_SIZE(fast); ++i) {
            if (i) out_ += ',';
            PyObject* item = PySequence_Fast_GET_ITEM(fast, i);
            Py_INCREF(item);
            segments_.push_back(Segment{{}, static_cast<std::size_t>(i), true});
            value(item, depth + 1);
            segments_.pop_back();
            Py_DECREF(item);
        }
        out_ += ']';
        Py_DECREF(fast);
    }

    void iterable(PyObject* v, unsigned depth) {
        if (!enter(depth)) return;
        PyObject* it = PyObject_GetIter(v);
        if (it == nullptr) {
            python_error();
            return fail("cannot read a value of type " + type_name(v));
        }
        out_ += '[';
        std::size_t i = 0;
        while (PyObject* item = PyIter_Next(it)) {
            if (i) out_ += ',';
            segments_.push_back(Segment{{}, i, true});
            value(item, depth + 1);
            segments_.pop_back();
            Py_DECREF(item);
            ++i;
            if (stopped_) break;
        }
        Py_DECREF(it);
        if (!stopped_ && PyErr_Occurred()) python_error();
        out_ += ']';
    }

    void mapping(PyObject* v, unsigned depth) {
        PyObject* items = PyMapping_Items(v);
        if (items == nullptr) {
            python_error();
            return fail("cannot read a mapping of type " + type_name(v));
        }
        if (!enter(depth)) {
            Py_DECREF(items);
            return;
        }
        out_ += '{';
        bool first = true;
        Py_ssize_t n = PyList_GET_SIZE(items);
        for (Py_ssize_t i = 0; !stopped_ && i < n; ++i) {
            PyObject* pair = PyList_GET_ITEM(items, i);
            if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) continue;
            if (!key(PyTuple_GET_ITEM(pair, 0))) continue;
            if (!first) out_ += ',';
            first = false;
            bia::append_json_string(out_, segments_.back().key);
            out_ += ':';
            value(PyTuple_GET_ITEM(pair, 1), depth + 1);
            segments_.pop_back();
        }
        out_ += '}';
        Py_DECREF(items);
    }

    // PyObject_HasAttrString would swallow whatever a __getattr__ raises, Ctrl-C included.
    bool has_attr(PyObject* v, const char* name) {
        PyObject* a = PyObject_GetAttrString(v, name);
        if (a != nullptr) {
            Py_DECREF(a);
            return true;
        }
        if (PyErr_ExceptionMatches(PyExc_AttributeError)) PyErr_Clear();
        else python_error();
        return false;
    }

    bool is_mapping(PyObject* v) {
        static PyObject* mapping_abc = [] {
            PyObject* abc = PyImport_ImportModule("collections.abc");
            PyObject* m = abc ? PyObject_GetAttrString(abc, "Mapping") : nullptr;
            Py_XDECREF(abc);
            if (m == nullptr) PyErr_Clear();  // a module lookup, not user code
            return m;
        }();
        if (mapping_abc == nullptr) return false;
        int r = PyObject_IsInstance(v, mapping_abc);
        if (r < 0) {
            python_error();
            return false;
        }
        return r == 1;
    }

    void other(PyObject* v, unsigned depth) {
        PandasMarkers& pd = pandas_markers();
        if ((pd.na && v == pd.na) || (pd.nat && v == pd.nat)) return null();
        if (datetime_api() && PyDate_Check(v)) {
            std::string date;
            if (write_iso_date(v, date)) return bia::append_json_string(out_, date);
            return fail("cannot read a date of type " + type_name(v));
        }
        if (PyAnySet_Check(v)) return iterable(v, depth);
        if (type_is(v, "numpy.bool") || type_is(v, "numpy.bool_")) {
            int truth = PyObject_IsTrue(v);
            if (truth < 0) {
                python_error();
                return fail("cannot read a value of type " + type_name(v));
            }
            return raw(truth ? "true" : "false");
        }
        if (type_is(v, "numpy.datetime64")) return numpy_datetime(v);
        if (PyBytes_Check(v) || PyByteArray_Check(v))
            return fail("expected text, found " + type_name(v) + " (decode bytes to str first)");
        if (PyDict_Check(v) || is_mapping(v)) return mapping(v, depth);
        if (stopped_) return;
        if (std::strncmp(Py_TYPE(v)->tp_name, "numpy.timedelta", 15) != 0 &&
            std::strncmp(Py_TYPE(v)->tp_name, "datetime.", 9) != 0) {
            PyNumberMethods* nb = Py_TYPE(v)->tp_as_number;
            if (nb != nullptr && nb->nb_index != nullptr) {
                PyObject* n = PyNumber_Index(v);
                if (n != nullptr) {
                    integer(n);
                    Py_DECREF(n);
                    return;
                }
                python_error();
                if (stopped_) return;
            }
            if (nb != nullptr && nb->nb_float != nullptr) {
                double d = PyFloat_AsDouble(v);
                if (!(d == -1.0 && PyErr_Occurred())) return number(d);
                python_error();
                // Nothing more may run with that exception set (HasAttr would clear it).
                if (stopped_) return;
            }
        }
        // numpy arrays and pandas extension arrays in a cell: their Python list.
        if (has_attr(v, "tolist") && has_attr(v, "dtype")) {
            PyObject* list = PyObject_CallMethod(v, "tolist", nullptr);
            if (list != nullptr && list != v) {
                if (PyList_Check(list) || PyTuple_Check(list)) {
                    sequence(list, depth);
                } else {
                    value(list, depth + 1);
                }
                Py_DECREF(list);
                return;
            }
            Py_XDECREF(list);
            python_error();
        }
        return fail("cannot read a value of type " + type_name(v));
    }

    void numpy_datetime(PyObject* v) {
        PyObject* s = PyObject_Str(v);
        if (s == nullptr) {
            python_error();
            return fail("cannot read a date of type numpy.datetime64");
        }
        Py_ssize_t size = 0;
        const char* data = PyUnicode_AsUTF8AndSize(s, &size);
        std::string text = data ? std::string(data, static_cast<std::size_t>(size)) : std::string();
        if (data == nullptr) python_error();
        Py_DECREF(s);
        if (text == "NaT") return null();
        if (text.size() >= 10 && text[4] == '-' && text[7] == '-')
            return bia::append_json_string(out_, std::string_view(text).substr(0, 10));
        return fail("cannot read a date of type numpy.datetime64 at this precision");
    }

    std::string& out_;
    std::vector<FactError>& errors_;
    const WriteOptions& options_;
    std::string_view base_path_;
    std::vector<Segment> segments_;
    bool stopped_ = false;
};

}  // namespace

bool write_iso_date(PyObject* value, std::string& out) {
    if (!datetime_api() || !PyDate_Check(value)) return false;
    PandasMarkers& pd = pandas_markers();
    if (pd.nat && value == pd.nat) return false;
    int y = PyDateTime_GET_YEAR(value);
    int m = PyDateTime_GET_MONTH(value);
    int d = PyDateTime_GET_DAY(value);
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return false;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    out += buf;
    return true;
}

bool is_missing_marker(PyObject* value) {
    if (value == Py_None) return true;
    PandasMarkers& pd = pandas_markers();
    return (pd.na && value == pd.na) || (pd.nat && value == pd.nat);
}

bool iso_date_of(PyObject* value, std::string& out) {
    if (PyUnicode_Check(value)) {
        Py_ssize_t size = 0;
        const char* data = PyUnicode_AsUTF8AndSize(value, &size);
        if (data == nullptr) {
            // A lone surrogate is not a date; a MemoryError stays set for the caller.
            clear_ordinary_error();
            return false;
        }
        out.assign(data, static_cast<std::size_t>(size));
        return true;
    }
    out.clear();
    return write_iso_date(value, out);
}

bool write_json(PyObject* value, std::string& out, std::vector<FactError>& errors,
                const WriteOptions& options, std::string_view base_path) {
    Writer writer(out, errors, options, base_path);
    writer.value(value, 0);
    return writer.completed();
}

bool clear_ordinary_error() {
    // MemoryError is an Exception, but it says the process is in trouble, not the value.
    if (PyErr_ExceptionMatches(PyExc_Exception) && !PyErr_ExceptionMatches(PyExc_MemoryError)) {
        PyErr_Clear();
        return true;
    }
    return false;
}

}  // namespace bia::python
