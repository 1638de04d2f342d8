// Lowers a checked program into the flat plan: facts to slots, names to nodes.
#include "compile/compiler.hpp"

#include "compile/steps.hpp"

#include <algorithm>
#include <functional>
#include <string_view>
#include <unordered_map>

namespace bia::compiler {
namespace {

using check::TypeKind;
using syntax::BinaryOp;
using syntax::ExprKind;

class Compiler {
public:
    Compiler(const check::Program& p, Plan& plan) : p_(p), plan_(plan) {}

    void run() {
        slots();
        keys();
        let_nodes_.assign(p_.lets.size(), none);
        for (std::uint32_t i : p_.let_order) let_nodes_[i] = emit(*p_.lets[i].value);
        for (const auto& t : p_.levels) plan_.thresholds.push_back(t.at);
        for (const auto& r : p_.rules) rule(r);
    }

private:
    const check::Program& p_;
    Plan& plan_;
    std::vector<std::uint32_t> let_nodes_;
    // The element each enclosing quantifier's condition is being emitted for.
    std::unordered_map<const syntax::Expr*, std::uint32_t> element_;

    // The slot a fact path names: a declared fact's, or, for `m.field`, the field of the element
    // the quantifier binding `m` is at.
    std::uint32_t slot_of(const syntax::Expr& name) const {
        const auto& ref = p_.references.at(&name);
        if (ref.kind != check::Reference::Kind::field) return ref.index;
        const check::Fact& list = p_.facts[p_.references.at(&ref.quantifier->args[0]).index];
        const auto fields = static_cast<std::uint32_t>(p_.records[static_cast<std::size_t>(list.record)].fields.size());
        return list.first_element + element_.at(ref.quantifier) * fields + ref.index;
    }

    // `any m in L: E` is E for each element the case gives, or'ed: (length > 0 and E0) or
    // (length > 1 and E1) or ...; `all` and's (length <= e or Ee); `count` counts the true ones. So
    // an element past the case's list never matters, and an unrecorded list (length unknown) leaves
    // the answer unknown unless the elements' conditions decide it anyway.
    std::uint32_t quantifier(const syntax::Expr& e) {
        const std::uint32_t slot = p_.references.at(&e.args[0]).index;
        const check::Fact& list = p_.facts[slot];
        Node length;
        length.op = Op::fact;
        length.a = slot;
        const std::uint32_t length_node = push(length);
        describe_node(length_node, e.args[0], check::Type{TypeKind::number, -1});
        const bool all = e.quantifier == syntax::Quantifier::all;
        std::vector<std::uint32_t> ops;
        for (std::uint32_t element = 0; element < list.capacity; ++element) {
            element_[&e] = element;
            const std::uint32_t bound = push_constant(element);
            const std::uint32_t in_list = pair(all ? Op::le : Op::gt, length_node, bound);
            const std::uint32_t condition = emit(e.args[1]);
            const std::uint32_t operands[2] = {in_list, condition};
            const std::uint32_t one = nary(all ? Op::logic_or : Op::logic_and, operands, 2);
            describe_node(one, e.args[1], check::Type{TypeKind::boolean, -1});
            plan_.info[one].list = slot;
            plan_.info[one].element = element;
            ops.push_back(one);
        }
        element_.erase(&e);
        const Op op = all ? Op::logic_and : e.quantifier == syntax::Quantifier::any ? Op::logic_or : Op::count_true;
        return nary(op, ops.data(), static_cast<std::uint32_t>(ops.size()));
    }

    std::uint32_t nary(Op op, const std::uint32_t* ops, std::uint32_t count) {
        Node n;
        n.op = op;
        n.a = static_cast<std::uint32_t>(plan_.operands.size());
        n.b = count;
        plan_.operands.insert(plan_.operands.end(), ops, ops + count);
        return push(n);
    }

