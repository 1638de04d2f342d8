// Resolves names, checks types and orders lets; collects every problem it finds.
#include "check/checker.hpp"

#include "common/suggest.hpp"
#include "lang/operations.hpp"

#include <bia/date.hpp>
#include <bia/json_text.hpp>

#include "syntax/grammar.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

namespace bia::check {
namespace {

using syntax::BinaryOp;
using syntax::ExprKind;

constexpr std::size_t max_set_members = 64;     // a set value is one 64-bit mask
constexpr double max_interval_days = 36525;     // 100 years

std::string quote(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string member_list(const std::vector<std::string>& members) {
    std::string out = "{";
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (i) out += ", ";
        if (i == 8) {
            out += "...";
            break;
        }
        out += "\"" + members[i] + "\"";
    }
    return out + "}";
}

class Checker {
public:
    Checker(const std::vector<syntax::File>& files, const std::vector<detail::SourceText>& sources,
            detail::DiagnosticSink& sink, bool parsed_fully)
        : files_(files), sources_(sources), sink_(sink), parsed_fully_(parsed_fully) {}

    Program run() {
        declare();
        resolve_levels();
        order_lets();
        for (std::uint32_t i : p_.let_order) check_let(i);
        check_domains();
        check_rules();
        check_tests();
        return std::move(p_);
    }

private:
    const std::vector<syntax::File>& files_;
    const std::vector<detail::SourceText>& sources_;
    detail::DiagnosticSink& sink_;
    bool parsed_fully_;
    Program p_;

    std::map<std::string, Reference, std::less<>> values_;  // facts and lets
    std::map<std::string, std::uint32_t, std::less<>> level_index_, source_index_, domain_index_, rule_index_;
    std::vector<const syntax::LetDecl*> let_decls_;
    std::vector<const syntax::DomainDecl*> domain_decls_;
    std::vector<const syntax::RuleDecl*> rule_decls_;
    std::vector<std::pair<const syntax::TestDecl*, std::uint32_t>> test_decls_;
    std::vector<bool> let_ok_;

    void error(const char* code, Span span, std::string message) { sink_.error(code, span, std::move(message)); }

    std::string where(Span span) const {
        if (span.file >= sources_.size()) return "";
        const auto lc = sources_[span.file].locate(span.begin);
        std::string out = "line " + std::to_string(lc.line);
        if (span.file != 0 || sources_.size() > 1) out += " of " + sources_[span.file].name();
        return out;
    }

    bool check_name(const syntax::Name& n, const char* what) {
        const std::string_view first = std::string_view(n.text).substr(0, n.text.find('.'));
        if (syntax::is_keyword(first)) {
            error("E0203", n.span, quote(first) + " is a reserved word and cannot be used as a " + what + " name");
            return false;
        }
        return true;
    }

    template <typename Map>
    bool claim(Map& map, const syntax::Name& n, std::uint32_t index, const char* what,
               const std::vector<Span>& spans) {
        auto [it, inserted] = map.emplace(n.text, index);
        if (!inserted) {
            error("E0201", n.span,
                  std::string(what) + " " + quote(n.text) + " is already declared at " + where(spans[it->second]));
            return false;
        }
        return true;
    }

    // ---- declarations ---------------------------------------------------

