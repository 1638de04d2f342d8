// Explains why a rule fired, did not fire, or is undetermined for one case.
#include <bia/explain.hpp>

#include "common/source.hpp"
#include "common/suggest.hpp"
#include "compile/plan.hpp"
#include "compile/steps.hpp"
#include "eval/evaluator.hpp"
#include "tools/explain_work.hpp"

#include <bit>
#include <charconv>
#include <cmath>
#include <sstream>

namespace bia {
namespace {

using compiler::none;
using compiler::NodeKind;
using compiler::Op;

constexpr std::size_t max_steps = 400;  // an explanation is for reading

std::string number_text(double v) {
    // Shortest round-trip form, as in the JSON result: a stream's default six digits showed
    // 86753091 as 8.67531e+07.
    char buf[32];
    const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    return std::string(buf, end);
}

std::string value_text(const detail::CompiledPack& pack, std::uint32_t node, const eval::Value& v, double upper) {
    if (!v.known) return "unknown";
    const auto& info = pack.plan.info[node];
    // An interval (language 2: a partial date, a number range, or what is computed from one).
    const bool interval = upper != v.num;
    switch (info.kind) {
        case NodeKind::boolean: return v.num != 0 ? "true" : "false";
        case NodeKind::number:
            return interval ? "between " + number_text(v.num) + " and " + number_text(upper) : number_text(v.num);
        case NodeKind::date: {
            const auto date = [](double days) {
                return days == lang::never_day ? std::string("never") : Date::from_days(static_cast<std::int32_t>(days)).to_string();
            };
            return interval ? "between " + date(v.num) + " and " + date(upper) : date(v.num);
        }
        case NodeKind::text: return detail::quoted(std::string_view(v.str ? v.str : "", v.len), '"');
        case NodeKind::one_of: {
            const auto& members = pack.plan.slots[info.fact].members;
            const auto i = static_cast<std::size_t>(v.num);
            return i < members.size() ? "\"" + members[i] + "\"" : "?";
        }
        case NodeKind::set_of: {
            const auto& members = pack.plan.slots[info.fact].members;
            std::string out = "{";
            for (std::size_t i = 0; i < members.size() && i < 64; ++i) {
                if (!((v.bits >> i) & 1u)) continue;
                if (out.size() > 1) out += ", ";
                out += "\"" + members[i] + "\"";
            }
            return out + "}";
        }
        case NodeKind::other: break;
    }
    return "";
}

std::string source_text(const detail::CompiledPack& pack, std::uint32_t node) {
    const auto& info = pack.plan.info[node];
    if (info.file >= pack.sources.size()) return "?";
    const std::string& text = pack.sources[info.file].text;
    std::string out = text.substr(info.begin, info.end - info.begin);
    // One line per step: fold the expression's own line breaks and indentation.
    std::string folded;
    bool space = false;
    for (const char c : out) {
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            space = true;
            continue;
        }
        if (space && !folded.empty()) folded += ' ';
        space = false;
        folded += c;
    }
    return folded;
}

// `values` are from a pass of a plan with a step for every node (with_every_node).
void walk(const detail::CompiledPack& pack, const compiler::Plan& cone, const eval::CaseValues& values,
          std::uint32_t node, unsigned depth, bool via_let, std::vector<ExplainStep>& steps) {
    if (steps.size() >= max_steps) return;
    const auto& n = pack.plan.nodes[node];
    if (const std::uint32_t list = pack.plan.info[node].list; list != none) {
        // A quantifier's condition for one element (language 2): `and`/`or` of whether the element is
        // in the case's list and the condition. An element the list does not reach is left out; the
        // others are named, with their condition's parts below.
        const std::uint32_t in_list = pack.plan.operands[n.a], condition = pack.plan.operands[n.a + 1];
        const eval::Value there = eval::node_value(values, in_list);
        if (there.known && (n.op == Op::logic_and ? there.num == 0 : there.num != 0)) return;
        const eval::Value v = eval::node_value(values, node);
        steps.push_back({depth, pack.slot_paths[list] + "[" + std::to_string(pack.plan.info[node].element) + "]: " + source_text(pack, node),
                         value_text(pack, node, v, v.num), via_let});
        const auto& c = pack.plan.nodes[condition];
        if (c.op == Op::constant || c.op == Op::fact || c.op == Op::today || c.op == Op::known) return;
        eval::for_each_child(pack.plan, c, [&](std::uint32_t k) {
            if (pack.plan.nodes[k].op != Op::constant) walk(pack, cone, values, k, depth + 1, false, steps);
        });
        return;
    }
    steps.push_back({depth, source_text(pack, node),
                     value_text(pack, node, eval::node_value(values, node), eval::node_upper(cone, values, node)), via_let});
    if (n.op == Op::let_ref) {
        // The let by name (above), then its definition one level deeper.
        walk(pack, cone, values, n.a, depth + 1, true, steps);
        return;
    }
    if (n.op == Op::constant || n.op == Op::fact || n.op == Op::today || n.op == Op::known) return;
    eval::for_each_child(pack.plan, n, [&](std::uint32_t c) {
        // Constants speak for themselves.
        if (pack.plan.nodes[c].op != Op::constant) walk(pack, cone, values, c, depth + 1, false, steps);
    });
}

}  // namespace

