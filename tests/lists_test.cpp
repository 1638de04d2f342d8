// Language 2's lists of records (docs/language.md#lists-of-records): `record`, `list of RECORD
// [up to N]`, the quantifiers any / all / count with their three-valued answers on every evaluation
// path, the missing facts they name (element paths), the binders' errors with their JSON paths, the
// checker's errors with their positions, `bia test` list literals, explanations per element, and
// what a pack tells about its lists.
#include <bia/explain.hpp>
#include <bia/report.hpp>
#include <bia/testing.hpp>

#include "test_util.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <random>

namespace {

using bia_test::diagnostics_of;
using bia_test::fact_errors;
using bia_test::must_compile;
using bia_test::must_evaluate;

const std::string header = "language 2\npack t version \"1.0.0\" \"T\"\nlevel low\nlevel high at 10\n";

const std::string family = header +
                           "record member \"A family member\"\n"
                           "  relation : one of {\"mother\", \"father\", \"sibling\", \"other\"}\n"
                           "  located : bool \"Has the member been located?\"\n"
                           "  birth_date : date\n"
                           "fact family.members : list of member up to 4 \"Family members\"\n"
                           "rule any_unlocated \"A sibling not located\" when any m in family.members: m.relation = "
                           "\"sibling\" and not m.located\n"
                           "rule all_located \"Everyone located\" when all m in family.members: m.located\n"
                           "rule two_unlocated \"Two not located\" when count(m in family.members where not m.located) >= 2\n"
                           "rule none_unlocated \"None not located\" when count(m in family.members where not m.located) = 0\n";

std::vector<std::string> missing_of(const bia::Result& r, std::string_view rule) {
    const auto* u = bia_test::undetermined(r, rule);
    return u == nullptr ? std::vector<std::string>{} : u->missing;
}

// Each rule's outcome: 'F' fired, 'n' not fired, '?' undetermined.
char outcome(const bia::Result& r, std::string_view rule) {
    if (bia_test::fired(r, rule)) return 'F';
    return bia_test::undetermined(r, rule) != nullptr ? '?' : 'n';
}

// ---- the quantifiers' three values -----------------------------------------------

struct Row {
    const char* json;
    const char* outcomes;  // any_unlocated, all_located, two_unlocated, none_unlocated
};

// Written from the Kleene meaning before running: an unrecorded list leaves each open; a recorded
// empty list decides each (no one to trace, everyone traced, none counted); an element with an
// unknown field leaves `any` open only when no other element decides it.
const Row rows[] = {
    {R"({})", "????"},
    {R"({"family": {"members": null}})", "????"},
    {R"({"family": {"members": []}})", "nFnF"},
    {R"({"family": {"members": [{"relation": "sibling", "located": false}]}})", "Fnnn"},
    {R"({"family": {"members": [{"relation": "sibling", "located": true}]}})", "nFnF"},
    // The mother's unknown `located` cannot change `any` (she is no sibling), but leaves `all` open.
    {R"({"family": {"members": [{"relation": "sibling", "located": true}, {"relation": "mother"}]}})", "n?n?"},
    // A sibling not located decides `any` whatever the others; one false decides `all`.
    {R"({"family": {"members": [{"relation": "sibling"}, {"relation": "sibling", "located": false}]}})", "Fn?n"},
    // Two not located and one unknown: the count is between 2 and 3, so `>= 2` holds and `= 0` fails.
    {R"({"family": {"members": [{"located": false}, {"located": false}, {}]}})", "?nFn"},
    // One not located and one unknown: between 1 and 2, so `>= 2` is open.
    {R"({"family": {"members": [{"located": false}, {}]}})", "?n?n"},
    // Four, the most the list holds.
    {R"({"family": {"members": [{"located": true}, {"located": true}, {"located": true}, {"located": true}]}})", "nFnF"},
};

TEST(Lists, QuantifiersAreThreeValuedOnEveryPath) {
    const bia::Pack pack = must_compile(family);
    std::vector<std::string> texts;
    for (const Row& row : rows) {
        SCOPED_TRACE(row.json);
        const bia::Result r = must_evaluate(pack, row.json);
        const std::string got{outcome(r, "any_unlocated"), outcome(r, "all_located"), outcome(r, "two_unlocated"),
                              outcome(r, "none_unlocated")};
        EXPECT_EQ(got, row.outcomes);
        // The events binder (CaseEvents, Pack::evaluate(nlohmann::json)) gets what the text gets.
        bia::EvalOptions options;
        options.as_of = bia_test::date("2026-03-10");
        const auto by_value = pack.evaluate(nlohmann::json::parse(row.json), options);
        ASSERT_TRUE(by_value.ok());
        EXPECT_EQ(bia::render_json(*by_value.result), bia::render_json(r));
    }
    // 70 cases: a full block of 64 lanes and a part-filled one give each case what it gets alone.
    for (int i = 0; i < 70; ++i) texts.push_back(rows[(i * 7) % std::size(rows)].json);
    bia_test::expect_batch_equals_single(pack, texts);
}

TEST(Lists, AnyIsNotAllNot) {
    // De Morgan over lists, for every row: any m: P is not (all m: not P).
    const bia::Pack pack = must_compile(family +
                                        "rule a \"A\" when any m in family.members: not m.located\n"
                                        "rule b \"B\" when not (all m in family.members: m.located)\n");
    for (const Row& row : rows) {
        SCOPED_TRACE(row.json);
        const bia::Result r = must_evaluate(pack, row.json);
        EXPECT_EQ(outcome(r, "a"), outcome(r, "b"));
    }
}

// Random lists against an oracle written from the definitions: Kleene's or/and over the elements
// the case gives, and a count between the true ones and the true or unknown ones. Single cases and
// blocks of 64 alike.
TEST(Lists, RandomListsAgreeWithTheDefinitions) {
    const bia::Pack pack = must_compile(header +
                                        "record r \"R\"\n  x : bool\n  y : bool\n"
                                        "fact l : list of r up to 5\n"
                                        "rule any_x \"A\" when any m in l: m.x and not m.y\n"
                                        "rule all_x \"B\" when all m in l: m.x or m.y\n"
                                        "rule two \"C\" when count(m in l where m.x) >= 2\n"
                                        "rule under_two \"D\" when count(m in l where m.x) < 2\n");
    std::mt19937 rng(20261208);
    // A Kleene value: 0 false, 1 true, 2 unknown.
    auto k_and = [](int a, int b) { return a == 0 || b == 0 ? 0 : a == 2 || b == 2 ? 2 : 1; };
    auto k_or = [](int a, int b) { return a == 1 || b == 1 ? 1 : a == 2 || b == 2 ? 2 : 0; };
    auto k_not = [](int a) { return a == 2 ? 2 : 1 - a; };
    std::vector<std::string> texts;
    std::vector<std::string> expected;
    for (int c = 0; c < 600; ++c) {
        const bool given = rng() % 6 != 0;
        const int n = static_cast<int>(rng() % 6);
        nlohmann::json list = nlohmann::json::array();
        int any = 0, all = 1, lower = 0, upper = 0;
        for (int i = 0; i < n; ++i) {
            const int x = static_cast<int>(rng() % 3), y = static_cast<int>(rng() % 3);
            nlohmann::json element = nlohmann::json::object();
            if (x != 2) element["x"] = x == 1;
            if (y != 2) element["y"] = y == 1;
            list.push_back(element);
            any = k_or(any, k_and(x, k_not(y)));
            all = k_and(all, k_or(x, y));
            lower += x == 1;
            upper += x != 0;
        }
        if (!given) {
            // No list: every element's condition here depends on the element, so each stays open
            // (a count between 0 and 5 decides neither comparison).
            any = all = 2;
            lower = 0;
            upper = 5;
        }
        auto sign = [](int v) { return v == 1 ? 'F' : v == 0 ? 'n' : '?'; };
        const int two = lower >= 2 ? 1 : upper < 2 ? 0 : 2;
        const int under_two = upper < 2 ? 1 : lower >= 2 ? 0 : 2;
        expected.push_back({sign(any), sign(all), sign(two), sign(under_two)});
        nlohmann::json json = nlohmann::json::object();
        if (given) json["l"] = list;
        texts.push_back(json.dump());
    }
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const bia::Result r = must_evaluate(pack, texts[i]);
        const std::string got{outcome(r, "any_x"), outcome(r, "all_x"), outcome(r, "two"), outcome(r, "under_two")};
        ASSERT_EQ(got, expected[i]) << texts[i];
    }
    // Blocks of 64 give each case what it gets alone, so the oracle's outcomes too.
    bia_test::expect_batch_equals_single(pack, texts);
}