    void declare() {
        const syntax::PackDecl* pack = nullptr;
        std::vector<Span> level_spans, source_spans, domain_spans, rule_spans;
        std::map<std::string, Span, std::less<>> value_span_of;

        for (const auto& file : files_) {
            for (const auto& item : file.items) {
                if (const auto* d = std::get_if<syntax::PackDecl>(&item)) {
                    if (pack) {
                        error("E0205", d->span, "the pack is already declared at " + where(pack->span) +
                                                    "; a pack has exactly one `pack` declaration");
                        continue;
                    }
                    pack = d;
                    check_name(d->name, "pack");
                    p_.name = d->name.text;
                    p_.version = d->version.value;
                    p_.title = d->title.value;
                    check_version(d->version);
                } else if (const auto* d = std::get_if<syntax::SourceDecl>(&item)) {
                    if (!check_name(d->id, "source")) continue;
                    source_spans.push_back(d->id.span);
                    if (claim(source_index_, d->id, static_cast<std::uint32_t>(p_.sources.size()), "source", source_spans)) {
                        p_.sources.push_back({d->id.text, d->title.value});
                    } else {
                        source_spans.pop_back();
                    }
                } else if (const auto* d = std::get_if<syntax::FactDecl>(&item)) {
                    declare_fact(*d, value_span_of);
                } else if (const auto* d = std::get_if<syntax::LetDecl>(&item)) {
                    if (!check_name(d->name, "let")) continue;
                    if (auto it = value_span_of.find(d->name.text); it != value_span_of.end()) {
                        error("E0201", d->name.span, quote(d->name.text) + " is already declared at " + where(it->second) +
                                                         " (facts and lets share one name space)");
                        continue;
                    }
                    value_span_of.emplace(d->name.text, d->name.span);
                    values_.emplace(d->name.text, Reference{Reference::Kind::let, static_cast<std::uint32_t>(p_.lets.size())});
                    p_.lets.push_back({d->name.text, &d->value, Type{}, d->span});
                    let_decls_.push_back(d);
                } else if (const auto* d = std::get_if<syntax::LevelDecl>(&item)) {
                    if (!check_name(d->name, "level")) continue;
                    level_spans.push_back(d->name.span);
                    if (claim(level_index_, d->name, static_cast<std::uint32_t>(p_.levels.size()), "level", level_spans)) {
                        Level l{d->name.text, std::nullopt, d->span};
                        if (d->at) l.at = d->at->value;
                        p_.levels.push_back(std::move(l));
                    } else {
                        level_spans.pop_back();
                    }
                } else if (const auto* d = std::get_if<syntax::DomainDecl>(&item)) {
                    if (!check_name(d->name, "domain")) continue;
                    domain_spans.push_back(d->name.span);
                    if (claim(domain_index_, d->name, static_cast<std::uint32_t>(p_.domains.size()), "domain", domain_spans)) {
                        p_.domains.push_back({d->name.text, d->title.value, {}});
                        domain_decls_.push_back(d);
                    } else {
                        domain_spans.pop_back();
                    }
                } else if (const auto* d = std::get_if<syntax::RuleDecl>(&item)) {
                    if (!check_name(d->name, "rule")) continue;
                    rule_spans.push_back(d->name.span);
                    if (claim(rule_index_, d->name, static_cast<std::uint32_t>(rule_decls_.size()), "rule", rule_spans)) {
                        rule_decls_.push_back(d);
                    } else {
                        rule_spans.pop_back();
                    }
                } else if (const auto* d = std::get_if<syntax::TestDecl>(&item)) {
                    test_decls_.emplace_back(d, file.index);
                }
            }
        }
        if (!pack && parsed_fully_) {
            error("E0205", Span{0, 0, 0},
                  "the pack has no `pack` declaration; start it with: pack NAME version \"1.0.0\" \"title\"");
        }
        check_fact_prefixes();
    }

    void check_version(const syntax::StringLit& v) {
        // Semantic version: MAJOR.MINOR.PATCH, optionally -prerelease.
        const std::string& s = v.value;
        int parts = 0;
        std::size_t i = 0;
        bool ok = true;
        while (ok && parts < 3) {
            const std::size_t start = i;
            while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
            if (i == start || (i - start > 1 && s[start] == '0')) ok = false;
            ++parts;
            if (parts < 3) {
                if (i < s.size() && s[i] == '.') ++i;
                else ok = false;
            }
        }
        if (ok && i < s.size() && s[i] != '-' && s[i] != '+') ok = false;
        if (!ok) error("E0308", v.span, "the pack version must be a semantic version such as \"1.0.0\"");
    }

