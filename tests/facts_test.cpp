// Binding a case's JSON to the pack's facts: every type, unknowns, fact errors
// (with paths, never values), warnings, strict mode, limits and malformed JSON,
// and the DOM overload agreeing with the text overload.
#include "test_util.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

namespace {

using bia_test::must_compile;
using bia_test::must_evaluate;
using Strings = std::vector<std::string>;

const char* const pack_text = R"(pack t version "1.0.0" "Facts"
level low
fact child.alone : bool
fact child.age : number
fact child.name : text
fact child.born : date
fact child.gender : one of {"girl", "boy", "other"}
fact child.tags : set of {"debt", "documents", "threats"}
fact family.siblings : number
fact case.arrived_on : date
fact deep.a.b.c : bool
rule alone "Alone" when child.alone
rule age "Age" when child.age >= 15
rule named "Named" when child.name = "Amina"
rule born "Born" when child.born < 2020-01-01
rule girl "Girl" when child.gender = "girl"
rule tagged "Tagged" when "debt" in child.tags
rule two_tags "Two tags" when count(child.tags) = 2
rule no_tags "No tags" when count(child.tags) = 0
rule siblings "Siblings" when family.siblings > 0
rule arrived "Arrived" when known(case.arrived_on)
rule deep "Deep" when deep.a.b.c
)";

const bia::Pack& pack() {
    static const bia::Pack p = must_compile(pack_text);
    return p;
}

bia::Evaluation evaluate(std::string_view json, bool strict = false) {
    bia::EvalOptions o;
    o.as_of = bia_test::date("2026-03-10");
    o.strict = strict;
    return pack().evaluate(json, o);
}

std::string state(const bia::Result& r, const std::string& rule) {
    if (bia_test::fired(r, rule)) return "fired";
    if (bia_test::undetermined(r, rule)) return "unknown";
    return "false";
}

Strings error_paths(const bia::Evaluation& e) {
    Strings out;
    for (const auto& x : e.errors) out.push_back(x.path);
    return out;
}

// The one error of a case that must fail with exactly one error.
bia::FactError one_error(std::string_view json, bool strict = false) {
    const auto e = evaluate(json, strict);
    EXPECT_FALSE(e.ok()) << json;
    EXPECT_EQ(e.errors.size(), 1u) << json << "\n" << bia_test::describe_errors(e.errors);
    if (e.errors.empty()) return {};
    return e.errors.front();
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// ---- every type --------------------------------------------------------------

TEST(Facts, EveryTypeBinds) {
    const auto r = must_evaluate(pack(), R"({
      "child": {"alone": true, "age": 16, "name": "Amina", "born": "2015-06-01", "gender": "girl",
                "tags": ["debt", "threats"]},
      "family": {"siblings": 2.5},
      "case": {"arrived_on": "2026-02-27"},
      "deep": {"a": {"b": {"c": true}}}
    })");
    for (const char* rule : {"alone", "age", "named", "born", "girl", "tagged", "two_tags", "siblings", "arrived", "deep"}) {
        EXPECT_EQ(state(r, rule), "fired") << rule;
    }
    EXPECT_EQ(state(r, "no_tags"), "false");
    EXPECT_TRUE(r.warnings.empty());
    EXPECT_TRUE(r.undetermined.empty());
}

TEST(Facts, NumbersOfEveryJsonForm) {
    for (const char* n : {"15", "15.0", "1.5e1", "150e-1", "15.000000000000001"}) {
        const auto r = must_evaluate(pack(), std::string(R"({"child": {"age": )") + n + "}}");
        EXPECT_EQ(state(r, "age"), "fired") << n;
    }
    for (const char* n : {"-1", "0", "-0", "14.999", "-1e300", "1e-300", "-9223372036854775808"}) {
        const auto r = must_evaluate(pack(), std::string(R"({"child": {"age": )") + n + "}}");
        EXPECT_EQ(state(r, "age"), "false") << n;
    }
}

TEST(Facts, HugeIntegersWithinDoubleRangeAreNumbers) {
    for (const char* n : {"18446744073709551615", "18446744073709551616", "123456789012345678901234567890",
                          "1e308", "179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"}) {
        const auto r = must_evaluate(pack(), std::string(R"({"child": {"age": )") + n + "}}");
        EXPECT_EQ(state(r, "age"), "fired") << n;
    }
}

TEST(Facts, NumbersOutsideDoubleRangeAreErrors) {
    // "Numbers outside double range, NaN and Infinity are errors." They are fact errors, so they name
    // the path ("Anything else is a fact error that names the path"); 1e999 is valid JSON syntax.
    for (const char* n : {"1e999", "-1e999", "1e309", "2e308"}) {
        const auto e = one_error(std::string(R"({"child": {"age": )") + n + "}}");
        EXPECT_EQ(e.path, "child.age") << n;
        EXPECT_FALSE(contains(e.message, "999")) << e.message;
    }
    // ... and do not hide the case's other fact errors.
    auto both = error_paths(evaluate(R"({"child": {"age": 1e999, "tags": [3]}})"));
    std::sort(both.begin(), both.end());
    EXPECT_EQ(both, (Strings{"child.age", "child.tags[0]"}));
    for (const char* n : {"NaN", "Infinity", "-Infinity", "nan", "inf"}) {
        const auto e = evaluate(std::string(R"({"child": {"age": )") + n + "}}");
        EXPECT_FALSE(e.ok()) << n;
        EXPECT_FALSE(e.errors.empty()) << n;
    }
}

std::string messages(const bia::Evaluation& e) {
    std::string out;
    for (const auto& x : e.errors) out += x.path + ": " + x.message + "\n";
    return out;
}

const char* const out_of_range = "the number is out of range (not a finite double)";

TEST(Facts, EveryNumberOutOfRangeIsReportedAtItsPlace) {
    // Each number too large for a double is reported where it is, in the case's order, among
    // the other errors; one in a field the pack does not declare is ignored like its field.
    const std::string huge = std::string(400, '9');
    const auto e = evaluate(R"({"child": {"age": -1e999, "tags": ["debt", 2e308, 7, 1E+400], "name": 1e999},
                                "x": [1e999, {"y": -1e999}], "family": {"siblings": )" + huge + "}}");
    EXPECT_FALSE(e.ok());
    const std::string tags = "expected a string from {\"debt\", \"documents\", \"threats\"}, found a number\n";
    EXPECT_EQ(messages(e), std::string("child.age: ") + out_of_range + "\n" +    //
                               "child.tags[1]: " + tags + "child.tags[2]: " + tags + "child.tags[3]: " + tags +
                               "child.name: expected a string, found a number\n" +  //
                               "family.siblings: " + out_of_range + "\n");
    // A case that is only a number too large says what it found.
    EXPECT_EQ(one_error("1e999").message, "the case must be a JSON object, found a number");
    EXPECT_EQ(one_error("[1e999]").message, "the case must be a JSON object, found an array");
}