// ---- missing information -------------------------------------------------------

TEST(Lists, MissingInformationNamesTheListOrTheElementsFields) {
    const bia::Pack pack = must_compile(family);
    // No list: the list itself, not the fields of elements that may not exist.
    EXPECT_EQ(missing_of(must_evaluate(pack, "{}"), "any_unlocated"), std::vector<std::string>{"family.members"});
    // A list: the fields that would settle it, by element path; decided elements are not asked about.
    const bia::Result r =
        must_evaluate(pack, R"({"family": {"members": [{"relation": "sibling", "located": true}, {"relation": "sibling"}, {}]}})");
    EXPECT_EQ(missing_of(r, "any_unlocated"),
              (std::vector<std::string>{"family.members[1].located", "family.members[2].relation", "family.members[2].located"}));
    EXPECT_EQ(missing_of(r, "all_located"), (std::vector<std::string>{"family.members[1].located", "family.members[2].located"}));
    // Elements past the case's list (the list holds 4) are never named.
    for (const auto& path : r.missing) EXPECT_EQ(path.find("[3]"), std::string::npos) << path;
    // Reports describe an element's field by its record's description.
    const bia::Result one = must_evaluate(pack, R"({"family": {"members": [{"relation": "sibling"}]}})");
    EXPECT_NE(bia::render_text(one, pack).find("family.members[0].located: Has the member been located?"), std::string::npos);
    EXPECT_NE(bia::render_html(one, pack).find("family.members[0].located</code></td><td>Has the member been located?"),
              std::string::npos);
    // A count left open by an unknown element names it too.
    const bia::Result c = must_evaluate(pack, R"({"family": {"members": [{"located": false}, {}]}})");
    EXPECT_EQ(missing_of(c, "two_unlocated"), std::vector<std::string>{"family.members[1].located"});
}

