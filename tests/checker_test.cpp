// The checker: the name and type rules of issue 2's "Settled details", each
// asserted by the diagnostic code and position it gives (or by the pack compiling).
#include "test_util.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using bia_test::must_compile;

const char* const header = R"(pack t version "1.0.0" "Test pack"
level low
level medium at 10
level high at 20
)";
// Facts every type test can use; declared on lines 5..15.
const char* const facts = R"(fact a.b : bool
fact a.n : number
fact a.t : text
fact a.d : date
fact a.e : one of {"x", "y"}
fact a.f : one of {"y", "x"}
fact a.g : one of {"x", "z"}
fact a.s : set of {"x", "y"}
fact a.u : set of {"x", "z"}
fact a.d2 : date
fact a.t2 : text
)";
constexpr std::uint32_t first_free_line = 16;

std::string pack_with(const std::string& body) { return std::string(header) + facts + body; }

// "LINE:COLUMN CODE" for each diagnostic, in the order reported.
std::vector<std::string> problems(const std::string& source) {
    const auto r = bia::compile(source);
    std::vector<std::string> out;
    for (const auto& d : r.diagnostics) out.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + " " + d.code);
    return out;
}

std::vector<std::string> codes(const std::string& source) {
    const auto r = bia::compile(source);
    std::vector<std::string> out;
    for (const auto& d : r.diagnostics) out.push_back(d.code);
    return out;
}

// The diagnostics of a rule `when` condition written on the first free line.
std::vector<std::string> when_codes(const std::string& condition) { return codes(pack_with("rule r \"R\" when " + condition + "\n")); }

std::string when_text(const std::string& condition) {
    return bia_test::diagnostics_of(pack_with("rule r \"R\" when " + condition + "\n"));
}

#define EXPECT_WHEN_OK(cond) EXPECT_EQ(when_text(cond), "") << "condition: " << (cond)
#define EXPECT_WHEN_ERROR(cond, code) \
    EXPECT_EQ(when_codes(cond), std::vector<std::string>{code}) << "condition: " << (cond) << "\n" << when_text(cond)

// ---- names -----------------------------------------------------------------

TEST(CheckerNames, KeywordsCannotNameAnything) {
    // "Keywords ... cannot be used as names (rule, fact, let, level, domain or source names, or the first
    // segment of a fact path)"
    const char* const keywords[] = {"pack", "source", "fact", "let",   "level", "domain", "rule",  "severity",
                                    "score", "when",  "action", "cites", "within", "and",  "or",   "not",
                                    "in",    "known", "years", "days",  "count", "today", "true", "false"};
    for (const char* k : keywords) {
        const std::string kw = k;
        SCOPED_TRACE("keyword " + kw);
        EXPECT_FALSE(bia::compile(std::string(header) + "let " + kw + " = 1\n").ok());
        EXPECT_FALSE(bia::compile(std::string(header) + "fact " + kw + ".x : bool\n").ok());
        EXPECT_FALSE(bia::compile(std::string(header) + "rule " + kw + " \"R\" when true\n").ok());
        EXPECT_FALSE(bia::compile(std::string(header) + "level " + kw + "\n").ok());
        EXPECT_FALSE(bia::compile(std::string(header) + "domain " + kw + " \"D\"\n").ok());
        EXPECT_FALSE(bia::compile(std::string(header) + "source " + kw + " \"S\"\n").ok());
        // Later segments of a path may be any identifier.
        EXPECT_TRUE(bia::compile(std::string(header) + "fact x." + kw + " : bool\n").ok()) << kw;
    }
    EXPECT_EQ(problems(std::string(header) + "let when = 1\n"), std::vector<std::string>{"5:5 E0203"});
    EXPECT_EQ(problems(std::string(header) + "fact known.x : bool\n"), std::vector<std::string>{"5:6 E0203"});
    EXPECT_EQ(problems(std::string(header) + "level today\n"), std::vector<std::string>{"5:7 E0203"});
    EXPECT_EQ(problems(std::string(header) + "source and \"S\"\n"), std::vector<std::string>{"5:8 E0203"});
    EXPECT_EQ(problems(std::string(header) + "domain or \"D\"\n"), std::vector<std::string>{"5:8 E0203"});
    EXPECT_EQ(problems(std::string(header) + "rule in \"R\" when true\n"), std::vector<std::string>{"5:6 E0203"});
}