// Numbers out of range in undeclared fields are ignored with their fields, and do not count
// towards the limit of 100: 101 of them refused a case with no error (issue 16, item 6).
TEST(Facts, NumbersOutOfRangeInUndeclaredFieldsDoNotRefuseACase) {
    std::string json = R"({"child": {"alone": true}, "x": [)";
    for (int i = 0; i < 150; ++i) json += i ? ",1e999" : "1e999";
    json += "]";
    for (int i = 0; i < 150; ++i) json += ",\"u" + std::to_string(i) + "\": -1e999";
    json += ", \"zzz\": {\"age\": 1e999}}";
    const auto e = evaluate(json);
    ASSERT_TRUE(e.errors.empty()) << messages(e);
    ASSERT_TRUE(e.result);
    EXPECT_EQ(state(*e.result, "alone"), "fired");
    EXPECT_EQ(e.result->warnings.size(), 152u);
    // Strict mode still refuses the undeclared fields.
    EXPECT_FALSE(evaluate(json, true).errors.empty());
    // Out-of-range numbers at a declared fact still count: one there is an error at its path.
    const auto declared = one_error(R"({"x": [1e999, 1e999], "child": {"age": 1e999}})");
    EXPECT_EQ(declared.path, "child.age");
}

TEST(Facts, StringsAreNeverTakenForNumbersOutOfRange) {
    // Finding numbers too large for a double looks past strings, escaped quotes included.
    const auto e = one_error(R"({"child": {"name": "\u0000bia:number-out-of-range", "age": 1e999},
                                 "x": "1e999 \" 1e999 \\", "y": ["\\\"", "-1e999"]})");
    EXPECT_EQ(e.path, "child.age");
    EXPECT_EQ(e.message, out_of_range);
}

TEST(Facts, AHundredNumbersOutOfRangeAtMost) {
    auto tags = [](int n) {
        std::string json = R"({"child": {"tags": [)";
        for (int i = 0; i < n; ++i) json += i ? ",1e999" : "1e999";
        return json + "]}}";
    };
    auto e = evaluate(tags(100));
    ASSERT_EQ(e.errors.size(), 100u);
    EXPECT_EQ(e.errors[99].path, "child.tags[99]");
    e = evaluate(tags(101));
    ASSERT_EQ(e.errors.size(), 1u) << messages(e);
    EXPECT_EQ(messages(e), "$: the case has more than 100 numbers out of range (not finite doubles)\n");
    // Counted in reading order: a syntax error before the 101st is the error; one after it is not reached.
    std::string late = tags(101);
    late.insert(late.size() - 2, ",");
    EXPECT_EQ(messages(evaluate(late)), messages(e));
    std::string early = tags(101);
    early.insert(early.find(",1e999"), "]");
    EXPECT_EQ(one_error(early).message.rfind("the case is not valid JSON: syntax error", 0), 0u);
}

TEST(MalformedJson, NumbersOutOfRangeDoNotMoveSyntaxErrors) {
    // A syntax error after numbers too large for a double is placed in the case as written: the
    // same message as with in-range numbers of the same length.
    const std::string cases[] = {
        R"({"child": {"age": 1e999, "alone": true,}})",
        R"({"x": [1e999, -1e999, 2e308] "y": 1})",
        R"({"child": {"age": -1e999-1e999}})",
        R"({"child": {"age": 1e999e5}})",
        R"({"child": {"age": 1e999.5}})",
        R"({"child": {"age": 1e999} 1e999 )",
        R"({"x": 1e999, 1e999: 1})",
        "{\"x\": 1e999,\n \"y\": 1e999 1e999}",
    };
    for (const auto& hostile : cases) {
        std::string plain = hostile;  // the same with in-range numbers: 1e000, 2e000
        for (const char* big : {"e999", "e308"}) {
            for (std::size_t at; (at = plain.find(big)) != std::string::npos;) plain.replace(at, 4, "e000");
        }
        const auto e = one_error(hostile);
        EXPECT_EQ(e.path, "$") << hostile;
        EXPECT_EQ(e.message, one_error(plain).message) << hostile;
        EXPECT_EQ(e.message.rfind("the case is not valid JSON: syntax error", 0), 0u) << e.message;
    }
}

// nlohmann's lexer stops at a NUL byte: `{"a":1}` then a NUL and garbage was accepted while
// `{"a":1}}` was refused (issue 16, item 6). A NUL anywhere is an error naming its offset.
TEST(MalformedJson, ANulByteIsAnErrorAtItsOffset) {
    using namespace std::string_literals;
    const std::pair<std::string, std::string> cases[] = {
        {"{\"child\": {\"alone\": true}}\0garbage"s, "26 (line 1, column 27)"},
        {"{\"child\": {\"alone\": true}}\0"s, "26 (line 1, column 27)"},
        {"{\"child\":\n {\"alone\": true}}\n\0}"s, "28 (line 3, column 1)"},
        {"{\"child\": {\"name\": \"a\0b\"}}"s, "21 (line 1, column 22)"},
    };
    for (const auto& [hostile, where] : cases) {
        const auto e = one_error(hostile);
        EXPECT_EQ(e.path, "$");
        EXPECT_EQ(e.message, "the case is not valid JSON: a NUL byte at byte offset " + where) << e.message;
    }
    // In strict mode too.
    EXPECT_EQ(one_error("{}\0{\"x\": 1}"s, true).message,
              "the case is not valid JSON: a NUL byte at byte offset 2 (line 1, column 3)");
}

TEST(Facts, EmptyArrayIsKnownAndEmpty) {
    const auto r = must_evaluate(pack(), R"({"child": {"tags": []}})");
    EXPECT_EQ(state(r, "no_tags"), "fired");
    EXPECT_EQ(state(r, "tagged"), "false");
}

TEST(Facts, DuplicatesInASetCollapse) {
    const auto r = must_evaluate(pack(), R"({"child": {"tags": ["debt", "threats", "debt", "debt"]}})");
    EXPECT_EQ(state(r, "two_tags"), "fired");
    EXPECT_EQ(state(r, "tagged"), "fired");
}

TEST(Facts, TextMayBeEmptyOrAnything) {
    auto r = must_evaluate(pack(), R"({"child": {"name": ""}})");
    EXPECT_EQ(state(r, "named"), "false");
    r = must_evaluate(pack(), R"({"child": {"name": "Am\u0069na"}})");
    EXPECT_EQ(state(r, "named"), "fired");
    r = must_evaluate(pack(), R"({"child": {"name": "Zoë \"quoted\" \\ 保护 \ud83d\ude00"}})");
    EXPECT_EQ(state(r, "named"), "false");
}

// ---- unknowns ------------------------------------------------------------------

TEST(Facts, AbsentAndNullAreUnknown) {
    for (const char* c : {"{}", R"({"child": {}})", R"({"child": {"alone": null, "age": null, "name": null, "born": null,
        "gender": null, "tags": null}})"}) {
        const auto r = must_evaluate(pack(), c);
        for (const char* rule : {"alone", "age", "named", "born", "girl", "tagged"}) EXPECT_EQ(state(r, rule), "unknown") << c;
        EXPECT_EQ(state(r, "arrived"), "false") << c;  // known() is false, never unknown
        EXPECT_TRUE(r.warnings.empty()) << c;
    }
}

