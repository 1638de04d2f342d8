// bia::CaseEvents: a case given as the events a JSON reader reports gets what
// its text gets (result, warnings, errors and paths), events out of order are
// refused without a partial case, and Pack::evaluate(nlohmann::json), written
// on it in the header, keeps its behaviour.
#include "test_util.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <string>

namespace {

bia::EvalOptions as_of() {
    bia::EvalOptions o;
    o.as_of = bia_test::date("2026-03-01");
    return o;
}

const bia::Pack& protect() {
    static const bia::Pack p = [] {
        auto loaded = bia::load(std::string(BIA_SOURCE_DIR) + "/rules/protect");
        EXPECT_TRUE(loaded.ok());
        return *loaded.pack;
    }();
    return p;
}

std::string outcome(const bia::Evaluation& e) {
    if (e.ok()) return bia::render_json(*e.result);
    return "errors " + bia::to_json(e.errors).dump();
}

// Every training case, and each with one section left out, through events and
// as text.
TEST(CaseEvents, TrainingCasesGiveWhatTheirTextGives) {
    std::size_t compared = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(BIA_SOURCE_DIR) + "/examples/cases")) {
        if (entry.path().extension() != ".json") continue;
        const std::string text = bia_test::read_file(entry.path());
        const auto whole = nlohmann::json::parse(text);
        std::vector<nlohmann::json> variants{whole};
        for (const auto& [section, facts] : whole.items()) {
            nlohmann::json without = whole;
            without.erase(section);
            variants.push_back(without);
        }
        for (const auto& c : variants) {
            bia::CaseEvents events(protect(), as_of());
            ASSERT_TRUE(bia::detail::send_json(c, events));
            const auto by_events = events.evaluate();
            ASSERT_TRUE(by_events.ok()) << entry.path();
            EXPECT_EQ(outcome(by_events), outcome(protect().evaluate(c.dump(), as_of()))) << entry.path();
            EXPECT_EQ(outcome(by_events), outcome(protect().evaluate(c, as_of()))) << entry.path();
            ++compared;
        }
    }
    EXPECT_GT(compared, 100u);
}

const char* const small = R"(pack t version "1.0.0" "t"
level low
level high at 1
fact child.age : number
fact child.alone : bool
fact child.tags : set of {"debt", "threats"}
rule alone "Alone" score 1 when child.alone
rule young "Young" when child.age < 14
rule debt "Debt" when "debt" in child.tags
)";

TEST(CaseEvents, HandWrittenEventsAndTheirText) {
    const auto pack = bia_test::must_compile(small);
    bia::CaseEvents e(pack, as_of());
    EXPECT_TRUE(e.start_object());
    EXPECT_TRUE(e.key("child"));
    EXPECT_TRUE(e.start_object());
    EXPECT_TRUE(e.key("alone"));
    EXPECT_TRUE(e.boolean(true));
    EXPECT_TRUE(e.key("age"));
    EXPECT_TRUE(e.unsigned_integer(12));
    EXPECT_TRUE(e.key("tags"));
    EXPECT_TRUE(e.start_array());
    EXPECT_TRUE(e.string("debt"));
    EXPECT_TRUE(e.end_array());
    EXPECT_TRUE(e.key("nickname"));  // undeclared: a warning, as in text
    EXPECT_TRUE(e.null());
    EXPECT_TRUE(e.end_object());
    EXPECT_TRUE(e.end_object());
    const auto by_events = e.evaluate();
    ASSERT_TRUE(by_events.ok());
    EXPECT_EQ(by_events.result->fired.size(), 3u);
    ASSERT_EQ(by_events.result->warnings.size(), 1u);
    EXPECT_EQ(by_events.result->warnings[0].path, "child.nickname");
    const auto by_text =
        pack.evaluate(R"({"child": {"alone": true, "age": 12, "tags": ["debt"], "nickname": null}})", as_of());
    EXPECT_EQ(outcome(by_events), outcome(by_text));
}

