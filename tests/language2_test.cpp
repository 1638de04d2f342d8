// Language 2 (docs/language.md#version-2): the `language` declaration and what it gates, the
// presumptions possibly() and certainly() with the missing facts they still name, and calendar
// arithmetic (`date + N months`) with time frames in months and years, checked against
// std::chrono's calendar and against years().
#include "eval/semantics.hpp"

#include <bia/explain.hpp>
#include <bia/report.hpp>
#include <bia/testing.hpp>

#include "test_util.hpp"

#include <chrono>
#include <span>

namespace {

using bia_test::diagnostics_of;
using bia_test::must_compile;
using bia_test::must_evaluate;

const char* const v1_header = "pack t version \"1.0.0\" \"T\"\nlevel low\nlevel medium at 10\nlevel high at 50\n";
const std::string v2_header = std::string(v1_header) + "language 2\n";

// ---- the declaration ------------------------------------------------------------

TEST(Language2, APackWithoutTheDeclarationIsV1AndOneWithItIsV2) {
    must_compile(std::string(v1_header) + "rule r \"R\" when true\n");
    must_compile(std::string(v1_header) + "language 1\nrule r \"R\" when true\n");
    must_compile(v2_header + "rule r \"R\" when possibly(true)\n");
    // Anywhere in the pack, as any declaration; here before `pack`, in a file of its own.
    bia_test::TempDir dir;
    bia_test::write_file(dir / "0.bia", "language 2\n");
    bia_test::write_file(dir / "1.bia", std::string(v1_header) + "rule r \"R\" when possibly(true)\n");
    EXPECT_TRUE(bia::load(dir.path()).ok());
}

TEST(Language2, AnUnknownVersionOrASecondDeclarationIsRefusedAtItsLine) {
    EXPECT_EQ(diagnostics_of(std::string(v1_header) + "language 3\n"),
              "t.bia:5:10: error: this engine reads language 1 and language 2, not language 3; a newer bia may "
              "read it [E0212]\n  language 3\n           ^\n");
    EXPECT_NE(diagnostics_of(std::string(v1_header) + "language 2.5\n").find("not language 2.5; a newer bia"),
              std::string::npos);
    EXPECT_EQ(diagnostics_of(v2_header + "language 2\n"),
              "t.bia:6:1: error: the language is already declared at line 5; a pack declares its language once "
              "[E0212]\n  language 2\n  ^\n");
    // `language` not followed by a number starts no declaration (`language.spoken` may be a fact).
    EXPECT_NE(diagnostics_of(std::string(v1_header) + "language two\n").find("but found 'language' [E0102]"),
              std::string::npos);
}

TEST(Language2, AV1PackUsingAV2ConstructIsToldWhichLineToAdd) {
    EXPECT_EQ(diagnostics_of(std::string(v1_header) + "fact x : bool\nrule r \"R\" when possibly(x)\n"),
              "t.bia:6:17: error: possibly() is language 2; declare `language 2` in the pack (a line of its own) to "
              "use it [E0312]\n  rule r \"R\" when possibly(x)\n                  ^\n");
    EXPECT_NE(diagnostics_of(std::string(v1_header) + "fact x : bool\nrule r \"R\" when certainly(x)\n")
                  .find("certainly() is language 2"),
              std::string::npos);
    EXPECT_EQ(diagnostics_of(std::string(v1_header) + "fact d : date\nrule r \"R\" when d + 18 years < today\n"),
              "t.bia:6:19: error: calendar arithmetic (`date + N years`) is language 2; declare `language 2` in the "
              "pack (a line of its own) to use it [E0312]\n  rule r \"R\" when d + 18 years < today\n"
              "                    ^\n");
    EXPECT_NE(diagnostics_of(std::string(v1_header) + "rule r \"R\" when true action \"a\" within 1 month\n")
                  .find("`within N months` is language 2"),
              std::string::npos);
    // v1's units stay v1.
    must_compile(std::string(v1_header) + "rule r \"R\" when true action \"a\" within 2 weeks\n");
}

TEST(Language2, TheNewWordsAreNotReservedSoV1NamesKeepTheirMeaning) {
    for (const char* name : {"possibly", "certainly", "months", "month", "year", "language"}) {
        SCOPED_TRACE(name);
        const bia::Pack pack = must_compile(std::string(v1_header) + "fact " + name + " : number\nlet twice_" + name +
                                            " = " + name + " * 2\nrule r \"R\" score 10 when twice_" + name + " > 2\n");
        EXPECT_TRUE(bia_test::fired(must_evaluate(pack, std::string("{\"") + name + "\": 2}"), "r"));
    }
    // A fact path whose first segment is `language` continues an expression on its next line.
    const bia::Pack pack = must_compile(std::string(v1_header) +
                                        "fact language.spoken : text\nrule r \"R\" when\n  language.spoken = \"ar\"\n");
    EXPECT_TRUE(bia_test::fired(must_evaluate(pack, R"({"language": {"spoken": "ar"}})"), "r"));
}

// ---- possibly and certainly ------------------------------------------------------

// The pack's rules on x: their outcomes for x true, false and unknown, on every evaluation path.
TEST(Language2, PossiblyAndCertainlyFollowTheirTableOnEveryPath) {
    const bia::Pack pack = must_compile(v2_header +
                                        "fact x : bool\n"
                                        "rule p \"P\" when possibly(x)\n"
                                        "rule c \"C\" when certainly(x)\n"
                                        "rule np \"NP\" when not possibly(x)\n"
                                        "rule pc \"PC\" when possibly(certainly(x))\n");
    struct Row {
        const char* json;
        bool p, c, np, pc;
    };
    const Row rows[] = {
        {R"({"x": true})", true, true, false, true},
        {R"({"x": false})", false, false, true, false},
        {R"({})", true, false, false, false},
        {R"({"x": null})", true, false, false, false},
    };
    for (const Row& row : rows) {
        SCOPED_TRACE(row.json);
        const bia::Result r = must_evaluate(pack, row.json);
        EXPECT_TRUE(r.undetermined.empty()) << "a presumption is never unknown";
        EXPECT_EQ(bia_test::fired(r, "p"), row.p);
        EXPECT_EQ(bia_test::fired(r, "c"), row.c);
        EXPECT_EQ(bia_test::fired(r, "np"), row.np);
        EXPECT_EQ(bia_test::fired(r, "pc"), row.pc);
    }
    // A block of 64 lanes (and a part-filled one) gives each case what it gets alone.
    std::vector<std::string> texts;
    for (int i = 0; i < 70; ++i) texts.push_back(rows[i % 4].json);
    bia_test::expect_batch_equals_single(pack, texts);
    bia::EvalOptions options;
    options.as_of = bia_test::date("2026-03-10");
    // Explain shows the operand's value under the presumption's.
    const auto e = bia::explain(pack, "{}", "p", options);
    ASSERT_TRUE(e.explanation);
    EXPECT_EQ(e.explanation->outcome, bia::RuleOutcome::fired);
    ASSERT_EQ(e.explanation->steps.size(), 2u);
    EXPECT_EQ(e.explanation->steps[0].expression, "possibly(x)");
    EXPECT_EQ(e.explanation->steps[0].value, "true");
    EXPECT_EQ(e.explanation->steps[1].expression, "x");
    EXPECT_EQ(e.explanation->steps[1].value, "unknown");
}

TEST(Language2, ArgumentsAreConditions) {
    EXPECT_NE(diagnostics_of(v2_header + "fact n : number\nrule r \"R\" when possibly(n)\n")
                  .find("the argument of possibly() must be bool, but this is number [E0301]"),
              std::string::npos);
    EXPECT_NE(diagnostics_of(v2_header + "fact x : bool\nrule r \"R\" when certainly(x, x)\n")
                  .find("certainly() takes 1 argument (a condition), but 2 were given"),
              std::string::npos);
}

// The presumed child of GC6 para 31(i): fires while the age is unknown, and the case still asks for it.
const std::string presumed_child = v2_header +
                                   "fact child.birth_date : date\n"
                                   "fact child.unaccompanied : bool\n"
                                   "fact guardian.appointed : bool\n"
                                   "fact child.seen : bool\n"
                                   "let presumed_child = possibly(years(child.birth_date, today) < 18)\n"
                                   "rule no_guardian \"N\" severity high when presumed_child and child.unaccompanied "
                                   "and not guardian.appointed\n"
                                   "rule confirmed \"C\" severity medium when certainly(child.seen) and "
                                   "child.unaccompanied\n";

TEST(Language2, ARuleAPresumptionFiredStillNamesWhatWouldSettleIt) {
    const bia::Pack pack = must_compile(presumed_child);
    const bia::Result r =
        must_evaluate(pack, R"({"child": {"unaccompanied": true, "seen": true}, "guardian": {"appointed": false}})");
    EXPECT_TRUE(bia_test::fired(r, "no_guardian"));
    EXPECT_EQ(r.level, "high");
    EXPECT_EQ(r.missing, std::vector<std::string>{"child.birth_date"});
    // Its answer could lower the case, not raise it: not a question to ask first.
    EXPECT_TRUE(r.ask_first.empty());
    // Once the birth date is known, nothing is missing, and the presumption follows it.
    const bia::Result adult = must_evaluate(
        pack, R"({"child": {"birth_date": "2000-01-01", "unaccompanied": true, "seen": true}, "guardian": {"appointed": false}})");
    EXPECT_FALSE(bia_test::fired(adult, "no_guardian"));
    EXPECT_TRUE(adult.missing.empty());
}

TEST(Language2, ARuleACertaintyKeptFromFiringNamesWhatCouldFireIt) {
    const bia::Pack pack = must_compile(presumed_child);
    const bia::Result r = must_evaluate(pack, R"({"child": {"birth_date": "2000-01-01", "unaccompanied": true}})");
    EXPECT_FALSE(bia_test::fired(r, "confirmed"));
    EXPECT_EQ(bia_test::undetermined(r, "confirmed"), nullptr);
    EXPECT_EQ(r.level, "low");
    // confirmed could raise the case to medium: child.seen is the question to ask (and
    // guardian.appointed does not matter, as the birth date settles no_guardian).
    EXPECT_EQ(r.missing, std::vector<std::string>{"child.seen"});
    EXPECT_EQ(r.ask_first, std::vector<std::string>{"child.seen"});
    // A false operand that decides on its own: nothing the presumption needs is missing.
    const bia::Result alone =
        must_evaluate(pack, R"({"child": {"birth_date": "2000-01-01", "unaccompanied": false}, "guardian": {"appointed": true}})");
    EXPECT_TRUE(alone.missing.empty());
}

TEST(Language2, OnlyFactsThatCouldChangeTheOutcomeAreNamed) {
    const bia::Pack pack = must_compile(v2_header +
                                        "fact x : bool\nfact y : bool\nfact z : bool\n"
                                        "let px = possibly(x)\n"
                                        "rule either \"E\" score 10 when px or y\n"
                                        "rule both \"B\" score 10 when certainly(x) and certainly(z)\n"
                                        "rule open \"O\" score 10 when possibly(x) and y\n");
    {
        // `either`: y true decides; `both`: both presumptions decide together, so both facts.
        const bia::Result r = must_evaluate(pack, R"({"y": true})");
        EXPECT_TRUE(bia_test::fired(r, "either"));
        EXPECT_FALSE(bia_test::fired(r, "both"));
        EXPECT_TRUE(bia_test::fired(r, "open"));
        EXPECT_EQ(r.missing, (std::vector<std::string>{"x", "z"}));
    }
    {
        // `either` fired on the presumption alone (through a let): x would settle it.
        const bia::Result r = must_evaluate(pack, R"({"y": false, "z": false})");
        EXPECT_TRUE(bia_test::fired(r, "either"));
        EXPECT_EQ(r.missing, std::vector<std::string>{"x"});
    }
    {
        // An undetermined rule names the facts inside the presumptions it reaches too.
        const bia::Result r = must_evaluate(pack, R"({"z": true})");
        ASSERT_NE(bia_test::undetermined(r, "open"), nullptr);
        EXPECT_EQ(bia_test::undetermined(r, "open")->missing, (std::vector<std::string>{"x", "y"}));
    }
}

// ---- calendar arithmetic -----------------------------------------------------------

// The date `expression` gives, as an action's due date (`within 0 days of expression`).
std::optional<std::string> date_of(const std::string& expression, const std::string& json = "{}",
                                   const std::string& facts = "") {
    const bia::Pack pack =
        must_compile(v2_header + facts + "rule r \"R\" when true action \"a\" within 0 days of " + expression + "\n");
    const bia::Result r = must_evaluate(pack, json, "2026-03-10");
    const auto& due = bia_test::fired_rule(r, "r")->actions.at(0).due;
    return due ? std::optional<std::string>(due->to_string()) : std::nullopt;
}

TEST(Language2, TheDocsCalendarExamplesHold) {
    // docs/language.md#calendar-arithmetic, row by row.
    EXPECT_EQ(date_of("2026-12-30 + 1 week"), "2027-01-06");
    EXPECT_EQ(date_of("2026-01-31 + 1 month"), "2026-02-28");
    EXPECT_EQ(date_of("2024-01-31 + 1 month"), "2024-02-29");
    EXPECT_EQ(date_of("2026-03-31 - 1 month"), "2026-02-28");
    EXPECT_EQ(date_of("2008-02-29 + 18 years"), "2026-03-01");
    EXPECT_EQ(date_of("2008-02-29 + 16 years"), "2024-02-29");
    EXPECT_EQ(date_of("2024-02-29 - 1 year"), "2023-02-28");
    EXPECT_EQ(date_of("2026-01-31 + 1 month + 1 month"), "2026-03-28");
    EXPECT_EQ(date_of("2026-01-31 + 2 months"), "2026-03-31");
    // Singular and plural, days, and a fact's date; an unknown fact gives no date.
    EXPECT_EQ(date_of("2026-03-10 + 1 day - 2 days"), "2026-03-09");
    EXPECT_EQ(date_of("d + 1 year", R"({"d": "2026-03-10"})", "fact d : date\n"), "2027-03-10");
    EXPECT_EQ(date_of("d + 1 year", "{}", "fact d : date\n"), std::nullopt);
    // Outside years 1..9999: unknown, not a wrapped date.
    EXPECT_EQ(date_of("9999-12-31 + 1 day"), std::nullopt);
    EXPECT_EQ(date_of("0001-01-01 - 1 month"), std::nullopt);
    EXPECT_EQ(date_of("2026-03-10 + 9999 years"), std::nullopt);
    EXPECT_EQ(date_of("9999-12-31 - 9998 years"), "0001-12-31");
}

TEST(Language2, MovingADateIsTypedAndBounded) {
    EXPECT_NE(diagnostics_of(v2_header + "fact n : number\nrule r \"R\" when n + 1 year > 2\n")
                  .find("the left side of `+ N years` must be date, but this is number [E0301]"),
              std::string::npos);
    // Reported once, not again where the result is compared.
    EXPECT_EQ(diagnostics_of(v2_header + "fact n : number\nrule r \"R\" when n + 1 year > 2\n").find("E0302"),
              std::string::npos);
    EXPECT_NE(diagnostics_of(v2_header + "rule r \"R\" when today + 1.5 years > today\n")
                  .find("a date moves by a whole number of years, not 1.5 [E0307]"),
              std::string::npos);
    EXPECT_NE(diagnostics_of(v2_header + "rule r \"R\" when today + 10000 years > today\n")
                  .find("a date moves by at most 9999 years"),
              std::string::npos);
    EXPECT_NE(diagnostics_of(v2_header + "rule r \"R\" when today - 119989 months > today\n")
                  .find("a date moves by at most 119988 months"),
              std::string::npos);
    // A duration stands only after `+` or `-`.
    EXPECT_FALSE(diagnostics_of(v2_header + "rule r \"R\" when 18 years > 2\n").empty());
    EXPECT_FALSE(diagnostics_of(v2_header + "rule r \"R\" when today > 2 years\n").empty());
}

// Every date from 1999-12-01 to 2031-01-31 moved by -30..30 months and -20..20 years: what
// std::chrono's calendar gives, with the language's rules for a day the month reached lacks.
TEST(Language2, MonthsAndYearsAgreeWithChrono) {
    using namespace std::chrono;
    const auto first = bia::Date::from_ymd(1999, 12, 1)->days(), last = bia::Date::from_ymd(2031, 1, 31)->days();
    for (std::int32_t d = first; d <= last; ++d) {
        const year_month_day from{sys_days{std::chrono::days{d}}};
        for (int n = -30; n <= 30; ++n) {
            year_month_day by_months = from + std::chrono::months{n};
            if (!by_months.ok()) by_months = by_months.year() / by_months.month() / std::chrono::last;
            const bia::eval::Value m = bia::eval::add_months(d, n);
            ASSERT_TRUE(m.known);
            ASSERT_EQ(static_cast<std::int32_t>(m.num), sys_days{by_months}.time_since_epoch().count())
                << bia::Date::from_days(d).to_string() << " + " << n << " months";
            if (n < -20 || n > 20) continue;
            year_month_day by_years = from + std::chrono::years{n};
            // chrono reads 29 February of a common year as the day after 28 February: 1 March.
            if (!by_years.ok()) by_years = n > 0 ? year_month_day{sys_days{by_years}} : by_years.year() / February / 28;
            const bia::eval::Value y = bia::eval::add_years(d, n);
            ASSERT_TRUE(y.known);
            ASSERT_EQ(static_cast<std::int32_t>(y.num), sys_days{by_years}.time_since_epoch().count())
                << bia::Date::from_days(d).to_string() << " + " << n << " years";
        }
    }
}

// `d + N years <= t` exactly when `years(d, t) >= N`, and `d <= t - N years` too: for every birth
// date of 2000 to 2030 (29 February included) and each day around its 18th birthday.
TEST(Language2, TheEighteenthBirthdayAgreesWithYears) {
    const auto first = bia::Date::from_ymd(2000, 1, 1)->days(), last = bia::Date::from_ymd(2030, 12, 31)->days();
    for (std::int32_t d = first; d <= last; ++d) {
        const auto birthday = static_cast<std::int32_t>(bia::eval::add_years(d, 18).num);
        for (std::int32_t t = birthday - 3; t <= birthday + 3; ++t) {
            const bool adult = bia::eval::whole_years(d, t) >= 18;
            ASSERT_EQ(birthday <= t, adult) << bia::Date::from_days(d).to_string() << " on " << bia::Date::from_days(t).to_string();
            ASSERT_EQ(d <= bia::eval::add_years(t, -18).num, adult)
                << bia::Date::from_days(d).to_string() << " on " << bia::Date::from_days(t).to_string();
        }
    }
}

TEST(Language2, TimeFramesInMonthsAndYearsFollowTheCalendar) {
    const bia::Pack pack = must_compile(v2_header +
                                        "fact case.arrived_on : date\n"
                                        "rule r \"R\" when true\n"
                                        "  action \"a month\" within 1 month of case.arrived_on\n"
                                        "  action \"a year\" within 1 year of case.arrived_on\n"
                                        "  action \"6 months from today\" within 6 months\n");
    const bia::Result r = must_evaluate(pack, R"({"case": {"arrived_on": "2024-01-31"}})", "2026-03-10");
    const auto& actions = bia_test::fired_rule(r, "r")->actions;
    ASSERT_EQ(actions.size(), 3u);
    EXPECT_EQ(actions[0].due->to_string(), "2024-02-29");
    EXPECT_TRUE(actions[0].overdue);
    EXPECT_EQ(actions[1].due->to_string(), "2025-01-31");
    EXPECT_EQ(actions[2].due->to_string(), "2026-09-10");
    EXPECT_FALSE(actions[2].overdue);
    EXPECT_NE(diagnostics_of(v2_header + "rule r \"R\" when true action \"a\" within 101 years\n")
                  .find("a time frame may be at most 100 years [E0502]"),
              std::string::npos);
    EXPECT_NE(diagnostics_of(v2_header + "rule r \"R\" when true action \"a\" within 1201 months\n")
                  .find("a time frame may be at most 1200 months (100 years)"),
              std::string::npos);
}

}  // namespace