TEST(Facts, NullObjectMakesEveryFactUnderItUnknown) {
    // "`{"child": null}` makes every fact under `child` unknown"
    const auto r = must_evaluate(pack(), R"({"child": null, "family": {"siblings": 1}, "deep": {"a": null}})");
    for (const char* rule : {"alone", "age", "named", "born", "girl", "tagged", "deep"}) EXPECT_EQ(state(r, rule), "unknown") << rule;
    EXPECT_EQ(state(r, "siblings"), "fired");
}

TEST(Facts, ScalarWhereAnObjectIsNeededIsAnError) {
    // "`{"child": true}` where an object is needed is a fact error."
    auto e = one_error(R"({"child": true})");
    EXPECT_EQ(e.path, "child");
    EXPECT_TRUE(contains(e.message, "object")) << e.message;
    EXPECT_TRUE(contains(e.message, "boolean")) << e.message;
    e = one_error(R"({"deep": {"a": {"b": 7}}})");
    EXPECT_EQ(e.path, "deep.a.b");
    EXPECT_TRUE(contains(e.message, "object")) << e.message;
    EXPECT_TRUE(contains(e.message, "number")) << e.message;
    e = one_error(R"({"child": ["alone"]})");
    EXPECT_EQ(e.path, "child");
    EXPECT_TRUE(contains(e.message, "array")) << e.message;
    e = one_error(R"({"child": "SECRET-VALUE-1"})");
    EXPECT_EQ(e.path, "child");
    EXPECT_TRUE(contains(e.message, "string")) << e.message;
    EXPECT_FALSE(contains(e.message, "SECRET")) << e.message;
}

// ---- fact errors: path, expected and found type, never the value ------------------

struct WrongType {
    const char* json;
    const char* path;
    const char* expected;  // a word the message must contain, naming the expected type
    const char* found;     // the JSON type found
};

TEST(FactErrors, WrongTypesNamePathExpectedAndFound) {
    const WrongType cases[] = {
        {R"({"child": {"alone": "SECRET_MARKER"}})", "child.alone", "bool", "string"},
        {R"({"child": {"alone": 987654321}})", "child.alone", "bool", "number"},
        {R"({"child": {"alone": {"x": "SECRET_MARKER"}}})", "child.alone", "bool", "object"},
        {R"({"child": {"age": "SECRET_MARKER"}})", "child.age", "number", "string"},
        {R"({"child": {"age": true}})", "child.age", "number", "boolean"},
        {R"({"child": {"age": [987654321]}})", "child.age", "number", "array"},
        {R"({"child": {"name": 987654321}})", "child.name", "string", "number"},
        {R"({"child": {"name": false}})", "child.name", "string", "boolean"},
        {R"({"child": {"name": ["SECRET_MARKER"]}})", "child.name", "string", "array"},
        {R"({"child": {"born": 987654321}})", "child.born", "date", "number"},
        {R"({"child": {"born": "SECRET_MARKER"}})", "child.born", "date", "string"},
        {R"({"child": {"born": "2026-02-30"}})", "child.born", "date", "string"},
        {R"({"child": {"born": "2026-3-10"}})", "child.born", "date", "string"},
        {R"({"child": {"born": "10/03/2026"}})", "child.born", "date", "string"},
        {R"({"child": {"born": "2026-03-10T00:00:00Z"}})", "child.born", "date", "string"},
        {R"({"child": {"born": " 2026-03-10"}})", "child.born", "date", "string"},
        {R"({"child": {"gender": "SECRET_MARKER"}})", "child.gender", "girl", "string"},
        {R"({"child": {"gender": "Girl"}})", "child.gender", "girl", "string"},
        {R"({"child": {"gender": 987654321}})", "child.gender", "girl", "number"},
        {R"({"child": {"tags": "debt"}})", "child.tags", "array", "string"},
        {R"({"child": {"tags": {"debt": true}}})", "child.tags", "array", "object"},
        {R"({"child": {"tags": 987654321}})", "child.tags", "array", "number"},
        {R"({"child": {"tags": ["SECRET_MARKER"]}})", "child.tags[0]", "debt", "string"},
        {R"({"child": {"tags": ["debt", 987654321]}})", "child.tags[1]", "debt", "number"},
        {R"({"child": {"tags": ["debt", "threats", null]}})", "child.tags[2]", "debt", "null"},
        {R"({"child": {"tags": [["debt"]]}})", "child.tags[0]", "debt", "array"},
        {R"({"child": {"tags": [{"SECRET_MARKER": 1}]}})", "child.tags[0]", "debt", "object"},
        {R"({"child": {"tags": [true]}})", "child.tags[0]", "debt", "boolean"},
        {R"({"deep": {"a": {"b": {"c": "SECRET_MARKER"}}}})", "deep.a.b.c", "bool", "string"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.json);
        const auto e = evaluate(c.json);
        EXPECT_FALSE(e.ok());
        ASSERT_EQ(e.errors.size(), 1u) << bia_test::describe_errors(e.errors);
        const auto& err = e.errors[0];
        EXPECT_EQ(err.path, c.path);
        EXPECT_TRUE(contains(err.message, c.expected)) << err.message;
        EXPECT_TRUE(contains(err.message, c.found)) << err.message;
        // Never the value.
        for (const char* secret : {"SECRET", "987654321", "2026-02-30", "2026-3-10", "10/03/2026", "T00:00", "Girl"}) {
            EXPECT_FALSE(contains(err.message, secret)) << err.message;
            EXPECT_FALSE(contains(err.path, secret)) << err.path;
        }
    }
}

TEST(FactErrors, TheCaseIsNotEvaluated) {
    const auto e = evaluate(R"({"child": {"alone": true, "age": "x"}})");
    EXPECT_FALSE(e.ok());
    EXPECT_FALSE(e.result.has_value());
}

TEST(FactErrors, AllErrorsOfACaseAreReported) {
    // "All fact errors of a case are reported, each with its path"
    const auto e = evaluate(R"({
      "child": {"alone": "yes", "age": "twelve", "name": 12, "born": "never", "gender": "robot",
                "tags": ["debt", "bogus", 3, "documents", "worse"]},
      "family": {"siblings": false},
      "case": {"arrived_on": 20260227},
      "deep": {"a": {"b": {"c": 1}}}
    })");
    EXPECT_FALSE(e.ok());
    Strings paths = error_paths(e);
    std::sort(paths.begin(), paths.end());
    EXPECT_EQ(paths, (Strings{"case.arrived_on", "child.age", "child.alone", "child.born", "child.gender", "child.name",
                              "child.tags[1]", "child.tags[2]", "child.tags[4]", "deep.a.b.c", "family.siblings"}))
        << bia_test::describe_errors(e.errors);
}

TEST(FactErrors, DuplicateKeysAreErrors) {
    // "Duplicate keys in a JSON object are a fact error."
    auto e = one_error(R"({"child": {"age": 1, "age": 987654321}})");
    EXPECT_EQ(e.path, "child.age");
    EXPECT_FALSE(contains(e.message, "987654321"));
    e = one_error(R"({"child": {"age": 1}, "child": {"alone": true}})");
    EXPECT_EQ(e.path, "child");
    // Also where nothing is declared: the value cannot be known either way.
    auto all = evaluate(R"({"other": {"x": 1, "x": 2}})");
    EXPECT_FALSE(all.ok());
    ASSERT_FALSE(all.errors.empty());
    EXPECT_EQ(all.errors[0].path, "other.x");
    all = evaluate(R"({"other": 1, "other": 2})");
    EXPECT_FALSE(all.ok());
    // Keys differing only in case are different keys.
    const auto r = must_evaluate(pack(), R"({"child": {"age": 16, "Age": 2}})");
    EXPECT_EQ(state(r, "age"), "fired");
}

