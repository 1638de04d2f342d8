// The one evaluation loop (see block.hpp), for 64 lanes and for one.
#include "eval/block.hpp"

#include "eval/semantics.hpp"

#include <bit>
#include <cassert>
#include <cmath>
#include <cstring>

namespace bia::eval {
namespace {

using compiler::RangeTest;
using compiler::SetTest;
using compiler::SlotKind;
using compiler::Step;

// Only fact and known() read a case's facts, and run_block never hands those to eval_node.
const BoundCase no_facts;

constexpr std::uint64_t lane_bit(std::uint32_t lane) { return std::uint64_t{1} << lane; }

inline double lane_number(const std::uint64_t* column, std::uint32_t lane) {
    return std::bit_cast<double>(column[1 + lane]);
}

// Lane `lane` of a column of `lanes` lanes gets `x`; its known bit is added to the column's.
inline void set_lane(std::uint64_t* column, std::uint32_t lanes, std::uint32_t lane, const Value& x, bool text) {
    column[1 + lane] = x.known ? x.bits : 0;
    if (x.known) column[0] |= lane_bit(lane);
    if (text) column[1 + lanes + lane] = x.known ? x.len : 0;
}

// The lanes of `column` whose number lies in [lo, hi].
inline std::uint64_t lanes_inside(const std::uint64_t* column, std::uint32_t lanes, double lo, double hi) {
    std::uint64_t inside = 0;
    for (std::uint32_t i = 0; i < lanes; ++i) {
        const double x = lane_number(column, i);
        inside |= static_cast<std::uint64_t>((lo <= x) & (x <= hi)) << i;
    }
    return inside;
}

template <typename Compare>
std::uint64_t lanes_comparing(const std::uint64_t* a, const std::uint64_t* b, std::uint32_t lanes, Compare compare) {
    std::uint64_t holds = 0;
    for (std::uint32_t i = 0; i < lanes; ++i) {
        holds |= static_cast<std::uint64_t>(compare(lane_number(a, i), lane_number(b, i))) << i;
    }
    return holds;
}

// A pass over `Lanes` lanes of which the first `lanes` hold cases. With
// Lanes = 1 the loops over lanes are one iteration the compiler unrolls.
template <std::uint32_t Lanes>
struct BlockRun {
    const Plan& plan;
    const BlockLayout& layout;
    const FactBlock& block;
    std::int32_t as_of_days;
    std::uint64_t* holds;
    std::uint64_t* fails;
    std::uint64_t* columns;
    std::uint32_t lanes;
    std::uint64_t all;  // the block's lanes
    // The arrays read for every test and step, held here rather than through the vectors
    // (the pass's stores could otherwise make the compiler load their data pointers again).
    const std::uint64_t* facts = block.words.data();
    const std::uint32_t* slot_offset = layout.slot_offset.data();
    const std::uint32_t* column_of = layout.column.data();

    // The lanes holding cases, known at compile time for one lane.
    std::uint32_t count() const {
        if constexpr (Lanes == 1) return 1;
        else return lanes;
    }

    // The words of a column (block.hpp: a known word, a word per lane, for text a length per lane), known at
    // compile time so that copying a column is a few moves.
    static constexpr std::uint32_t value_words = 1 + Lanes, text_words = 1 + 2 * Lanes;

    const std::uint64_t* slot(std::uint32_t s) const { return facts + slot_offset[s]; }
    std::uint64_t* column(std::uint32_t node) const { return columns + column_of[node]; }
    bool has_column(std::uint32_t node) const { return column_of[node] != none; }

    // Node `out` is true for the lanes of `t` and false for those of `f`; a
    // node with a column holds the bools there too, for steps that read values.
    void write_truth(std::uint32_t out, std::uint64_t t, std::uint64_t f) const {
        holds[out] = t;
        fails[out] = f;
        if (!has_column(out)) return;
        std::uint64_t* c = column(out);
        c[0] = t | f;
        for (std::uint32_t i = 0; i < count(); ++i) c[1 + i] = std::bit_cast<std::uint64_t>(static_cast<double>((t >> i) & 1u));
    }
    // Truth of a node with a column, from its values (read only for bools).
    void truth_from_column(std::uint32_t out) const {
        const std::uint64_t* c = column(out);
        std::uint64_t nonzero = 0;
        for (std::uint32_t i = 0; i < count(); ++i) nonzero |= static_cast<std::uint64_t>(lane_number(c, i) != 0) << i;
        holds[out] = c[0] & nonzero;
        fails[out] = c[0] & ~nonzero;
    }