namespace detail {

ExplainResult explain(const Pack& pack, std::string_view case_json, std::string_view rule, const EvalOptions& options,
                      ExplainWork& work) {
    ExplainResult out;
    const auto& compiled = detail::compiled(pack);
    std::size_t index = compiled.rules.size();
    for (std::size_t i = 0; i < compiled.rules.size(); ++i) {
        if (compiled.rules[i].name == rule) index = i;
    }
    if (index == compiled.rules.size()) {
        bia::detail::ClosestName closest(rule);
        for (const auto& r : compiled.rules) closest.consider(r.name);
        out.problem = "the pack has no rule named '" + std::string(rule) + "'";
        if (!closest.best().empty()) out.problem += "; did you mean '" + closest.best() + "'?";
        return out;
    }
    eval::BoundCase bound;
    eval::bind_json_text(compiled.plan, case_json,
                         eval::BindOptions{options.strict, compiled.limits.max_json_depth, compiled.limits.max_case_bytes},
                         bound);
    if (!bound.errors.empty()) {
        out.errors = bound.errors;
        return out;
    }
    const Date as_of = options.as_of.value_or(Date::today());
    const auto& rp = compiled.plan.rules[index];
    // The same pass as evaluation, over a plan that keeps the value of every
    // node the rule depends on, and of no other: built once, each pass then
    // costs the rule's cone, not the pack (issue 16: an `or` over 40,000 facts
    // re-ran the whole pack for each value tried, 19 s).
    const compiler::Plan cone = compiler::with_every_node(compiled.plan, rp.root);
    const std::uint64_t pass_steps =
        cone.range_tests.size() + cone.index_tests.size() + cone.bit_tests.size() + cone.steps.size();
    work.cone = pass_steps;
    eval::CaseRun run;
    auto pass = [&](eval::CaseRun& into) {
        eval::run_case(cone, bound, as_of.days(), into);
        ++work.passes;
        work.steps += pass_steps;
        return eval::case_values(cone, into);
    };
    const eval::CaseValues values = pass(run);
    const eval::Value w = eval::node_value(values, rp.root);

    Explanation e;
    e.rule = compiled.rules[index].name;
    e.title = compiled.rules[index].title;
    e.outcome = !w.known ? RuleOutcome::undetermined : (w.num != 0 ? RuleOutcome::fired : RuleOutcome::not_fired);
    walk(compiled, cone, values, rp.root, 0, false, e.steps);

    if (e.outcome == RuleOutcome::undetermined) {
        std::vector<std::uint32_t> missing;
        eval::Scratch walk_scratch;
        eval::missing_facts(cone, values, rp.root, missing, walk_scratch);
        for (std::uint32_t f : missing) e.missing.push_back(compiled.slot_paths[f]);
        // Try each value a bool or `one of` fact can take, on its own, in the
        // case itself (restored after each try), up to explain_max_tries tries.
        eval::CaseRun trial;
        std::size_t tries = 0;
        auto try_value = [&](std::uint32_t f, const eval::Value& value, const std::string& text) {
            if (tries == explain_max_tries) {
                e.search_stopped = true;
                return false;
            }
            ++tries;
            const eval::Value kept = bound.slots[f];
            bound.slots[f] = value;
            const eval::Value r = eval::node_value(pass(trial), rp.root);
            bound.slots[f] = kept;
            if (r.known && r.num != 0) e.would_fire.push_back(compiled.slot_paths[f] + " = " + text);
            return true;
        };
        for (std::uint32_t f : missing) {
            const auto& slot = compiled.plan.slots[f];
            bool more = true;
            if (slot.kind == compiler::SlotKind::boolean) {
                more = try_value(f, eval::Value::boolean(true), "true") && try_value(f, eval::Value::boolean(false), "false");
            } else if (slot.kind == compiler::SlotKind::one_of) {
                for (std::size_t m = 0; more && m < slot.members.size(); ++m) {
                    more = try_value(f, eval::Value::number(static_cast<double>(m)), "\"" + slot.members[m] + "\"");
                }
            }
            if (!more) break;
        }
    }
    out.explanation = std::move(e);
    return out;
}

}  // namespace detail

ExplainResult explain(const Pack& pack, std::string_view case_json, std::string_view rule, const EvalOptions& options) {
    detail::ExplainWork work;
    return detail::explain(pack, case_json, rule, options, work);
}

std::string render_explanation(const Explanation& e) {
    std::ostringstream o;
    o << "Rule " << e.rule << ": " << e.title << "\n";
    switch (e.outcome) {
        case RuleOutcome::fired: o << "Outcome: FIRED - its condition is true.\n"; break;
        case RuleOutcome::not_fired: o << "Outcome: DID NOT FIRE - its condition is false.\n"; break;
        case RuleOutcome::undetermined:
            o << "Outcome: UNDETERMINED - its condition depends on information that is not recorded.\n";
            break;
    }
    o << "\nHow the condition was worked out (each line is part of the line above it):\n";
    for (const auto& s : e.steps) {
        o << std::string(2 + 2 * s.depth, ' ') << s.expression;
        if (!s.value.empty()) o << "  ->  " << s.value;
        if (s.via_let) o << "   (definition of a let)";
        o << "\n";
    }
    if (e.steps.size() >= max_steps) o << "  ... (explanation cut at " << max_steps << " steps)\n";
    if (e.outcome == RuleOutcome::undetermined) {
        o << "\nMissing information that could change the outcome:\n";
        for (const auto& m : e.missing) o << "  - " << m << "\n";
        if (!e.would_fire.empty()) {
            o << "\nThe rule would fire if, on its own:\n";
            for (const auto& w : e.would_fire) o << "  - " << w << "\n";
            if (e.search_stopped) {
                o << "  ... (search stopped after " << explain_max_tries
                  << " values tried, explain's limit: other single values may also make it fire)\n";
            }
        } else if (e.search_stopped) {
            o << "\nNone of the first " << explain_max_tries
              << " values tried makes it fire on its own; the search stopped there (explain's limit).\n";
        } else {
            o << "\nNo single missing yes/no or `one of` fact makes it fire on its own; see the steps above.\n";
        }
    }
    return o.str();
}

}  // namespace bia