TEST(CheckerNames, KeywordsAreCaseSensitive) {
    must_compile(std::string(header) + "let When = 1\nlet AND = 2\nfact Rule.x : bool\nlevel Today\nsource Known \"S\"\n"
                                        "domain Not \"D\"\nrule True \"R\" when When + AND = 3\n");
}

TEST(CheckerNames, FactsAndLetsShareOneNameSpace) {
    // "Facts and lets share one name space"; "A duplicate is reported at its later declaration."
    EXPECT_EQ(problems(std::string(header) + "fact x : bool\nlet x = 1\n"), std::vector<std::string>{"6:5 E0201"});
    EXPECT_EQ(problems(std::string(header) + "let x = 1\nfact x : bool\n"), std::vector<std::string>{"6:6 E0201"});
    EXPECT_EQ(problems(std::string(header) + "let x = 1\nlet x = 2\n"), std::vector<std::string>{"6:5 E0201"});
    EXPECT_EQ(problems(std::string(header) + "fact x.y : bool\nfact x.y : bool\n"), std::vector<std::string>{"6:6 E0201"});
}

TEST(CheckerNames, RulesLevelsDomainsAndSourcesHaveTheirOwnNameSpaces) {
    // The same name as a fact/let, rule, level, domain and source: no clash.
    const auto pack = must_compile(std::string(header) + R"(let x = 1
level x at 30
domain x "Domain x" cites x
source x "Source x"
rule x "Rule x"
  domain x
  severity x
  when x = 1
  cites x
)");
    EXPECT_EQ(pack.rules()[0].domain, "x");
    EXPECT_EQ(pack.rules()[0].severity, "x");
}

TEST(CheckerNames, DuplicatesOfEachKindAtTheLaterDeclaration) {
    EXPECT_EQ(problems(std::string(header) + "rule r \"R\" when true\nrule r \"R\" when true\n"),
              std::vector<std::string>{"6:6 E0201"});
    EXPECT_EQ(problems(std::string(header) + "level medium\n"), std::vector<std::string>{"5:7 E0201"});
    EXPECT_EQ(problems(std::string(header) + "domain d \"D\"\ndomain d \"E\"\n"), std::vector<std::string>{"6:8 E0201"});
    EXPECT_EQ(problems(std::string(header) + "source s \"D\"\nsource s \"E\"\n"), std::vector<std::string>{"6:8 E0201"});
    // Even when the later one comes first in another file of a directory pack, "later" is reading order.
    std::vector<bia::SourceFile> files{{"a.bia", std::string(header) + "\nfact x : bool\n"}, {"b.bia", "fact x : bool\n"}};
    const auto r = bia::compile(files, "dir");
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].path, "b.bia");
}

TEST(CheckerNames, FactPathPrefixOfAnotherIsAnError) {
    // "A fact path that is a prefix of another (`a` and `a.b`) is an error."
    EXPECT_EQ(problems(std::string(header) + "fact a : bool\nfact a.b : bool\n"), std::vector<std::string>{"6:6 E0204"});
    EXPECT_EQ(problems(std::string(header) + "fact a.b : bool\nfact a : bool\n"), std::vector<std::string>{"6:6 E0204"});
    EXPECT_EQ(problems(std::string(header) + "fact a.b.c.d : bool\nfact a.b : bool\n"),
              std::vector<std::string>{"6:6 E0204"});
    // A shared beginning that is not a whole segment is fine.
    must_compile(std::string(header) + "fact a.b : bool\nfact a.bc : bool\nfact ab : bool\nfact a.b_c : bool\n");
}

TEST(CheckerNames, UnknownNamesWithSuggestions) {
    const auto r = bia::compile(pack_with("rule r \"R\" when a.bb and not a.b\n"));
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].code, "E0202");
    EXPECT_EQ(r.diagnostics[0].line, first_free_line);
    EXPECT_EQ(r.diagnostics[0].column, 17u);
    EXPECT_NE(r.diagnostics[0].message.find("'a.bb'"), std::string::npos);
    EXPECT_NE(r.diagnostics[0].message.find("did you mean 'a.b'?"), std::string::npos) << r.diagnostics[0].message;
    // Nothing close: no suggestion.
    const auto far = bia::compile(pack_with("rule r \"R\" when completely.different\n"));
    ASSERT_EQ(far.diagnostics.size(), 1u);
    EXPECT_EQ(far.diagnostics[0].message.find("did you mean"), std::string::npos);
    // Lets are suggested too.
    const auto let = bia::compile(pack_with("let youngster = a.n < 15\nrule r \"R\" when youngstr\n"));
    ASSERT_EQ(let.diagnostics.size(), 1u);
    EXPECT_NE(let.diagnostics[0].message.find("did you mean 'youngster'?"), std::string::npos);
}