    void range_test(const RangeTest& t) const {
        const std::uint64_t* fact = slot(t.slot);
        // A bool's answer for 1 and for 0 is worked out once for every case; `outside` is already in it.
        const std::uint64_t holds = t.on_bool ? (fact[1] & t.when_true) | (~fact[1] & t.when_false)
                                              : lanes_inside(fact, count(), t.lo, t.hi) ^ t.flip;
        write_truth(t.out, fact[0] & holds, fact[0] & ~holds);
    }

    void index_test(const SetTest& t) const {
        const std::uint64_t* fact = slot(t.slot);
        std::uint64_t member = 0;
        for (std::uint32_t i = 0; i < count(); ++i) member |= static_cast<std::uint64_t>(in_mask(t.bits, lane_number(fact, i))) << i;
        write_truth(t.out, fact[0] & member, fact[0] & ~member);
    }

    void bit_test(const SetTest& t) const {
        const std::uint64_t* fact = slot(t.slot);
        std::uint64_t member = 0;
        for (std::uint32_t i = 0; i < count(); ++i) member |= static_cast<std::uint64_t>((fact[1 + i] & t.bits) != 0) << i;
        write_truth(t.out, fact[0] & member, fact[0] & ~member);
    }

    // Pair: the step has exactly two operands (StepRun::pairs), the most common, without the loop's count.
    template <bool is_or, bool pair>
    void and_or(const Step& s) const {
        const std::uint32_t* operand = plan.step_operands.data() + s.node.a;
        lang::Truth<std::uint64_t> t = is_or ? lang::or_identity(all) : lang::and_identity(all);
        const std::uint32_t operands = pair ? 2 : s.node.b;
        for (std::uint32_t k = 0; k < operands; ++k) {
            const lang::Truth<std::uint64_t> x{holds[operand[k]], fails[operand[k]]};
            t = is_or ? lang::kleene_or(t, x) : lang::kleene_and(t, x);
        }
        write_truth(s.out, t.holds, t.fails);
    }

    // count(m in L where E) (language 2): per lane, the operands true and those true or unknown, the
    // bounds of an interval in the node's column (lower bound as its value, upper bound beside it).
    void count_truths(const Step& s) const {
        const std::uint32_t* operand = plan.step_operands.data() + s.node.a;
        std::uint32_t lower[Lanes] = {}, upper[Lanes] = {};
        for (std::uint32_t k = 0; k < s.node.b; ++k) {
            const std::uint64_t h = holds[operand[k]], open = ~fails[operand[k]];
            for (std::uint32_t i = 0; i < count(); ++i) {
                lower[i] += static_cast<std::uint32_t>((h >> i) & 1u);
                upper[i] += static_cast<std::uint32_t>((open >> i) & 1u);
            }
        }
        holds[s.out] = 0;
        fails[s.out] = 0;
        if (!has_column(s.out)) return;
        std::uint64_t* c = column(s.out);
        c[0] = all;
        for (std::uint32_t i = 0; i < count(); ++i) {
            c[1 + i] = std::bit_cast<std::uint64_t>(static_cast<double>(lower[i]));
            c[1 + Lanes + i] = std::bit_cast<std::uint64_t>(static_cast<double>(upper[i]));
        }
    }

    // possibly(a), certainly(a): from a's truth words, for every lane of the block at once.
    template <Op op>
    void presumption(const Step& s) const {
        static_assert(!lang::row(op).strict && lang::presumes(op));
        const lang::Truth<std::uint64_t> a{holds[s.node.a], fails[s.node.a]};
        const lang::Truth<std::uint64_t> t = op == Op::possibly ? lang::possibly(a, all) : lang::certainly(a, all);
        write_truth(s.out, t.holds, t.fails);
    }

    template <Op op>
    void compare(const Step& s) const {
        static_assert(lang::row(op).strict);
        const std::uint64_t* a = column(s.node.a);
        const std::uint64_t* b = column(s.node.b);
        const std::uint64_t known = a[0] & b[0];
        const std::uint64_t h = lanes_comparing(a, b, count(), [](double x, double y) { return lang::compare<op>(x, y); });
        write_truth(s.out, known & h, known & ~h);
    }

    void fact(const Step& s) const {
        const std::uint64_t* f = slot(s.node.a);
        if (plan.slots[s.node.a].kind == SlotKind::boolean) {
            write_truth(s.out, f[0] & f[1], f[0] & ~f[1]);
            return;
        }
        // A text's column has its lengths, an imprecise fact's its upper bounds: both as wide.
        if (s.node.text || s.node.wide) std::memcpy(column(s.out), f, text_words * sizeof(std::uint64_t));
        else std::memcpy(column(s.out), f, value_words * sizeof(std::uint64_t));
        if (s.truth) truth_from_column(s.out);
    }