    void slots() {
        for (const auto& f : p_.facts) {
            Slot s;
            s.kind = f.kind;
            if (f.kind == lang::FactKind::list) {
                // Its slot holds how many elements the case gives.
                s.kind = lang::FactKind::number;
                s.list = static_cast<std::uint32_t>(plan_.lists.size());
                ListPlan l;
                l.slot = static_cast<std::uint32_t>(plan_.slots.size());
                l.first = f.first_element;
                l.capacity = f.capacity;
                const check::Record& record = p_.records[static_cast<std::size_t>(f.record)];
                l.record = record.name;
                for (std::uint32_t k = 0; k < record.fields.size(); ++k) l.fields.emplace_back(record.fields[k].path, k);
                std::sort(l.fields.begin(), l.fields.end());
                plan_.lists.push_back(std::move(l));
            }
            s.members = f.members;
            s.imprecise = f.imprecise;
            s.never = f.never;
            plan_.imprecise_slots |= f.imprecise;
            plan_.slots.push_back(std::move(s));
        }
    }

    // A fact's key under a parent node, as a view into the fact's path (the
    // program outlives the compiler).
    struct ChildKey {
        std::uint32_t parent;
        std::string_view key;
        bool operator==(const ChildKey&) const = default;
    };
    struct ChildKeyHash {
        std::size_t operator()(const ChildKey& k) const noexcept {
            return std::hash<std::string_view>{}(k.key) * 31 + k.parent;
        }
    };
    // Equality that counts its calls into the plan (Plan::key_comparisons), so
    // that a test can check the growth by counting, not timing.
    struct ChildKeyEqual {
        std::uint64_t* count;
        bool operator()(const ChildKey& x, const ChildKey& y) const noexcept {
            ++*count;
            return x == y;
        }
    };

    void keys() {
        plan_.keys.emplace_back();
        // Looking keys up among siblings one by one made n facts under one object
        // cost n^2/2 comparisons (215k facts: 25 s); a hash per key keeps it linear.
        // Nodes are numbered as they are met and children sorted at the end as before,
        // so the plan is the same.
        std::unordered_map<ChildKey, std::uint32_t, ChildKeyHash, ChildKeyEqual> children_of(
            p_.facts.size() * 2, ChildKeyHash{}, ChildKeyEqual{&plan_.key_comparisons});
        // A list's elements' fields are bound inside the list (Plan::lists), not by path.
        for (std::uint32_t i = 0; i < p_.declared_facts; ++i) {
            const std::string& path = p_.facts[i].path;
            std::uint32_t node = 0;
            std::size_t start = 0;
            while (true) {
                const std::size_t dot = path.find('.', start);
                const std::string_view key =
                    std::string_view(path).substr(start, dot == std::string::npos ? std::string::npos : dot - start);
                auto [it, added] = children_of.try_emplace(ChildKey{node, key}, 0);
                if (added) {
                    it->second = static_cast<std::uint32_t>(plan_.keys.size());
                    plan_.keys[node].children.emplace_back(std::string(key), it->second);
                    KeyNode k;
                    k.path = path.substr(0, dot);
                    plan_.keys.push_back(std::move(k));
                }
                node = it->second;
                if (dot == std::string::npos) break;
                start = dot + 1;
            }
            plan_.keys[node].fact = i;
        }
        for (auto& k : plan_.keys) std::sort(k.children.begin(), k.children.end());
    }

    void rule(const check::Rule& r) {
        RulePlan rp;
        rp.root = r.when ? emit(*r.when) : push_constant(false);
        rp.severity = r.severity.value_or(none);
        rp.domain = r.domain.value_or(none);
        rp.score = r.score;
        for (const auto& a : r.actions) {
            ActionPlan ap;
            ap.text = a.text;
            ap.has_within = a.has_within;
            ap.shift = a.shift;
            ap.amount = a.amount;
            ap.immediate = a.immediate;
            if (a.anchor) ap.anchor = emit(*a.anchor);
            rp.actions.push_back(std::move(ap));
        }
        for (const auto& c : r.cites) rp.cites.push_back(CitePlan{c.source, c.ref});
        plan_.rules.push_back(std::move(rp));
    }

    std::uint32_t push(Node n) {
        plan_.nodes.push_back(n);
        plan_.info.emplace_back();
        return static_cast<std::uint32_t>(plan_.nodes.size() - 1);
    }

