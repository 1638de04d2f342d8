// The compiled pack: an immutable, flat evaluation plan with facts bound to slots.
// (The namespace is `compiler`, not `compile`, which names the public function bia::compile.)
#pragma once

#include "lang/kinds.hpp"
#include "lang/operations.hpp"

#include <bia/pack.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace bia::compiler {

// One operation of the flat plan: what each reads and yields is its row in
// lang/operations.hpp. Nodes are stored children first, so one forward pass
// over the array evaluates the whole pack.
using lang::Op;

constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

struct Node {
    Op op = Op::constant;
    bool text = false;       // a text constant, or a fact whose slot holds text
    bool wide = false;       // its value may be an interval (Plan::interval): its column has an upper bound per lane
    std::uint32_t a = 0, b = 0, c = 0, len = 0;
    union {
        double num;
        std::uint64_t bits;
    };
    Node() : num(0) {}
};

// The evaluation program steps.cpp builds. Its control flow is the same for
// every case, so that the branch predictor learns it once instead of guessing
// each case's short-circuits and unknowns anew:
// - Fact tests first: a comparison of a fact with a constant, a fact's
//   membership test and `not` of a bool fact read only the fact's slot, so
//   they are data (a RangeTest or a SetTest) run in one loop per kind, without
//   branching on the values. The fact and constant nodes they consumed get no
//   step of their own. A let reference to a fact counts as the fact.
// - Then steps: every other node a case needs, by depth (see StepRun), each a copy of
//   its node with the operands that are let references resolved to the let's
//   node, so that a let costs no copy step (only a let reference that is a
//   rule root or an action anchor, which results read, keeps one).
// - No short-circuit: every test and step runs for every case, and the `and`,
//   `or`, `not` and comparisons combine their operands without branching on
//   whether they are known.
// So after evaluation (eval/block.hpp, for one case or 64) every node with a
// test or a step holds the case's value. Nodes without one: fact and constant
// leaves that only tests read (readers take facts from their slots) and let
// references that nothing but steps read (readers look through them to the
// let's node). Explanations, which show every node, run a plan built with
// StepsFor::every_node instead: no fused tests, a step for every node.
struct RangeTest {
    double lo = 0, hi = 0;      // inclusive: `<` and `>` move the constant to the next double
    std::uint32_t slot = 0;     // the fact (bool, number, date or `one of` index)
    std::uint32_t out = 0;      // the node whose value the test writes
    bool outside = false;       // true when the fact is outside [lo, hi] (`!=`)
    bool on_bool = false;       // the fact is a bool: the answer is in when_true and when_false
    // Worked out when the plan is built, so that the pass tests without branches: for a bool fact, the
    // answer (all lanes' bits) for a true and for a false value; for the others, ~0 when `outside`.
    std::uint64_t when_true = 0, when_false = 0, flip = 0;
};

// `one of` fact in a literal set (index tests: `bits` by member index) or a
// `set of` fact holding a member (bit tests: `bits` is the member's bit).
struct SetTest {
    std::uint64_t bits = 0;
    std::uint32_t slot = 0;
    std::uint32_t out = 0;
};

struct Step {
    Node node;              // the node's operation; operands that are let references resolved
    std::uint32_t out = 0;  // the node whose value this step writes
    bool truth = false;     // an operation lang::reads_truth names reads its truth, not only its value
    // It reads an operand that may be an interval (Plan::interval): computed with eval_bounds.
    bool interval = false;
};

// Steps with one operation that run in one loop, without a dispatch per step.
// Steps are ordered by depth (each after its operands) and by operation within
// a depth, so that runs are long; the order of the runs is the same for every case.
struct StepRun {
    Op op = Op::constant;
    bool pairs = false;  // `and`/`or` steps of exactly two operands, the most common: no loop over operands
    bool interval = false;  // steps that read intervals (Step::interval)
    std::uint32_t first = 0, count = 0;  // steps [first, first + count)
};