TEST(CheckerNames, UnknownFunctionsWithSuggestions) {
    // A name called like a function: the name and its position, not "found '('" at the parenthesis.
    const auto r = bia::compile(pack_with("rule r \"R\" when knwn(a.b)\n"));
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].code, "E0311");
    EXPECT_EQ(r.diagnostics[0].line, first_free_line);
    EXPECT_EQ(r.diagnostics[0].column, 17u);
    EXPECT_EQ(r.diagnostics[0].message, "unknown function 'knwn'; did you mean 'known'?");
    // A longer name that starts like a built-in, and one with a path.
    EXPECT_EQ(bia::compile(pack_with("rule r \"R\" when counter(a.s) > 1\n")).diagnostics.at(0).message,
              "unknown function 'counter'; did you mean 'count'?");
    EXPECT_EQ(bia::compile(pack_with("rule r \"R\" when a.n + foo.bar (a.n) > 1\n")).diagnostics.at(0).message,
              "unknown function 'foo.bar' (the functions are known, years, days, count, min, max, possibly, certainly)");
    // Reserved words before a parenthesis are the grammar's as before, and real calls are calls.
    must_compile(pack_with("rule r \"R\" when not (a.b) and (a.n > 1) or known(a.n) and max(a.n, 2) > 1\n"));
}

TEST(CheckerNames, UnknownLevelDomainSource) {
    EXPECT_EQ(problems(pack_with("rule r \"R\" severity urgent when true\n")), std::vector<std::string>{"16:21 E0206"});
    EXPECT_EQ(problems(pack_with("rule r \"R\" domain nowhere when true\n")), std::vector<std::string>{"16:19 E0206"});
    EXPECT_EQ(problems(pack_with("rule r \"R\" cites NOPE \"p. 1\" when true\n")), std::vector<std::string>{"16:18 E0206"});
    EXPECT_EQ(problems(pack_with("domain d \"D\" cites NOPE\n")), std::vector<std::string>{"16:20 E0206"});
}

TEST(CheckerNames, LetsMayBeUsedBeforeTheyAreDeclared) {
    must_compile(pack_with("rule r \"R\" when young\nlet young = age < 15\nlet age = years(a.d, today)\n"));
}

TEST(CheckerNames, LetCycles) {
    EXPECT_EQ(codes(pack_with("let x = x + 1\n")), std::vector<std::string>{"E0207"});
    EXPECT_EQ(codes(pack_with("let x = y\nlet y = x\n")), std::vector<std::string>{"E0207"});
    EXPECT_EQ(codes(pack_with("let x = y\nlet y = z and true\nlet z = not x\n")), std::vector<std::string>{"E0207"});
    // A diamond is not a cycle.
    must_compile(pack_with("let p = a.n\nlet q = p + 1\nlet r = p + 2\nlet s = q + r\nrule x \"X\" when s > 1\n"));
}

TEST(CheckerNames, KnownTakesAFactPathOnly) {
    // "`known()` takes a fact path only."
    EXPECT_WHEN_OK("known(a.b) and known(a.s) and known(a.e)");
    EXPECT_EQ(codes(pack_with("let l = a.n\nrule r \"R\" when known(l)\n")), std::vector<std::string>{"E0305"});
    EXPECT_WHEN_ERROR("known(1)", "E0305");
    EXPECT_WHEN_ERROR("known(a.n + 1)", "E0305");
    EXPECT_WHEN_ERROR("known(\"a.n\")", "E0305");
    EXPECT_WHEN_ERROR("known(a.b and a.b)", "E0305");
    EXPECT_WHEN_ERROR("known(no.such)", "E0202");
}

TEST(CheckerNames, ExactlyOnePack) {
    EXPECT_EQ(problems("level low\n"), std::vector<std::string>{"1:1 E0205"});
    EXPECT_EQ(problems(std::string(header) + "pack u version \"1.0.0\" \"U\"\n"), std::vector<std::string>{"5:1 E0205"});
}