TEST(Lists, ExplainGoesElementByElement) {
    const bia::Pack pack = must_compile(family);
    bia::EvalOptions options;
    options.as_of = bia_test::date("2026-03-10");
    const auto e = bia::explain(pack, R"({"family": {"members": [{"located": false}, {}]}})", "two_unlocated", options);
    ASSERT_TRUE(e.explanation);
    EXPECT_EQ(e.explanation->outcome, bia::RuleOutcome::undetermined);
    std::vector<std::string> lines;
    for (const auto& s : e.explanation->steps) lines.push_back(std::string(s.depth * 2, ' ') + s.expression + " -> " + s.value);
    EXPECT_EQ(lines, (std::vector<std::string>{
                         "count(m in family.members where not m.located) >= 2 -> unknown",
                         "  count(m in family.members where not m.located) -> between 1 and 2",
                         "    family.members[0]: not m.located -> true",
                         "      m.located -> false",
                         "    family.members[1]: not m.located -> unknown",
                         "      m.located -> unknown",
                     }));
}

// ---- binding a case -------------------------------------------------------------

std::string errors_text(const std::vector<bia::FactError>& errors) {
    std::string out;
    for (const auto& e : errors) out += e.path + ": " + e.message + "\n";
    return out;
}

TEST(Lists, BadListsAreFactErrorsAtTheirPathWithoutValues) {
    const bia::Pack pack = must_compile(family);
    EXPECT_EQ(errors_text(fact_errors(pack, R"({"family": {"members": {"relation": "sibling"}}})")),
              "family.members: expected an array of member records (JSON objects), found an object\n");
    EXPECT_EQ(errors_text(fact_errors(pack, R"({"family": {"members": 3}})")),
              "family.members: expected an array of member records (JSON objects), found a number\n");
    EXPECT_EQ(errors_text(fact_errors(pack, R"({"family": {"members": [{"located": true}, "Amira", [], null]}})")),
              "family.members[1]: expected a member record (a JSON object), found a string\n"
              "family.members[2]: expected a member record (a JSON object), found an array\n"
              "family.members[3]: expected a member record (a JSON object), found null\n");
    // A field of the wrong type, a list where a bool was expected, a value not of the field's type.
    EXPECT_EQ(errors_text(fact_errors(pack, R"({"family": {"members": [{"located": [true]}, {"relation": "aunt"}, {"located": {"a": 1}}]}})")),
              "family.members[0].located: expected a boolean (true or false), found an array\n"
              "family.members[1].relation: expected one of the strings {\"mother\", \"father\", \"sibling\", \"other\"}, "
              "found a string that is not one of them\n"
              "family.members[2].located: expected a boolean (true or false), found an object\n");
    // Duplicate keys in an element.
    EXPECT_EQ(errors_text(fact_errors(pack, R"({"family": {"members": [{"located": true, "located": false}]}})")),
              "family.members[0].located: duplicate key in a JSON object\n");
    // A partial date in an element (language 2's dates are imprecise unless declared exact); a bad one.
    must_evaluate(pack, R"({"family": {"members": [{"birth_date": "2009"}]}})");
    EXPECT_EQ(errors_text(fact_errors(pack, R"({"family": {"members": [{"birth_date": "2009-13"}]}})")),
              "family.members[0].birth_date: expected a date string \"YYYY-MM-DD\", \"YYYY-MM\" or \"YYYY\" naming a real "
              "calendar date, found a string that is not one\n");
}