TEST(FactErrors, TheMarkerValueNeverAppearsAnywhere) {
    // Children's data must not leak into logs: no message, path or warning carries a value.
    const std::string marker = "LEAK_CANARY_7431";
    const std::string cases[] = {
        R"({"child": {"alone": "LEAK_CANARY_7431"}})",
        R"({"child": {"born": "LEAK_CANARY_7431"}})",
        R"({"child": {"gender": "LEAK_CANARY_7431"}})",
        R"({"child": {"tags": ["LEAK_CANARY_7431"]}})",
        R"({"child": "LEAK_CANARY_7431"})",
        R"({"child": {"age": 1, "age": "LEAK_CANARY_7431"}})",
        R"({"child": {"age": "LEAK_CANARY_7431"}, "x": "LEAK_CANARY_7431"})",
        R"({"child": {"name": "LEAK_CANARY_7431)",                      // truncated
        "{\"child\": {\"name\": \"LEAK_CANARY_7431\xff\"}}",          // invalid UTF-8 in the value
        R"({"child": {"name": "LEAK_CANARY_7431"} "x": 1})",           // syntax error after it
        R"(["LEAK_CANARY_7431"])",
        R"("LEAK_CANARY_7431")",
    };
    for (const auto& c : cases) {
        for (bool strict : {false, true}) {
            const auto e = evaluate(c, strict);
            for (const auto& x : e.errors) {
                EXPECT_FALSE(contains(x.path, marker)) << c;
                EXPECT_FALSE(contains(x.message, marker)) << c << " -> " << x.message;
                EXPECT_FALSE(contains(x.message, "CANARY")) << c << " -> " << x.message;
            }
            if (e.ok()) {
                for (const auto& w : e.result->warnings) {
                    EXPECT_FALSE(contains(w.path, marker)) << c;
                    EXPECT_FALSE(contains(w.message, marker)) << c;
                }
                EXPECT_FALSE(contains(bia::render_json(*e.result), marker)) << c;
            }
            const auto json = bia::to_json(e.errors).dump();
            EXPECT_FALSE(contains(json, marker)) << c;
        }
    }
}

// ---- undeclared fields ----------------------------------------------------------

TEST(Warnings, UndeclaredFieldsAreWarningsSortedByPath) {
    const auto r = must_evaluate(pack(), R"({
      "zeta": 1,
      "child": {"alone": true, "nickname": "SECRET_MARKER", "age_years": 12},
      "alpha": {"x": {"y": [1, 2, 3]}},
      "family": {"siblings": 1, "aunts": 2},
      "deep": {"a": {"z": true}}
    })");
    Strings paths;
    for (const auto& w : r.warnings) {
        paths.push_back(w.path);
        EXPECT_FALSE(w.message.empty());
        EXPECT_FALSE(contains(w.message, "SECRET")) << w.message;
    }
    EXPECT_EQ(paths, (Strings{"alpha", "child.age_years", "child.nickname", "deep.a.z", "family.aunts", "zeta"}));
    // The case was still evaluated.
    EXPECT_EQ(state(r, "alone"), "fired");
    EXPECT_EQ(state(r, "siblings"), "fired");
}

TEST(Warnings, MisspeltFieldNeverSilentlyUnknown) {
    // "a misspelt field must never silently become 'unknown'": a near miss of a fact the case
    // leaves unknown refuses the case (docs/result.md, "Misspelt fields")...
    const auto refused = evaluate(R"({"child": {"alon": true}})");
    ASSERT_FALSE(refused.ok());
    ASSERT_EQ(refused.errors.size(), 1u);
    EXPECT_EQ(refused.errors[0].path, "child.alon");
    EXPECT_TRUE(contains(refused.errors[0].message, "did you mean 'child.alone'?")) << refused.errors[0].message;
    // ...unless near misses are accepted: then a warning with the suggestion, as v1 gave without it.
    bia::EvalOptions accept;
    accept.as_of = bia_test::date("2026-03-10");
    accept.accept_near_misses = true;
    const auto accepted = pack().evaluate(R"({"child": {"alon": true}})", accept);
    ASSERT_TRUE(accepted.ok()) << bia_test::describe_errors(accepted.errors);
    const auto& r = *accepted.result;
    EXPECT_EQ(state(r, "alone"), "unknown");
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_EQ(r.warnings[0].path, "child.alon");
    EXPECT_EQ(r.warnings[0].suggestion, "child.alone");
    EXPECT_EQ(r.warnings[0].message, "is not a fact of this pack; ignored (did you mean 'child.alone'?)");
    const auto strict = evaluate(R"({"child": {"alon": true}})", true);
    EXPECT_FALSE(strict.ok());
    ASSERT_EQ(strict.errors.size(), 1u);
    EXPECT_EQ(strict.errors[0].path, "child.alon");
    EXPECT_TRUE(contains(strict.errors[0].message, "(strict mode); did you mean 'child.alone'?")) << strict.errors[0].message;
}

TEST(Warnings, NearMissRefusesOnlyWhenTheFactItMeansIsUnknown) {
    // The case gives child.alone: "alon" beside it did not replace it, so only a warning.
    const auto given = must_evaluate(pack(), R"({"child": {"alone": true, "alon": true}})");
    ASSERT_EQ(given.warnings.size(), 1u);
    EXPECT_EQ(given.warnings[0].suggestion, "child.alone");
    EXPECT_EQ(state(given, "alone"), "fired");
    // null counts as leaving it unknown.
    EXPECT_FALSE(evaluate(R"({"child": {"alone": null, "alon": true}})").ok());
    // A misspelt object: "chld" suggests "child", refused while no fact under child is known...
    const auto object = evaluate(R"({"chld": {"alone": true}})");
    ASSERT_FALSE(object.ok());
    EXPECT_EQ(object.errors[0].path, "chld");
    EXPECT_TRUE(contains(object.errors[0].message, "did you mean 'child'?")) << object.errors[0].message;
    // ...and a warning once one is.
    const auto partly = must_evaluate(pack(), R"({"chld": {"alone": true}, "child": {"age": 3}})");
    ASSERT_EQ(partly.warnings.size(), 1u);
    EXPECT_EQ(partly.warnings[0].suggestion, "child");
    // Suggested but not a likely misspelling (one edit in three characters): "z" for "b" is a
    // suggestion under the checker's rule, never a refusal.
    const auto short_key = must_evaluate(pack(), R"({"deep": {"a": {"z": true}}})");
    ASSERT_EQ(short_key.warnings.size(), 1u);
    EXPECT_EQ(short_key.warnings[0].suggestion, "deep.a.b");
    // Far from every declared key: no suggestion, no refusal: v1 behaviour.
    const auto far = must_evaluate(pack(), R"({"child": {"nickname": "x"}, "source_system": "crm"})");
    ASSERT_EQ(far.warnings.size(), 2u);
    EXPECT_TRUE(far.warnings[0].suggestion.empty());
    EXPECT_TRUE(far.warnings[1].suggestion.empty());
    EXPECT_EQ(far.warnings[0].message, "is not a fact of this pack; ignored");
}

