// The pack's abstract syntax tree: plain data with exact source spans, no parser types.
#pragma once

#include "lang/kinds.hpp"
#include "lang/operations.hpp"

#include "common/source.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace bia::syntax {

using detail::Span;

struct Name {
    std::string text;
    Span span;
};

struct StringLit {
    std::string value;  // escapes resolved
    Span span;
};

struct NumberLit {
    double value = 0;
    std::string text;   // as written, for messages and a future formatter
    Span span;
};

struct DateLit {
    std::string text;   // "YYYY-MM-DD" as written; validated by the checker
    Span span;
};

enum class ExprKind : std::uint8_t {
    boolean, number, string, date, set, today,
    name,       // a fact path or a let name; resolved by the checker
    logic_not, negate,
    logic_and, logic_or,  // n-ary, so long chains stay shallow
    binary,
    call,
    duration,   // `N years|months|weeks|days` after `+` or `-` (language 2): `number` and `unit`
    range,      // `16 to 18`, a number range: only as a test's given value (language 2); args are the bounds
    // `any m in L: E`, `all m in L: E`, `count(m in L where E)` (language 2): `quantifier` says which,
    // `text` is the variable, args[0] the list (a name), args[1] the condition.
    quantifier,
    // `[{relation: "sibling", located: false}, ...]`: a list fact's value, only as a test's given
    // value (language 2). args are the records: each a record_literal whose `members` are the field
    // names and whose args are the fields' values.
    list_literal, record_literal,
};

enum class Quantifier : std::uint8_t { any, all, count };

enum class BinaryOp : std::uint8_t { eq, ne, lt, le, gt, ge, in, add, sub, mul, div };

// The units of a time frame and of calendar arithmetic, with what each means (lang/operations.hpp).
using IntervalUnit = lang::CalendarUnit;

struct Expr {
    ExprKind kind = ExprKind::boolean;
    BinaryOp op = BinaryOp::eq;
    Span span;          // the whole expression
    Span op_span;       // the operator or function name
    bool boolean = false;
    double number = 0;
    std::string text;   // string value, date text, name (dotted path) or function name
    std::vector<StringLit> members;  // set literal
    std::vector<Expr> args;          // operands or call arguments
    std::uint32_t depth = 1;         // nesting depth of this subtree
    IntervalUnit unit = IntervalUnit::days;  // of a duration
    Quantifier quantifier = Quantifier::any;  // of a quantifier
};

using lang::FactKind;  // one enumeration of fact kinds for every stage (lang/kinds.hpp)

struct TypeExpr {
    FactKind kind = FactKind::boolean;
    std::optional<Span> exact;  // `exact number`, `exact date` (language 2): the case must give one value
    std::optional<Span> never;  // `date or never` (language 2): the case may say "never"
    std::vector<StringLit> members;
    std::optional<Name> record;          // `list of RECORD` (language 2): kind is list
    std::optional<NumberLit> capacity;   // `list of RECORD up to N`
    Span span;
};

struct PackDecl { Name name; StringLit version; StringLit title; Span span; };
// `language 2`: the version of the language a pack is written in (1 when absent).
struct LanguageDecl { NumberLit version; Span span; };
struct SourceDecl { Name id; StringLit title; Span span; };
struct FactDecl { Name path; TypeExpr type; std::optional<StringLit> description; Span span; };
struct LetDecl { Name name; Expr value; Span span; };
// `record NAME "title"` and its fields, one a line (language 2): what a list fact's elements hold.
struct FieldDecl { Name name; TypeExpr type; std::optional<StringLit> description; Span span; };
struct RecordDecl { Name name; StringLit title; std::vector<FieldDecl> fields; Span span; };
struct LevelDecl { Name name; std::optional<NumberLit> at; Span span; };
struct CiteClause { Name source; std::optional<StringLit> ref; Span span; };
struct DomainDecl { Name name; StringLit title; std::vector<CiteClause> cites; Span span; };

struct Within {
    NumberLit amount;
    IntervalUnit unit = IntervalUnit::days;
    bool immediately = false;    // `immediately [of DATE_EXPR]` (language 2): due on the anchor, amount 0
    std::optional<Expr> anchor;  // `of DATE_EXPR`; today when absent
    Span span;
};
struct ActionClause { StringLit text; std::optional<Within> within; Span span; };
struct DomainClause { Name domain; Span span; };
struct SeverityClause { Name level; Span span; };
struct ScoreClause { NumberLit score; Span span; };
struct WhenClause { Expr condition; Span span; };
using RuleClause = std::variant<DomainClause, SeverityClause, ScoreClause, WhenClause, ActionClause, CiteClause>;
struct RuleDecl { Name name; StringLit title; std::vector<RuleClause> clauses; Span span; };

// Tests written in the language (bia test).
struct Given { Name path; Expr value; Span span; };
enum class ExpectKind : std::uint8_t {
    level, possible_level, score, possible_score, fired, not_fired, undetermined, not_undetermined,
    missing, not_missing
};
struct Expectation {
    ExpectKind kind = ExpectKind::level;
    Name name;           // level, rule or fact path
    NumberLit number;    // for score expectations
    Span span;
};
struct TestDecl {
    StringLit name;
    std::optional<DateLit> as_of;
    std::optional<StringLit> case_file;
    std::vector<Given> given;
    std::vector<Expectation> expects;
    Span span;
};

using Item = std::variant<PackDecl, LanguageDecl, SourceDecl, FactDecl, RecordDecl, LetDecl, LevelDecl, DomainDecl, RuleDecl, TestDecl>;

// One parsed file. Comments are kept (with spans) so a formatter can put them back.
struct File {
    std::uint32_t index = 0;
    std::vector<Item> items;
    std::vector<Span> comments;
};

}  // namespace bia::syntax