namespace {

// ---- partial dates and number ranges ------------------------------------------------

const std::string intervals = v2_header +
                              "fact child.birth_date : date\n"
                              "fact age.assessed : number\n"
                              "fact case.arrived_on : exact date\n"
                              "fact family.siblings : exact number\n"
                              "fact child.alone : bool\n"
                              "let age = years(child.birth_date, today)\n"
                              "rule minor \"M\" score 10 when age < 18\n"
                              "rule assessed_minor \"A\" when age.assessed < 18\n"
                              "rule young \"Y\" when age < 10 or age.assessed < 10\n"
                              "rule arrived_late \"L\" when case.arrived_on > child.birth_date + 17 years\n";

TEST(Language2, APartialDateStraddlingEighteenLeavesTheRuleOpenAndSaysWhy) {
    const bia::Pack pack = must_compile(intervals);
    // Born in 2008, assessed on 2026-03-10: 17 or 18.
    const bia::Result r = must_evaluate(pack, R"({"child": {"birth_date": "2008"}})", "2026-03-10");
    ASSERT_NE(bia_test::undetermined(r, "minor"), nullptr);
    EXPECT_EQ(bia_test::undetermined(r, "minor")->missing, std::vector<std::string>{"child.birth_date"});
    EXPECT_EQ(r.imprecise, std::vector<std::string>{"child.birth_date"});
    EXPECT_NE(std::find(r.missing.begin(), r.missing.end(), "child.birth_date"), r.missing.end());
    // `young` is decided: 17 or 18 is not under 10, whichever it is.
    EXPECT_EQ(bia_test::undetermined(r, "young")->missing, std::vector<std::string>{"age.assessed"});
    // Born in 2007: 18 or 19 whatever the day, so not a minor; in May 2009: 16.
    EXPECT_EQ(bia_test::undetermined(must_evaluate(pack, R"({"child": {"birth_date": "2007"}})", "2026-03-10"), "minor"),
              nullptr);
    EXPECT_FALSE(bia_test::fired(must_evaluate(pack, R"({"child": {"birth_date": "2007"}})", "2026-03-10"), "minor"));
    EXPECT_TRUE(bia_test::fired(must_evaluate(pack, R"({"child": {"birth_date": "2009-05"}})", "2026-03-10"), "minor"));
    // A month that straddles: born in March 2008, assessed on 10 March 2026.
    EXPECT_NE(bia_test::undetermined(must_evaluate(pack, R"({"child": {"birth_date": "2008-03"}})", "2026-03-10"), "minor"),
              nullptr);
    // The text report says why the fact is asked for although the case gives it.
    EXPECT_NE(bia::render_text(r, pack).find("child.birth_date\n        recorded, but not precisely enough: a more precise "
                                             "value would settle this"),
              std::string::npos);
    EXPECT_NE(bia::render_json(r).find("\"imprecise\": [\n    \"child.birth_date\"\n  ]"), std::string::npos);
}

TEST(Language2, ANumberRangeIsDecidedWhereItDoesNotStraddle) {
    const bia::Pack pack = must_compile(intervals);
    const bia::Result open = must_evaluate(pack, R"({"age": {"assessed": {"min": 16, "max": 18}}})");
    ASSERT_NE(bia_test::undetermined(open, "assessed_minor"), nullptr);
    EXPECT_EQ(open.imprecise, std::vector<std::string>{"age.assessed"});
    EXPECT_TRUE(bia_test::fired(must_evaluate(pack, R"({"age": {"assessed": {"min": 16, "max": 17.9}}})"), "assessed_minor"));
    EXPECT_FALSE(bia_test::fired(must_evaluate(pack, R"({"age": {"assessed": {"min": 18, "max": 21}}})"), "assessed_minor"));
    // Width 0 is the number itself, and nothing is imprecise.
    const bia::Result point = must_evaluate(pack, R"({"age": {"assessed": {"min": 17, "max": 17}}})");
    EXPECT_EQ(bia::render_json(point), bia::render_json(must_evaluate(pack, R"({"age": {"assessed": 17}})")));
    // Explain shows the interval.
    bia::EvalOptions options;
    options.as_of = bia_test::date("2026-03-10");
    const auto e = bia::explain(pack, R"({"child": {"birth_date": "2008"}})", "minor", options);
    ASSERT_TRUE(e.explanation);
    const std::string text = bia::render_explanation(*e.explanation);
    EXPECT_NE(text.find("age  ->  between 17 and 18"), std::string::npos) << text;
    EXPECT_NE(text.find("child.birth_date  ->  between 2008-01-01 and 2008-12-31"), std::string::npos) << text;
}

TEST(Language2, BadIntervalsAreFactErrorsWithTheirPathAndNoValue) {
    const bia::Pack pack = must_compile(intervals);
    struct Row {
        const char* json;
        const char* error;  // path: message
    };
    const Row rows[] = {
        {R"({"child": {"birth_date": "2009-13"}})",
         "child.birth_date: expected a date string \"YYYY-MM-DD\", \"YYYY-MM\" or \"YYYY\" naming a real calendar "
         "date, found a string that is not one"},
        {R"({"child": {"birth_date": "20O9"}})",
         "child.birth_date: expected a date string \"YYYY-MM-DD\", \"YYYY-MM\" or \"YYYY\" naming a real calendar "
         "date, found a string that is not one"},
        {R"({"case": {"arrived_on": "2026"}})",
         "case.arrived_on: expected a date string \"YYYY-MM-DD\" naming a real calendar date, found a string that is not one"},
        {R"({"age": {"assessed": {"min": 18, "max": 16}}})", "age.assessed: the range's \"min\" is greater than its \"max\""},
        {R"({"age": {"assessed": {"min": 16}}})",
         "age.assessed: a range needs both \"min\" and \"max\" (numbers); \"max\" was not given"},
        {R"({"age": {"assessed": {}}})", "age.assessed: a range needs both \"min\" and \"max\" (numbers); neither was given"},
        {R"({"age": {"assessed": {"min": 16, "max": 17, "mean": 16.5}}})", "age.assessed.mean: a range has only \"min\" and \"max\""},
        {R"({"age": {"assessed": {"min": "16", "max": 17}}})", "age.assessed.min: expected a number, found a string"},
        {R"({"age": {"assessed": {"min": [16], "max": 17}}})", "age.assessed.min: expected a number, found an array"},
        {R"({"age": {"assessed": {"min": 1e999, "max": 17}}})", "age.assessed.min: the number is out of range (not a finite double)"},
        {R"({"age": {"assessed": {"min": 16, "max": 17, "min": 15}}})", "age.assessed.min: duplicate key in a JSON object"},
        {R"({"age": {"assessed": [16, 18]}})", "age.assessed: expected a number or a range {\"min\": a, \"max\": b}, found an array"},
        {R"({"family": {"siblings": {"min": 1, "max": 2}}})", "family.siblings: expected a number, found an object"},
        {R"({"child": {"alone": {"min": 0, "max": 1}}})", "child.alone: expected a boolean (true or false), found an object"},
    };
    for (const Row& row : rows) {
        SCOPED_TRACE(row.json);
        const auto errors = bia_test::fact_errors(pack, row.json);
        ASSERT_EQ(errors.size(), 1u) << bia_test::describe_errors(errors);
        EXPECT_EQ(errors[0].path + ": " + errors[0].message, row.error);
    }
    // A v1 pack keeps v1's meaning: a partial date is an error there.
    const bia::Pack v1 = must_compile(std::string(v1_header) + "fact d : date\nrule r \"R\" when d < today\n");
    EXPECT_EQ(bia_test::fact_errors(v1, R"({"d": "2009"})").at(0).message,
              "expected a date string \"YYYY-MM-DD\" naming a real calendar date, found a string that is not one");
    EXPECT_EQ(bia_test::fact_errors(v1, R"({"d": {"min": 1, "max": 2}})").size(), 1u);
}

TEST(Language2, ExactAndRangeLiteralsAreChecked) {
    EXPECT_NE(diagnostics_of(std::string(v1_header) + "fact n : exact number\n").find("`exact` is language 2"),
              std::string::npos);
    EXPECT_NE(diagnostics_of(v2_header + "fact b : exact bool\n").find("`exact` applies to number and date facts"),
              std::string::npos);
    const std::string tests = intervals +
                              "test \"ranges and partial dates as given values\"\n"
                              "  as of 2026-03-10\n"
                              "  given child.birth_date = \"2008\", age.assessed = 16 to 17.5\n"
                              "  expect undetermined minor\n"
                              "  expect fired assessed_minor\n"
                              "  expect missing child.birth_date\n";
    const bia::Pack pack = must_compile(tests);
    const auto report = bia::run_tests(pack);
    ASSERT_EQ(report.tests.size(), 1u);
    EXPECT_EQ(report.failed(), 0u) << ::testing::PrintToString(report.tests[0].failures);
    EXPECT_EQ(report.passed(), 1u);
    EXPECT_NE(diagnostics_of(intervals + "test \"t\" given age.assessed = 18 to 16 expect fired minor\n")
                  .find("a range goes from the smaller number to the larger: 16 to 18"),
              std::string::npos);
    EXPECT_NE(diagnostics_of(intervals + "test \"t\" given family.siblings = 1 to 2 expect fired minor\n")
                  .find("give it one number"),
              std::string::npos);
    EXPECT_NE(diagnostics_of(intervals + "test \"t\" given child.birth_date = \"2009-13\" expect fired minor\n")
                  .find("\"2009-13\" is not a partial date"),
              std::string::npos);
}

TEST(Language2, PartialDatesCoverTheirWholeSpan) {
    const auto year = bia::Date::parse_partial("2024");
    ASSERT_TRUE(year);
    EXPECT_EQ(year->first.to_string(), "2024-01-01");
    EXPECT_EQ(year->second.to_string(), "2024-12-31");
    EXPECT_EQ(bia::Date::parse_partial("2024-02")->second.to_string(), "2024-02-29");
    EXPECT_EQ(bia::Date::parse_partial("2023-02")->second.to_string(), "2023-02-28");
    EXPECT_EQ(bia::Date::parse_partial("9999")->second.to_string(), "9999-12-31");
    EXPECT_EQ(bia::Date::parse_partial("2024-05-17")->first, bia::Date::parse_partial("2024-05-17")->second);
    for (const char* bad : {"2009-13", "2009-00", "20O9", "0000", "209", "2009-1", "2009-02-30", "2009/05", "", "2009-05-"}) {
        EXPECT_FALSE(bia::Date::parse_partial(bad)) << bad;
    }
}

}  // namespace