TEST(Lists, AFieldTheRecordDoesNotDeclareIsAWarningOrUnderStrictAnError) {
    const bia::Pack pack = must_compile(family);
    const bia::Result r = must_evaluate(pack, R"({"family": {"members": [{"located": true, "relaton": "sibling"}]}})");
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_EQ(r.warnings[0].path, "family.members[0].relaton");
    EXPECT_EQ(r.warnings[0].message,
              "is not a field of record 'member'; ignored (did you mean 'family.members[0].relation'?)");
    EXPECT_EQ(r.warnings[0].suggestion, "family.members[0].relation");
    EXPECT_EQ(errors_text(fact_errors(pack, R"({"family": {"members": [{"relaton": "sibling"}]}})", true)),
              "family.members[0].relaton: is not a field of record 'member' (strict mode); did you mean "
              "'family.members[0].relation'?\n");
}

TEST(Lists, ALongerListThanDeclaredIsRefusedNotCut) {
    const bia::Pack pack = must_compile(family);
    // 100,000 elements: one error at the list's path, quickly, and no element kept.
    std::string json = R"({"family": {"members": [)";
    for (int i = 0; i < 100000; ++i) json += i == 0 ? R"({"located": false})" : R"(,{"located": false})";
    json += "]}}";
    const auto errors = fact_errors(pack, json);
    EXPECT_EQ(errors_text(errors),
              "family.members: the list has more than 4 elements, the most this pack's declaration (`up to 4`) allows; "
              "the list is left unknown\n");
    // Five is one too many; four is fine (QuantifiersAreThreeValuedOnEveryPath).
    EXPECT_EQ(fact_errors(pack, R"({"family": {"members": [{}, {}, {}, {}, {}]}})").size(), 1u);
}

// ---- the checker ---------------------------------------------------------------

