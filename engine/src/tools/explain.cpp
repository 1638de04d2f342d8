// Explains why a rule fired, did not fire, or is undetermined for one case.
#include <bia/explain.hpp>

#include "common/source.hpp"
#include "compile/plan.hpp"
#include "compile/steps.hpp"
#include "eval/evaluator.hpp"

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

std::string value_text(const detail::CompiledPack& pack, std::uint32_t node, const eval::Value& v) {
    if (!v.known) return "unknown";
    const auto& info = pack.plan.info[node];
    switch (info.kind) {
        case NodeKind::boolean: return v.num != 0 ? "true" : "false";
        case NodeKind::number: return number_text(v.num);
        case NodeKind::date: return Date::from_days(static_cast<std::int32_t>(v.num)).to_string();
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
void walk(const detail::CompiledPack& pack, const eval::CaseValues& values, std::uint32_t node, unsigned depth,
          bool via_let, std::vector<ExplainStep>& steps) {
    if (steps.size() >= max_steps) return;
    const auto& n = pack.plan.nodes[node];
    steps.push_back({depth, source_text(pack, node), value_text(pack, node, eval::node_value(values, node)), via_let});
    if (n.op == Op::let_ref) {
        // The let by name (above), then its definition one level deeper.
        walk(pack, values, n.a, depth + 1, true, steps);
        return;
    }
    if (n.op == Op::constant || n.op == Op::fact || n.op == Op::today || n.op == Op::known) return;
    eval::for_each_child(pack.plan, n, [&](std::uint32_t c) {
        // Constants speak for themselves.
        if (pack.plan.nodes[c].op != Op::constant) walk(pack, values, c, depth + 1, false, steps);
    });
}

}  // namespace

ExplainResult explain(const Pack& pack, std::string_view case_json, std::string_view rule, const EvalOptions& options) {
    ExplainResult out;
    const auto& compiled = detail::compiled(pack);
    std::size_t index = compiled.rules.size();
    for (std::size_t i = 0; i < compiled.rules.size(); ++i) {
        if (compiled.rules[i].name == rule) index = i;
    }
    if (index == compiled.rules.size()) {
        out.problem = "the pack has no rule named '" + std::string(rule) + "'";
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
    // The same pass as evaluation, over a plan that keeps every node's value to show.
    const compiler::Plan every_node = compiler::with_every_node(compiled.plan);
    eval::CaseRun run;
    eval::run_case(every_node, bound, as_of.days(), run);
    const eval::CaseValues values = eval::case_values(every_node, run);
    const auto& rp = compiled.plan.rules[index];
    const eval::Value w = eval::node_value(values, rp.root);

    Explanation e;
    e.rule = compiled.rules[index].name;
    e.title = compiled.rules[index].title;
    e.outcome = !w.known ? RuleOutcome::undetermined : (w.num != 0 ? RuleOutcome::fired : RuleOutcome::not_fired);
    walk(compiled, values, rp.root, 0, false, e.steps);

    if (e.outcome == RuleOutcome::undetermined) {
        std::vector<std::uint32_t> missing;
        eval::Scratch walk_scratch;
        eval::missing_facts(every_node, values, rp.root, missing, walk_scratch);
        eval::CaseRun trial;
        for (std::uint32_t f : missing) {
            e.missing.push_back(compiled.facts[f].path);
            // Try each value a bool or `one of` fact can take, on its own.
            const auto& slot = compiled.plan.slots[f];
            std::vector<std::pair<eval::Value, std::string>> candidates;
            if (slot.kind == compiler::SlotKind::boolean) {
                candidates = {{eval::Value::boolean(true), "true"}, {eval::Value::boolean(false), "false"}};
            } else if (slot.kind == compiler::SlotKind::one_of) {
                for (std::size_t m = 0; m < slot.members.size(); ++m) {
                    candidates.emplace_back(eval::Value::number(static_cast<double>(m)), "\"" + slot.members[m] + "\"");
                }
            }
            for (const auto& [value, text] : candidates) {
                eval::BoundCase tried = bound;
                tried.slots[f] = value;
                eval::run_case(compiled.plan, tried, as_of.days(), trial);
                const eval::Value r = eval::node_value(eval::case_values(compiled.plan, trial), rp.root);
                if (r.known && r.num != 0) e.would_fire.push_back(compiled.facts[f].path + " = " + text);
            }
        }
    }
    out.explanation = std::move(e);
    return out;
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
        } else {
            o << "\nNo single missing yes/no or `one of` fact makes it fire on its own; see the steps above.\n";
        }
    }
    return o.str();
}

}  // namespace bia