    // A column with the same value in every lane.
    void fill(const Step& s, const Value& x) const {
        std::uint64_t* c = column(s.out);
        c[0] = x.known ? all : 0;
        for (std::uint32_t i = 0; i < count(); ++i) set_lane(c, Lanes, i, x, s.node.text);
        holds[s.out] = x.known && !s.node.text && x.bits != 0 ? all : 0;
        fails[s.out] = x.known && !s.node.text && x.bits == 0 ? all : 0;
    }

    void let_ref(const Step& s) const {
        holds[s.out] = holds[s.node.a];
        fails[s.out] = fails[s.node.a];
        if (!has_column(s.out)) return;
        if (layout.text[s.out] || s.node.wide) std::memcpy(column(s.out), column(s.node.a), text_words * sizeof(std::uint64_t));
        else std::memcpy(column(s.out), column(s.node.a), value_words * sizeof(std::uint64_t));
    }

    // Any other step, lane by lane, with the one-case evaluator's meaning: its
    // operands' Values at positions 0 and 1 of a two-Value array.
    void each_lane(const Step& s) const {
        Node n = s.node;
        const std::uint64_t* first = nullptr;   // operand a, unless the operation has only b
        const std::uint64_t* second = nullptr;  // operand b, when the operation reads it
        // The operands its row names (in_text_list's b is the slot of an enum operand's fact, not a node).
        switch (lang::row(n.op).operands) {
            case lang::Operands::a:
                first = column(n.a);
                n.a = 0;
                break;
            case lang::Operands::b:
                second = column(n.b);
                n.b = 1;
                break;
            default:  // a_b: the operations with other operands have loops of their own
                first = column(n.a);
                second = column(n.b);
                n.a = 0;
                n.b = 1;
                break;
        }
        const bool first_text = first != nullptr && layout.text[s.node.a];
        const bool second_text = second != nullptr && layout.text[s.node.b];
        std::uint64_t* out = has_column(s.out) ? column(s.out) : nullptr;
        if (out != nullptr) out[0] = 0;
        std::uint64_t t = 0, f = 0;
        for (std::uint32_t i = 0; i < count(); ++i) {
            Value operands[2];
            if (first != nullptr) operands[0] = column_lane(layout, first, i, first_text);
            if (second != nullptr) operands[1] = column_lane(layout, second, i, second_text);
            const Value x = eval_node(plan, n, operands, no_facts, as_of_days);
            if (out != nullptr) set_lane(out, Lanes, i, x, false);
            t |= static_cast<std::uint64_t>(x.known && x.num != 0) << i;
            f |= static_cast<std::uint64_t>(x.known && x.num == 0) << i;
        }
        holds[s.out] = t;
        fails[s.out] = f;
    }

    // A step that reads an interval (Step::interval), lane by lane with eval_bounds: an operand's
    // upper bound is beside its lower one when it may be an interval, else it is exact.
    void each_lane_bounds(const Step& s) const {
        Node n = s.node;
        const std::uint64_t* operand_column[2] = {nullptr, nullptr};
        bool wide[2] = {false, false};
        const auto take = [&](std::uint32_t& field, int k) {
            operand_column[k] = column(field);
            wide[k] = plan.interval[field] != 0;
            field = static_cast<std::uint32_t>(k);
        };
        switch (lang::row(n.op).operands) {
            case lang::Operands::a: take(n.a, 0); break;
            case lang::Operands::a_b:
                take(n.a, 0);
                take(n.b, 1);
                break;
            default: break;  // steps.cpp marks no other operation
        }
        std::uint64_t* out = has_column(s.out) ? column(s.out) : nullptr;
        const bool out_wide = out != nullptr && plan.interval[s.out] != 0;
        if (out != nullptr) out[0] = 0;
        std::uint64_t t = 0, f = 0;
        for (std::uint32_t i = 0; i < count(); ++i) {
            Bounds operands[2];
            for (int k = 0; k < 2; ++k) {
                if (operand_column[k] == nullptr) continue;
                operands[k].lo = column_lane(layout, operand_column[k], i, false);
                operands[k].hi = wide[k] ? std::bit_cast<double>(operand_column[k][1 + Lanes + i]) : operands[k].lo.num;
            }
            const Bounds x = eval_bounds(plan, n, operands, as_of_days);
            if (out != nullptr) {
                set_lane(out, Lanes, i, x.lo, false);
                if (out_wide) out[1 + Lanes + i] = std::bit_cast<std::uint64_t>(x.lo.known ? x.hi : 0.0);
            }
            t |= static_cast<std::uint64_t>(x.lo.known && x.lo.num != 0) << i;
            f |= static_cast<std::uint64_t>(x.lo.known && x.lo.num == 0) << i;
        }
        holds[s.out] = t;
        fails[s.out] = f;
    }