// ---- levels, scores, time frames -------------------------------------------

TEST(CheckerLevels, AtLeastOneLevel) {
    EXPECT_EQ(problems("pack t version \"1.0.0\" \"T\"\n"), std::vector<std::string>{"1:1 E0208"});
    must_compile("pack t version \"1.0.0\" \"T\"\nlevel only\n");
}

TEST(CheckerLevels, ThresholdsRiseInDeclarationOrder) {
    const std::string p = "pack t version \"1.0.0\" \"T\"\n";
    must_compile(p + "level a\nlevel b at 0\nlevel c\nlevel d at 0.5\nlevel e at 100\n");
    EXPECT_EQ(codes(p + "level a\nlevel b at 10\nlevel c at 10\n"), std::vector<std::string>{"E0209"});
    EXPECT_EQ(codes(p + "level a\nlevel b at 10\nlevel c at 5\n"), std::vector<std::string>{"E0209"});
    // Levels without `at` in between do not reset the comparison.
    EXPECT_EQ(codes(p + "level a at 10\nlevel b\nlevel c at 9\n"), std::vector<std::string>{"E0209"});
    EXPECT_EQ(problems(p + "level a\nlevel b at 10\nlevel c at 5\n"), std::vector<std::string>{"4:1 E0209"});
}

TEST(CheckerLevels, ScoreAndAtTakeNonNegativeNumbers) {
    // "`score` and `at` take non-negative numbers"
    must_compile(pack_with("rule r \"R\" score 0 when true\nrule s \"S\" score 2.5 when true\n"));
    EXPECT_FALSE(bia::compile(pack_with("rule r \"R\" score -1 when true\n")).ok());
    EXPECT_FALSE(bia::compile("pack t version \"1.0.0\" \"T\"\nlevel low\nlevel high at -5\n").ok());
    EXPECT_FALSE(bia::compile(pack_with("rule r \"R\" score a.n when true\n")).ok());
}

TEST(CheckerLevels, WithinTakesANonNegativeInteger) {
    // "`within` takes a non-negative integer"
    must_compile(pack_with("rule r \"R\" when true action \"A\" within 0 days action \"B\" within 10 weeks\n"));
    EXPECT_EQ(problems(pack_with("rule r \"R\" when true action \"A\" within 1.5 days\n")),
              std::vector<std::string>{"16:40 E0307"});
    EXPECT_EQ(codes(pack_with("rule r \"R\" when true action \"A\" within 0.5 weeks\n")), std::vector<std::string>{"E0307"});
    EXPECT_FALSE(bia::compile(pack_with("rule r \"R\" when true action \"A\" within -1 days\n")).ok());
    EXPECT_FALSE(bia::compile(pack_with("rule r \"R\" when true action \"A\" within a.n days\n")).ok());
    EXPECT_FALSE(bia::compile(pack_with("rule r \"R\" when true action \"A\" within 2 months\n")).ok());
}

TEST(CheckerRules, WhenIsRequiredAndClausesAtMostOnce) {
    EXPECT_EQ(problems(pack_with("rule r \"R\" score 1\n")), std::vector<std::string>{"16:6 E0210"});
    EXPECT_EQ(codes(pack_with("rule r \"R\" when true when false\n")), std::vector<std::string>{"E0210"});
    EXPECT_EQ(codes(pack_with("rule r \"R\" when true score 1 score 2\n")), std::vector<std::string>{"E0210"});
    EXPECT_EQ(codes(pack_with("rule r \"R\" when true severity low severity high\n")), std::vector<std::string>{"E0210"});
    EXPECT_EQ(codes(pack_with("domain d \"D\"\nrule r \"R\" when true domain d domain d\n")),
              std::vector<std::string>{"E0210"});
    // `action` and `cites` may repeat.
    must_compile(pack_with("source S \"S\"\nrule r \"R\" when true action \"A\" action \"A\" cites S cites S\n"));
}

TEST(CheckerRules, AnchorMustBeADate) {
    EXPECT_WHEN_OK("true action \"A\" within 1 day of a.d");
    EXPECT_WHEN_OK("true action \"A\" within 1 day of 2026-01-01");
    EXPECT_WHEN_OK("true action \"A\" within 1 day of today");
    EXPECT_WHEN_ERROR("true action \"A\" within 1 day of a.n", "E0301");
    EXPECT_WHEN_ERROR("true action \"A\" within 1 day of a.t", "E0301");
    EXPECT_WHEN_ERROR("true action \"A\" within 1 day of \"2026-01-01\"", "E0301");
}