    void declare_fact(const syntax::FactDecl& d, std::map<std::string, Span, std::less<>>& value_span_of) {
        if (!check_name(d.path, "fact")) return;
        if (auto it = value_span_of.find(d.path.text); it != value_span_of.end()) {
            error("E0201", d.path.span, "fact " + quote(d.path.text) + " is already declared at " + where(it->second));
            return;
        }
        Fact f;
        f.path = d.path.text;
        f.kind = d.type.kind;
        f.span = d.path.span;
        if (d.description) f.description = d.description->value;
        if (d.type.kind == FactKind::one_of || d.type.kind == FactKind::set_of) {
            if (d.type.members.empty()) {
                error("E0211", d.type.span, "a `one of` or `set of` type needs at least one member");
            }
            std::set<std::string, std::less<>> seen;
            for (const auto& m : d.type.members) {
                if (!seen.insert(m.value).second) {
                    error("E0211", m.span, "\"" + m.value + "\" is listed twice in this type");
                    continue;
                }
                f.members.push_back(m.value);
            }
            if (d.type.kind == FactKind::set_of && f.members.size() > max_set_members) {
                error("E0502", d.type.span,
                      "a `set of` type may have at most " + std::to_string(max_set_members) + " members; this one has " +
                          std::to_string(f.members.size()));
            }
            if (d.type.kind == FactKind::one_of && f.members.size() > 65535) {
                error("E0502", d.type.span, "a `one of` type may have at most 65535 members");
            }
        }
        value_span_of.emplace(f.path, f.span);
        values_.emplace(f.path, Reference{Reference::Kind::fact, static_cast<std::uint32_t>(p_.facts.size())});
        p_.facts.push_back(std::move(f));
    }

    void check_fact_prefixes() {
        // `a` and `a.b` cannot both be facts: a JSON value cannot be both.
        std::vector<std::uint32_t> order(p_.facts.size());
        for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](auto a, auto b) { return p_.facts[a].path < p_.facts[b].path; });
        for (std::size_t k = 0; k + 1 < order.size(); ++k) {
            const auto& a = p_.facts[order[k]];
            for (std::size_t j = k + 1; j < order.size(); ++j) {
                const auto& b = p_.facts[order[j]];
                if (b.path.size() <= a.path.size() || b.path.compare(0, a.path.size(), a.path) != 0) break;
                if (b.path[a.path.size()] != '.') continue;
                const auto& later = order[k] > order[j] ? a : b;
                const auto& earlier = order[k] > order[j] ? b : a;
                error("E0204", later.span,
                      "fact " + quote(later.path) + " clashes with fact " + quote(earlier.path) + " at " +
                          where(earlier.span) + ": a fact path cannot be a prefix of another");
            }
        }
    }

    void resolve_levels() {
        if (p_.levels.empty() && parsed_fully_ && !sink_.full()) {
            error("E0208", Span{0, 0, 0}, "the pack declares no level; declare at least one, lowest first: level low");
        }
        std::optional<double> last;
        for (const auto& l : p_.levels) {
            if (!l.at) continue;
            if (last && *l.at <= *last) {
                error("E0209", l.span,
                      "level " + quote(l.name) + " has threshold " + fmt(*l.at) +
                          ", which does not rise above the previous threshold " + fmt(*last) +
                          "; levels are declared lowest first");
            }
            last = l.at;
        }
    }

    static std::string fmt(double v) {
        std::ostringstream o;
        o << v;
        return o.str();
    }

    // ---- lets -----------------------------------------------------------

    void collect_let_refs(const Expr& e, std::vector<std::uint32_t>& out) {
        if (e.kind == ExprKind::name) {
            auto it = values_.find(e.text);
            if (it != values_.end() && it->second.kind == Reference::Kind::let) out.push_back(it->second.index);
        }
        for (const auto& a : e.args) collect_let_refs(a, out);
    }

    void order_lets() {
        const std::size_t n = p_.lets.size();
        std::vector<std::vector<std::uint32_t>> deps(n);
        for (std::uint32_t i = 0; i < n; ++i) collect_let_refs(*p_.lets[i].value, deps[i]);
        let_ok_.assign(n, true);
        // Iterative depth-first search: a chain of thousands of lets must not overflow the stack.
        enum : std::uint8_t { white, grey, black };
        std::vector<std::uint8_t> colour(n, white);
        for (std::uint32_t root = 0; root < n; ++root) {
            if (colour[root] != white) continue;
            std::vector<std::pair<std::uint32_t, std::size_t>> stack{{root, 0}};
            colour[root] = grey;
            while (!stack.empty()) {
                auto& [node, next] = stack.back();
                if (next < deps[node].size()) {
                    const std::uint32_t dep = deps[node][next++];
                    if (colour[dep] == white) {
                        colour[dep] = grey;
                        stack.emplace_back(dep, 0);
                    } else if (colour[dep] == grey) {
                        report_cycle(stack, dep);
                    }
                    continue;
                }
                colour[node] = black;
                p_.let_order.push_back(node);
                stack.pop_back();
            }
        }
    }