    // days(a, b), count(a) and years(a, b), the usual steps of age and time
    // rules, lane by lane without going through eval_node.
    void days(const Step& s) const {
        const std::uint64_t* a = column(s.node.a);
        const std::uint64_t* b = column(s.node.b);
        std::uint64_t* out = column(s.out);
        out[0] = a[0] & b[0];
        for (std::uint32_t i = 0; i < count(); ++i) {
            const double d = ((out[0] >> i) & 1u) ? days_between(lane_number(a, i), lane_number(b, i)) : 0;
            out[1 + i] = std::bit_cast<std::uint64_t>(d);
        }
        if (s.truth) truth_from_column(s.out);
    }

    void count_members(const Step& s) const {
        const std::uint64_t* a = column(s.node.a);
        std::uint64_t* out = column(s.out);
        out[0] = a[0];
        for (std::uint32_t i = 0; i < count(); ++i) {
            const double n = ((a[0] >> i) & 1u) ? members_in(a[1 + i]) : 0;
            out[1 + i] = std::bit_cast<std::uint64_t>(n);
        }
        if (s.truth) truth_from_column(s.out);
    }

    void years(const Step& s) const {
        const std::uint64_t* a = column(s.node.a);
        const std::uint64_t* b = column(s.node.b);
        std::uint64_t* out = column(s.out);
        out[0] = a[0] & b[0];
        // The later date is most often the same for every case (today): its
        // calendar date is worked out once.
        std::int32_t to_days = 0;
        YearMonthDay to_ymd = Date::from_days(0).ymd();
        for (std::uint32_t i = 0; i < count(); ++i) {
            double years = 0;
            if ((out[0] >> i) & 1u) {
                const auto from = static_cast<std::int32_t>(lane_number(a, i));
                const auto to = static_cast<std::int32_t>(lane_number(b, i));
                if (to < from) {
                    years = whole_years(from, to);
                } else {
                    if (to != to_days) {
                        to_days = to;
                        to_ymd = Date::from_days(to).ymd();
                    }
                    years = whole_years_forward(Date::from_days(from).ymd(), to_ymd);
                }
            }
            out[1 + i] = std::bit_cast<std::uint64_t>(years);
        }
        if (s.truth) truth_from_column(s.out);
    }