TEST(Lists, AV1PackCannotDeclareOrReadALists) {
    const std::string v1 = "pack t version \"1.0.0\" \"T\"\nlevel low\n";
    EXPECT_EQ(diagnostics_of(v1 + "record member \"M\"\n  located : bool\nfact f.m : list of member\n"),
              "t.bia:3:8: error: `record` is language 2; declare `language 2` in the pack (a line of its own) to use "
              "it [E0312]\n  record member \"M\"\n         ^\n"
              "t.bia:5:12: error: `list of` is language 2; declare `language 2` in the pack (a line of its own) to use "
              "it [E0312]\n  fact f.m : list of member\n             ^\n");
    // Without a record, `record` starts no declaration: a v1 expression may go on with `record.x`.
    const bia::Pack pack = must_compile(v1 + "fact record.kept : bool\nrule r \"R\" when\n  record.kept\n");
    EXPECT_TRUE(bia_test::fired(must_evaluate(pack, R"({"record": {"kept": true}})"), "r"));
    // `any`, `all` and `count` keep their v1 meanings: names, and count(set).
    const bia::Pack names = must_compile(v1 + "fact any : bool\nfact all.x : bool\nfact s : set of {\"a\"}\n"
                                              "rule r \"R\" when any and all.x and count(s) = 1\n");
    EXPECT_TRUE(bia_test::fired(must_evaluate(names, R"({"any": true, "all": {"x": true}, "s": ["a"]})"), "r"));
}

TEST(Lists, MisusesAreErrorsAtTheirPosition) {
    const std::string rec = header + "record member \"M\"\n  located : bool\n  relation : one of {\"a\", \"b\"}\n"
                                     "fact family.members : list of member\nfact n : number\n";
    auto first_line = [](const std::string& d) { return d.substr(0, d.find('\n')); };
    // Rules start at line 10.
    EXPECT_EQ(first_line(diagnostics_of(rec + "rule r \"R\" when any m in n: m.located\n")),
              "t.bia:10:26: error: a quantifier runs over a list fact (list of RECORD); 'n' is not one [E0214]");
    EXPECT_EQ(first_line(diagnostics_of(rec + "rule r \"R\" when any m in family.membres: m.located\n")),
              "t.bia:10:26: error: unknown name 'family.membres'; did you mean 'family.members'? [E0202]");
    EXPECT_EQ(first_line(diagnostics_of(rec + "rule r \"R\" when any n in family.members: n.located\n")),
              "t.bia:10:21: error: the variable 'n' would hide 'n'; choose another name [E0214]");
    EXPECT_EQ(first_line(diagnostics_of(rec + "rule r \"R\" when any m in family.members: m\n")),
              "t.bia:10:42: error: 'm' is an element of family.members (a member); name one of its fields: m.located, "
              "m.relation [E0214]");
    EXPECT_EQ(first_line(diagnostics_of(rec + "rule r \"R\" when any m in family.members: m.locatd\n")),
              "t.bia:10:42: error: record 'member' has no field 'locatd'; did you mean 'm.located'? [E0202]");
    EXPECT_EQ(first_line(diagnostics_of(rec + "rule r \"R\" when any m in family.members: m.relation = \"c\"\n")),
              "t.bia:10:55: error: \"c\" is not a value of member.relation, which is one of {\"a\", \"b\"} [E0303]");
    EXPECT_EQ(first_line(diagnostics_of(rec + "rule r \"R\" when any m in family.members: 3\n")),
              "t.bia:10:42: error: the condition of a quantifier must be bool, but this is number [E0301]");
    EXPECT_EQ(first_line(diagnostics_of(rec + "rule r \"R\" when family.members\n")),
              "t.bia:10:17: error: 'family.members' is a list; read it with `any m in family.members: ...`, `all m in "
              "family.members: ...` or `count(m in family.members where ...)`, or test known(family.members) [E0214]");
    EXPECT_EQ(first_line(diagnostics_of(rec + "rule r \"R\" when any m in family.members: any m in family.members: m.located\n")),
              "t.bia:10:46: error: the variable 'm' is already bound by an enclosing quantifier [E0214]");
    // Declarations.
    EXPECT_EQ(first_line(diagnostics_of(header + "fact f.m : list of membr\nrecord member \"M\"\n  x : bool\n")),
              "t.bia:5:20: error: unknown record 'membr'; did you mean 'member'? [E0213]");
    EXPECT_EQ(first_line(diagnostics_of(header + "record member \"M\"\n  x : bool\n  x : number\n")),
              "t.bia:7:3: error: field 'x' is declared twice in record 'member' [E0213]");
    EXPECT_EQ(first_line(diagnostics_of(header + "record member \"M\"\n  x : list of member\n")),
              "t.bia:6:7: error: a record's field cannot be a list: records nest one level (declare the inner list as "
              "a fact of its own) [E0213]");
    EXPECT_EQ(first_line(diagnostics_of(header + "record member \"M\"\nfact f.m : list of member\n")),
              "t.bia:5:8: error: record 'member' has no fields; declare them one a line: name : type [E0213]");
    EXPECT_EQ(first_line(diagnostics_of(header + "record member \"M\"\n  x : bool\nfact f.m : list of member up to 1001\n")),
              "t.bia:7:33: error: a list holds from 1 to 1000 elements; `up to 1001` is not a whole number in that "
              "range [E0502]");
    // Nested quantifiers over long lists multiply: the plan they would make is refused, at once.
    const std::string big = header + "record r \"R\"\n  x : number\nfact a : list of r up to 1000\nfact b : list of r up to 1000\n";
    EXPECT_EQ(first_line(diagnostics_of(big + "rule r \"R\" when any i in a: any j in b: i.x > j.x\n")),
              "t.bia:9:29: error: with this quantifier the pack's conditions take more than 250000 nodes once compiled "
              "(a quantifier's condition is compiled once for each element b may hold, up to 1000, and nested "
              "quantifiers multiply); lower the lists' `up to` or nest fewer quantifiers [E0502]");
    must_compile(big + "rule r \"R\" when any i in a: i.x > 1 and i.x < 9\n");
    // A field named after a keyword is refused by name, not taken for a declaration.
    EXPECT_EQ(diagnostics_of(header + "record statement \"S\"\n  source : text\n  ok : bool\n"),
              "t.bia:6:3: error: 'source' is a reserved word and cannot be used as a field name [E0203]\n"
              "    source : text\n    ^\n");
    EXPECT_EQ(first_line(diagnostics_of(header + "record member \"M\"\n  x : bool\n  y bool\n")),
              "t.bia:7:3: error: expected a field (name : type) or a new declaration, but found 'y' [E0102]");
}