TEST(Warnings, NearMissesTheSameThroughEveryBinder) {
    // The fast binder, the full binder (17 undeclared keys are more than the fast one takes) and
    // the DOM overload refuse and suggest alike.
    std::string many = R"({"child": {"alon": true})";
    for (int i = 0; i < 17; ++i) many += ",\"extra_field_" + std::to_string(i) + "\": 1";
    many += "}";
    for (const std::string& text : {std::string(R"({"child": {"alon": true}})"), many}) {
        const auto e = evaluate(text);
        ASSERT_FALSE(e.ok()) << text;
        EXPECT_EQ(e.errors[0].path, "child.alon");
        bia::EvalOptions o;
        o.as_of = bia_test::date("2026-03-10");
        const auto dom = pack().evaluate(nlohmann::json::parse(text), o);
        ASSERT_FALSE(dom.ok());
        EXPECT_EQ(dom.errors[0].message, e.errors[0].message);
    }
}

TEST(Warnings, SuggestionIsInTheJsonOnlyWhenThereIsOne) {
    bia::EvalOptions o;
    o.as_of = bia_test::date("2026-03-10");
    o.accept_near_misses = true;
    const auto e = pack().evaluate(R"({"child": {"alon": true}, "zzz_unrelated": 1})", o);
    ASSERT_TRUE(e.ok());
    const std::string text = bia::render_json(*e.result);
    const auto j = nlohmann::json::parse(text);
    EXPECT_EQ(j["warnings"][0]["suggestion"], "child.alone");
    EXPECT_FALSE(j["warnings"][1].contains("suggestion"));
    EXPECT_EQ(bia::to_json(*e.result).dump(2) + "\n", text);  // the two JSON writers agree
}

// ---- case ids (EvalOptions::id_field) ---------------------------------------------

bia::Evaluation evaluate_with_id(std::string_view json, const std::string& id_field, bool strict = false) {
    bia::EvalOptions o;
    o.as_of = bia_test::date("2026-03-10");
    o.strict = strict;
    o.id_field = id_field;
    return pack().evaluate(json, o);
}

TEST(CaseIds, TheIdIsPassedThroughWithoutAWarning) {
    struct Case {
        std::string json, field, id;
    };
    std::string many_keys = R"({"case_id": "C-9")";
    for (int i = 0; i < 17; ++i) many_keys += ",\"x" + std::to_string(i) + "\": 1";
    many_keys += "}";
    const std::vector<Case> cases = {
        {R"({"case_id": "C-17", "child": {"alone": true}})", "case_id", R"("C-17")"},  // fast binder
        {R"({"case_id": "C-\u0041"})", "case_id", R"("C-A")"},                         // full binder, escapes
        {R"({"case_id": 42})", "case_id", "42"},
        {R"({"case_id": 1e2})", "case_id", "100.0"},
        {R"({"case_id": null})", "case_id", "null"},
        {R"({"child": {"alone": true}})", "case_id", "null"},
        {R"({"meta": {"id": "M-1", "source": "crm"}})", "meta.id", R"("M-1")"},
        {R"({"child": {"alone": true, "ref": "R-1"}})", "child.ref", R"("R-1")"},
        {many_keys, "case_id", R"("C-9")"},
    };
    for (const auto& c : cases) {
        const auto e = evaluate_with_id(c.json, c.field);
        ASSERT_TRUE(e.ok()) << c.json << bia_test::describe_errors(e.errors);
        ASSERT_TRUE(e.result->id.has_value()) << c.json;
        EXPECT_EQ(*e.result->id, c.id) << c.json;
        for (const auto& w : e.result->warnings) EXPECT_NE(w.path, c.field) << c.json;
        // The DOM overload agrees.
        bia::EvalOptions o;
        o.as_of = bia_test::date("2026-03-10");
        o.id_field = c.field;
        const auto dom = pack().evaluate(nlohmann::json::parse(c.json), o);
        ASSERT_TRUE(dom.ok());
        EXPECT_EQ(*dom.result->id, c.id) << c.json;
    }
    // Strict mode does not refuse it; it does refuse the other undeclared field.
    EXPECT_TRUE(evaluate_with_id(R"({"case_id": "C-1"})", "case_id", true).ok());
    const auto strict = evaluate_with_id(R"({"case_id": "C-1", "other": 1})", "case_id", true);
    ASSERT_FALSE(strict.ok());
    EXPECT_EQ(error_paths(strict), (Strings{"other"}));
    // Without an id field the result has no id, and the JSON no "id" key.
    const auto none = must_evaluate(pack(), R"({"case_id": "C-1"})");
    EXPECT_FALSE(none.id.has_value());
    EXPECT_FALSE(nlohmann::json::parse(bia::render_json(none)).contains("id"));
}

TEST(CaseIds, AnIdThatIsNeitherStringNorNumberIsAFactError) {
    for (const char* json : {R"({"case_id": true})", R"({"case_id": {"a": 1}})", R"({"case_id": [1]})"}) {
        const auto e = evaluate_with_id(json, "case_id");
        ASSERT_FALSE(e.ok()) << json;
        EXPECT_EQ(error_paths(e), (Strings{"case_id"})) << json;
        EXPECT_TRUE(contains(e.errors[0].message, "expected a string or a number (the case id)")) << e.errors[0].message;
    }
    EXPECT_FALSE(evaluate_with_id(R"({"case_id": "a", "case_id": "b"})", "case_id").ok());  // duplicate key
}

TEST(CaseIds, TheIdComesFirstInBothJsonForms) {
    const auto e = evaluate_with_id(R"({"child": {"alone": true}, "case_id": "C-17"})", "case_id");
    ASSERT_TRUE(e.ok());
    const std::string pretty = bia::render_json(*e.result);
    EXPECT_EQ(pretty.rfind("{\n  \"id\": \"C-17\",\n  \"engine\"", 0), 0u) << pretty.substr(0, 60);
    EXPECT_EQ(bia::to_json(*e.result).dump(2) + "\n", pretty);
    std::string line;
    bia::write_json_line(*e.result, line);
    EXPECT_EQ(line.rfind(R"({"id":"C-17","engine")", 0), 0u) << line.substr(0, 60);
}