    // A run of steps of one operation (see compiler::StepRun): one dispatch for the run.
    void steps(const compiler::StepRun& run) const {
        const Step* s = plan.steps.data() + run.first;
        const Step* end = s + run.count;
        auto each = [&](auto&& f) {
            for (; s != end; ++s) f(*s);
        };
        if (run.interval) {
            each([&](const Step& x) { each_lane_bounds(x); });
            return;
        }
        switch (run.op) {
            case Op::logic_and:
                if (run.pairs) each([&](const Step& x) { and_or<false, true>(x); });
                else each([&](const Step& x) { and_or<false, false>(x); });
                break;
            case Op::logic_or:
                if (run.pairs) each([&](const Step& x) { and_or<true, true>(x); });
                else each([&](const Step& x) { and_or<true, false>(x); });
                break;
            case Op::logic_not:
                each([&](const Step& x) {
                    const lang::Truth<std::uint64_t> t = lang::kleene_not(lang::Truth<std::uint64_t>{holds[x.node.a], fails[x.node.a]});
                    write_truth(x.out, t.holds, t.fails);
                });
                break;
            case Op::possibly: each([&](const Step& x) { presumption<Op::possibly>(x); }); break;
            case Op::count_true: each([&](const Step& x) { count_truths(x); }); break;
            case Op::certainly: each([&](const Step& x) { presumption<Op::certainly>(x); }); break;
            case Op::known:
                each([&](const Step& x) {
                    const std::uint64_t known = slot(x.node.a)[0];
                    write_truth(x.out, known, all & ~known);
                });
                break;
            case Op::lt: each([&](const Step& x) { compare<Op::lt>(x); }); break;
            case Op::le: each([&](const Step& x) { compare<Op::le>(x); }); break;
            case Op::gt: each([&](const Step& x) { compare<Op::gt>(x); }); break;
            case Op::ge: each([&](const Step& x) { compare<Op::ge>(x); }); break;
            case Op::eq_num: each([&](const Step& x) { compare<Op::eq_num>(x); }); break;
            case Op::ne_num: each([&](const Step& x) { compare<Op::ne_num>(x); }); break;
            case Op::fact: each([&](const Step& x) { fact(x); }); break;
            case Op::constant: each([&](const Step& x) { fill(x, constant_value(plan, x.node)); }); break;
            case Op::today: each([&](const Step& x) { fill(x, Value::number(as_of_days)); }); break;
            case Op::let_ref: each([&](const Step& x) { let_ref(x); }); break;
            case Op::days: each([&](const Step& x) { days(x); }); break;
            case Op::count: each([&](const Step& x) { count_members(x); }); break;
            case Op::years: each([&](const Step& x) { years(x); }); break;
            default: each([&](const Step& x) { each_lane(x); }); break;
        }
    }
};

// The slots of `facts` that evaluation reads, into the next lane of `block`. The
// first lane sets the known words, the next ones add to them, so a block
// needs no clearing before its first lane. `Single`: the block has one lane
// (run_case), known here so that the merging with other lanes compiles away.
template <bool Single>
void add_lane(const BlockLayout& layout, const BoundCase& facts, FactBlock& block) {
    const std::uint32_t lane = Single ? 0 : block.lanes;
    block.lanes = lane + 1;
    const std::uint64_t keep = Single || lane == 0 ? 0 : ~std::uint64_t{0};
    std::uint64_t* words = block.words.data();
    const Value* slots = facts.slots.data();
    for (const auto& [slot, offset] : layout.bool_slots) {
        const Value& x = slots[slot];
        words[offset] = (words[offset] & keep) | static_cast<std::uint64_t>(x.known) << lane;
        words[offset + 1] = (words[offset + 1] & keep) | static_cast<std::uint64_t>(x.known & (x.num != 0)) << lane;
    }
    for (const auto& [slot, offset] : layout.value_slots) {
        words[offset] &= keep;
        set_lane(words + offset, layout.lanes, lane, slots[slot], false);
    }
    // An imprecise slot's upper bound, after its lower bound in the column (NaN: exact).
    for (const auto& [slot, offset] : layout.interval_slots) {
        const Value& x = slots[slot];
        const double upper = x.known && !std::isnan(facts.upper[slot]) ? facts.upper[slot] : x.known ? x.num : 0.0;
        words[offset + 1 + layout.lanes + lane] = std::bit_cast<std::uint64_t>(upper);
    }
    for (const auto& [slot, offset] : layout.text_slots) {
        Value x = slots[slot];
        if (x.known) x.str = facts.text_of(slot);
        words[offset] &= keep;
        set_lane(words + offset, layout.lanes, lane, x, true);
    }
}

template <std::uint32_t Lanes>
void run_lanes(const Plan& plan, const BlockLayout& layout, const FactBlock& block, std::int32_t as_of_days,
               BlockScratch& scratch) {
    const std::size_t count = plan.nodes.size();
    if (scratch.holds.size() < count) scratch.holds.resize(count);
    if (scratch.fails.size() < count) scratch.fails.resize(count);
    if (scratch.columns.size() < layout.columns) scratch.columns.resize(layout.columns);
    assert(layout.lanes == Lanes);  // the column sizes BlockRun<Lanes> copies
    const std::uint32_t lanes = block.lanes;
    const BlockRun<Lanes> run{plan,
                              layout,
                              block,
                              as_of_days,
                              scratch.holds.data(),
                              scratch.fails.data(),
                              scratch.columns.data(),
                              lanes,
                              lanes == block_lanes ? ~std::uint64_t{0} : lane_bit(lanes) - 1};
    for (const RangeTest& t : plan.range_tests) run.range_test(t);
    for (const SetTest& t : plan.index_tests) run.index_test(t);
    for (const SetTest& t : plan.bit_tests) run.bit_test(t);
    for (const compiler::StepRun& r : plan.step_runs) run.steps(r);
}

}  // namespace

void start_block(const Plan& plan, FactBlock& block) {
    block.words.resize(plan.block.words);
    block.lanes = 0;
}

void add_to_block(const Plan& plan, const BoundCase& facts, FactBlock& block) { add_lane<false>(plan.block, facts, block); }

void run_block(const Plan& plan, const FactBlock& block, std::int32_t as_of_days, BlockScratch& scratch) {
    run_lanes<block_lanes>(plan, plan.block, block, as_of_days, scratch);
}

void run_case(const Plan& plan, const BoundCase& facts, std::int32_t as_of_days, CaseRun& run) {
    run.facts.words.resize(plan.single.words);
    add_lane<true>(plan.single, facts, run.facts);
    run_lanes<1>(plan, plan.single, run.facts, as_of_days, run.values);
}

}  // namespace bia::eval
