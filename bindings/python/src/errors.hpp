// Engine errors as the Python exceptions of bia/_errors.py (CompileError,
// FactError), with their records.
#pragma once

#include <pybind11/pybind11.h>

#include <bia/bia.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace bia::python {

namespace py = pybind11;

[[noreturn]] void raise_compile_error(const std::vector<Diagnostic>& diagnostics);

// "path: message; path: message".
std::string describe_errors(const std::vector<FactError>& errors);

// `index`: the case's position in a cohort; `id`: the case id's JSON text
// (EvalOptions::id_field), named in the message and kept as FactError.id.
[[noreturn]] void raise_fact_error(const std::vector<FactError>& errors, std::optional<std::size_t> index,
                                   const std::string* id = nullptr);

}  // namespace bia::python