// ---- types -----------------------------------------------------------------

TEST(CheckerTypes, WhenMustBeBool) {
    EXPECT_WHEN_OK("a.b");
    EXPECT_WHEN_OK("true");
    EXPECT_WHEN_ERROR("a.n", "E0301");
    EXPECT_WHEN_ERROR("a.t", "E0301");
    EXPECT_WHEN_ERROR("a.d", "E0301");
    EXPECT_WHEN_ERROR("a.e", "E0301");
    EXPECT_WHEN_ERROR("a.s", "E0301");
    EXPECT_WHEN_ERROR("\"yes\"", "E0301");
    EXPECT_WHEN_ERROR("1", "E0301");
    EXPECT_WHEN_ERROR("today", "E0301");
    EXPECT_WHEN_ERROR("{\"x\"}", "E0301");
    EXPECT_EQ(codes(pack_with("let l = a.n + 1\nrule r \"R\" when l\n")), std::vector<std::string>{"E0301"});
}

TEST(CheckerTypes, LogicTakesBools) {
    EXPECT_WHEN_OK("not a.b and (a.b or false)");
    EXPECT_WHEN_ERROR("not a.n", "E0301");
    EXPECT_WHEN_ERROR("a.b and a.n", "E0301");
    EXPECT_WHEN_ERROR("a.t or a.b", "E0301");
    EXPECT_WHEN_ERROR("a.b and a.b and a.d", "E0301");
}

TEST(CheckerTypes, EqualityComparesLikeWithLike) {
    // "`=`/`!=` compare bool, number, text, date, and a `one of` value with a member string or the same `one of` type"
    EXPECT_WHEN_OK("a.b = true and a.b != a.b");
    EXPECT_WHEN_OK("a.n = 1 and a.n != a.n");
    EXPECT_WHEN_OK("a.t = \"x\" and a.t != a.t2 and \"x\" = a.t");
    EXPECT_WHEN_OK("a.d = 2026-01-01 and a.d != a.d2 and a.d = today");
    EXPECT_WHEN_OK("a.e = \"x\" and \"y\" != a.e and a.e = a.e");
    EXPECT_WHEN_ERROR("a.b = 1", "E0302");
    EXPECT_WHEN_ERROR("a.n = \"1\"", "E0302");
    EXPECT_WHEN_ERROR("a.n = a.t", "E0302");
    EXPECT_WHEN_ERROR("a.d = \"2026-01-01\"", "E0302");
    EXPECT_WHEN_ERROR("a.d = a.n", "E0302");
    EXPECT_WHEN_ERROR("a.t = a.d", "E0302");
    EXPECT_WHEN_ERROR("a.b != a.t", "E0302");
    // A `one of` value is not text.
    EXPECT_WHEN_ERROR("a.e = a.t", "E0302");
    EXPECT_WHEN_ERROR("a.e = 1", "E0302");
}

TEST(CheckerTypes, EnumStringsMustBeMembers) {
    // "Enum values are written as strings and must be members of the type they are compared with."
    EXPECT_WHEN_ERROR("a.e = \"z\"", "E0303");
    EXPECT_WHEN_ERROR("\"z\" != a.e", "E0303");
    EXPECT_WHEN_ERROR("a.e = \"X\"", "E0303");  // members are case-sensitive
    EXPECT_WHEN_ERROR("a.e in {\"x\", \"z\"}", "E0303");
    EXPECT_WHEN_ERROR("\"z\" in a.s", "E0303");
    EXPECT_WHEN_OK("a.e in {\"x\", \"y\"} and \"y\" in a.s");
    // Through a let, the type is the same.
    EXPECT_EQ(codes(pack_with("let g = a.e\nrule r \"R\" when g = \"nope\"\n")), std::vector<std::string>{"E0303"});
}

TEST(CheckerTypes, EnumWithEnumOfTheSameType) {
    // The same `one of` type: the same fact, or the same members (in any order).
    EXPECT_WHEN_OK("a.e = a.e");
    EXPECT_WHEN_OK("a.e = a.f and a.f != a.e");
    EXPECT_WHEN_ERROR("a.e = a.g", "E0302");
}