TEST(Lists, QuantifiersNestAndUseLetsAndKnown) {
    const bia::Pack pack = must_compile(
        header +
        "record member \"M\"\n  name : text\n  located : bool\n"
        "record placement \"P\"\n  carer : text\n  started : date\n"
        "fact family.members : list of member up to 3\nfact care.placements : list of placement up to 3\n"
        "fact child.arrived : date\n"
        "let recent = child.arrived + 1 year > today\n"
        // A member who is also a carer: two lists, one inside the other.
        "let placed_with_family = any p in care.placements: any m in family.members: m.name = p.carer and m.located\n"
        "rule with_family \"W\" when placed_with_family\n"
        "rule moved_since_arrival \"M\" when recent and count(p in care.placements where p.started > child.arrived) >= 2\n"
        "rule no_list \"N\" when not known(family.members)\n");
    const bia::Result r = must_evaluate(pack, R"({
        "family": {"members": [{"name": "a", "located": true}, {"name": "b", "located": false}]},
        "care": {"placements": [{"carer": "x", "started": "2025-09-01"}, {"carer": "a", "started": "2025-10-01"}]},
        "child": {"arrived": "2025-08-01"}})");
    EXPECT_TRUE(bia_test::fired(r, "with_family"));
    EXPECT_TRUE(bia_test::fired(r, "moved_since_arrival"));
    EXPECT_FALSE(bia_test::fired(r, "no_list"));
    const bia::Result none = must_evaluate(pack, R"({"child": {"arrived": "2025-08-01"}})");
    EXPECT_TRUE(bia_test::fired(none, "no_list"));
    // An empty list is given: known.
    EXPECT_FALSE(bia_test::fired(must_evaluate(pack, R"({"family": {"members": []}})"), "no_list"));
}

// ---- bia test ------------------------------------------------------------------