namespace {

TEST(Language2, AnActionAnchoredOnAPartialDateIsDueFromItsEarliestDay) {
    const bia::Pack pack = must_compile(v2_header +
                                        "fact case.arrived_on : date\n"
                                        "rule r \"R\" when true action \"a\" within 1 month of case.arrived_on\n");
    const bia::Result r = must_evaluate(pack, R"({"case": {"arrived_on": "2026-01"}})", "2026-03-10");
    const auto& action = bia_test::fired_rule(r, "r")->actions.at(0);
    ASSERT_TRUE(action.due);
    EXPECT_EQ(action.due->to_string(), "2026-02-01");
    EXPECT_TRUE(action.overdue);
    EXPECT_TRUE(r.missing.empty());
}

}  // namespace

namespace {

// ---- never ----------------------------------------------------------------------------

const std::string never_pack = v2_header +
                               "fact case.arrived_on : exact date\n"
                               "fact age.assessed_on : date or never\n"
                               "rule not_assessed \"No age assessment within 14 days\" score 10\n"
                               "  when not (age.assessed_on <= case.arrived_on + 14 days)\n"
                               "  action \"Hold it\" within 1 week of age.assessed_on\n"
                               "rule never_done \"Never assessed\" when age.assessed_on = never\n"
                               "rule before \"Assessed before arrival\" when age.assessed_on < case.arrived_on\n";

TEST(Language2, NeverIsKnownAndLaterThanEveryDate) {
    const bia::Pack pack = must_compile(never_pack);
    const bia::Result never = must_evaluate(pack, R"({"case": {"arrived_on": "2026-01-01"}, "age": {"assessed_on": "never"}})");
    EXPECT_TRUE(bia_test::fired(never, "not_assessed"));
    EXPECT_TRUE(bia_test::fired(never, "never_done"));
    EXPECT_FALSE(bia_test::fired(never, "before"));
    EXPECT_TRUE(never.missing.empty()) << "a recorded \"never\" is not missing information";
    EXPECT_TRUE(never.undetermined.empty());
    // No due date counts from an event that never happened, and no date does, either way.
    EXPECT_FALSE(bia_test::fired_rule(never, "not_assessed")->actions.at(0).due);
    for (const char* shifted : {"never - 1 day", "never - 1 year", "never - 1 month", "never + 0 days"}) {
        EXPECT_EQ(date_of(shifted), std::nullopt) << shifted;
    }
    // Unrecorded: unknown, and asked for.
    const bia::Result unknown = must_evaluate(pack, R"({"case": {"arrived_on": "2026-01-01"}})");
    EXPECT_EQ(unknown.missing, std::vector<std::string>{"age.assessed_on"});
    // A date: as any date.
    const bia::Result dated = must_evaluate(pack, R"({"case": {"arrived_on": "2026-01-01"}, "age": {"assessed_on": "2026-01-05"}})");
    EXPECT_TRUE(dated.fired.empty());
    // Explain says never.
    bia::EvalOptions options;
    options.as_of = bia_test::date("2026-03-10");
    const auto e = bia::explain(pack, R"({"case": {"arrived_on": "2026-01-01"}, "age": {"assessed_on": "never"}})",
                                "never_done", options);
    ASSERT_TRUE(e.explanation);
    EXPECT_EQ(e.explanation->steps.at(1).value, "never");
}

TEST(Language2, NeverIsOnlyForFactsThatSaySo) {
    const bia::Pack pack = must_compile(never_pack);
    EXPECT_EQ(bia_test::fact_errors(pack, R"({"case": {"arrived_on": "never"}})").at(0).message,
              "expected a date string \"YYYY-MM-DD\" naming a real calendar date, found a string that is not one");
    EXPECT_EQ(bia_test::fact_errors(pack, R"({"age": {"assessed_on": "Never"}})").at(0).message,
              "expected a date string \"YYYY-MM-DD\", \"YYYY-MM\" or \"YYYY\" or \"never\" naming a real calendar "
              "date, found a string that is not one");
    EXPECT_NE(diagnostics_of(std::string(v1_header) + "fact d : date or never\n").find("`date or never` is language 2"),
              std::string::npos);
    EXPECT_NE(diagnostics_of(std::string(v1_header) + "fact d : date\nrule r \"R\" when d = never\n")
                  .find("`never` is language 2"),
              std::string::npos);
    // A v1 pack may still name a fact `never`; so may a v2 pack, and then the name is the fact.
    const bia::Pack named = must_compile(std::string(v1_header) + "fact never : bool\nrule r \"R\" when never\n");
    EXPECT_TRUE(bia_test::fired(must_evaluate(named, R"({"never": true})"), "r"));
    EXPECT_NE(diagnostics_of(v2_header + "fact d : date\nrule r \"R\" when known(never)\n").find("`never` is a date"),
              std::string::npos);
    // A test gives it as `never`.
    const bia::Pack tested = must_compile(never_pack +
                                          "test \"never\" as of 2026-03-10 given case.arrived_on = 2026-01-01, "
                                          "age.assessed_on = never expect fired never_done expect not missing "
                                          "age.assessed_on\n");
    EXPECT_EQ(bia::run_tests(tested).failed(), 0u);
}

}  // namespace