// Where evaluation (eval/block.hpp) keeps what it reads and writes, for a
// given number of cases side by side (lanes): 64 for a batch, 1 for a single
// case, with the same code. A FactBlock holds the lanes' facts fact by fact: a
// bool fact as two words (which cases know it, which hold it true), any other
// fact as a word of which cases know it and a word per case (a number, date or
// index as a double, a set's bits, a text's pointer), and a text fact a length
// per case too. Evaluation gives every node with a test or a step two words
// (which cases it is true for, which false); a node that is not boolean, or
// whose value a step other than `and`, `or`, `not` reads, also gets a column:
// a word per case, as a fact's (a text's `lanes` more words of lengths).
// Offsets are in words. A fact that no test or step reads has no place in a FactBlock.
constexpr std::uint32_t block_lanes = 64;
struct BlockLayout {
    std::uint32_t lanes = 0;
    std::uint32_t value_words() const { return 1 + lanes; }      // known, then a word per case
    std::uint32_t text_words() const { return 1 + 2 * lanes; }   // and a length per case
    std::vector<std::uint32_t> slot_offset;  // by slot: its first word in a FactBlock, none if nothing reads it
    std::uint32_t words = 0;                 // in a FactBlock
    // The slots evaluation reads, by kind, with their offsets: what filling a lane copies.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> bool_slots, value_slots, text_slots;
    std::vector<std::uint32_t> column;       // by node: its column, or none
    std::vector<std::uint8_t> text;          // by node: its column holds text (and lengths)
    // The slots and nodes whose values may be intervals (Plan::interval) hold the lower bounds
    // where the others hold their values, then an upper bound per case, as text holds lengths:
    // a column of text_words(). interval_slots: (slot, offset) pairs, also in value_slots.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> interval_slots;
    std::uint32_t columns = 0;
};

using SlotKind = lang::FactKind;  // a slot holds a fact of its declared kind

struct Slot {
    SlotKind kind = SlotKind::boolean;
    std::vector<std::string> members;  // one_of / set_of, in declaration order
    // A case may give it as an interval (a partial date, a number range): its value is then
    // [lo, hi], with lo where every slot keeps its value and hi beside it (eval::BoundCase::upper).
    bool imprecise = false;
    bool never = false;  // a `date or never` fact: "never" is lang::never_day
    // A list fact (language 2): its ListPlan. The slot holds how many elements the case gives (a
    // number; unknown when the case does not give the list), its kind is number.
    std::uint32_t list = std::numeric_limits<std::uint32_t>::max();
};

// A list fact (language 2): where the binders put each element's fields. Element e's field k is in
// slot first + e * fields.size() + k, for e below capacity; a case giving more elements is refused.
struct ListPlan {
    std::uint32_t slot = 0;
    std::uint32_t first = 0;
    std::uint32_t capacity = 0;
    std::string record;
    std::vector<std::pair<std::string, std::uint32_t>> fields;  // by name: (name, position in the record)
    std::uint32_t field_count() const { return static_cast<std::uint32_t>(fields.size()); }
};

// The fact paths as a tree of JSON object keys, for binding a case in one pass.
struct KeyNode {
    std::vector<std::pair<std::string, std::uint32_t>> children;  // sorted by key
    std::uint32_t fact = none;                                    // a leaf: the fact slot
    std::string path;                                             // dotted path to here
};

struct ActionPlan {
    std::string text;
    bool has_within = false;
    Op shift = Op::add_days;  // `within N days|weeks` adds days; months and years (language 2) their own
    std::int32_t amount = 0;  // days (weeks as 7), months or years
    bool immediate = false;   // `immediately`: due on the anchor, and the result says so
    std::uint32_t anchor = none;  // node; none = today
};

// A rule's citation: its source by position in CompiledPack::citation_sources,
// whose title is kept there once, however many rules cite it (a 1 MB title
// cited by 400 rules is 1 MB of pack, not 400).
struct CitePlan {
    std::uint32_t source = 0;
    std::optional<std::string> ref;
};

struct RulePlan {
    std::uint32_t root = 0;  // node of the `when` condition
    std::uint32_t severity = none;
    std::uint32_t domain = none;
    double score = 0;
    std::vector<ActionPlan> actions;
    std::vector<CitePlan> cites;
    bool presumes = false;  // its condition reads a presumption (possibly, certainly): see eval/missing.cpp
};

