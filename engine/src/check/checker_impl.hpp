// The checker's state and its parts, shared by the files of check/ that
// implement them: declarations.cpp (pack, levels, sources, facts), lets.cpp
// (let order and cycles), expressions.cpp (names and types of expressions),
// rules.cpp (domains and rules), test_blocks.cpp (the pack's `test`
// declarations and their given values). Not included outside check/.
#pragma once

#include "check/checker.hpp"
#include "lang/operations.hpp"
#include "syntax/grammar.hpp"

#include <bia/date.hpp>
#include <bia/json_text.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace bia::check {

using syntax::BinaryOp;
using syntax::ExprKind;

constexpr std::size_t max_set_members = 64;     // a set value is one 64-bit mask
// A list (language 2) holds at most this many elements when its declaration does not say `up to N`,
// and may say at most max_list_capacity: each element has slots of its own, and each quantifier over
// the list is evaluated for every one of them (docs/language.md, "Lists of records").
constexpr std::uint32_t default_list_capacity = 20;
constexpr std::uint32_t max_list_capacity = 1000;
// The most plan nodes a pack's quantifiers may expand it to (each condition once for each element of
// its list, nested quantifiers multiplying): a few times a large v1 pack, about 40 MB compiled.
constexpr double max_expanded_nodes = 250000;

inline std::string quote(std::string_view s) { return "'" + std::string(s) + "'"; }

inline std::string member_list(const std::vector<std::string>& members) {
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

// Resolves names, checks types and orders lets of one pack; collects every
// problem it finds in the sink.
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

    void declare();
    void check_version(const syntax::StringLit& v);
    void declare_fact(const syntax::FactDecl& d, std::map<std::string, Span, std::less<>>& value_span_of);
    void check_fact_prefixes();
    // A fact (or a record's field) of `type` named `name`, its members checked.
    Fact typed_fact(const syntax::Name& name, const syntax::TypeExpr& type,
                    const std::optional<syntax::StringLit>& description);
    // The members of a `one of` or `set of` type into `f`, with their errors.
    void take_members(Fact& f, const syntax::TypeExpr& type);
    // Records and lists (language 2), once every declaration is read: records may come after the
    // lists of them. Adds the lists' elements' fields as facts after the declared ones.
    void declare_records();
    void declare_lists();
    std::vector<const syntax::RecordDecl*> record_decls_;
    std::vector<std::vector<const syntax::FieldDecl*>> record_fields_;  // by record: its fields' declarations
    std::map<std::string, std::uint32_t, std::less<>> record_index_;
    std::vector<std::pair<std::uint32_t, const syntax::TypeExpr*>> list_decls_;  // (fact, its `list of` type)
    std::map<std::string, std::uint32_t, std::less<>> element_facts_;  // family.members[2].located: its fact
    // Which facts a case may give imprecisely, once the pack's language is known.
    void settle_precision();
    std::vector<std::optional<Span>> exact_;  // by fact: where it was declared `exact`
    std::vector<std::optional<Span>> never_;  // by fact: where it was declared `or never`
    void resolve_levels();
    static std::string fmt(double v);

    // Whether the pack's language has what `since` added; if not, says so at `span`: `what` is the construct.
    bool language_has(std::uint8_t since, Span span, const std::string& what) {
        if (p_.language >= since) return true;
        error("E0312", span, what + " is language " + std::to_string(since) + "; declare `language " +
                                 std::to_string(since) + "` in the pack (a line of its own) to use it");
        return false;
    }

    // ---- lets -----------------------------------------------------------

    void collect_let_refs(const Expr& e, std::vector<std::uint32_t>& out);
    void order_lets();
    void report_cycle(const std::vector<std::pair<std::uint32_t, std::size_t>>& stack, std::uint32_t back_to);
    void check_let(std::uint32_t i);

    // ---- expressions ----------------------------------------------------

    Type record(const Expr& e, Type t);
    static Type of(TypeKind k) { return Type{k, -1}; }
    static Type type_of_fact(FactKind kind, std::int32_t index);
    static bool is(Type t, TypeKind k) { return t.kind == k; }
    static bool bad(Type t) { return t.kind == TypeKind::error; }

    const std::vector<std::string>& members_of(Type t) const { return p_.facts[static_cast<std::size_t>(t.fact)].members; }

    bool has_member(Type t, const std::string& m) const;
    bool same_members(Type a, Type b) const;
    void require(const Expr& e, Type t, TypeKind want, const std::string& context);
    // A string literal meeting a `one of` value must be one of its members.
    void check_member(const Expr& literal, Type enum_type);
    Type infer(const Expr& e);
    Type resolve(const Expr& e);
    // `any`, `all`, `count(... where ...)` (language 2), with its variable in scope for its condition.
    Type quantifier(const Expr& e);
    // `m.field` inside a quantifier binding `m`, or nothing when the name's first segment is no variable.
    std::optional<Type> resolve_field(const Expr& e);
    struct Scope {
        std::string_view variable;
        const Expr* quantifier;
        std::uint32_t list;  // the list fact
    };
    std::vector<Scope> scopes_;
    // The plan's size as the quantifiers make it: each expression counts the product of the capacities
    // of the lists whose quantifiers enclose it (expansion_). Over max_expanded_nodes, the pack is refused.
    double expansion_ = 1, expanded_nodes_ = 0;
    bool expansion_reported_ = false;
    // "; did you mean 'x'?" for the closest declared fact or let, if close enough.
    std::string suggestion(const std::string& name) const;
    Type binary(const Expr& e);
    void check_equality(const Expr& e, const Expr& l, Type lt, const Expr& r, Type rt);
    Type shift(const Expr& e, const Expr& date, Type date_type, const Expr& duration);
    void check_in(const Expr& e, const Expr& l, Type lt, const Expr& r, Type rt);
    // A call of a built-in function, typed from its row in lang/operations.hpp.
    Type call(const Expr& e);
    // Types argument `i` of a call of `fn` and checks it is what the function takes.
    Type argument(const lang::Builtin& fn, std::size_t i, const Expr& a);

    // ---- domains, rules -------------------------------------------------

    std::optional<Citation> citation(const syntax::CiteClause& c);
    void check_domains();
    void check_rules();
    template <typename Once>
    void rule_clause(Rule& r, const syntax::DomainClause& c, Once& once);
    template <typename Once>
    void rule_clause(Rule& r, const syntax::SeverityClause& c, Once& once);
    template <typename Once>
    void rule_clause(Rule& r, const syntax::ScoreClause& c, Once& once);
    template <typename Once>
    void rule_clause(Rule& r, const syntax::WhenClause& c, Once& once);
    template <typename Once>
    void rule_clause(Rule& r, const syntax::ActionClause& c, Once&);
    template <typename Once>
    void rule_clause(Rule& r, const syntax::CiteClause& c, Once&);

    // ---- tests ----------------------------------------------------------

    void check_tests();
    static std::string json_string(const std::string& s);
    // A given value as the JSON a case would hold, or nothing after reporting why not.
    std::optional<std::string> given_json(const Fact& f, const Expr& v);
    Type fact_type(const Fact& f) const;
};

}  // namespace bia::check