TEST(CaseEvents, WrongValuesAreFactErrorsAtTheirPaths) {
    const auto pack = bia_test::must_compile(small);
    auto one_error = [&](auto&& send) {
        bia::CaseEvents e(pack, as_of());
        e.start_object();
        e.key("child");
        e.start_object();
        send(e);
        e.end_object();
        e.end_object();
        const auto out = e.evaluate();
        EXPECT_FALSE(out.ok());
        return out.errors.empty() ? std::string() : out.errors[0].path;
    };
    EXPECT_EQ(one_error([](bia::CaseEvents& e) {
                  e.key("age");
                  e.number(std::numeric_limits<double>::infinity());
              }),
              "child.age");
    EXPECT_EQ(one_error([](bia::CaseEvents& e) {
                  e.key("age");
                  e.number(std::numeric_limits<double>::quiet_NaN());
              }),
              "child.age");
    EXPECT_EQ(one_error([](bia::CaseEvents& e) {
                  e.key("age");
                  e.binary();
              }),
              "child.age");
    EXPECT_EQ(one_error([](bia::CaseEvents& e) {
                  e.key("alone");
                  e.string("yes");
              }),
              "child.alone");
    EXPECT_EQ(one_error([](bia::CaseEvents& e) {
                  e.key("tags");
                  e.start_array();
                  e.string("debts");
                  e.end_array();
              }),
              "child.tags[0]");
}

// A case the events do not finish, or events a JSON reader could not report,
// give an error and never a result from part of a case.
TEST(CaseEvents, EventsOutOfOrderAreNotACase) {
    const auto pack = bia_test::must_compile(small);
    {
        bia::CaseEvents e(pack, as_of());  // no event at all
        const auto out = e.evaluate();
        ASSERT_FALSE(out.ok());
        EXPECT_EQ(out.errors[0].path, "$");
    }
    {
        bia::CaseEvents e(pack, as_of());  // an object never ended
        e.start_object();
        e.key("child");
        e.start_object();
        e.key("alone");
        e.boolean(true);
        e.end_object();
        EXPECT_FALSE(e.evaluate().ok());
    }
    {
        bia::CaseEvents e(pack, as_of());  // more ends than starts
        e.start_object();
        e.end_object();
        EXPECT_FALSE(e.end_array());
        EXPECT_FALSE(e.start_object());  // nothing is taken after a refusal
        EXPECT_FALSE(e.evaluate().ok());
    }
    {
        bia::CaseEvents e(pack, as_of());  // a case must be an object
        e.start_array();
        e.end_array();
        const auto out = e.evaluate();
        ASSERT_FALSE(out.ok());
        EXPECT_EQ(out.errors[0].path, "$");
    }
    {
        bia::CaseEvents e(pack, as_of());  // evaluate() once
        e.start_object();
        e.end_object();
        EXPECT_TRUE(e.evaluate().ok());
        EXPECT_FALSE(e.evaluate().ok());
    }
}

// Nesting past max_json_depth: the event that goes too deep is refused, so a
// sender stops there, and the error is the one text gets.
TEST(CaseEvents, NestingPastTheLimitStopsTheEvents) {
    const auto pack = bia_test::must_compile(small);
    bia::CaseEvents e(pack, as_of());
    e.start_object();
    e.key("x");
    int accepted = 0;
    while (e.start_array() && accepted < 1000) ++accepted;
    EXPECT_LT(accepted, 100);  // the default limit is 64
    const auto out = e.evaluate();
    ASSERT_FALSE(out.ok());
    EXPECT_NE(out.errors[0].message.find("max_json_depth"), std::string::npos);
    std::string deep = R"({"x": )" + std::string(200, '[') + std::string(200, ']') + "}";
    const auto text = pack.evaluate(deep, as_of());
    ASSERT_FALSE(text.ok());
    EXPECT_EQ(out.errors[0].message, text.errors[0].message);
}

}  // namespace
