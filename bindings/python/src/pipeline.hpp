// evaluate_many's and evaluate_frame's pipeline: batches of cases read with
// the GIL held, evaluated by worker threads without it, turned into Python
// objects with it again, the three overlapping.
#pragma once

#include <pybind11/pybind11.h>

#include <bia/bia.hpp>

#include "cases.hpp"
#include "parallel.hpp"
#include "results.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace bia::python {

namespace py = pybind11;

// The `threads` argument: 0 means every core. Taken as a Python object and
// converted here: a type mismatch reported by pybind11 itself would show every
// argument, the cases' facts among them.
unsigned resolve_threads(py::handle value);

// Reads up to `limit` items of an iterator into `items` (new references).
void next_items(PyObject* iterator, std::size_t limit, std::vector<py::object>& items);

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
    GcPause();
    ~GcPause();
    GcPause(const GcPause&) = delete;
    GcPause& operator=(const GcPause&) = delete;

private:
    bool was_enabled_ = false;
};

// What the workers make of each case: a Result, a Result and its JSON text,
// or only a Summary.
enum class Produce { result, json, summary };

// Runs batches through three stages: `fill` reads a batch's input (GIL held),
// the workers evaluate it (no GIL), `emit` turns its results into Python
// objects (GIL held). While one batch is emitted the next is being evaluated,
// and while a batch is evaluated the next is read, so the interpreter's
// thread and the workers are busy at the same time.
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

}  // namespace bia::python