TEST(CheckerTypes, OrderingComparesNumbersAndDatesOnly) {
    // "`< <= > >=` compare numbers and dates only"
    EXPECT_WHEN_OK("a.n < 1 and a.n <= a.n and 2 > a.n and a.n >= -1.5");
    EXPECT_WHEN_OK("a.d < 2026-01-01 and a.d <= today and a.d > a.d2 and today >= a.d");
    EXPECT_WHEN_ERROR("a.t < \"m\"", "E0302");
    EXPECT_WHEN_ERROR("a.t >= a.t2", "E0302");
    EXPECT_WHEN_ERROR("a.b < true", "E0302");
    EXPECT_WHEN_ERROR("a.e < \"y\"", "E0302");
    EXPECT_WHEN_ERROR("a.e > a.e", "E0302");
    EXPECT_WHEN_ERROR("a.d > 5", "E0302");
    EXPECT_WHEN_ERROR("5 <= a.d", "E0302");
    EXPECT_WHEN_ERROR("a.s < a.s", "E0302");
}

TEST(CheckerTypes, SetsOnlyThroughInAndCount) {
    // "sets are compared only through `in` and `count`"
    EXPECT_WHEN_OK("count(a.s) = 2 and \"x\" in a.s and count({\"p\"}) = 1");
    EXPECT_WHEN_ERROR("a.s = {\"x\"}", "E0302");
    EXPECT_WHEN_ERROR("a.s != a.s", "E0302");
    EXPECT_WHEN_ERROR("a.s = a.u", "E0302");
    EXPECT_WHEN_ERROR("{\"x\"} = {\"x\"}", "E0302");
    EXPECT_WHEN_ERROR("a.s + 1 > 2", "E0301");
    const auto r = bia::compile(pack_with("rule r \"R\" when a.s = {\"x\"}\n"));
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_NE(r.diagnostics[0].message.find("`in` and `count`"), std::string::npos) << r.diagnostics[0].message;
}

TEST(CheckerTypes, InMembership) {
    // "`x in S`: x is text, a `one of` value or a string; S a set-typed fact or set literal (may be empty;
    // duplicate members are an error)."
    EXPECT_WHEN_OK("a.t in {\"anything\", \"else\"}");
    EXPECT_WHEN_OK("a.t in a.s");
    EXPECT_WHEN_OK("a.e in a.s and a.e in a.u and a.e in {\"x\"}");
    EXPECT_WHEN_OK("\"x\" in a.s and \"q\" in {\"q\"}");
    EXPECT_WHEN_OK("a.t in {} and not (a.e in {})");
    EXPECT_WHEN_ERROR("a.n in {\"1\"}", "E0302");
    EXPECT_WHEN_ERROR("a.b in {\"true\"}", "E0302");
    EXPECT_WHEN_ERROR("a.d in {\"2026-01-01\"}", "E0302");
    EXPECT_WHEN_ERROR("a.s in a.s", "E0302");
    EXPECT_WHEN_ERROR("{\"x\"} in a.s", "E0302");
    EXPECT_WHEN_ERROR("a.t in a.t2", "E0302");
    EXPECT_WHEN_ERROR("\"x\" in a.e", "E0302");
    EXPECT_WHEN_ERROR("\"x\" in \"xyz\"", "E0302");
    EXPECT_WHEN_ERROR("a.t in {\"p\", \"q\", \"p\"}", "E0310");
    EXPECT_WHEN_ERROR("count({\"p\", \"p\"}) = 1", "E0310");
}

TEST(CheckerTypes, ArithmeticTakesNumbers) {
    EXPECT_WHEN_OK("a.n + 1 - 2 * 3 / 4 > -a.n");
    EXPECT_WHEN_OK("years(a.d, today) + days(a.d, a.d2) + count(a.s) > 0");
    EXPECT_WHEN_ERROR("a.t + 1 > 2", "E0301");
    EXPECT_WHEN_ERROR("\"1\" + 1 > 2", "E0301");
    EXPECT_WHEN_ERROR("a.d + 1 > 2", "E0301");  // dates are measured with days() and years()
    EXPECT_WHEN_ERROR("a.d - 1 > 1", "E0301");
    EXPECT_WHEN_ERROR("a.b * 2 > 1", "E0301");
    EXPECT_WHEN_ERROR("a.e / 2 > 1", "E0301");
    EXPECT_WHEN_ERROR("-a.t = 1", "E0301");
    EXPECT_WHEN_ERROR("-a.d < 1", "E0301");
}