TEST(CaseIds, EvaluateBatchGivesEachCaseItsIdEvaluatedOrNot) {
    const std::vector<std::string> texts = {R"({"case_id": "A", "child": {"alone": true}})",
                                            R"({"case_id": "B", "child": {"age": "old"}})", R"({"child": {}})",
                                            R"({"case_id": 7, "child": {"alon": true}})", "{broken"};
    const std::vector<std::string> expected = {R"("A")", R"("B")", "null", "7", "null"};
    std::vector<bia::BatchCase> cases(texts.size());
    std::vector<bia::Result> results(texts.size());
    std::vector<std::vector<bia::FactError>> errors(texts.size());
    std::vector<std::string> ids(texts.size(), "unset");
    for (std::size_t i = 0; i < texts.size(); ++i) {
        cases[i].json = texts[i];
        cases[i].result = &results[i];
        cases[i].errors = &errors[i];
        cases[i].id = &ids[i];
    }
    bia::EvalOptions o;
    o.as_of = bia_test::date("2026-03-10");
    o.id_field = "case_id";
    pack().evaluate_batch(cases, o);
    EXPECT_EQ(ids, expected);
    EXPECT_TRUE(cases[0].evaluated);
    EXPECT_EQ(*results[0].id, R"("A")");
    EXPECT_FALSE(cases[1].evaluated);
    EXPECT_TRUE(cases[2].evaluated);
    EXPECT_EQ(*results[2].id, "null");
    EXPECT_FALSE(cases[3].evaluated);  // a near miss
    EXPECT_FALSE(cases[4].evaluated);
}

TEST(CaseIds, IdFieldProblemRefusesFactsAndObjects) {
    EXPECT_EQ(pack().id_field_problem("case_id"), "");
    EXPECT_EQ(pack().id_field_problem("meta.id"), "");
    EXPECT_EQ(pack().id_field_problem("child.ref"), "");
    EXPECT_EQ(pack().id_field_problem("child.age"), "'child.age' is a fact of this pack, so it cannot be the case id");
    EXPECT_EQ(pack().id_field_problem("child"), "'child' is an object of facts of this pack, so it cannot be the case id");
    EXPECT_FALSE(pack().id_field_problem("").empty());
}

TEST(Suggestions, ClosestPathFollowsDeclaredKeys) {
    EXPECT_EQ(pack().closest_path("child.alon"), "child.alone");
    EXPECT_EQ(pack().closest_path("chld.alone"), "child");
    EXPECT_EQ(pack().closest_path("child.alone"), "");  // declared
    EXPECT_EQ(pack().closest_path("child.nickname"), "");
    EXPECT_EQ(pack().closest_path("deep.a.b.d"), "deep.a.b.c");
}

TEST(Warnings, StrictModeMakesThemErrors) {
    const auto e = evaluate(R"({"zeta": 1, "child": {"alone": true, "nickname": "x"}, "alpha": null})", true);
    EXPECT_FALSE(e.ok());
    Strings paths = error_paths(e);
    std::sort(paths.begin(), paths.end());
    EXPECT_EQ(paths, (Strings{"alpha", "child.nickname", "zeta"}));
    // A clean case is fine in strict mode.
    const auto ok = evaluate(R"({"child": {"alone": true}})", true);
    ASSERT_TRUE(ok.ok()) << bia_test::describe_errors(ok.errors);
    EXPECT_TRUE(ok.result->warnings.empty());
}

TEST(Warnings, ResultJsonCarriesWarningsAsObjects) {
    const auto r = must_evaluate(pack(), R"({"b": 1, "a": 2})");
    const auto j = nlohmann::json::parse(bia::render_json(r));
    ASSERT_TRUE(j["warnings"].is_array());
    ASSERT_EQ(j["warnings"].size(), 2u);
    EXPECT_EQ(j["warnings"][0]["path"], "a");
    EXPECT_TRUE(j["warnings"][0]["message"].is_string());
    EXPECT_EQ(j["warnings"][1]["path"], "b");
}

Strings warning_paths(const bia::Result& r) {
    Strings out;
    for (const auto& w : r.warnings) out.push_back(w.path);
    return out;
}

TEST(Warnings, KeysThatAreNotNamesAreQuotedInPaths) {
    // A key that is not a name of the pack language is written as a JSON string in brackets, so
    // "child.unaccompanied" as one key does not read as the declared fact, and "" is not an empty path.
    const std::string c = R"({"child.alone": true, "": 1, "$": 2, "x": {"": 3},
        "child": {"alone": true, "a.b": 1, "x y": 2, "[0]": 3, "q\"": 4, "tab\t": 5, "2nd": 6, "Zo\u00eb": 7,
                  "back\\slash": 8, "ctl\u0001": 9, "ok_Name1": 10, "_": 11}})";
    const Strings expected{R"([""])",          R"(["$"])",           R"(["child.alone"])",   "child._",
                           "child.ok_Name1",   R"(child["2nd"])",    "child[\"Zo\xc3\xab\"]", R"(child["[0]"])",
                           R"(child["a.b"])",  R"(child["back\\slash"])", R"(child["ctl\u0001"])",
                           R"(child["q\""])",  R"(child["tab\t"])",  R"(child["x y"])",    "x"};
    const auto r = must_evaluate(pack(), c);
    EXPECT_EQ(warning_paths(r), expected);
    EXPECT_EQ(state(r, "alone"), "fired");
    // A parsed value gives the same paths.
    bia::EvalOptions o;
    o.as_of = bia_test::date("2026-03-10");
    const auto dom = pack().evaluate(nlohmann::json::parse(c), o);
    ASSERT_TRUE(dom.ok());
    EXPECT_EQ(warning_paths(*dom.result), expected);
    // Each quoted path reads back, as JSON, to the key as written.
    EXPECT_EQ(nlohmann::json::parse(R"(["ctl\u0001"])")[0], "ctl\x01");
}

TEST(Warnings, QuotedKeysInStrictModeAndInErrors) {
    EXPECT_EQ(one_error(R"({"": 1})", true).path, R"([""])");
    EXPECT_EQ(one_error(R"({"child.unaccompanied": true})", true).path, R"(["child.unaccompanied"])");
    EXPECT_EQ(one_error(R"({"child": {"a b": 1, "a b": 2}})").path, R"(child["a b"])");
    // Under fields the pack does not declare, and in their arrays.
    EXPECT_EQ(one_error(R"({"x": {"a.b": 1, "a.b": 2}})").path, R"(x["a.b"])");
    EXPECT_EQ(one_error(R"({"q.r": {"s": 1, "s": 2}})").path, R"(["q.r"].s)");
    EXPECT_EQ(one_error(R"({"x": [{"": 1, "": 2}]})").path, R"(x[][""])");
    EXPECT_EQ(one_error(R"({"": [{"n": 1, "n": 2}]})").path, R"([""][].n)");
    EXPECT_EQ(one_error(R"({"x": {"\n": {"y": 1, "y": 2}}})").path, R"(x["\n"].y)");
    // Ordinary keys are as before.
    EXPECT_EQ(one_error(R"({"child": {"age": 1, "age": 2}})").path, "child.age");
    EXPECT_EQ(one_error(R"({"child": {"tags": ["debt", 1]}})").path, "child.tags[1]");
}

TEST(Warnings, KeysOfAParsedValueThatAreNotUtf8) {
    // Text input is checked for UTF-8 first; a parsed value's key may not be, and its path is still text.
    nlohmann::json j;
    j["child"]["\xff" "a"] = 1;
    bia::EvalOptions o;
    o.as_of = bia_test::date("2026-03-10");
    const auto e = pack().evaluate(j, o);
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(warning_paths(*e.result), (Strings{"child[\"\xef\xbf\xbd" "a\"]"}));  // U+FFFD
}