    void report_cycle(const std::vector<std::pair<std::uint32_t, std::size_t>>& stack, std::uint32_t back_to) {
        std::size_t start = 0;
        while (stack[start].first != back_to) ++start;
        std::string chain;
        for (std::size_t k = start; k < stack.size(); ++k) {
            chain += p_.lets[stack[k].first].name + " -> ";
            let_ok_[stack[k].first] = false;
        }
        chain += p_.lets[back_to].name;
        error("E0207", let_decls_[back_to]->name.span, "let " + quote(p_.lets[back_to].name) + " depends on itself: " + chain);
    }

    void check_let(std::uint32_t i) {
        Type t = infer(*p_.lets[i].value);
        if (!let_ok_[i]) t = Type{};
        p_.lets[i].type = t;
    }

    // ---- expressions ----------------------------------------------------

    Type record(const Expr& e, Type t) {
        p_.types[&e] = t;
        return t;
    }

    static Type of(TypeKind k) { return Type{k, -1}; }
    static bool is(Type t, TypeKind k) { return t.kind == k; }
    static bool bad(Type t) { return t.kind == TypeKind::error; }

    const std::vector<std::string>& members_of(Type t) const { return p_.facts[static_cast<std::size_t>(t.fact)].members; }

    bool has_member(Type t, const std::string& m) const {
        const auto& ms = members_of(t);
        return std::find(ms.begin(), ms.end(), m) != ms.end();
    }

    bool same_members(Type a, Type b) const {
        auto x = members_of(a), y = members_of(b);
        std::sort(x.begin(), x.end());
        std::sort(y.begin(), y.end());
        return x == y;
    }

    void require(const Expr& e, Type t, TypeKind want, const std::string& context) {
        if (bad(t) || t.kind == want) return;
        error("E0301", e.span, context + " must be " + describe(p_, of(want)) + ", but this is " + describe(p_, t));
    }

    // A string literal meeting a `one of` value must be one of its members.
    void check_member(const Expr& literal, Type enum_type) {
        if (literal.kind == ExprKind::string && !has_member(enum_type, literal.text)) {
            error("E0303", literal.span,
                  "\"" + literal.text + "\" is not a value of " + p_.facts[static_cast<std::size_t>(enum_type.fact)].path +
                      ", which is one of " + member_list(members_of(enum_type)));
        }
    }