TEST(CheckerTypes, FunctionSignatures) {
    EXPECT_WHEN_ERROR("years(a.d) > 1", "E0304");
    EXPECT_WHEN_ERROR("years(a.d, a.d, a.d) > 1", "E0304");
    EXPECT_WHEN_ERROR("days(a.d) > 1", "E0304");
    EXPECT_WHEN_ERROR("count(a.s, a.s) > 1", "E0304");
    EXPECT_WHEN_ERROR("known(a.b, a.b)", "E0304");
    EXPECT_WHEN_ERROR("count(a.t) > 1", "E0304");
    EXPECT_WHEN_ERROR("count(a.e) > 1", "E0304");
    EXPECT_WHEN_ERROR("years(a.n, today) > 1", "E0301");
    EXPECT_WHEN_ERROR("days(today, \"2026-01-01\") > 1", "E0301");
    EXPECT_WHEN_ERROR("years(a.d, today) = a.d", "E0302");  // years() is a number
}

TEST(CheckerTypes, DateLiteralsMustExist) {
    EXPECT_WHEN_OK("a.d = 2024-02-29");
    EXPECT_WHEN_OK("a.d = 2000-02-29");
    EXPECT_WHEN_ERROR("a.d = 2025-02-29", "E0306");
    EXPECT_WHEN_ERROR("a.d = 1900-02-29", "E0306");
    EXPECT_WHEN_ERROR("a.d = 2026-02-30", "E0306");
    EXPECT_WHEN_ERROR("a.d = 2026-04-31", "E0306");
    EXPECT_WHEN_ERROR("a.d = 2026-13-01", "E0306");
    EXPECT_WHEN_ERROR("a.d = 2026-00-10", "E0306");
    EXPECT_WHEN_ERROR("a.d = 2026-01-00", "E0306");
    EXPECT_EQ(problems(pack_with("rule r \"R\" when a.d < 2026-02-30\n")), std::vector<std::string>{"16:23 E0306"});
}

TEST(CheckerTypes, TypeMembers) {
    EXPECT_EQ(codes(std::string(header) + "fact a : one of {\"x\", \"x\"}\n"), std::vector<std::string>{"E0211"});
    EXPECT_EQ(codes(std::string(header) + "fact a : set of {}\n"), std::vector<std::string>{"E0211"});
    // At most 64 members in a `set of`.
    std::string members;
    for (int i = 0; i < 65; ++i) members += (i ? ", \"m" : "\"m") + std::to_string(i) + "\"";
    EXPECT_EQ(codes(std::string(header) + "fact a : set of {" + members + "}\n"), std::vector<std::string>{"E0502"});
    std::string sixty_four;
    for (int i = 0; i < 64; ++i) sixty_four += (i ? ", \"m" : "\"m") + std::to_string(i) + "\"";
    must_compile(std::string(header) + "fact a : set of {" + sixty_four + "}\n");
}

TEST(CheckerTypes, ErrorsDoNotCascade) {
    // One unknown name gives one diagnostic, not one per enclosing expression.
    EXPECT_WHEN_ERROR("not ((nothing + 1) * 2 > 3) and a.b", "E0202");
    EXPECT_WHEN_ERROR("-(a.t) * 2 > 3 or a.b", "E0301");
    EXPECT_WHEN_ERROR("years(nothing, today) > 3", "E0202");
}