// ---- malformed and hostile JSON ---------------------------------------------------

TEST(MalformedJson, EachGivesAnErrorAndNoResult) {
    const std::string cases[] = {
        "",
        "   \n\t ",
        "{",
        R"({"child": {"age": 1})",
        R"({"child": {"age": })",
        R"({"child": {"age": 1,}})",
        R"({"child": {"age": 01}})",
        R"({'child': {}})",
        R"({"child": {"age": 1}} trailing)",
        R"({"child": {"age": 1}}{})",
        "nul",
        "[]",
        "[{}]",
        "null",
        "true",
        "12",
        R"("child")",
        R"({"child": {"name": "unterminated}})",
        R"({"child": {"name": "bad escape \q"}})",
        R"({"child": {"name": "bad \u12"}})",
        "{\"child\": {\"name\": \"control\x01char\"}}",
        "{\"child\": {\"name\": \"\xc3\x28\"}}",
        "{\"child\": {\"name\": \"\xed\xa0\x80\"}}",   // a UTF-16 surrogate encoded in UTF-8
        "{\"child\": {\"name\": \"\xc0\xaf\"}}",       // an overlong encoding
        "{\"child\": {\"na\xffme\": 1}}",              // invalid UTF-8 in a key
        std::string("{\"child\": {\"name\": \"a\0b\"}}", 25),  // a raw NUL byte
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case: " + c);
        const auto e = evaluate(c);
        EXPECT_FALSE(e.ok());
        EXPECT_FALSE(e.errors.empty());
        for (const auto& x : e.errors) {
            EXPECT_FALSE(x.message.empty());
            EXPECT_FALSE(x.path.empty());
        }
    }
}

TEST(MalformedJson, TruncatedJsonNamesWhere) {
    const auto e = evaluate("{\n  \"child\": {\"alone\": tr");
    ASSERT_FALSE(e.errors.empty());
    EXPECT_TRUE(contains(e.errors[0].message, "line 2")) << e.errors[0].message;
}

TEST(MalformedJson, EmptyInputSaysSo) {
    const auto e = evaluate("");
    ASSERT_EQ(e.errors.size(), 1u);
    EXPECT_TRUE(contains(e.errors[0].message, "empty")) << e.errors[0].message;
}

TEST(MalformedJson, TopLevelMustBeAnObject) {
    for (const char* c : {"[]", "[1, 2]", "null", "true", "1", "\"x\""}) {
        const auto e = evaluate(c);
        ASSERT_FALSE(e.errors.empty()) << c;
        EXPECT_TRUE(contains(e.errors[0].message, "object")) << c << ": " << e.errors[0].message;
    }
}

TEST(MalformedJson, InvalidUtf8IsAnError) {
    // "Invalid UTF-8 is an error."
    for (const std::string& c : {std::string("{\"child\": {\"name\": \"Caf\xe9\"}}"), std::string("{\"x\xff\": 1}"),
                                std::string("{\"child\": {\"name\": \"\xf4\x90\x80\x80\"}}")}) {
        const auto e = evaluate(c);
        EXPECT_FALSE(e.ok());
        ASSERT_FALSE(e.errors.empty());
        EXPECT_TRUE(contains(e.errors[0].message, "UTF-8")) << e.errors[0].message;
    }
}

TEST(Limits, MillionNestedArraysGiveTheDepthError) {
    // "1,000,000 nested JSON arrays ... a clear error, never a crash"; the error names the limit.
    for (const std::string& inner : {std::string("["), std::string("{\"a\":")}) {
        std::string json = "{\"x\": ";
        for (int i = 0; i < 1000000; ++i) json += inner;
        const auto e = evaluate(json);
        EXPECT_FALSE(e.ok());
        ASSERT_EQ(e.errors.size(), 1u) << bia_test::describe_errors(e.errors);
        EXPECT_TRUE(contains(e.errors[0].message, "max_json_depth")) << e.errors[0].message;
        EXPECT_TRUE(contains(e.errors[0].message, "64")) << e.errors[0].message;
    }
    // Balanced, too.
    std::string json = "{\"x\": ";
    for (int i = 0; i < 1000000; ++i) json += '[';
    for (int i = 0; i < 1000000; ++i) json += ']';
    json += "}";
    const auto e = evaluate(json);
    ASSERT_EQ(e.errors.size(), 1u);
    EXPECT_TRUE(contains(e.errors[0].message, "max_json_depth")) << e.errors[0].message;
}

TEST(Limits, DepthSixtyFourIsAccepted) {
    // "Limits are at least: ... JSON depth 64": the top-level object and 63 more levels.
    std::string json = "{\"x\": ";
    for (int i = 0; i < 62; ++i) json += '[';
    json += "{}";
    for (int i = 0; i < 62; ++i) json += ']';
    json += "}";
    const auto e = evaluate(json);
    EXPECT_TRUE(e.ok()) << bia_test::describe_errors(e.errors);
    // One more is over the default limit of 64.
    const auto over = evaluate("{\"x\": [" + json.substr(6, json.size() - 7) + "]}");
    EXPECT_FALSE(over.ok());
}

TEST(Limits, CaseOverSixteenMebibytesIsRefused) {
    std::string json = "{\"child\": {\"name\": \"";
    json.append((16u << 20) + 10, 'a');
    json += "\"}}";
    const auto e = evaluate(json);
    EXPECT_FALSE(e.ok());
    ASSERT_EQ(e.errors.size(), 1u);
    EXPECT_TRUE(contains(e.errors[0].message, "max_case_bytes")) << e.errors[0].message;
    EXPECT_FALSE(contains(e.errors[0].message, "aaaa"));
}

TEST(Limits, CaseJustUnderTheLimitIsRead) {
    std::string json = "{\"child\": {\"name\": \"";
    json.append((15u << 20), 'a');
    json += "\"}}";
    const auto e = evaluate(json);
    ASSERT_TRUE(e.ok()) << bia_test::describe_errors(e.errors);
    EXPECT_EQ(state(*e.result, "named"), "false");
}

TEST(Limits, CustomLimitsAreHonoured) {
    bia::Limits limits;
    limits.max_json_depth = 3;
    limits.max_case_bytes = 100;
    auto compiled = bia::compile(pack_text, "t.bia", limits);
    ASSERT_TRUE(compiled.ok());
    const auto deep = compiled.pack->evaluate(std::string_view(R"({"deep": {"a": {"b": {"c": true}}}})"));
    ASSERT_FALSE(deep.ok());
    EXPECT_TRUE(contains(deep.errors[0].message, "max_json_depth"));
    const auto big = compiled.pack->evaluate(std::string(R"({"child": {"name": ")") + std::string(200, 'x') + "\"}}");
    ASSERT_FALSE(big.ok());
    EXPECT_TRUE(contains(big.errors[0].message, "max_case_bytes"));
}

// ---- the DOM overload ------------------------------------------------------------

Strings sorted_errors(const std::vector<bia::FactError>& errors) {
    Strings out;
    for (const auto& e : errors) out.push_back(e.path + ": " + e.message);
    std::sort(out.begin(), out.end());
    return out;
}