    void describe_node(std::uint32_t index, const syntax::Expr& e, check::Type t) {
        NodeInfo& info = plan_.info[index];
        info.file = e.span.file;
        info.begin = e.span.begin;
        info.end = e.span.end;
        switch (t.kind) {
            case TypeKind::boolean: info.kind = NodeKind::boolean; break;
            case TypeKind::number: info.kind = NodeKind::number; break;
            case TypeKind::date: info.kind = NodeKind::date; break;
            case TypeKind::text: case TypeKind::string: info.kind = NodeKind::text; break;
            case TypeKind::one_of: info.kind = NodeKind::one_of; info.fact = static_cast<std::uint32_t>(t.fact); break;
            case TypeKind::set_of: info.kind = NodeKind::set_of; info.fact = static_cast<std::uint32_t>(t.fact); break;
            default: info.kind = NodeKind::other;
        }
    }

    std::uint32_t push_constant(double v) {
        Node n;
        n.op = Op::constant;
        n.num = v;
        return push(n);
    }

    std::uint32_t string_index(const std::string& s) {
        plan_.strings.push_back(s);
        return static_cast<std::uint32_t>(plan_.strings.size() - 1);
    }

    check::Type type_of(const syntax::Expr& e) const {
        auto it = p_.types.find(&e);
        return it == p_.types.end() ? check::Type{} : it->second;
    }

    const std::vector<std::string>& members(check::Type t) const {
        return p_.facts[static_cast<std::size_t>(t.fact)].members;
    }

    static std::int32_t index_in(const std::vector<std::string>& list, const std::string& s) {
        auto it = std::find(list.begin(), list.end(), s);
        return it == list.end() ? -1 : static_cast<std::int32_t>(it - list.begin());
    }

    // Emits a string literal as the value it has against an enum type: its member index.
    std::uint32_t enum_constant(const syntax::Expr& literal, check::Type enum_type) {
        const std::uint32_t index = push_constant(index_in(members(enum_type), literal.text));
        describe_node(index, literal, enum_type);
        return index;
    }

    std::uint32_t emit(const syntax::Expr& e) {
        const std::uint32_t index = emit_node(e);
        describe_node(index, e, type_of(e));
        return index;
    }

    std::uint32_t emit_node(const syntax::Expr& e) {
        switch (e.kind) {
            case ExprKind::boolean: return push_constant(e.boolean ? 1 : 0);
            case ExprKind::number: return push_constant(e.number);
            case ExprKind::date: return push_constant(Date::parse(e.text)->days());
            case ExprKind::string: {
                Node n;
                n.op = Op::constant;
                n.text = true;
                n.a = string_index(e.text);
                return push(n);
            }
            case ExprKind::set: {
                // A set literal standing alone (count({...})): its size is all that matters.
                Node n;
                n.op = Op::constant;
                n.bits = e.members.size() >= 64 ? ~0ull : ((1ull << e.members.size()) - 1);
                return push(n);
            }
            case ExprKind::today: {
                Node n;
                n.op = Op::today;
                return push(n);
            }
            case ExprKind::name: {
                if (p_.never_literals.count(&e) != 0) return push_constant(lang::never_day);
                const auto& ref = p_.references.at(&e);
                Node n;
                if (ref.kind != check::Reference::Kind::let) {
                    n.op = Op::fact;
                    n.a = slot_of(e);
                } else {
                    n.op = Op::let_ref;
                    n.a = let_nodes_[ref.index];
                }
                return push(n);
            }
            case ExprKind::logic_not: return unary(Op::logic_not, e.args[0]);
            case ExprKind::negate: return unary(Op::negate, e.args[0]);
            case ExprKind::logic_and:
            case ExprKind::logic_or: {
                std::vector<std::uint32_t> ops;
                for (const auto& a : e.args) ops.push_back(emit(a));
                return nary(e.kind == ExprKind::logic_and ? Op::logic_and : Op::logic_or, ops.data(),
                            static_cast<std::uint32_t>(ops.size()));
            }
            case ExprKind::quantifier: return quantifier(e);
            case ExprKind::list_literal:
            case ExprKind::record_literal: break;  // only ever a test's given value
            case ExprKind::binary: return binary(e);
            case ExprKind::call: return call(e);
            case ExprKind::duration: break;  // only ever the right operand of `+` or `-` (shift)
            case ExprKind::range: break;     // only ever a test's given value
        }
        return push_constant(0);
    }

