// The grammar of language v1: every construct parses into what it says, spans
// point at the source, and mistakes give the diagnostics recorded in
// tests/data/diagnostics (golden files).
//
// Golden files: tests/data/diagnostics/NAME.bia is compiled as a pack named
// "NAME.bia"; NAME.expected holds exactly bia::format_diagnostics of the result.
// BIA_UPDATE_GOLDEN=1 rewrites the .expected files from the engine's output;
// review every rewritten file against issue 2 before keeping it.
#include "test_util.hpp"

#include "common/source.hpp"
#include "syntax/ast.hpp"
#include "syntax/parser.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

namespace {

using bia_test::diagnostics_of;
using bia_test::must_compile;
using bia_test::must_evaluate;
namespace fs = std::filesystem;

const char* const header = R"(pack t version "1.0.0" "Test pack"
level low
level high at 10
)";

std::string with_header(const std::string& body) { return std::string(header) + body; }

// ---- parsing into the AST, for spans and tree shapes ------------------------

struct Parsed {
    std::vector<bia::detail::SourceText> sources;
    std::vector<bia::syntax::File> files;
    std::vector<bia::Diagnostic> diagnostics;
};

Parsed parse(const std::string& text) {
    Parsed p;
    p.sources.emplace_back("t.bia", text);
    bia::detail::DiagnosticSink sink(p.sources, 100);
    p.files = bia::syntax::parse_files(p.sources, bia::Limits{}, sink);
    p.diagnostics = sink.take();
    return p;
}

std::string_view span_text(const std::string& text, bia::detail::Span s) {
    return std::string_view(text).substr(s.begin, s.end - s.begin);
}

template <typename T>
const T& item(const Parsed& p, std::size_t index) {
    return std::get<T>(p.files.at(0).items.at(index));
}

// ---- every construct -------------------------------------------------------

TEST(Grammar, PackDeclaration) {
    const auto pack = must_compile(R"(pack protect version "1.2.3" "Best-interests assessment"
level low
)");
    EXPECT_EQ(pack.name(), "protect");
    EXPECT_EQ(pack.version(), "1.2.3");
    EXPECT_EQ(pack.title(), "Best-interests assessment");
    EXPECT_EQ(pack.origin(), "t.bia");
}

TEST(Grammar, PackWithPrereleaseVersion) {
    const auto pack = must_compile("pack p version \"2.1.0-draft\" \"Draft\"\nlevel low\n");
    EXPECT_EQ(pack.version(), "2.1.0-draft");
}

