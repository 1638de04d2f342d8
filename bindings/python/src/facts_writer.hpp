// Turning Python case data (dicts, lists, scalars, dates) into the JSON text the engine reads.
#pragma once

#include <Python.h>

#include <bia/json_text.hpp>
#include <bia/result.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bia::python {

struct WriteOptions {
    // pandas marks missing data with NaN; in a DataFrame cell it means "unknown".
    // In a dict it is rejected like NaN in JSON, since it usually comes from a bug.
    bool nan_is_null = false;
    // Python objects can nest without end (or refer to themselves); stop well before
    // the C++ stack is at risk. The engine applies its own, lower, JSON depth limit.
    unsigned max_depth = 64;
};

// Appends the JSON text of `value` to `out`. Problems that JSON cannot express
// (non-string keys, NaN, integers beyond double range, unsupported types, lone
// surrogates, nesting beyond the limit) are appended to `errors` with the path
// they occur at and a message naming the type found, never the value; `null`
// is written in their place so the text stays well-formed. An ordinary
// Exception raised by user code (a mapping's __getitem__, __float__, __index__)
// is such a problem too. Anything else (KeyboardInterrupt, SystemExit,
// MemoryError, any BaseException that is not an Exception) stops the walk and
// stays set: then it returns false and the caller must raise it. Requires the GIL.
[[nodiscard]] bool write_json(PyObject* value, std::string& out, std::vector<FactError>& errors,
                const WriteOptions& options, std::string_view base_path = {});

// With a Python exception set: clears it and returns true when it is an ordinary
// Exception other than MemoryError; otherwise leaves it set and returns false.
bool clear_ordinary_error();

// Appends "YYYY-MM-DD" for a datetime.date/datetime (pandas Timestamps included).
// Returns false, with no Python error set, when `value` is not a date.
bool write_iso_date(PyObject* value, std::string& out);

// True for None and for pandas' missing markers (pd.NA, pd.NaT).
bool is_missing_marker(PyObject* value);

// Converts a date-like Python value (date, datetime, Timestamp or ISO string)
// to "YYYY-MM-DD"; returns false for anything else (then only a MemoryError
// can be left set).
bool iso_date_of(PyObject* value, std::string& out);

}  // namespace bia::python