    std::uint32_t unary(Op op, const syntax::Expr& operand) {
        const std::uint32_t a = emit(operand);
        Node n;
        n.op = op;
        n.a = a;
        return push(n);
    }

    std::uint32_t pair(Op op, std::uint32_t a, std::uint32_t b) {
        Node n;
        n.op = op;
        n.a = a;
        n.b = b;
        return push(n);
    }

    std::uint32_t binary(const syntax::Expr& e) {
        const auto& l = e.args[0];
        const auto& r = e.args[1];
        const auto lt = type_of(l), rt = type_of(r);
        switch (e.op) {
            case BinaryOp::add:
                if (r.kind == ExprKind::duration) return shift(l, r, 1);
                return pair(Op::add, emit(l), emit(r));
            case BinaryOp::sub:
                if (r.kind == ExprKind::duration) return shift(l, r, -1);
                return pair(Op::sub, emit(l), emit(r));
            case BinaryOp::mul: return pair(Op::mul, emit(l), emit(r));
            case BinaryOp::div: return pair(Op::div, emit(l), emit(r));
            case BinaryOp::lt: return pair(Op::lt, emit(l), emit(r));
            case BinaryOp::le: return pair(Op::le, emit(l), emit(r));
            case BinaryOp::gt: return pair(Op::gt, emit(l), emit(r));
            case BinaryOp::ge: return pair(Op::ge, emit(l), emit(r));
            case BinaryOp::eq:
            case BinaryOp::ne: return equality(e.op == BinaryOp::eq, l, lt, r, rt);
            case BinaryOp::in: return membership(l, lt, r, rt);
        }
        return push_constant(0);
    }

    // `date + N unit` (sign 1) or `date - N unit` (sign -1): one calendar operation on the date.
    std::uint32_t shift(const syntax::Expr& date, const syntax::Expr& duration, double sign) {
        const lang::CalendarUnitRow& unit = lang::row(duration.unit);
        Node n;
        n.op = unit.op;
        n.a = emit(date);
        n.num = sign * duration.number * unit.per_unit;
        return push(n);
    }

    std::uint32_t equality(bool eq, const syntax::Expr& l, check::Type lt, const syntax::Expr& r, check::Type rt) {
        const bool textual_l = lt.kind == TypeKind::text || lt.kind == TypeKind::string;
        const bool textual_r = rt.kind == TypeKind::text || rt.kind == TypeKind::string;
        if (lt.kind == TypeKind::one_of && rt.kind == TypeKind::string) {
            return pair(eq ? Op::eq_num : Op::ne_num, emit(l), enum_constant(r, lt));
        }
        if (rt.kind == TypeKind::one_of && lt.kind == TypeKind::string) {
            return pair(eq ? Op::eq_num : Op::ne_num, enum_constant(l, rt), emit(r));
        }
        if (lt.kind == TypeKind::one_of && rt.kind == TypeKind::one_of) {
            if (members(lt) == members(rt)) return pair(eq ? Op::eq_num : Op::ne_num, emit(l), emit(r));
            // Same members in another order: map the right index to the left's.
            Node n;
            n.op = eq ? Op::eq_enum_map : Op::ne_enum_map;
            n.a = emit(l);
            n.b = emit(r);
            n.c = static_cast<std::uint32_t>(plan_.tables.size());
            for (const auto& m : members(rt)) plan_.tables.push_back(index_in(members(lt), m));
            return push(n);
        }
        if (textual_l && textual_r) return pair(eq ? Op::eq_text : Op::ne_text, emit(l), emit(r));
        return pair(eq ? Op::eq_num : Op::ne_num, emit(l), emit(r));
    }