TEST(Grammar, SourceDeclaration) {
    const auto pack = must_compile(with_header(R"~(source GC14 "UN CRC General Comment No. 14 (2013)"
source GC6 "UN CRC General Comment No. 6 (2005)"
)~"));
    ASSERT_EQ(pack.citation_sources().size(), 2u);
    EXPECT_EQ(pack.citation_sources()[0].id, "GC14");
    EXPECT_EQ(pack.citation_sources()[0].title, "UN CRC General Comment No. 14 (2013)");
    EXPECT_EQ(pack.citation_sources()[1].id, "GC6");
}

TEST(Grammar, FactOfEveryType) {
    const auto pack = must_compile(with_header(R"(fact child.birth_date      : date   "Date of birth, as stated or documented"
fact child.unaccompanied   : bool
fact child.gender          : one of {"girl", "boy", "other"}
fact child.indicators      : set of {"debt_bondage", "confiscated_documents"} "Indicators"
fact child.name            : text
fact family.siblings       : number "How many"
)"));
    const auto& f = pack.facts();
    ASSERT_EQ(f.size(), 6u);
    EXPECT_EQ(f[0].path, "child.birth_date");
    EXPECT_EQ(f[0].type, bia::FactType::date);
    EXPECT_EQ(f[0].description, "Date of birth, as stated or documented");
    EXPECT_EQ(f[1].type, bia::FactType::boolean);
    EXPECT_EQ(f[1].description, "");
    EXPECT_EQ(f[2].type, bia::FactType::one_of);
    EXPECT_EQ(f[2].members, (std::vector<std::string>{"girl", "boy", "other"}));
    EXPECT_EQ(f[3].type, bia::FactType::set_of);
    EXPECT_EQ(f[3].members, (std::vector<std::string>{"debt_bondage", "confiscated_documents"}));
    EXPECT_EQ(f[3].description, "Indicators");
    EXPECT_EQ(f[4].type, bia::FactType::text);
    EXPECT_EQ(f[5].type, bia::FactType::number);
    EXPECT_EQ(f[5].description, "How many");
    EXPECT_EQ(f[0].type_text(), "date");
    EXPECT_EQ(f[1].type_text(), "bool");
    EXPECT_EQ(f[2].type_text(), R"(one of {"girl", "boy", "other"})");
    EXPECT_EQ(f[3].type_text(), R"(set of {"debt_bondage", "confiscated_documents"})");
    EXPECT_EQ(f[4].type_text(), "text");
    EXPECT_EQ(f[5].type_text(), "number");
}

TEST(Grammar, FactPathsOfOneAndManySegments) {
    const auto pack = must_compile(with_header("fact alone : bool\nfact a.b.c.d : number\nfact _x.y1 : text\n"));
    ASSERT_EQ(pack.facts().size(), 3u);
    EXPECT_EQ(pack.facts()[0].path, "alone");
    EXPECT_EQ(pack.facts()[1].path, "a.b.c.d");
    EXPECT_EQ(pack.facts()[2].path, "_x.y1");
}

TEST(Grammar, LaterPathSegmentsMayBeKeywords) {
    // "later segments of a dotted path may be any identifier (`case.date` is fine)"
    const auto pack = must_compile(with_header(R"(fact case.date : date
fact child.when : bool
fact child.rule.level : number
rule r "R" when child.when and child.rule.level > 1 and case.date < today
)"));
    EXPECT_EQ(pack.facts().size(), 3u);
}

TEST(Grammar, LetDeclaration) {
    const auto pack = must_compile(with_header(R"(fact child.birth_date : date
let age = years(child.birth_date, today)
let young = age < 15
rule r "R" when young
)"));
    const auto r = must_evaluate(pack, R"({"child": {"birth_date": "2020-01-01"}})");
    EXPECT_TRUE(bia_test::fired(r, "r"));
}

TEST(Grammar, LevelWithAndWithoutAt) {
    const auto pack = must_compile(R"(pack t version "1.0.0" "Levels"
level low
level medium at 20
level high at 50.5
level critical
)");
    const auto& l = pack.levels();
    ASSERT_EQ(l.size(), 4u);
    EXPECT_EQ(l[0].name, "low");
    EXPECT_FALSE(l[0].at.has_value());
    EXPECT_EQ(l[1].name, "medium");
    ASSERT_TRUE(l[1].at.has_value());
    EXPECT_EQ(*l[1].at, 20);
    EXPECT_EQ(*l[2].at, 50.5);
    EXPECT_FALSE(l[3].at.has_value());
}

TEST(Grammar, DomainWithAndWithoutCites) {
    const auto pack = must_compile(with_header(R"(source GC14 "General Comment 14"
source GC6 "General Comment 6"
domain safety "Care, protection and safety" cites GC14 "paras 71-74" cites GC6
domain family "Family environment"
domain health "Health"
  cites GC14 "para 77"
)"));
    const auto& d = pack.domains();
    ASSERT_EQ(d.size(), 3u);
    EXPECT_EQ(d[0].name, "safety");
    EXPECT_EQ(d[0].title, "Care, protection and safety");
    EXPECT_EQ(d[1].name, "family");
    EXPECT_EQ(d[2].name, "health");
    // The domain's citations are not in the public DomainInfo; the AST has them.
    const auto p = parse(with_header(R"(domain safety "S" cites GC14 "paras 71-74" cites GC6
)"));
    ASSERT_TRUE(p.diagnostics.empty());
    const auto& dd = item<bia::syntax::DomainDecl>(p, 3);
    ASSERT_EQ(dd.cites.size(), 2u);
    EXPECT_EQ(dd.cites[0].source.text, "GC14");
    ASSERT_TRUE(dd.cites[0].ref.has_value());
    EXPECT_EQ(dd.cites[0].ref->value, "paras 71-74");
    EXPECT_EQ(dd.cites[1].source.text, "GC6");
    EXPECT_FALSE(dd.cites[1].ref.has_value());
}

const char* const full_rule = R"~(pack protect version "1.0.0" "Best-interests assessment for children on the move"

source GC14 "UN CRC General Comment No. 14 (2013)"

fact child.birth_date      : date   "Date of birth, as stated or documented"
fact child.unaccompanied   : bool
fact child.gender          : one of {"girl", "boy", "other"}
fact child.indicators      : set of {"debt_bondage", "confiscated_documents"}
fact child.name            : text
fact family.siblings       : number
fact case.arrived_on       : date
fact guardian.appointed_on : date

let age = years(child.birth_date, today)

level low
level medium at 20
level high at 50

domain safety "Care, protection and safety" cites GC14 "paras 71-74"

rule no_guardian "Unaccompanied child has no guardian"
  domain safety
  severity high
  score 30
  when child.unaccompanied and not known(guardian.appointed_on)
  action "Appoint a qualified, independent guardian" within 1 day of case.arrived_on
  action "Review the placement" within 2 weeks
  cites GC14 "para 90"
)~";

TEST(Grammar, TheContractExampleCompiles) {
    const auto pack = must_compile(full_rule);
    ASSERT_EQ(pack.rules().size(), 1u);
    const auto& r = pack.rules()[0];
    EXPECT_EQ(r.name, "no_guardian");
    EXPECT_EQ(r.title, "Unaccompanied child has no guardian");
    EXPECT_EQ(r.domain, "safety");
    EXPECT_EQ(r.severity, "high");
    EXPECT_EQ(r.score, 30);
    EXPECT_EQ(pack.facts().size(), 8u);
    EXPECT_EQ(pack.levels().size(), 3u);

    const auto result = must_evaluate(pack, R"({"child": {"unaccompanied": true}, "case": {"arrived_on": "2026-03-01"}})",
                                      "2026-03-10");
    ASSERT_EQ(result.fired.size(), 1u);
    const auto& f = result.fired[0];
    ASSERT_EQ(f.actions.size(), 2u);
    EXPECT_EQ(f.actions[0].text, "Appoint a qualified, independent guardian");
    EXPECT_EQ(f.actions[0].due, bia_test::date("2026-03-02"));
    EXPECT_EQ(f.actions[1].text, "Review the placement");
    EXPECT_EQ(f.actions[1].due, bia_test::date("2026-03-24"));
    ASSERT_EQ(f.cites.size(), 1u);
    EXPECT_EQ(f.cites[0].source, "GC14");
    EXPECT_EQ(f.cites[0].ref, "para 90");
}

TEST(Grammar, RuleClausesInAnyOrder) {
    const auto pack = must_compile(with_header(R"(source S "Source"
domain d "D"
fact child.alone : bool
rule r "R"
  cites S "p. 1"
  action "First"
  score 4
  when child.alone
  cites S
  severity high
  action "Second" within 3 days
  domain d
)"));
    const auto& r = pack.rules()[0];
    EXPECT_EQ(r.domain, "d");
    EXPECT_EQ(r.severity, "high");
    EXPECT_EQ(r.score, 4);
    const auto result = must_evaluate(pack, R"({"child": {"alone": true}})", "2026-03-10");
    ASSERT_EQ(result.fired.size(), 1u);
    ASSERT_EQ(result.fired[0].actions.size(), 2u);
    EXPECT_EQ(result.fired[0].actions[0].text, "First");
    EXPECT_EQ(result.fired[0].actions[1].text, "Second");
    ASSERT_EQ(result.fired[0].cites.size(), 2u);
    EXPECT_EQ(result.fired[0].cites[0].ref, "p. 1");
    EXPECT_FALSE(result.fired[0].cites[1].ref.has_value());
}

TEST(Grammar, RuleOnOneLine) {
    const auto pack = must_compile(with_header(R"(rule r "R" score 2 when true action "A" within 1 week)"));
    EXPECT_EQ(pack.rules()[0].score, 2);
}

TEST(Grammar, RuleWithOnlyWhen) {
    const auto pack = must_compile(with_header("rule r \"R\" when true\n"));
    const auto& r = pack.rules()[0];
    EXPECT_FALSE(r.domain.has_value());
    EXPECT_FALSE(r.severity.has_value());
    EXPECT_EQ(r.score, 0);
}

TEST(Grammar, ActionIntervalsDaysAndWeeks) {
    const auto pack = must_compile(with_header(R"(fact case.arrived_on : date
rule r "R"
  when true
  action "none"
  action "one day" within 1 day
  action "days" within 3 days
  action "one week" within 1 week
  action "weeks" within 2 weeks
  action "zero" within 0 days
  action "anchored" within 1 day of case.arrived_on
  action "anchored weeks" within 2 weeks of case.arrived_on
  action "anchored literal" within 10 days of 2026-01-01
  action "anchored today" within 1 days of today
)"));
    const auto r = must_evaluate(pack, R"({"case": {"arrived_on": "2026-02-27"}})", "2026-03-10");
    ASSERT_EQ(r.fired.size(), 1u);
    const auto& a = r.fired[0].actions;
    ASSERT_EQ(a.size(), 10u);
    EXPECT_FALSE(a[0].due.has_value());
    EXPECT_EQ(a[1].due, bia_test::date("2026-03-11"));
    EXPECT_EQ(a[2].due, bia_test::date("2026-03-13"));
    EXPECT_EQ(a[3].due, bia_test::date("2026-03-17"));
    EXPECT_EQ(a[4].due, bia_test::date("2026-03-24"));
    EXPECT_EQ(a[5].due, bia_test::date("2026-03-10"));
    EXPECT_EQ(a[6].due, bia_test::date("2026-02-28"));
    EXPECT_EQ(a[7].due, bia_test::date("2026-03-13"));
    EXPECT_EQ(a[8].due, bia_test::date("2026-01-11"));
    EXPECT_EQ(a[9].due, bia_test::date("2026-03-11"));
}

TEST(Grammar, CommentsAnywhere) {
    const std::string text = R"(# a comment before everything
pack t version "1.0.0" "Test # not a comment" # a comment after
# a comment line
level low # trailing
   # indented comment
fact child.alone : bool # the child is alone
rule r "R # inside a string" # comment
  # between clauses
  when child.alone # after the condition
  # before the end
)";
    const auto pack = must_compile(text);
    EXPECT_EQ(pack.title(), "Test # not a comment");
    EXPECT_EQ(pack.rules()[0].title, "R # inside a string");
    const auto p = parse(text);
    ASSERT_TRUE(p.diagnostics.empty());
    // Comments are kept with their spans.
    std::vector<std::string> comments;
    for (const auto& c : p.files[0].comments) comments.emplace_back(span_text(text, c));
    ASSERT_EQ(comments.size(), 10u);
    EXPECT_EQ(comments[0], "# a comment before everything");
    EXPECT_EQ(comments[1], "# a comment after");
    EXPECT_EQ(comments[4], "# indented comment");
    EXPECT_EQ(comments[9], "# before the end");
}

TEST(Grammar, CommentOnlyFileAfterHeader) {
    const auto pack = must_compile("pack t version \"1.0.0\" \"T\"\nlevel low\n# nothing else\n#\n");
    EXPECT_TRUE(pack.rules().empty());
}

TEST(Grammar, CrlfLineEndings) {
    std::string text = full_rule;
    std::string crlf;
    for (char c : text) {
        if (c == '\n') crlf += "\r\n";
        else crlf += c;
    }
    const auto pack = must_compile(crlf);
    EXPECT_EQ(pack.rules()[0].title, "Unaccompanied child has no guardian");
    EXPECT_EQ(pack.facts()[0].description, "Date of birth, as stated or documented");
    // Diagnostics count a CRLF as one newline, and the source line has no '\r'.
    const auto r = bia::compile("pack t version \"1.0.0\" \"T\"\r\nlevel low\r\n\r\nrule r \"R\"\r\n  when nope\r\n");
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].line, 5u);
    EXPECT_EQ(r.diagnostics[0].column, 8u);
    EXPECT_EQ(r.diagnostics[0].source_line, "  when nope");
}

TEST(Grammar, DomainClauseVersusDomainDeclaration) {
    // "Inside a rule, `domain NAME` is a clause; `domain NAME "title"` starts a new top-level declaration."
    const auto pack = must_compile(with_header(R"(rule r "R"
  when true
  domain d
domain d "D"
rule s "S"
  domain e
  when true
domain e "E" cites S
source S "Source"
)"));
    ASSERT_EQ(pack.domains().size(), 2u);
    EXPECT_EQ(pack.rules()[0].domain, "d");
    EXPECT_EQ(pack.rules()[1].domain, "e");
}

TEST(Grammar, ItemsInAnyOrderNamesAreGlobal) {
    const auto pack = must_compile(R"(rule r "R"
  domain d
  severity high
  when age > 3 and child.alone
  cites S
let age = years(child.birth_date, today)
domain d "D" cites S
fact child.alone : bool
fact child.birth_date : date
level low
level high at 10
source S "S"
pack t version "1.0.0" "Declared last"
)");
    EXPECT_EQ(pack.name(), "t");
}

TEST(Grammar, LiteralsOfEveryKind) {
    const auto pack = must_compile(with_header(R"(fact a.n : number
fact a.d : date
fact a.t : text
fact a.e : one of {"x", "y"}
fact a.s : set of {"x", "y"}
fact a.b : bool
rule r "R" when a.b = true and a.b != false and a.n = 2.5 and a.n > -1 and a.d = 2026-03-10
  and a.t = "with \"quotes\" and \\ backslash" and a.e = "x" and a.e in {"x"} and "y" in a.s
  and a.t in {} and a.d <= today and count({"p", "q"}) = 2
)"));
    const auto r = must_evaluate(pack, R"({"a": {"n": 2.5, "d": "2026-03-10", "t": "with \"quotes\" and \\ backslash",
        "e": "x", "s": ["y"], "b": true}})");
    // `a.t in {}` is false, so the rule does not fire, but everything is known.
    EXPECT_FALSE(bia_test::fired(r, "r"));
    EXPECT_TRUE(r.undetermined.empty());
}

TEST(Grammar, StringEscapes) {
    const auto pack = must_compile(with_header(R"(rule r "Say \"hi\" \\ bye" when true
)"));
    EXPECT_EQ(pack.rules()[0].title, R"(Say "hi" \ bye)");
}

TEST(Grammar, NonAsciiInStringsAndComments) {
    const auto pack = must_compile(with_header("# Übersicht — ünïcödé\nrule r \"Enfant non accompagné — 保护\" when true\n"));
    EXPECT_EQ(pack.rules()[0].title, "Enfant non accompagné — 保护");
}

TEST(Grammar, DateLiteralIsNeverSubtraction) {
    // "A literal `2026-03-10` is a date, never a subtraction."
    const auto p = parse(with_header("let d = 2026-03-10\nlet n = 2026 - 03 - 10\n"));
    ASSERT_TRUE(p.diagnostics.empty());
    const auto& d = item<bia::syntax::LetDecl>(p, 3);
    EXPECT_EQ(d.value.kind, bia::syntax::ExprKind::date);
    EXPECT_EQ(d.value.text, "2026-03-10");
    const auto& n = item<bia::syntax::LetDecl>(p, 4);
    EXPECT_EQ(n.value.kind, bia::syntax::ExprKind::binary);
    EXPECT_EQ(n.value.op, bia::syntax::BinaryOp::sub);
    // `2026-03-10 > 1` compares a date with a number: a type error, so it was read as a date.
    EXPECT_NE(diagnostics_of(with_header("rule r \"R\" when 2026-03-10 > 1\n")), "");
    must_compile(with_header("rule r \"R\" when 2026 - 03 - 10 > 1\n"));
}

TEST(Grammar, NumbersWithDecimalsAndUnaryMinus) {
    const auto p = parse(with_header("let a = 2.5\nlet b = -3\nlet c = --4\nlet d = 0.125 * -(1 + 2)\n"));
    ASSERT_TRUE(p.diagnostics.empty()) << bia::format_diagnostics(p.diagnostics);
    EXPECT_EQ(item<bia::syntax::LetDecl>(p, 3).value.number, 2.5);
    const auto& b = item<bia::syntax::LetDecl>(p, 4).value;
    EXPECT_EQ(b.kind, bia::syntax::ExprKind::negate);
    EXPECT_EQ(b.args.at(0).number, 3);
    const auto& c = item<bia::syntax::LetDecl>(p, 5).value;
    EXPECT_EQ(c.kind, bia::syntax::ExprKind::negate);
    EXPECT_EQ(c.args.at(0).kind, bia::syntax::ExprKind::negate);
}

TEST(Grammar, OperatorPrecedenceLoosestFirst) {
    // or; and; not; comparisons; + -; * /
    const auto p = parse(with_header("let x = a or b and not c = d + e * f\n"));
    ASSERT_TRUE(p.diagnostics.empty());
    using bia::syntax::BinaryOp;
    using bia::syntax::ExprKind;
    const auto& e = item<bia::syntax::LetDecl>(p, 3).value;
    ASSERT_EQ(e.kind, ExprKind::logic_or);
    ASSERT_EQ(e.args.size(), 2u);
    EXPECT_EQ(e.args[0].kind, ExprKind::name);
    const auto& conj = e.args[1];
    ASSERT_EQ(conj.kind, ExprKind::logic_and);
    ASSERT_EQ(conj.args.size(), 2u);
    const auto& neg = conj.args[1];
    ASSERT_EQ(neg.kind, ExprKind::logic_not);
    const auto& eq = neg.args.at(0);
    ASSERT_EQ(eq.kind, ExprKind::binary);
    EXPECT_EQ(eq.op, BinaryOp::eq);
    const auto& sum = eq.args.at(1);
    ASSERT_EQ(sum.kind, ExprKind::binary);
    EXPECT_EQ(sum.op, BinaryOp::add);
    const auto& product = sum.args.at(1);
    EXPECT_EQ(product.op, BinaryOp::mul);
}

TEST(Grammar, ArithmeticIsLeftAssociative) {
    const auto p = parse(with_header("let x = 10 - 4 - 3\nlet y = 12 / 3 / 2\n"));
    ASSERT_TRUE(p.diagnostics.empty());
    const auto& x = item<bia::syntax::LetDecl>(p, 3).value;
    ASSERT_EQ(x.op, bia::syntax::BinaryOp::sub);
    EXPECT_EQ(x.args[0].op, bia::syntax::BinaryOp::sub);
    EXPECT_EQ(x.args[1].number, 3);
    // And the evaluator agrees: 10 - 4 - 3 = 3, 12 / 3 / 2 = 2.
    const auto pack = must_compile(with_header("let x = 10 - 4 - 3\nlet y = 12 / 3 / 2\nrule r \"R\" when x = 3 and y = 2\n"));
    EXPECT_TRUE(bia_test::fired(must_evaluate(pack, "{}"), "r"));
}

TEST(Grammar, ParenthesesGroup) {
    const auto pack = must_compile(with_header("rule r \"R\" when (1 + 2) * 3 = 9 and 1 + 2 * 3 = 7\n"));
    EXPECT_TRUE(bia_test::fired(must_evaluate(pack, "{}"), "r"));
}

TEST(Grammar, InMembershipWithSetFactAndLiteral) {
    const auto p = parse(with_header("let x = \"a\" in {\"a\", \"b\"}\n"));
    ASSERT_TRUE(p.diagnostics.empty());
    const auto& x = item<bia::syntax::LetDecl>(p, 3).value;
    EXPECT_EQ(x.op, bia::syntax::BinaryOp::in);
    EXPECT_EQ(x.args[1].kind, bia::syntax::ExprKind::set);
    EXPECT_EQ(x.args[1].members.size(), 2u);
}

TEST(Grammar, FunctionCalls) {
    const auto pack = must_compile(with_header(R"(fact a.d : date
fact a.s : set of {"x", "y"}
rule r "R" when known(a.d) and years(a.d, today) >= 0 and days(a.d, today) >= 0 and count(a.s) >= 0
)"));
    EXPECT_EQ(pack.rules().size(), 1u);
}

TEST(Grammar, IdentifiersAndCaseSensitiveKeywords) {
    // Keywords are lowercase and case-sensitive: `When` and `RULE` are ordinary names.
    const auto pack = must_compile(with_header(R"(let When = 1
let RULE = 2
let _private = 3
let x1_y2 = 4
fact Known.x : bool
rule Rule "R" when When + RULE + _private + x1_y2 = 10 and not Known.x
)"));
    EXPECT_EQ(pack.rules()[0].name, "Rule");
}

TEST(Grammar, NonKeywordWordsOfTheGrammarAreNames) {
    // Words that only appear inside declarations (`of`, `at`, `version`, `day`, ...) are not in
    // the reserved list of the language documentation, so they may name lets.
    must_compile(with_header("let of = 1\nlet at = 2\nlet version = 3\nlet weeks = 4\nrule r \"R\" when of + at + version + weeks = 10\n"));
}

// ---- directory packs -------------------------------------------------------

TEST(Grammar, DirectoryPackReadsTopLevelBiaFilesInByteOrder) {
    bia_test::TempDir dir;
    bia_test::write_file(dir / "20-rules.bia", "rule r \"R\" when child.alone\n  severity high\n");
    bia_test::write_file(dir / "10-header.bia", "pack split version \"1.0.0\" \"Split\"\nlevel low\nlevel high\n");
    bia_test::write_file(dir / "15-facts.bia", "fact child.alone : bool\n");
    bia_test::write_file(dir / ".hidden.bia", "this is not a pack at all\n");
    bia_test::write_file(dir / "notes.txt", "neither is this\n");
    bia_test::write_file(dir / "README.md", "# nor this\n");
    std::filesystem::create_directory(dir / "sub");
    bia_test::write_file(dir / "sub" / "deep.bia", "nor this, in a subdirectory\n");
    std::filesystem::create_symlink("20-rules.bia", dir / "30-link.bia");  // read through: r is declared twice
    std::filesystem::create_directory(dir / ".hidden-dir.bia");            // hidden, so not a problem

    auto r = bia::load(dir.path());
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(r.diagnostics.size(), 1u) << bia::format_diagnostics(r.diagnostics);
    EXPECT_EQ(r.diagnostics[0].path, (dir.path() / "30-link.bia").string());
    std::filesystem::remove(dir / "30-link.bia");
    r = bia::load(dir.path());
    ASSERT_TRUE(r.ok()) << bia::format_diagnostics(r.diagnostics);
    const auto& pack = *r.pack;
    EXPECT_EQ(pack.name(), "split");
    ASSERT_EQ(pack.sources().size(), 3u);
    EXPECT_EQ(fs::path(pack.sources()[0].name).filename(), "10-header.bia");
    EXPECT_EQ(fs::path(pack.sources()[1].name).filename(), "15-facts.bia");
    EXPECT_EQ(fs::path(pack.sources()[2].name).filename(), "20-rules.bia");
    const auto result = must_evaluate(pack, R"({"child": {"alone": true}})");
    EXPECT_EQ(result.level, "high");
}

// A .bia entry that is not a readable regular file would drop its rules without a
// word if it were skipped: each is an error naming it, and nothing is compiled.
TEST(Grammar, DirectoryPackEntriesThatAreNotFilesAreErrors) {
    bia_test::TempDir dir;
    bia_test::write_file(dir / "10-header.bia", "pack p version \"1.0.0\" \"P\"\nlevel low\n");
    std::filesystem::create_symlink("missing.bia.orig", dir / "20-dangling.bia");
    ASSERT_EQ(::mkfifo((dir / "30-fifo.bia").c_str(), 0600), 0);
    std::filesystem::create_directory(dir / "40-dir.bia");
    const auto r = bia::load(dir.path());
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(r.diagnostics.size(), 3u) << bia::format_diagnostics(r.diagnostics);
    EXPECT_EQ(r.diagnostics[0].path, (dir.path() / "20-dangling.bia").string());
    EXPECT_EQ(r.diagnostics[0].code, "E0001");
    EXPECT_NE(r.diagnostics[0].message.find("a symbolic link whose target cannot be read"), std::string::npos)
        << r.diagnostics[0].message;
    EXPECT_EQ(r.diagnostics[1].path, (dir.path() / "30-fifo.bia").string());
    EXPECT_EQ(r.diagnostics[1].message, "not a regular file (a fifo)");
    EXPECT_EQ(r.diagnostics[2].path, (dir.path() / "40-dir.bia").string());
    EXPECT_EQ(r.diagnostics[2].message, "not a regular file (a directory)");
    // The fifo was not opened: load() returned instead of blocking on it.
}

TEST(Grammar, DirectoryPackByteOrderIsNotLocaleOrder) {
    // Upper case sorts before lower case in byte order; facts are numbered in reading order.
    bia_test::TempDir dir;
    bia_test::write_file(dir / "b.bia", "fact b.x : bool\n");
    bia_test::write_file(dir / "B.bia", "fact upper.x : bool\n");
    bia_test::write_file(dir / "a.bia", "pack p version \"1.0.0\" \"P\"\nlevel low\nfact a.x : bool\n");
    const auto r = bia::load(dir.path());
    ASSERT_TRUE(r.ok()) << bia::format_diagnostics(r.diagnostics);
    const auto& facts = r.pack->facts();
    ASSERT_EQ(facts.size(), 3u);
    EXPECT_EQ(facts[0].path, "upper.x");  // B.bia
    EXPECT_EQ(facts[1].path, "a.x");      // a.bia
    EXPECT_EQ(facts[2].path, "b.x");      // b.bia
}

TEST(Grammar, DirectoryPackDiagnosticsNameEachFileAsGiven) {
    bia_test::TempDir dir;
    bia_test::write_file(dir / "1.bia", "pack p version \"1.0.0\" \"P\"\nlevel low\n");
    bia_test::write_file(dir / "2.bia", "\nrule r \"R\" when nothing\n");
    const auto r = bia::load(dir.path());
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].path, (dir.path() / "2.bia").string());
    EXPECT_EQ(r.diagnostics[0].line, 2u);
    EXPECT_EQ(r.diagnostics[0].column, 17u);
}

TEST(Grammar, DirectoryPackDuplicateAcrossFilesReportedAtTheLaterOne) {
    bia_test::TempDir dir;
    bia_test::write_file(dir / "a.bia", "pack p version \"1.0.0\" \"P\"\nlevel low\nfact x.y : bool\n");
    bia_test::write_file(dir / "b.bia", "fact x.y : number\n");
    const auto r = bia::load(dir.path());
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].path, (dir.path() / "b.bia").string());
    EXPECT_EQ(r.diagnostics[0].line, 1u);
    EXPECT_EQ(r.diagnostics[0].column, 6u);
}

TEST(Grammar, DirectoryPackWithoutBiaFiles) {
    bia_test::TempDir dir;
    bia_test::write_file(dir / "notes.txt", "x");
    const auto r = bia::load(dir.path());
    ASSERT_FALSE(r.ok());
    ASSERT_FALSE(r.diagnostics.empty());
    EXPECT_EQ(r.diagnostics[0].line, 1u);
    EXPECT_EQ(r.diagnostics[0].column, 1u);
}

TEST(Grammar, DirectoryDigestCoversNamesLengthsAndBytes) {
    // "the digest covers each file's name, length and bytes"
    const std::string head = "pack p version \"1.0.0\" \"P\"\nlevel low\n";
    auto digest_of = [](const std::vector<std::pair<std::string, std::string>>& files) {
        bia_test::TempDir dir;
        for (const auto& [name, text] : files) bia_test::write_file(dir / name, text);
        const auto r = bia::load(dir.path());
        EXPECT_TRUE(r.ok()) << bia::format_diagnostics(r.diagnostics);
        return r.ok() ? r.pack->digest() : std::string();
    };
    const auto base = digest_of({{"a.bia", head}, {"b.bia", "fact x.y : bool\n"}});
    EXPECT_EQ(base.rfind("sha256:", 0), 0u);
    EXPECT_EQ(base.size(), 7u + 64u);
    // Same files, other directory: same digest (the digest does not depend on where the pack lies).
    EXPECT_EQ(digest_of({{"a.bia", head}, {"b.bia", "fact x.y : bool\n"}}), base);
    // A renamed file changes it.
    EXPECT_NE(digest_of({{"a.bia", head}, {"c.bia", "fact x.y : bool\n"}}), base);
    // Moving bytes from one file to the other changes it.
    EXPECT_NE(digest_of({{"a.bia", head + "fact x.y : bool\n"}, {"b.bia", ""}}), base);
    // Changing one byte changes it.
    EXPECT_NE(digest_of({{"a.bia", head}, {"b.bia", "fact x.z : bool\n"}}), base);
}

TEST(Grammar, SingleFileDigestIsSha256OfTheBytes) {
    // "digest": "sha256:<hex over the pack's source bytes>"; sha256 of this exact text, computed independently.
    const std::string text = "pack p version \"1.0.0\" \"P\"\nlevel low\n";
    const auto pack = must_compile(text);
    EXPECT_EQ(pack.digest(), "sha256:e194b52ae6cdc64f34df970aee2cf7a5e8b477cafb8f697f3257f510ee620b7b")
        << "(if this fails, check the expected value with: printf 'pack p version \"1.0.0\" \"P\"\\nlevel low\\n' | "
           "sha256sum)";
}

// ---- spans and positions ---------------------------------------------------

TEST(GrammarSpans, DeclarationNamesPointAtTheirText) {
    const std::string text = with_header(R"(source GC14 "Title"
fact child.birth_date : date "Born"
let age = years(child.birth_date, today)
domain safety "Safety" cites GC14 "p. 1"
rule no_guardian "No guardian"
  when age < 15 and not known(child.birth_date)
  action "Act" within 2 weeks of child.birth_date
)");
    const auto p = parse(text);
    ASSERT_TRUE(p.diagnostics.empty()) << bia::format_diagnostics(p.diagnostics);
    const auto& pack = item<bia::syntax::PackDecl>(p, 0);
    EXPECT_EQ(span_text(text, pack.name.span), "t");
    EXPECT_EQ(span_text(text, pack.version.span), "\"1.0.0\"");
    const auto& level = item<bia::syntax::LevelDecl>(p, 2);
    EXPECT_EQ(span_text(text, level.name.span), "high");
    ASSERT_TRUE(level.at.has_value());
    EXPECT_EQ(span_text(text, level.at->span), "10");
    const auto& source = item<bia::syntax::SourceDecl>(p, 3);
    EXPECT_EQ(span_text(text, source.id.span), "GC14");
    EXPECT_EQ(span_text(text, source.title.span), "\"Title\"");
    const auto& fact = item<bia::syntax::FactDecl>(p, 4);
    EXPECT_EQ(span_text(text, fact.path.span), "child.birth_date");
    EXPECT_EQ(span_text(text, fact.type.span), "date");
    const auto& let = item<bia::syntax::LetDecl>(p, 5);
    EXPECT_EQ(span_text(text, let.name.span), "age");
    EXPECT_EQ(span_text(text, let.value.span), "years(child.birth_date, today)");
    EXPECT_EQ(span_text(text, let.value.args.at(0).span), "child.birth_date");
    EXPECT_EQ(span_text(text, let.value.args.at(1).span), "today");
    const auto& domain = item<bia::syntax::DomainDecl>(p, 6);
    EXPECT_EQ(span_text(text, domain.name.span), "safety");
    EXPECT_EQ(span_text(text, domain.cites.at(0).source.span), "GC14");
    const auto& rule = item<bia::syntax::RuleDecl>(p, 7);
    EXPECT_EQ(span_text(text, rule.name.span), "no_guardian");
    EXPECT_EQ(span_text(text, rule.title.span), "\"No guardian\"");
    ASSERT_EQ(rule.clauses.size(), 2u);
    const auto& when = std::get<bia::syntax::WhenClause>(rule.clauses[0]);
    EXPECT_EQ(span_text(text, when.condition.span), "age < 15 and not known(child.birth_date)");
    const auto& cmp = when.condition.args.at(0);
    EXPECT_EQ(span_text(text, cmp.span), "age < 15");
    EXPECT_EQ(span_text(text, cmp.op_span), "<");
    const auto& negation = when.condition.args.at(1);
    EXPECT_EQ(span_text(text, negation.span), "not known(child.birth_date)");
    const auto& action = std::get<bia::syntax::ActionClause>(rule.clauses[1]);
    EXPECT_EQ(span_text(text, action.text.span), "\"Act\"");
    ASSERT_TRUE(action.within.has_value());
    EXPECT_EQ(span_text(text, action.within->amount.span), "2");
    EXPECT_EQ(action.within->unit, bia::syntax::IntervalUnit::weeks);
    ASSERT_TRUE(action.within->anchor.has_value());
    EXPECT_EQ(span_text(text, action.within->anchor->span), "child.birth_date");
}

TEST(GrammarSpans, ParenthesisedSpanCoversTheParentheses) {
    const std::string text = with_header("let x = (1 + 2) * 3\n");
    const auto p = parse(text);
    ASSERT_TRUE(p.diagnostics.empty());
    const auto& e = item<bia::syntax::LetDecl>(p, 3).value;
    EXPECT_EQ(span_text(text, e.span), "(1 + 2) * 3");
    EXPECT_EQ(span_text(text, e.args.at(0).span), "(1 + 2)");
    EXPECT_EQ(span_text(text, e.op_span), "*");
}

TEST(GrammarSpans, LineAndColumnAreOneBasedAndCountCodePoints) {
    bia::detail::SourceText s("x.bia", "ab\nçé\tx\n\xF0\x9F\x98\x80z\r\nlast");
    EXPECT_EQ(s.locate(0).line, 1u);
    EXPECT_EQ(s.locate(0).column, 1u);
    EXPECT_EQ(s.locate(1).column, 2u);
    // Line 2: "çé\tx": ç and é are two bytes each; the tab is one code point.
    const auto x = s.locate(3 + 2 + 2 + 1);
    EXPECT_EQ(x.line, 2u);
    EXPECT_EQ(x.column, 4u);
    // Line 3: a four-byte emoji, then z.
    const std::uint32_t line3 = 3 + 6 + 1;
    EXPECT_EQ(s.locate(line3 + 4).line, 3u);
    EXPECT_EQ(s.locate(line3 + 4).column, 2u);
    EXPECT_EQ(s.line_text(line3), "\xF0\x9F\x98\x80z");  // no '\r'
    EXPECT_EQ(s.locate(line3 + 7).line, 4u);             // CRLF is one newline
    EXPECT_EQ(s.locate(line3 + 7).column, 1u);
    EXPECT_EQ(s.line_text(line3 + 7), "last");
}

TEST(GrammarSpans, DiagnosticFormatHasPathLineColumnSourceLineAndCaret) {
    const auto r = bia::compile(with_header("rule r \"R\"\n  when agee > 1\n"), "dir/my pack.bia");
    ASSERT_EQ(r.diagnostics.size(), 1u);
    const auto& d = r.diagnostics[0];
    EXPECT_EQ(d.path, "dir/my pack.bia");  // printed as it was given
    EXPECT_EQ(d.line, 5u);
    EXPECT_EQ(d.column, 8u);
    EXPECT_EQ(d.code, "E0202");
    const std::string f = d.format();
    EXPECT_EQ(f.rfind("dir/my pack.bia:5:8: error: ", 0), 0u) << f;
    EXPECT_NE(f.find("\n    when agee > 1\n"), std::string::npos) << f;
    EXPECT_NE(f.find("\n         ^\n"), std::string::npos) << f;  // two spaces of indent + 7 columns
    EXPECT_EQ(f.back(), '\n');
}

TEST(GrammarSpans, CaretKeepsTabsAndCountsCodePoints) {
    const auto r = bia::compile(with_header("rule r \"Ünï\"\twhen\tnope\n"));
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].line, 4u);
    EXPECT_EQ(r.diagnostics[0].column, 19u);  // r-u-l-e-space-r-space-"Ünï"(5)-tab-when(4)-tab = 18 code points before
    const std::string f = r.diagnostics[0].format();
    EXPECT_NE(f.find("\n  rule r \"Ünï\"\twhen\tnope\n              \t    \t^\n"), std::string::npos) << f;
}

// ---- golden diagnostics ----------------------------------------------------

std::vector<std::string> golden_cases() {
    std::vector<std::string> names;
    const fs::path dir = fs::path(BIA_TEST_DATA) / "diagnostics";
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (e.path().extension() == ".bia") names.push_back(e.path().stem().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

class GoldenDiagnostics : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenDiagnostics, MatchesExpected) {
    const fs::path dir = fs::path(BIA_TEST_DATA) / "diagnostics";
    const std::string name = GetParam();
    const std::string source = bia_test::read_file(dir / (name + ".bia"));
    const auto result = bia::compile(source, name + ".bia");
    const std::string actual = bia::format_diagnostics(result.diagnostics);
    const fs::path expected_path = dir / (name + ".expected");

    const char* update = std::getenv("BIA_UPDATE_GOLDEN");
    if (update && std::string(update) == "1") {
        bia_test::write_file(expected_path, actual);
        GTEST_SKIP() << "rewrote " << expected_path << "; review it";
    }
    ASSERT_TRUE(fs::exists(expected_path)) << expected_path << " is missing; the engine says:\n" << actual;
    const std::string expected = bia_test::read_file(expected_path);
    EXPECT_TRUE(expected == actual) << "diagnostics of " << name << ".bia differ from " << name << ".expected:\n"
                                << bia_test::line_diff(expected, actual)
                                << "(BIA_UPDATE_GOLDEN=1 rewrites the expected file; review it after)";

    // Every golden file is a mistake: the pack is refused with at least one error.
    EXPECT_FALSE(result.ok());
    EXPECT_FALSE(result.diagnostics.empty());
    // Sorted by position, 1-based, each with a code and the path as given.
    for (std::size_t i = 0; i < result.diagnostics.size(); ++i) {
        const auto& d = result.diagnostics[i];
        EXPECT_EQ(d.path, name + ".bia");
        EXPECT_GE(d.line, 1u);
        EXPECT_GE(d.column, 1u);
        EXPECT_FALSE(d.code.empty());
        if (i > 0) {
            const auto& p = result.diagnostics[i - 1];
            EXPECT_TRUE(p.line < d.line || (p.line == d.line && p.column <= d.column))
                << "diagnostics are not sorted by position: " << p.line << ":" << p.column << " before " << d.line
                << ":" << d.column;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Files, GoldenDiagnostics, ::testing::ValuesIn(golden_cases()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(GoldenDiagnosticsCatalogue, EveryRequiredKindOfMistakeHasAGoldenFile) {
    const auto cases = golden_cases();
    const std::set<std::string> have(cases.begin(), cases.end());
    for (const char* required :
         {"missing_string", "unterminated_string", "bad_escape", "unknown_clause", "chained_comparison", "invalid_date",
          "keyword_as_name", "missing_when", "duplicate_clause", "duplicate_names", "unknown_name", "unknown_references",
          "when_not_bool", "date_vs_number", "set_equality", "enum_not_member", "in_misuse", "text_arithmetic",
          "let_cycle", "fact_prefix", "no_pack", "empty_file", "no_levels", "thresholds_not_rising",
          "non_integer_within", "known_of_let", "wrong_arity", "invalid_utf8", "many_errors", "recovery", "crlf",
          "unicode_columns"}) {
        EXPECT_TRUE(have.count(required)) << "no golden file " << required << ".bia";
    }
    EXPECT_GE(have.size(), 25u);
}

// A few golden facts restated as assertions, so a careless BIA_UPDATE_GOLDEN run cannot hide them.

TEST(GoldenFacts, EmptyFileIsReportedAtLineOneColumnOne) {
    const auto r = bia::compile("", "empty.bia");
    ASSERT_FALSE(r.ok());
    ASSERT_FALSE(r.diagnostics.empty());
    for (const auto& d : r.diagnostics) {
        EXPECT_EQ(d.path, "empty.bia");
        EXPECT_EQ(d.line, 1u);
        EXPECT_EQ(d.column, 1u);
    }
    // "An error with no position (empty file, no `pack` header) is reported at line 1, column 1."
    EXPECT_NE(bia::format_diagnostics(r.diagnostics).find("empty.bia:1:1: error: "), std::string::npos);
}

TEST(GoldenFacts, NoPackHeaderIsReportedAtLineOneColumnOne) {
    const auto r = bia::compile("\n\nlevel low\n", "p.bia");
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].line, 1u);
    EXPECT_EQ(r.diagnostics[0].column, 1u);
    EXPECT_EQ(r.diagnostics[0].code, "E0205");
}

TEST(GoldenFacts, RecoveryFindsErrorsAfterASyntaxError) {
    // "After a syntax error, parsing resumes at the next top-level keyword that starts a line"
    const auto r = bia::compile(with_header(R"(source S
fact child.alone : bool
rule r "R" when child.alone >
let x = = 2
rule t "T" when unknown_fact
)"));
    ASSERT_EQ(r.diagnostics.size(), 4u) << bia::format_diagnostics(r.diagnostics);
    EXPECT_EQ(r.diagnostics[0].line, 4u);
    EXPECT_EQ(r.diagnostics[1].line, 6u);
    EXPECT_EQ(r.diagnostics[2].line, 7u);
    EXPECT_EQ(r.diagnostics[3].line, 8u);
    EXPECT_EQ(r.diagnostics[3].code, "E0202");
}

TEST(GoldenFacts, SeveralErrorsAllReportedAndSorted) {
    // Errors found in different passes (names, then types) still come out sorted by position.
    const auto r = bia::compile(with_header(R"(fact child.age : number
rule r "R"
  severity urgent
  when child.agee > 1
rule s "S"
  when child.age + "x"
  domain nowhere
rule r "Again" when true
)"));
    ASSERT_EQ(r.diagnostics.size(), 6u) << bia::format_diagnostics(r.diagnostics);
    std::vector<std::uint32_t> lines;
    for (const auto& d : r.diagnostics) lines.push_back(d.line);
    EXPECT_EQ(lines, (std::vector<std::uint32_t>{6, 7, 9, 9, 10, 11}));
    // On line 9 the `when` type error (column 8) comes before the operand's (column 20).
    EXPECT_LT(r.diagnostics[2].column, r.diagnostics[3].column);
}

TEST(GoldenFacts, AtMostOneHundredDiagnostics) {
    std::string text = header;
    for (int i = 0; i < 150; ++i) text += "rule r" + std::to_string(i) + " \"R\" when missing" + std::to_string(i) + "\n";
    const auto r = bia::compile(text);
    EXPECT_EQ(r.diagnostics.size(), 100u);
    // The first hundred by position.
    EXPECT_EQ(r.diagnostics.front().line, 4u);
    EXPECT_EQ(r.diagnostics.back().line, 103u);
}

TEST(GoldenFacts, ColumnsCountCodePoints) {
    const auto r = bia::compile(with_header("rule r \"Ünïcödé títle\" when child.nme = \"Zoë\"\n"));
    ASSERT_EQ(r.diagnostics.size(), 1u);
    // `rule r "Ünïcödé títle" when ` is 28 code points (35 bytes).
    EXPECT_EQ(r.diagnostics[0].column, 29u);
}

}  // namespace
