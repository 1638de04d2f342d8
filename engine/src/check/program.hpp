// The checked pack: every name resolved, every expression typed, lets ordered.
#pragma once

#include "lang/operations.hpp"
#include "syntax/ast.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace bia::check {

using syntax::Expr;
using syntax::FactKind;
using syntax::Span;

// The static type of an expression. `one_of` and `set_of` carry the fact whose
// member list defines them; string and set literals stay literals so the
// checker can test their members against the type they meet.
enum class TypeKind : std::uint8_t { boolean, number, text, date, one_of, set_of, string, string_set, error };
struct Type {
    TypeKind kind = TypeKind::error;
    std::int32_t fact = -1;  // for one_of / set_of: the fact that declares the members
};

// What a name in an expression refers to.
struct Reference {
    // field: `m.located` inside a quantifier over a list (language 2): `index` is the field's
    // position in the list's record and `quantifier` the expression that binds `m`.
    enum class Kind : std::uint8_t { fact, let, field } kind = Kind::fact;
    std::uint32_t index = 0;
    const Expr* quantifier = nullptr;
};

struct Fact {
    std::string path;
    FactKind kind = FactKind::boolean;
    // A case may give it imprecisely: a partial date ("2009") or a number range ({"min": 16,
    // "max": 18}). Every date and number fact of a language 2 pack, unless declared `exact`.
    bool imprecise = false;
    bool never = false;  // `date or never` (language 2): a case may give "never"
    std::vector<std::string> members;
    std::string description;
    Span span;
    // A list (language 2): its record, the most elements a case may give, and its elements' fields:
    // facts [first_element, first_element + capacity * fields), element by element, each a record's
    // fields in declaration order. They come after every declared fact, at `family.members[2].located`.
    std::int32_t record = -1;
    std::uint32_t capacity = 0;
    std::uint32_t first_element = 0;
    // An element's field: the list it is in (a pack does not declare these; a case gives them inside
    // the list). -1 for a declared fact.
    std::int32_t element_of = -1;
};

// `record NAME "title"` (language 2): the fields of a list's elements, each typed as a fact is.
struct Record {
    std::string name;
    std::string title;
    std::vector<Fact> fields;  // path: the field's name
    Span span;
};

struct Let {
    std::string name;
    const Expr* value = nullptr;
    Type type;
    Span span;
};

struct Level {
    std::string name;
    std::optional<double> at;
    Span span;
};

struct Source {
    std::string id;
    std::string title;
};

struct Citation {
    std::uint32_t source = 0;
    std::optional<std::string> ref;
};

struct Domain {
    std::string name;
    std::string title;
    std::vector<Citation> cites;
};

struct Action {
    std::string text;
    bool has_within = false;
    lang::Op shift = lang::Op::add_days;  // add_days (days and weeks), add_months, add_years
    std::int32_t amount = 0;              // days (a week is 7), months or years
    bool immediate = false;               // `immediately` (language 2): due on its anchor
    const Expr* anchor = nullptr;        // null: today
};

struct Rule {
    std::string name;
    std::string title;
    std::optional<std::uint32_t> domain;
    std::optional<std::uint32_t> severity;  // a level index
    double score = 0;
    const Expr* when = nullptr;
    std::vector<Action> actions;
    std::vector<Citation> cites;
    Span span;
};

// A `given` value, already converted to the JSON the case would hold.
struct GivenFact {
    std::uint32_t fact = 0;
    std::string json;  // a JSON literal: true, 12, "text", "2026-03-01", ["a","b"]
};

struct Expectation {
    syntax::ExpectKind kind = syntax::ExpectKind::level;
    std::uint32_t target = 0;   // level, rule or fact index
    double number = 0;
    Span span;
};

struct Test {
    std::string name;
    std::optional<std::int32_t> as_of_days;
    std::optional<std::string> case_file;  // as written, relative to the test's file
    std::uint32_t file = 0;
    std::vector<GivenFact> given;
    std::vector<Expectation> expects;
    Span span;
};

struct Program {
    std::uint8_t language = 1;  // `language 2`; 1 when the pack does not say
    std::string name;
    std::string version;
    std::string title;
    std::vector<Fact> facts;      // those declared, then the lists' elements' fields (Fact::element_of)
    std::uint32_t declared_facts = 0;
    std::vector<Record> records;
    std::vector<Let> lets;
    std::vector<std::uint32_t> let_order;  // each let after the lets it uses
    std::vector<Level> levels;
    std::vector<Source> sources;
    std::vector<Domain> domains;
    std::vector<Rule> rules;
    std::vector<Test> tests;
    std::unordered_map<const Expr*, Reference> references;
    std::unordered_map<const Expr*, Type> types;
    std::unordered_set<const Expr*> never_literals;  // the name `never` as language 2's literal
};

}  // namespace bia::check