    std::uint32_t membership(const syntax::Expr& l, check::Type lt, const syntax::Expr& r, check::Type rt) {
        Node n;
        if (rt.kind == TypeKind::string_set) {
            if (lt.kind == TypeKind::one_of) {
                n.op = Op::in_enum_mask;
                n.a = emit(l);
                n.bits = 0;
                for (const auto& m : r.members) {
                    const auto i = index_in(members(lt), m.value);
                    if (i >= 0 && i < 64) n.bits |= 1ull << i;
                    // A `one of` with more than 64 members cannot use a mask; fall back to text.
                    if (i >= 64) return text_list(l, lt, r);
                }
                return push(n);
            }
            return text_list(l, lt, r);
        }
        // Right side is a set fact (or a let holding one).
        if (lt.kind == TypeKind::string) {
            n.op = Op::in_bit;
            n.b = emit(r);
            n.bits = 0;
            const auto i = index_in(members(rt), l.text);
            if (i >= 0) n.bits = 1ull << i;
            return push(n);
        }
        if (lt.kind == TypeKind::one_of) {
            n.op = Op::in_enum_set;
            n.a = emit(l);
            n.b = emit(r);
            n.c = static_cast<std::uint32_t>(plan_.tables.size());
            for (const auto& m : members(lt)) plan_.tables.push_back(index_in(members(rt), m));
            return push(n);
        }
        n.op = Op::in_text_set;
        n.a = emit(l);
        n.b = emit(r);
        n.c = static_cast<std::uint32_t>(rt.fact);
        return push(n);
    }

    std::uint32_t text_list(const syntax::Expr& l, check::Type lt, const syntax::Expr& r) {
        Node n;
        n.op = Op::in_text_list;
        n.a = emit(l);
        n.c = static_cast<std::uint32_t>(plan_.strings.size());
        n.len = static_cast<std::uint32_t>(r.members.size());
        for (const auto& m : r.members) plan_.strings.push_back(m.value);
        // An enum operand compares by member name: the evaluator reads it from the slot's member list.
        n.b = lt.kind == TypeKind::one_of ? static_cast<std::uint32_t>(lt.fact) : none;
        return push(n);
    }

    // A built-in function lowers to its row's operation; the checker has
    // already refused a name that is not a built-in.
    std::uint32_t call(const syntax::Expr& e) {
        const lang::Builtin& fn = *lang::find_builtin(e.text);
        Node n;
        n.op = fn.op;
        if (fn.args[0] == lang::Arg::fact_path) {
            n.a = slot_of(e.args[0]);  // the fact's slot, not a node
            return push(n);
        }
        n.a = emit(e.args[0]);
        if (fn.arity == 2) n.b = emit(e.args[1]);
        return push(n);
    }
};

}  // namespace

void build_plan(const check::Program& program, Plan& plan) {
    Compiler(program, plan).run();
    // Which rules read a presumption: nodes come after their operands (a let reference after its
    // let), so one pass in order marks every node that has one below it.
    std::vector<std::uint8_t> presumes(plan.nodes.size(), 0);
    for (std::uint32_t i = 0; i < plan.nodes.size(); ++i) {
        const Node& n = plan.nodes[i];
        presumes[i] = lang::presumes(n.op);
        for_each_child(plan, n, [&](std::uint32_t c) { presumes[i] |= presumes[c]; });
    }
    for (RulePlan& r : plan.rules) {
        r.presumes = presumes[r.root] != 0;
        plan.presuming_rules |= r.presumes;
    }
    // A count over a list (language 2) is an interval while some element's condition is unknown.
    const bool counts = std::any_of(plan.nodes.begin(), plan.nodes.end(),
                                    [](const Node& n) { return lang::yields_interval(n.op); });
    plan.language2_values = plan.presuming_rules || plan.imprecise_slots || counts || !plan.lists.empty();
    build_steps(plan);
    for (const auto& t : program.tests) {
        TestPlan tp;
        tp.name = t.name;
        tp.as_of_days = t.as_of_days;
        tp.case_file = t.case_file;
        tp.file = t.file;
        for (const auto& g : t.given) tp.given.emplace_back(g.fact, g.json);
        for (const auto& x : t.expects) {
            tp.expects.push_back({static_cast<std::uint8_t>(x.kind), x.target, x.number, x.span.begin});
        }
        tp.line = t.span.begin;
        plan.tests.push_back(std::move(tp));
    }
}

}  // namespace bia::compiler