TEST(DomOverload, AgreesWithTheTextOverload) {
    const std::string cases[] = {
        "{}",
        R"({"child": {"alone": true, "age": 16, "name": "Amina", "born": "2015-06-01", "gender": "girl",
            "tags": ["debt", "threats", "debt"]}, "family": {"siblings": 0}, "case": {"arrived_on": "2026-02-27"}})",
        R"({"child": null, "zeta": 1, "alpha": {"b": [1]}})",
        R"({"child": {"tags": []}, "deep": {"a": {"b": {"c": false}}}})",
        R"({"child": {"age": 15.5, "nickname": "x"}})",
        R"({"child": {"age": 18446744073709551615}})",
        R"({"child": {"age": -9223372036854775808}})",
    };
    bia::EvalOptions o;
    o.as_of = bia_test::date("2026-03-10");
    for (const auto& c : cases) {
        SCOPED_TRACE(c);
        const auto text = pack().evaluate(c, o);
        const auto dom = pack().evaluate(nlohmann::json::parse(c), o);
        ASSERT_TRUE(text.ok()) << bia_test::describe_errors(text.errors);
        ASSERT_TRUE(dom.ok()) << bia_test::describe_errors(dom.errors);
        EXPECT_EQ(bia::render_json(*text.result), bia::render_json(*dom.result));
    }
}

// The fast binder looks for each key where the previous case had it: cases in
// changing key orders, with keys left out and sections repeated (a duplicate
// key), one after another on the same thread, must bind as the DOM overload does.
TEST(DomOverload, AgreesWhateverTheKeyOrder) {
    const std::vector<std::pair<std::string, std::string>> fields = {
        {"alone", "true"}, {"age", "16"}, {"name", "\"Amina\""}, {"born", "\"2015-06-01\""},
        {"gender", "\"boy\""}, {"tags", "[\"threats\"]"}};
    std::vector<std::size_t> order(fields.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    bia::EvalOptions o;
    o.as_of = bia_test::date("2026-03-10");
    std::size_t compared = 0;
    do {
        // Each order whole, then without its second key, then with its first key twice.
        for (int variant = 0; variant < 3; ++variant) {
            std::string child;
            for (std::size_t k = 0; k < order.size(); ++k) {
                if (variant == 1 && k == 1) continue;
                const auto& [key, value] = fields[order[k]];
                child += (child.empty() ? "" : ",") + ("\"" + key + "\":" + value);
            }
            if (variant == 2) child += ",\"" + fields[order[0]].first + "\":" + fields[order[0]].second;
            const std::string c = "{\"family\":{\"siblings\":2},\"child\":{" + child + "}}";
            SCOPED_TRACE(c);
            const auto text = pack().evaluate(c, o);
            ++compared;
            if (variant == 2) {  // text is refused; a parsed value cannot tell (its object kept one)
                ASSERT_FALSE(text.ok());
                EXPECT_EQ(text.errors.at(0).path, "child." + fields[order[0]].first);
                continue;
            }
            const auto dom = pack().evaluate(nlohmann::json::parse(c), o);
            ASSERT_TRUE(text.ok()) << bia_test::describe_errors(text.errors);
            ASSERT_TRUE(dom.ok()) << bia_test::describe_errors(dom.errors);
            EXPECT_EQ(bia::render_json(*text.result), bia::render_json(*dom.result));
            EXPECT_EQ(state(*text.result, "named"), variant == 1 && order[1] == 2 ? "unknown" : "fired");
            EXPECT_EQ(state(*text.result, "age"), variant == 1 && order[1] == 1 ? "unknown" : "fired");
        }
    } while (std::next_permutation(order.begin(), order.end()));
    EXPECT_EQ(compared, 720u * 3);
}

TEST(DomOverload, AgreesOnFactErrors) {
    const std::string cases[] = {
        R"({"child": {"alone": "yes", "tags": ["debt", 3, "bogus"]}, "family": {"siblings": false}})",
        R"({"child": true})",
        R"({"child": {"born": "2026-02-30", "gender": "robot"}})",
        R"([])",
        R"({"child": {"tags": [null]}})",
    };
    for (bool strict : {false, true}) {
        bia::EvalOptions o;
        o.as_of = bia_test::date("2026-03-10");
        o.strict = strict;
        for (const auto& c : cases) {
            SCOPED_TRACE(c);
            const auto text = pack().evaluate(c, o);
            const auto dom = pack().evaluate(nlohmann::json::parse(c), o);
            EXPECT_FALSE(text.ok());
            EXPECT_FALSE(dom.ok());
            EXPECT_EQ(sorted_errors(text.errors), sorted_errors(dom.errors));
        }
        const std::string undeclared = R"({"zeta": 1, "child": {"alone": true, "nickname": "x"}})";
        const auto text = pack().evaluate(undeclared, o);
        const auto dom = pack().evaluate(nlohmann::json::parse(undeclared), o);
        EXPECT_EQ(text.ok(), !strict);
        EXPECT_EQ(dom.ok(), !strict);
        if (strict) {
            // The order of errors is not part of the contract (a parsed object may not keep key order).
            EXPECT_EQ(sorted_errors(text.errors), sorted_errors(dom.errors));
        } else {
            EXPECT_EQ(bia::render_json(*text.result), bia::render_json(*dom.result));
        }
    }
}

TEST(DomOverload, NonFiniteAndDeepValues) {
    bia::EvalOptions o;
    o.as_of = bia_test::date("2026-03-10");
    nlohmann::json j;
    j["child"]["age"] = std::numeric_limits<double>::infinity();
    auto e = pack().evaluate(j, o);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.errors[0].path, "child.age");
    j["child"]["age"] = std::numeric_limits<double>::quiet_NaN();
    e = pack().evaluate(j, o);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.errors[0].path, "child.age");
    // A DOM nested deeper than the limit.
    nlohmann::json deep = nlohmann::json::array();
    for (int i = 0; i < 200; ++i) deep = nlohmann::json::array({deep});
    nlohmann::json c;
    c["x"] = deep;
    e = pack().evaluate(c, o);
    ASSERT_FALSE(e.ok());
    EXPECT_TRUE(contains(e.errors[0].message, "max_json_depth"));
    // A top-level array.
    e = pack().evaluate(nlohmann::json::array(), o);
    EXPECT_FALSE(e.ok());
}

TEST(Reuse, ErrorsDoNotLeakIntoTheNextEvaluation) {
    // The engine reuses per-thread buffers; a failed case must not affect the next one.
    EXPECT_FALSE(evaluate(R"({"child": {"age": "x"}, "zz": 1})").ok());
    const auto r = must_evaluate(pack(), R"({"child": {"alone": true}})");
    EXPECT_TRUE(r.warnings.empty());
    EXPECT_EQ(state(r, "alone"), "fired");
    EXPECT_EQ(state(r, "age"), "unknown");
    const auto r2 = must_evaluate(pack(), R"({"child": {"name": "Amina"}})");
    EXPECT_EQ(state(r2, "alone"), "unknown");  // nothing carried over from the previous case
    EXPECT_EQ(state(r2, "named"), "fired");
}

}  // namespace
