// Pack::evaluate_batch: cases bound into blocks of 64 lanes, one pass over the
// plan per block, then each case's result or summary from its lane.
#include "api/internal.hpp"

#include "eval/block.hpp"
#include "eval/result_size.hpp"

#include <memory>

namespace bia {
namespace {

using api::bind_options;
using api::id_text;
using api::set_id;
using api::sort_warnings;
using api::thread_scratch;

// evaluate_batch's working memory: a block's bound cases, its facts side by
// side, its evaluation, and the fact errors of the cases refused meanwhile.
struct BatchScratch {
    // A block takes at most this many cases, refused ones included, so that
    // the errors held back for their turn stay few.
    static constexpr std::size_t max_cases = 2 * eval::block_lanes;
    std::vector<eval::BoundCase> bound = std::vector<eval::BoundCase>(eval::block_lanes);
    eval::FactBlock block;
    eval::BlockScratch evaluation;
    std::uint32_t lane_of_case[max_cases] = {};  // none: refused
    std::vector<std::vector<FactError>> refused = std::vector<std::vector<FactError>>(max_cases);
    std::vector<std::string> refused_id = std::vector<std::string>(max_cases);  // their ids' JSON text
    bool busy = false;  // an evaluate_batch on this thread is using it
};

// This thread's BatchScratch, or a new one for an evaluate_batch called from
// the `done` of another, whose block must survive it.
class BatchMemory {
public:
    BatchMemory() {
        thread_local BatchScratch batch;
        scratch_ = &batch;
        if (scratch_->busy) {
            nested_ = std::make_unique<BatchScratch>();
            scratch_ = nested_.get();
        }
        scratch_->busy = true;
    }
    ~BatchMemory() { scratch_->busy = false; }
    BatchMemory(const BatchMemory&) = delete;
    BatchMemory& operator=(const BatchMemory&) = delete;
    BatchScratch& operator*() const { return *scratch_; }

private:
    BatchScratch* scratch_ = nullptr;
    std::unique_ptr<BatchScratch> nested_;
};

}  // namespace

void Pack::evaluate_batch(std::span<BatchCase> cases, const EvalOptions& options,
                          const std::function<void(std::size_t)>& done) const {
    const detail::CompiledPack& pack = *impl_;
    const eval::BindOptions bind = bind_options(pack, options);
    const Date as_of = options.as_of.value_or(Date::today());
    const BatchMemory memory;
    BatchScratch& batch = *memory;
    eval::Scratch& scratch = thread_scratch();
    for (std::size_t first = 0; first < cases.size();) {
        // Bind cases into the block's lanes until it is full. A case with fact
        // errors takes no lane; its errors wait for its turn below.
        eval::start_block(pack.plan, batch.block);
        std::uint32_t lanes = 0;
        std::size_t end = first;
        for (; end < cases.size() && lanes < eval::block_lanes && end - first < BatchScratch::max_cases; ++end) {
            eval::BoundCase& bound = batch.bound[lanes];
            eval::bind_json_text(pack.plan, cases[end].json, bind, bound);
            if (!bound.errors.empty()) {
                batch.lane_of_case[end - first] = compiler::none;
                std::swap(batch.refused[end - first], bound.errors);
                if (!options.id_field.empty()) batch.refused_id[end - first] = id_text(bound);
                continue;
            }
            eval::add_to_block(pack.plan, bound, batch.block);
            batch.lane_of_case[end - first] = lanes++;
        }
        if (lanes > 0) eval::run_block(pack.plan, batch.block, as_of.days(), batch.evaluation);
        // Then each case in turn: its errors, or its result or summary.
        for (std::size_t i = first; i < end; ++i) {
            BatchCase& c = cases[i];
            const std::uint32_t lane = batch.lane_of_case[i - first];
            c.evaluated = lane != compiler::none;
            if (!c.evaluated) {
                if (c.errors) std::swap(*c.errors, batch.refused[i - first]);
                if (c.id && !options.id_field.empty()) std::swap(*c.id, batch.refused_id[i - first]);
            } else {
                if (c.errors) c.errors->clear();
                eval::BoundCase& bound = batch.bound[lane];
                const eval::CaseValues values = eval::lane_values(pack.plan, batch.evaluation, batch.block, lane);
                if (c.id && !options.id_field.empty()) *c.id = id_text(bound);
                bool fits = true;
                if (c.result) {
                    sort_warnings(bound);
                    fits = eval::evaluate_case_values(pack, bound, as_of, values, scratch, *c.result);
                    if (fits) set_id(*c.result, bound, options);
                } else if (c.summary) {
                    fits = eval::summarize_case_values(pack, as_of, values, scratch, *c.summary);
                }
                if (!fits) {
                    c.evaluated = false;
                    if (c.errors) c.errors->assign(1, eval::result_too_large(pack, scratch.result_bytes));
                }
            }
            if (done) done(i);
        }
        first = end;
    }
}

}  // namespace bia