namespace {

TEST(Language2, ImmediatelyIsDueOnItsAnchorAndMarked) {
    const bia::Pack pack = must_compile(v2_header +
                                        "fact case.identified_on : date\n"
                                        "rule r \"R\" when true\n"
                                        "  action \"Refer\" immediately\n"
                                        "  action \"Protect\" immediately of case.identified_on\n"
                                        "  action \"Review\" within 1 week\n");
    const bia::Result r = must_evaluate(pack, R"({"case": {"identified_on": "2026-03-09"}})", "2026-03-10");
    const auto& actions = bia_test::fired_rule(r, "r")->actions;
    ASSERT_EQ(actions.size(), 3u);
    EXPECT_TRUE(actions[0].immediate);
    EXPECT_EQ(actions[0].due->to_string(), "2026-03-10");
    EXPECT_FALSE(actions[0].overdue);
    EXPECT_TRUE(actions[1].immediate);
    EXPECT_EQ(actions[1].due->to_string(), "2026-03-09");
    EXPECT_TRUE(actions[1].overdue);
    EXPECT_FALSE(actions[2].immediate);
    // The JSON writes it only where it is true; the text report says it.
    const std::string json = bia::render_json(r);
    std::size_t written = 0;
    for (std::size_t at = json.find("\"immediate\": true"); at != std::string::npos; at = json.find("\"immediate\": true", at + 1)) ++written;
    EXPECT_EQ(written, 2u) << json;
    EXPECT_EQ(json.find("\"immediate\": false"), std::string::npos);
    EXPECT_NE(bia::render_text(r, pack).find("OVERDUE IMMEDIATELY due 2026-03-09  Protect"), std::string::npos)
        << bia::render_text(r, pack);
    EXPECT_NE(diagnostics_of(std::string(v1_header) + "rule r \"R\" when true action \"a\" immediately\n")
                  .find("`immediately` is language 2"),
              std::string::npos);
}

}  // namespace
