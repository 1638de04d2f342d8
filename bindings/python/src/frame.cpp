// Pack.evaluate_columns: a DataFrame's columns written row by row as case
// JSON through a skeleton built once, then summed up through the pipeline.
#include "bindings.hpp"
#include "errors.hpp"
#include "pipeline.hpp"

#include <algorithm>
#include <string_view>

namespace bia::python {
namespace {

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

}  // namespace

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
    SummaryBuilder::Columns frame(summaries);
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
                frame.add_error(make_str(describe_errors(ev.errors)));
                continue;
            }
            frame.add(b.summaries[i]);
        }
        if (!progress.is_none()) progress(b.base + b.size());  // rows done so far (see bia/_progress.py)
    };
    Timing timing;
    run_batches(self.pack, options, workers, Produce::summary, fill, emit, timing);

    return frame.take();
}

}  // namespace bia::python
