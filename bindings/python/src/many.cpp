// Pack.evaluate_many: a cohort of cases through the pipeline, as result dicts,
// JSON text or summaries, with error records or a FactError for bad cases.
#include "bindings.hpp"
#include "errors.hpp"
#include "pipeline.hpp"

#include <nlohmann/json.hpp>

namespace bia::python {
namespace {

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

}  // namespace

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

}  // namespace bia::python