    Type infer(const Expr& e) {
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
        }
        return record(e, of(TypeKind::error));
    }

    Type resolve(const Expr& e) {
        auto it = values_.find(e.text);
        if (it == values_.end()) {
            error("E0202", e.span, "unknown name " + quote(e.text) + suggestion(e.text));
            return of(TypeKind::error);
        }
        p_.references[&e] = it->second;
        if (it->second.kind == Reference::Kind::let) {
            const auto& l = p_.lets[it->second.index];
            return let_ok_[it->second.index] ? l.type : of(TypeKind::error);
        }
        const auto& f = p_.facts[it->second.index];
        const auto idx = static_cast<std::int32_t>(it->second.index);
        switch (f.kind) {
            case FactKind::boolean: return of(TypeKind::boolean);
            case FactKind::number: return of(TypeKind::number);
            case FactKind::text: return of(TypeKind::text);
            case FactKind::date: return of(TypeKind::date);
            case FactKind::one_of: return Type{TypeKind::one_of, idx};
            case FactKind::set_of: return Type{TypeKind::set_of, idx};
        }
        return of(TypeKind::error);
    }

    // "; did you mean 'x'?" for the closest declared fact or let, if close enough.
    std::string suggestion(const std::string& name) const {
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

    Type binary(const Expr& e) {
        const Expr& l = e.args[0];
        const Expr& r = e.args[1];
        const Type lt = infer(l);
        const Type rt = infer(r);
        const Span op = e.op_span;
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

    void check_equality(const Expr& e, const Expr& l, Type lt, const Expr& r, Type rt) {
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

    void check_in(const Expr& e, const Expr& l, Type lt, const Expr& r, Type rt) {
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
                                               p_.facts[static_cast<std::size_t>(lt.fact)].path + ", which is one of " +
                                               member_list(members_of(lt)));
                }
            }
        }
        (void)e;
    }

    // A call of a built-in function, typed from its row in lang/operations.hpp.
    Type call(const Expr& e) {
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
    Type argument(const lang::Builtin& fn, std::size_t i, const Expr& a) {
        const std::string name(fn.name);
        switch (fn.args[i]) {
            case lang::Arg::fact_path: {
                if (a.kind != ExprKind::name) {
                    error("E0305", a.span, name + "() takes a fact path only");
                    infer(a);
                    return of(TypeKind::error);
                }
                const Type t = infer(a);
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
            case lang::Arg::ordered: {
                const Type t = infer(a);
                if (bad(t) || is(t, TypeKind::number) || is(t, TypeKind::date)) return t;
                error("E0304", a.span, name + "() takes numbers or dates, but this is " + describe(p_, t));
                return of(TypeKind::error);
            }
        }
        return of(TypeKind::error);
    }

    // ---- domains, rules -------------------------------------------------

    std::optional<Citation> citation(const syntax::CiteClause& c) {
        auto it = source_index_.find(c.source.text);
        if (it == source_index_.end()) {
            error("E0206", c.source.span, "unknown source " + quote(c.source.text) + "; declare it with: source " +
                                              c.source.text + " \"title\"");
            return std::nullopt;
        }
        Citation out{it->second, std::nullopt};
        if (c.ref) out.ref = c.ref->value;
        return out;
    }

    void check_domains() {
        for (std::size_t i = 0; i < domain_decls_.size(); ++i) {
            for (const auto& c : domain_decls_[i]->cites) {
                if (auto cite = citation(c)) p_.domains[i].cites.push_back(*cite);
            }
        }
    }

    void check_rules() {
        for (const auto* d : rule_decls_) {
            Rule r;
            r.name = d->name.text;
            r.title = d->title.value;
            r.span = d->span;
            std::map<std::string, Span> seen;
            auto once = [&](const char* clause, Span span) {
                auto [it, inserted] = seen.emplace(clause, span);
                if (!inserted) {
                    error("E0210", span, std::string("rule ") + quote(r.name) + " has a second `" + clause +
                                             "` clause; the first is at " + where(it->second));
                }
                return inserted;
            };
            for (const auto& clause : d->clauses) {
                std::visit([&](const auto& c) { rule_clause(r, c, once); }, clause);
            }
            if (!r.when) {
                error("E0210", d->name.span, "rule " + quote(r.name) + " has no `when` clause; every rule needs one");
            }
            p_.rules.push_back(std::move(r));
        }
    }

    template <typename Once>
    void rule_clause(Rule& r, const syntax::DomainClause& c, Once& once) {
        if (!once("domain", c.span)) return;
        auto it = domain_index_.find(c.domain.text);
        if (it == domain_index_.end()) {
            error("E0206", c.domain.span, "unknown domain " + quote(c.domain.text) +
                                              "; declare it with: domain " + c.domain.text + " \"title\"");
            return;
        }
        r.domain = it->second;
    }
    template <typename Once>
    void rule_clause(Rule& r, const syntax::SeverityClause& c, Once& once) {
        if (!once("severity", c.span)) return;
        auto it = level_index_.find(c.level.text);
        if (it == level_index_.end()) {
            std::string known;
            for (const auto& l : p_.levels) known += (known.empty() ? "" : ", ") + l.name;
            error("E0206", c.level.span, "unknown level " + quote(c.level.text) + "; the levels are: " + known);
            return;
        }
        r.severity = it->second;
    }
    template <typename Once>
    void rule_clause(Rule& r, const syntax::ScoreClause& c, Once& once) {
        if (!once("score", c.span)) return;
        r.score = c.score.value;
    }
    template <typename Once>
    void rule_clause(Rule& r, const syntax::WhenClause& c, Once& once) {
        if (!once("when", c.span)) return;
        r.when = &c.condition;
        require(c.condition, infer(c.condition), TypeKind::boolean, "the `when` condition");
    }
    template <typename Once>
    void rule_clause(Rule& r, const syntax::ActionClause& c, Once&) {
        Action a;
        a.text = c.text.value;
        if (c.within) {
            const auto& w = *c.within;
            const double amount = w.amount.value;
            const double days = amount * (w.unit == syntax::IntervalUnit::weeks ? 7 : 1);
            if (amount != std::floor(amount)) {
                error("E0307", w.amount.span, "`within` takes a whole number of days or weeks, not " + w.amount.text);
            } else if (days > max_interval_days) {
                error("E0502", w.amount.span, "a time frame may be at most 36525 days (100 years)");
            }
            a.has_within = true;
            a.days = static_cast<std::int32_t>(std::min(days, max_interval_days));
            if (w.anchor) {
                a.anchor = &*w.anchor;
                require(*w.anchor, infer(*w.anchor), TypeKind::date, "the anchor after `of`");
            }
        }
        r.actions.push_back(std::move(a));
    }
    template <typename Once>
    void rule_clause(Rule& r, const syntax::CiteClause& c, Once&) {
        if (auto cite = citation(c)) r.cites.push_back(*cite);
    }

    // ---- tests ----------------------------------------------------------

    void check_tests() {
        for (const auto& [d, file] : test_decls_) {
            Test t;
            t.name = d->name.value;
            t.file = file;
            t.span = d->span;
            if (d->as_of) {
                if (auto date = Date::parse(d->as_of->text)) t.as_of_days = date->days();
                else error("E0306", d->as_of->span, d->as_of->text + " is not a calendar date");
            }
            if (d->case_file) t.case_file = d->case_file->value;
            std::set<std::uint32_t> given_seen;
            for (const auto& g : d->given) {
                auto it = values_.find(g.path.text);
                if (it == values_.end() || it->second.kind != Reference::Kind::fact) {
                    error("E0309", g.path.span, "unknown fact " + quote(g.path.text) + " in `given`" + suggestion(g.path.text));
                    continue;
                }
                if (!given_seen.insert(it->second.index).second) {
                    error("E0309", g.path.span, "fact " + quote(g.path.text) + " is given twice in this test");
                    continue;
                }
                if (auto json = given_json(p_.facts[it->second.index], g.value)) {
                    t.given.push_back({it->second.index, *json});
                }
            }
            for (const auto& x : d->expects) {
                Expectation e;
                e.kind = x.kind;
                e.span = x.span;
                using K = syntax::ExpectKind;
                switch (x.kind) {
                    case K::level:
                    case K::possible_level: {
                        auto it = level_index_.find(x.name.text);
                        if (it == level_index_.end()) {
                            error("E0309", x.name.span, "unknown level " + quote(x.name.text));
                            continue;
                        }
                        e.target = it->second;
                        break;
                    }
                    case K::score:
                    case K::possible_score: e.number = x.number.value; break;
                    case K::fired:
                    case K::not_fired:
                    case K::undetermined:
                    case K::not_undetermined: {
                        auto it = rule_index_.find(x.name.text);
                        if (it == rule_index_.end()) {
                            error("E0309", x.name.span, "unknown rule " + quote(x.name.text));
                            continue;
                        }
                        e.target = it->second;
                        break;
                    }
                    case K::missing:
                    case K::not_missing: {
                        auto it = values_.find(x.name.text);
                        if (it == values_.end() || it->second.kind != Reference::Kind::fact) {
                            error("E0309", x.name.span, "unknown fact " + quote(x.name.text) + suggestion(x.name.text));
                            continue;
                        }
                        e.target = it->second.index;
                        break;
                    }
                }
                t.expects.push_back(e);
            }
            if (d->expects.empty()) {
                error("E0309", d->name.span, "test \"" + t.name + "\" expects nothing; add at least one `expect` line");
            }
            p_.tests.push_back(std::move(t));
        }
    }

    static std::string json_string(const std::string& s) {
        std::string out;
        append_json_string(out, s);
        return out;
    }

    // A given value as the JSON a case would hold, or nothing after reporting why not.
    std::optional<std::string> given_json(const Fact& f, const Expr& v) {
        auto wrong = [&](const char* expected) {
            error("E0309", v.span, "fact " + quote(f.path) + " is " + describe(p_, fact_type(f)) + "; give it " + expected);
            return std::nullopt;
        };
        switch (f.kind) {
            case FactKind::boolean:
                if (v.kind != ExprKind::boolean) return wrong("true or false");
                return std::string(v.boolean ? "true" : "false");
            case FactKind::number:
                if (v.kind == ExprKind::number) return v.text;
                if (v.kind == ExprKind::negate && v.args[0].kind == ExprKind::number) return "-" + v.args[0].text;
                return wrong("a number");
            case FactKind::text:
                if (v.kind != ExprKind::string) return wrong("a string");
                return json_string(v.text);
            case FactKind::date:
                if (v.kind != ExprKind::date) return wrong("a date such as 2026-03-01");
                if (!Date::parse(v.text)) {
                    error("E0306", v.span, v.text + " is not a calendar date");
                    return std::nullopt;
                }
                return json_string(v.text);
            case FactKind::one_of:
                if (v.kind != ExprKind::string) return wrong("one of its values as a string");
                if (std::find(f.members.begin(), f.members.end(), v.text) == f.members.end()) {
                    error("E0303", v.span, "\"" + v.text + "\" is not a value of " + f.path + ", which is one of " +
                                               member_list(f.members));
                    return std::nullopt;
                }
                return json_string(v.text);
            case FactKind::set_of: {
                if (v.kind != ExprKind::set) return wrong("a set such as {\"a\", \"b\"}");
                std::string out = "[";
                for (const auto& m : v.members) {
                    if (std::find(f.members.begin(), f.members.end(), m.value) == f.members.end()) {
                        error("E0303", m.span, "\"" + m.value + "\" is not a member of " + f.path + "'s type " +
                                                   member_list(f.members));
                        return std::nullopt;
                    }
                    if (out.size() > 1) out += ",";
                    out += json_string(m.value);
                }
                return out + "]";
            }
        }
        return std::nullopt;
    }

    Type fact_type(const Fact& f) const {
        auto it = values_.find(f.path);
        const auto idx = it == values_.end() ? -1 : static_cast<std::int32_t>(it->second.index);
        switch (f.kind) {
            case FactKind::boolean: return of(TypeKind::boolean);
            case FactKind::number: return of(TypeKind::number);
            case FactKind::text: return of(TypeKind::text);
            case FactKind::date: return of(TypeKind::date);
            case FactKind::one_of: return Type{TypeKind::one_of, idx};
            case FactKind::set_of: return Type{TypeKind::set_of, idx};
        }
        return of(TypeKind::error);
    }
};

}  // namespace

std::string describe(const Program& program, Type type) {
    switch (type.kind) {
        case TypeKind::boolean: return "bool";
        case TypeKind::number: return "number";
        case TypeKind::text: return "text";
        case TypeKind::date: return "date";
        case TypeKind::string: return "a string";
        case TypeKind::string_set: return "a set literal";
        case TypeKind::error: return "an erroneous expression";
        case TypeKind::one_of:
        case TypeKind::set_of: {
            const auto& f = program.facts[static_cast<std::size_t>(type.fact)];
            return std::string(type.kind == TypeKind::one_of ? "one of " : "set of ") + member_list(f.members) + " (" +
                   f.path + ")";
        }
    }
    return "?";
}

Program check_pack(const std::vector<syntax::File>& files, const std::vector<detail::SourceText>& sources,
                   detail::DiagnosticSink& sink, bool parsed_fully) {
    return Checker(files, sources, sink, parsed_fully).run();
}

}  // namespace bia::check