struct TestPlan {
    std::string name;
    std::optional<std::int32_t> as_of_days;
    std::optional<std::string> case_file;
    std::uint32_t file = 0;
    std::vector<std::pair<std::uint32_t, std::string>> given;  // fact slot, JSON literal
    struct Expect {
        std::uint8_t kind = 0;  // syntax::ExpectKind
        std::uint32_t target = 0;
        double number = 0;
        std::uint32_t line = 0;
    };
    std::vector<Expect> expects;
    std::uint32_t line = 0;
};

// What each node came from and what it holds, for explanations (never the hot path).
enum class NodeKind : std::uint8_t { boolean, number, date, text, one_of, set_of, other };
struct NodeInfo {
    std::uint32_t file = 0, begin = 0, end = 0;
    NodeKind kind = NodeKind::other;
    std::uint32_t fact = none;  // for one_of / set_of values: the fact whose members they use
    // A quantifier's condition for one element (language 2): the list's slot and the element, so that
    // an explanation says which element it is about.
    std::uint32_t list = none, element = none;
};

struct Plan {
    std::vector<Node> nodes;
    std::vector<NodeInfo> info;  // parallel to nodes
    // What evaluation runs (see RangeTest): the tests, then the steps.
    std::vector<RangeTest> range_tests;
    std::vector<SetTest> index_tests, bit_tests;
    std::vector<Step> steps;
    std::vector<StepRun> step_runs;
    // By node: its value may be an interval [lo, hi] (language 2's partial dates and number
    // ranges): a fact of an imprecise slot, or a number or date computed from one.
    std::vector<std::uint8_t> interval;
    std::vector<std::uint32_t> step_operands;  // of `and`/`or` steps: operands with lets resolved
    BlockLayout block;   // 64 cases at a time
    BlockLayout single;  // one case
    std::vector<std::uint32_t> operands;
    std::vector<std::int32_t> tables;
    std::vector<std::string> strings;
    std::vector<Slot> slots;
    std::vector<ListPlan> lists;
    bool imprecise_slots = false;  // some slot is imprecise: cases keep upper bounds (BoundCase::upper)
    std::vector<KeyNode> keys;  // keys[0] is the root object
    std::uint64_t key_comparisons = 0;  // made while building `keys`: linear in the facts' keys (tests count it)
    std::vector<RulePlan> rules;
    bool presuming_rules = false;  // some rule presumes
    // Some value of the pack is an interval or a presumption: the walk for missing facts must look
    // past a known node (eval/missing.cpp). False for every v1 pack.
    bool language2_values = false;
    std::vector<std::optional<double>> thresholds;  // per level
    std::vector<TestPlan> tests;
};

// The children of a node in the plan, for walks over the expression tree: the
// operand nodes its row in lang/operations.hpp names.
template <typename F>
void for_each_child(const Plan& plan, const Node& n, F&& f) {
    switch (lang::row(n.op).operands) {
        case lang::Operands::none: break;
        case lang::Operands::a: f(n.a); break;
        case lang::Operands::b: f(n.b); break;
        case lang::Operands::a_b:
            f(n.a);
            f(n.b);
            break;
        case lang::Operands::list:
            for (std::uint32_t i = 0; i < n.b; ++i) f(plan.operands[n.a + i]);
            break;
    }
}

}  // namespace bia::compiler

namespace bia::detail {

struct CompiledPack {
    std::string name, version, title, digest, origin;
    std::vector<SourceFile> sources;
    std::vector<FactInfo> facts;  // as declared (Pack::facts); a list's elements' fields are in it
    // By slot: the fact's path as results name it, an element's field included (family.members[2].located).
    std::vector<std::string> slot_paths;
    std::vector<RuleInfo> rules;
    std::vector<LevelInfo> levels;
    std::vector<DomainInfo> domains;
    std::vector<SourceInfo> citation_sources;
    Limits limits;
    compiler::Plan plan;
};

// The engine's way into a Pack: the public class keeps its compiled pack private.
struct PackAccess {
    static Pack make(std::shared_ptr<const CompiledPack> impl) { return Pack(std::move(impl)); }
    static const CompiledPack& compiled(const Pack& pack) { return *pack.impl_; }
};

inline const CompiledPack& compiled(const Pack& pack) { return PackAccess::compiled(pack); }

}  // namespace bia::detail