TEST(Lists, TestsGiveListsAsLiterals) {
    bia_test::TempDir dir;
    bia_test::write_file(dir / "p.bia", family +
                                            "test \"a sibling not located\"\n"
                                            "  given family.members = [{relation: \"sibling\", located: false}, {\"relation\": \"mother\"}]\n"
                                            "  expect fired any_unlocated\n"
                                            "  expect not fired all_located\n"
                                            "  expect missing family.members[1].located\n"
                                            "  expect not missing family.members[0].located\n"
                                            "test \"no one\"\n"
                                            "  given family.members = []\n"
                                            "  expect fired all_located\n");
    const auto loaded = bia::load(dir.path());
    ASSERT_TRUE(loaded.ok());
    const bia::TestReport report = bia::run_tests(*loaded.pack);
    for (const auto& t : report.tests) {
        for (const auto& f : t.failures) ADD_FAILURE() << t.name << ": " << f;
    }
    EXPECT_EQ(report.passed(), 2u);
    // Literals are checked against the record.
    auto first_line = [](const std::string& d) { return d.substr(0, d.find('\n')); };
    const std::string base = family + "test \"t\"\n  expect level low\n  given family.members = ";
    EXPECT_EQ(first_line(diagnostics_of(base + "[{relaton: \"sibling\"}]\n")),
              "t.bia:16:28: error: record 'member' has no field 'relaton'; did you mean 'relation'? [E0309]");
    EXPECT_EQ(first_line(diagnostics_of(base + "[{located: 3}]\n")),
              "t.bia:16:37: error: fact 'family.members[0].located' is bool; give it true or false [E0309]");
    EXPECT_EQ(first_line(diagnostics_of(base + "[{}, {}, {}, {}, {}]\n")),
              "t.bia:16:26: error: fact 'family.members' holds at most 4 elements (`up to 4`); this list has 5 [E0309]");
    EXPECT_EQ(first_line(diagnostics_of(base + "true\n")),
              "t.bia:16:26: error: fact 'family.members' is a list of member records; give it a list such as "
              "[{field: value, ...}, ...] [E0309]");
}

// ---- what a pack tells -----------------------------------------------------------

TEST(Lists, APackDescribesItsListsAndNamesEveryElementsField) {
    const bia::Pack pack = must_compile(family);
    ASSERT_EQ(pack.facts().size(), 1u);
    const bia::FactInfo& list = pack.facts()[0];
    EXPECT_EQ(list.type, bia::FactType::list);
    EXPECT_EQ(bia::fact_type_name(list.type), "list");
    EXPECT_EQ(list.type_text(), "list of member up to 4");
    EXPECT_EQ(list.record, "member");
    EXPECT_EQ(list.capacity, 4u);
    ASSERT_EQ(list.fields.size(), 3u);
    EXPECT_EQ(list.fields[0].path, "relation");
    EXPECT_EQ(list.fields[0].type_text(), "one of {\"mother\", \"father\", \"sibling\", \"other\"}");
    EXPECT_EQ(list.fields[1].description, "Has the member been located?");
    // fact_paths: the declared facts, then every element's fields in order.
    const auto& paths = pack.fact_paths();
    ASSERT_EQ(paths.size(), 1u + 4u * 3u);
    EXPECT_EQ(paths[0], "family.members");
    EXPECT_EQ(paths[1], "family.members[0].relation");
    EXPECT_EQ(paths[12], "family.members[3].birth_date");
    EXPECT_FALSE(list.fields[1].imprecise);
    EXPECT_TRUE(list.fields[2].imprecise) << "a language 2 date";
    EXPECT_FALSE(list.fields[2].never);
    // The default capacity; `date or never`, `exact`.
    const bia::Pack twenty = must_compile(header + "record r \"R\"\n  x : bool\nfact l : list of r\n"
                                                   "fact d : date or never\nfact e : exact date\n");
    EXPECT_EQ(twenty.facts()[0].capacity, 20u);
    EXPECT_TRUE(twenty.facts()[1].never);
    EXPECT_TRUE(twenty.facts()[1].imprecise);
    EXPECT_EQ(twenty.facts()[1].type_text(), "date or never");
    EXPECT_FALSE(twenty.facts()[2].imprecise);
}

}  // namespace