TEST(CheckerTypes, AllErrorsOfAPackReported) {
    const auto r = bia::compile(pack_with(R"(rule r1 "R" when a.n
rule r2 "R" when a.t < "x"
rule r3 "R" when a.e = "q"
rule r4 "R" when known(1)
rule r5 "R" when a.d = 2026-02-30
rule r6 "R" when a.s = a.s
rule r7 "R" when count(a.t) > 0
rule r8 "R" when nope
)"));
    std::vector<std::string> got;
    for (const auto& d : r.diagnostics) got.push_back(std::to_string(d.line) + " " + d.code);
    EXPECT_EQ(got, (std::vector<std::string>{"16 E0301", "17 E0302", "18 E0303", "19 E0305", "20 E0306", "21 E0302",
                                             "22 E0304", "23 E0202"}));
}

// Scores that add up past the largest double made an infinite score: `"score": null` in JSON,
// `inf` in text (issue 16, item 6). A pack whose scores together pass half the largest double
// is refused at the score that passes it, once.
TEST(Checker, ScoresThatCouldOverflowAreRefused) {
    const std::string big = "6" + std::string(307, '0');  // 6e307: two of them overflow a double
    const std::string rules = "rule r1 \"R1\"\n  score " + big + "\n  when a.b\n"
                              "rule r2 \"R2\"\n  score 1\n  when a.b\n"
                              "rule r3 \"R3\"\n  score " + big + "\n  when a.b\n"
                              "rule r4 \"R4\"\n  score " + big + "\n  when a.b\n";
    const auto r = bia::compile(pack_with(rules));
    ASSERT_EQ(r.diagnostics.size(), 1u) << bia::format_diagnostics(r.diagnostics);
    EXPECT_EQ(r.diagnostics[0].code, "E0502");
    EXPECT_EQ(r.diagnostics[0].line, first_free_line + 7);  // r3's score
    EXPECT_EQ(r.diagnostics[0].column, 9u);  // its number
    EXPECT_NE(r.diagnostics[0].message.find("r3"), std::string::npos) << r.diagnostics[0].message;
}

TEST(Checker, ScoresJustUnderTheCapGiveFiniteScores) {
    // Two rules of 4e307 each: 8e307 in total, under the cap; the JSON score is a number.
    const std::string big = "4" + std::string(307, '0');
    const auto pack = must_compile(pack_with("rule r1 \"R1\"\n  score " + big + "\n  when a.b\n"
                                             "rule r2 \"R2\"\n  score " + big + "\n  when a.b\n"));
    const auto result = bia_test::must_evaluate(pack, R"({"a": {"b": true}})");
    const auto json = bia::to_json(result);
    ASSERT_TRUE(json["score"].is_number()) << json["score"].dump();
    EXPECT_EQ(json["score"].get<double>(), 8e307);
    // One more rule of 4e307, even unfired, passes the cap: possible_score could reach 1.2e308.
    EXPECT_EQ(codes(pack_with("rule r1 \"R1\"\n  score " + big + "\n  when a.b\n"
                              "rule r2 \"R2\"\n  score " + big + "\n  when a.b\n"
                              "rule r3 \"R3\"\n  score " + big + "\n  when not a.b\n")),
              std::vector<std::string>{"E0502"});
}

}  // namespace

// ---- bia test --only ----------------------------------------------------------

TEST(PackTests, NamePatterns) {
    EXPECT_TRUE(bia::test_name_matches("alone is high", "alone is high"));
    EXPECT_FALSE(bia::test_name_matches("alone is high", "alone is hig"));
    EXPECT_TRUE(bia::test_name_matches("alone is high", "alone*"));
    EXPECT_TRUE(bia::test_name_matches("alone is high", "*high"));
    EXPECT_TRUE(bia::test_name_matches("alone is high", "*is*"));
    EXPECT_TRUE(bia::test_name_matches("alone is high", "alone ?s high"));
    EXPECT_FALSE(bia::test_name_matches("alone is high", "*low*"));
    EXPECT_TRUE(bia::test_name_matches("aaab", "*a*b"));  // a star backs off and retries
    EXPECT_TRUE(bia::test_name_matches("", "*"));
    EXPECT_FALSE(bia::test_name_matches("", "?"));
    EXPECT_TRUE(bia::test_name_matches("a*b", "a*b"));
}

TEST(PackTests, OnlyRunsTheMatchingTestsAndCountsTheirCoverage) {
    const auto pack = must_compile(pack_with(
        "rule r \"R\" when a.b\nrule q \"Q\" when a.n > 1\n"
        "test \"b fires r\" given a.b = true, a.n = 0 expect fired r\n"
        "test \"n fires q\" given a.n = 2 expect fired q\n"));
    const auto all = bia::run_tests(pack);
    ASSERT_EQ(all.tests.size(), 2u);
    EXPECT_EQ(all.coverage_percent(), 100);
    const auto one = bia::run_tests(pack, "b *");
    ASSERT_EQ(one.tests.size(), 1u);
    EXPECT_EQ(one.tests[0].name, "b fires r");
    EXPECT_TRUE(one.coverage[0].fired);
    EXPECT_FALSE(one.coverage[1].fired);
    EXPECT_EQ(one.coverage_percent(), 50);
    EXPECT_TRUE(bia::run_tests(pack, "none").tests.empty());
}
