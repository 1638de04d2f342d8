// What bia._core binds (module.cpp), and the files that define each part.
#pragma once

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <bia/bia.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace bia::python {

namespace py = pybind11;

struct PackHandle {
    Pack pack;
};

// many.cpp: Pack.evaluate_many.
py::list evaluate_many(const PackHandle& self, py::handle cases, py::handle as_of, bool strict, py::handle threads,
                       bool collect, const std::string& format_name, py::handle stats, bool accept_near_misses,
                       const std::optional<std::string>& id_field, py::handle progress);

// frame.cpp: Pack.evaluate_columns, behind evaluate_frame.
py::dict evaluate_columns(const PackHandle& self, const std::vector<std::string>& paths, const py::sequence& columns,
                          std::size_t rows, py::handle as_of, bool strict, py::handle threads, bool collect,
                          py::handle progress);

// pack_info.cpp: what the pack tells about itself, its tests, and explanations.
py::list facts_of(const PackHandle& self);
py::list rules_of(const PackHandle& self);
py::list levels_of(const PackHandle& self);
py::list domains_of(const PackHandle& self);
py::list sources_of(const PackHandle& self);
py::list source_files_of(const PackHandle& self);
py::tuple run_pack_tests(const PackHandle& self);
py::tuple explain_rule(const PackHandle& self, py::handle facts, const std::string& rule, py::handle as_of,
                       bool strict);

}  // namespace bia::python
