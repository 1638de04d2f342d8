// Names and types of expressions, with the built-ins typed from lang/operations.hpp.
#include "check/checker_impl.hpp"

#include "common/suggest.hpp"

namespace bia::check {

Type Checker::record(const Expr& e, Type t) {
    p_.types[&e] = t;
    // Every expression is compiled once, or once for each element of each list a quantifier around it
    // reads (language 2): what the compiled plan will hold.
    expanded_nodes_ += expansion_;
    return t;
}

bool Checker::has_member(Type t, const std::string& m) const {
    const auto& ms = members_of(t);
    return std::find(ms.begin(), ms.end(), m) != ms.end();
}

bool Checker::same_members(Type a, Type b) const {
    auto x = members_of(a), y = members_of(b);
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    return x == y;
}

void Checker::require(const Expr& e, Type t, TypeKind want, const std::string& context) {
    if (bad(t) || t.kind == want) return;
    error("E0301", e.span, context + " must be " + describe(p_, of(want)) + ", but this is " + describe(p_, t));
}

// A string literal meeting a `one of` value must be one of its members.
void Checker::check_member(const Expr& literal, Type enum_type) {
    if (literal.kind == ExprKind::string && !has_member(enum_type, literal.text)) {
        error("E0303", literal.span,
              "\"" + literal.text + "\" is not a value of " + type_owner(p_, enum_type.fact) +
                  ", which is one of " + member_list(members_of(enum_type)));
    }
}

Type Checker::infer(const Expr& e) {
    switch (e.kind) {
        case ExprKind::boolean: return record(e, of(TypeKind::boolean));
        case ExprKind::number: return record(e, of(TypeKind::number));
        case ExprKind::string: return record(e, of(TypeKind::string));
        case ExprKind::today: return record(e, of(TypeKind::date));
        case ExprKind::date:
            if (!Date::parse(e.text)) {
                error("E0306", e.span, e.text + " is not a calendar date");
                return record(e, of(TypeKind::error));
            }
            return record(e, of(TypeKind::date));
        case ExprKind::set: {
            std::set<std::string, std::less<>> seen;
            for (const auto& m : e.members) {
                if (!seen.insert(m.value).second) error("E0310", m.span, "\"" + m.value + "\" is listed twice in this set");
            }
            return record(e, of(TypeKind::string_set));
        }
        case ExprKind::name: return record(e, resolve(e));
        case ExprKind::logic_not: {
            require(e.args[0], infer(e.args[0]), TypeKind::boolean, "the operand of `not`");
            return record(e, of(TypeKind::boolean));
        }
        case ExprKind::negate: {
            require(e.args[0], infer(e.args[0]), TypeKind::number, "the operand of unary `-`");
            return record(e, of(TypeKind::number));
        }
        case ExprKind::logic_and:
        case ExprKind::logic_or: {
            const char* op = e.kind == ExprKind::logic_and ? "`and`" : "`or`";
            for (const auto& a : e.args) require(a, infer(a), TypeKind::boolean, std::string("each operand of ") + op);
            return record(e, of(TypeKind::boolean));
        }
        case ExprKind::binary: return record(e, binary(e));
        case ExprKind::call: return record(e, call(e));
        case ExprKind::duration: break;  // the grammar puts one only after `+` or `-` (Checker::binary)
        case ExprKind::range: break;     // only a test's given value (Checker::given_json)
        case ExprKind::quantifier: return record(e, quantifier(e));
        case ExprKind::list_literal:
        case ExprKind::record_literal: break;  // only a test's given value (Checker::given_json)
    }
    return record(e, of(TypeKind::error));
}

Type Checker::resolve(const Expr& e) {
    if (!scopes_.empty()) {
        if (const auto field = resolve_field(e)) return *field;
    }
    auto it = values_.find(e.text);
    // `never`, language 2's date that is later than every date, unless the pack names something so.
    if (it == values_.end() && e.text == "never") {
        if (!language_has(2, e.span, "`never`")) return of(TypeKind::error);
        p_.never_literals.insert(&e);
        return of(TypeKind::date);
    }
    if (it == values_.end()) {
        error("E0202", e.span, "unknown name " + quote(e.text) + suggestion(e.text));
        return of(TypeKind::error);
    }
    p_.references[&e] = it->second;
    if (it->second.kind == Reference::Kind::let) {
        const auto& l = p_.lets[it->second.index];
        return let_ok_[it->second.index] ? l.type : of(TypeKind::error);
    }
    if (p_.facts[it->second.index].kind == FactKind::list) {
        error("E0214", e.span, quote(e.text) + " is a list; read it with `any m in " + e.text + ": ...`, `all m in " +
                                   e.text + ": ...` or `count(m in " + e.text + " where ...)`, or test known(" +
                                   e.text + ")");
        return of(TypeKind::error);
    }
    return type_of_fact(p_.facts[it->second.index].kind, static_cast<std::int32_t>(it->second.index));
}

// The type of a fact's values; `index`, the fact's, tells one enum or set type from another.
Type Checker::type_of_fact(FactKind kind, std::int32_t index) {
    switch (kind) {
        case FactKind::boolean: return of(TypeKind::boolean);
        case FactKind::number: return of(TypeKind::number);
        case FactKind::text: return of(TypeKind::text);
        case FactKind::date: return of(TypeKind::date);
        case FactKind::one_of: return Type{TypeKind::one_of, index};
        case FactKind::set_of: return Type{TypeKind::set_of, index};
        case FactKind::list: break;  // not a value: quantifiers read it (Checker::quantifier)
    }
    return of(TypeKind::error);
}

// "; did you mean 'x'?" for the closest declared fact or let, if close enough.
std::string Checker::suggestion(const std::string& name) const {
    // Once the diagnostics are full the message is dropped: skip the search over every name,
    // which made n unknown names in a pack of n facts take n^2 time.
    if (sink_.full()) return "";
    detail::ClosestName closest(name);
    for (const auto& [candidate, ref] : values_) {
        (void)ref;
        closest.consider(candidate);
    }
    const std::string& best = closest.best();
    return best.empty() ? std::string(" (not a declared fact or let)") : "; did you mean " + quote(best) + "?";
}

Type Checker::binary(const Expr& e) {
    const Expr& l = e.args[0];
    const Expr& r = e.args[1];
    const Type lt = infer(l);
    const Type rt = infer(r);
    const Span op = e.op_span;
    if (r.kind == ExprKind::duration) return shift(e, l, lt, r);
    switch (e.op) {
        case BinaryOp::add:
        case BinaryOp::sub:
        case BinaryOp::mul:
        case BinaryOp::div:
            require(l, lt, TypeKind::number, "an arithmetic operand");
            require(r, rt, TypeKind::number, "an arithmetic operand");
            return of(TypeKind::number);
        case BinaryOp::lt:
        case BinaryOp::le:
        case BinaryOp::gt:
        case BinaryOp::ge:
            if (bad(lt) || bad(rt)) return of(TypeKind::boolean);
            if (!((is(lt, TypeKind::number) && is(rt, TypeKind::number)) ||
                  (is(lt, TypeKind::date) && is(rt, TypeKind::date)))) {
                error("E0302", op, "`<`, `<=`, `>` and `>=` compare two numbers or two dates, not " +
                                       describe(p_, lt) + " with " + describe(p_, rt));
            }
            return of(TypeKind::boolean);
        case BinaryOp::eq:
        case BinaryOp::ne: check_equality(e, l, lt, r, rt); return of(TypeKind::boolean);
        case BinaryOp::in: check_in(e, l, lt, r, rt); return of(TypeKind::boolean);
    }
    return of(TypeKind::error);
}

// `date + N unit` or `date - N unit`: a date, N a whole number the calendar can hold.
Type Checker::shift(const Expr& e, const Expr& date, Type date_type, const Expr& duration) {
    const lang::CalendarUnitRow& unit = lang::row(duration.unit);
    record(duration, of(TypeKind::number));
    language_has(2, e.op_span, "calendar arithmetic (`date " + std::string(e.op == BinaryOp::add ? "+" : "-") + " N " +
                                   std::string(unit.plural) + "`)");
    if (bad(date_type)) return of(TypeKind::error);
    if (!is(date_type, TypeKind::date)) {
        // A wrong left side is reported once: the result is no date, and not a second error where it is used.
        require(date, date_type, TypeKind::date, "the left side of `" + std::string(e.op == BinaryOp::add ? "+" : "-") +
                                                     " N " + std::string(unit.plural) + "`");
        return of(TypeKind::error);
    }
    if (duration.number != std::floor(duration.number)) {
        error("E0307", duration.span, "a date moves by a whole number of " + std::string(unit.plural) + ", not " +
                                          duration.text);
    } else if (duration.number > unit.max_shift) {
        error("E0502", duration.span, "a date moves by at most " + std::to_string(unit.max_shift) + " " +
                                          std::string(unit.plural) + " (9999 years, the calendar's span)");
    }
    return of(TypeKind::date);
}

void Checker::check_equality(const Expr& e, const Expr& l, Type lt, const Expr& r, Type rt) {
    if (bad(lt) || bad(rt)) return;
    auto textual = [](Type t) { return t.kind == TypeKind::text || t.kind == TypeKind::string; };
    if (is(lt, TypeKind::one_of) && is(rt, TypeKind::string)) return check_member(r, lt);
    if (is(rt, TypeKind::one_of) && is(lt, TypeKind::string)) return check_member(l, rt);
    if (is(lt, TypeKind::one_of) && is(rt, TypeKind::one_of)) {
        if (!same_members(lt, rt)) {
            error("E0302", e.op_span, "cannot compare " + describe(p_, lt) + " with " + describe(p_, rt) +
                                          ": their values differ");
        }
        return;
    }
    if (textual(lt) && textual(rt)) return;
    const bool same = lt.kind == rt.kind &&
                      (lt.kind == TypeKind::boolean || lt.kind == TypeKind::number || lt.kind == TypeKind::date);
    if (!same) {
        std::string hint;
        if (is(lt, TypeKind::set_of) || is(rt, TypeKind::set_of) || is(lt, TypeKind::string_set) ||
            is(rt, TypeKind::string_set)) {
            hint = "; sets are compared only through `in` and `count`";
        }
        error("E0302", e.op_span, "cannot compare " + describe(p_, lt) + " with " + describe(p_, rt) + hint);
    }
}

void Checker::check_in(const Expr& e, const Expr& l, Type lt, const Expr& r, Type rt) {
    if (bad(lt) || bad(rt)) return;
    if (!(is(rt, TypeKind::set_of) || is(rt, TypeKind::string_set))) {
        error("E0302", r.span, "the right side of `in` must be a set fact or a set literal {\"a\", \"b\"}, but this is " +
                                   describe(p_, rt));
        return;
    }
    if (!(is(lt, TypeKind::text) || is(lt, TypeKind::string) || is(lt, TypeKind::one_of))) {
        error("E0302", l.span, "the left side of `in` must be text, a `one of` value or a string, but this is " +
                                   describe(p_, lt));
        return;
    }
    if (is(rt, TypeKind::set_of) && is(lt, TypeKind::string)) check_member(l, rt);
    if (is(rt, TypeKind::string_set) && is(lt, TypeKind::one_of)) {
        for (const auto& m : r.members) {
            if (!has_member(lt, m.value)) {
                error("E0303", m.span, "\"" + m.value + "\" is not a value of " +
                                           type_owner(p_, lt.fact) + ", which is one of " +
                                           member_list(members_of(lt)));
            }
        }
    }
    (void)e;
}

// A call of a built-in function, typed from its row in lang/operations.hpp.
Type Checker::call(const Expr& e) {
    const std::string& fn = e.text;
    const lang::Builtin* builtin = lang::find_builtin(fn);
    if (builtin == nullptr) {  // the grammar reads only the built-ins' names: kept for safety
        error("E0304", e.span, "unknown function " + quote(fn));
        for (const auto& a : e.args) infer(a);
        return of(TypeKind::error);
    }
    const Type fallback = builtin->returns == lang::Returns::boolean  ? of(TypeKind::boolean)
                          : builtin->returns == lang::Returns::number ? of(TypeKind::number)
                                                                      : of(TypeKind::error);
    language_has(builtin->since, e.span, fn + "()");
    const std::size_t arity = builtin->arity;
    if (e.args.size() != arity) {
        error("E0304", e.span, fn + "() takes " + std::to_string(arity) + " argument" + (arity == 1 ? "" : "s") +
                                   " (" + std::string(builtin->signature) + "), but " +
                                   std::to_string(e.args.size()) + " were given");
        for (const auto& a : e.args) infer(a);
        return fallback;
    }
    std::array<Type, 2> types{};
    for (std::size_t i = 0; i < arity; ++i) types[i] = argument(*builtin, i, e.args[i]);
    if (builtin->returns != lang::Returns::like_arguments) return fallback;
    // Number or date arguments, all of one type: the call has that type.
    for (std::size_t i = 0; i < arity; ++i) {
        if (bad(types[i])) return of(TypeKind::error);
    }
    if (arity == 2 && types[0].kind != types[1].kind) {
        error("E0302", e.span, fn + "() compares values of one type, but this gives it " + describe(p_, types[0]) +
                                   " and " + describe(p_, types[1]));
        return of(TypeKind::error);
    }
    return types[0];
}

// Types argument `i` of a call of `fn` and checks it is what the function takes.
Type Checker::argument(const lang::Builtin& fn, std::size_t i, const Expr& a) {
    const std::string name(fn.name);
    switch (fn.args[i]) {
        case lang::Arg::fact_path: {
            if (a.kind != ExprKind::name) {
                error("E0305", a.span, name + "() takes a fact path only");
                infer(a);
                return of(TypeKind::error);
            }
            // known(family.members): whether the case gives the list at all (an empty list is given).
            if (auto list = values_.find(a.text);
                scopes_.empty() && list != values_.end() && list->second.kind == Reference::Kind::fact &&
                p_.facts[list->second.index].kind == FactKind::list) {
                p_.references[&a] = list->second;
                return record(a, of(TypeKind::number));
            }
            const Type t = infer(a);
            if (p_.never_literals.count(&a) != 0) {
                error("E0305", a.span, name + "() takes a fact path only; `never` is a date");
                return of(TypeKind::error);
            }
            auto it = p_.references.find(&a);
            if (!bad(t) && it != p_.references.end() && it->second.kind == Reference::Kind::let) {
                error("E0305", a.span, name + "() takes a fact path only; " + quote(a.text) +
                                           " is a let (test the facts it uses instead)");
            }
            return t;
        }
        case lang::Arg::date: {
            const Type t = infer(a);
            require(a, t, TypeKind::date,
                    std::string(i == 0 ? "the first" : "the second") + " argument of " + name + "()");
            return t;
        }
        case lang::Arg::set: {
            const Type t = infer(a);
            if (!bad(t) && !is(t, TypeKind::set_of) && !is(t, TypeKind::string_set)) {
                error("E0304", a.span, name + "() takes a set, but this is " + describe(p_, t));
            }
            return t;
        }
        case lang::Arg::truth: {
            const Type t = infer(a);
            require(a, t, TypeKind::boolean, "the argument of " + name + "()");
            return t;
        }
        case lang::Arg::ordered: {
            const Type t = infer(a);
            if (bad(t) || is(t, TypeKind::number) || is(t, TypeKind::date)) return t;
            error("E0304", a.span, name + "() takes numbers or dates, but this is " + describe(p_, t));
            return of(TypeKind::error);
        }
    }
    return of(TypeKind::error);
}

}  // namespace bia::check
