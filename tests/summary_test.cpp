// Pack::summarize_into: the lean outcome as positions in the pack's lists. It
// must name exactly what evaluate_into's Result names, on every training case.
#include <bia/bia.hpp>

#include "test_util.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace {

// What a summary and a result have in common, as names and texts.
struct Named {
    std::string level, possible_level;
    double score = 0, possible_score = 0;
    std::vector<std::string> fired, undetermined, missing, overdue, ask_first;
    bool operator==(const Named&) const = default;
};

Named from_summary(const bia::Pack& pack, const bia::Summary& s) {
    Named n;
    n.level = pack.levels().at(s.level).name;
    n.possible_level = pack.levels().at(s.possible_level).name;
    n.score = s.score;
    n.possible_score = s.possible_score;
    for (auto r : s.fired) n.fired.push_back(pack.rules().at(r).name);
    for (auto r : s.undetermined) n.undetermined.push_back(pack.rules().at(r).name);
    for (auto f : s.missing) n.missing.push_back(pack.facts().at(f).path);
    for (const auto& o : s.overdue) n.overdue.push_back(pack.rules().at(o.rule).actions.at(o.action));
    for (auto f : s.ask_first) n.ask_first.push_back(pack.facts().at(f).path);
    return n;
}

Named from_result(const bia::Result& r) {
    Named n;
    n.level = r.level;
    n.possible_level = r.possible_level;
    n.score = r.score;
    n.possible_score = r.possible_score;
    for (const auto& f : r.fired) {
        n.fired.push_back(f.rule);
        for (const auto& a : f.actions) {
            if (a.overdue) n.overdue.push_back(a.text);
        }
    }
    for (const auto& u : r.undetermined) n.undetermined.push_back(u.rule);
    n.missing = r.missing;
    n.ask_first = r.ask_first;
    return n;
}

bia::EvalOptions as_of(const char* date) {
    bia::EvalOptions o;
    o.as_of = bia_test::date(date);
    return o;
}

TEST(Summary, NamesWhatTheResultNamesOnEveryTrainingCase) {
    auto loaded = bia::load(std::string(BIA_SOURCE_DIR) + "/rules/protect");
    ASSERT_TRUE(loaded.ok()) << bia::format_diagnostics(loaded.diagnostics);
    const bia::Pack& pack = *loaded.pack;
    // One summary and one result reused throughout, as a cohort loop does:
    // nothing from a longer case may linger in a shorter one.
    bia::Summary summary;
    bia::Result result;
    std::vector<bia::FactError> errors;
    std::size_t compared = 0, fired = 0, undetermined = 0, missing = 0, overdue = 0, ask_first = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(BIA_SOURCE_DIR) + "/examples/cases")) {
        if (entry.path().extension() != ".json") continue;
        const auto whole = nlohmann::json::parse(bia_test::read_file(entry.path()));
        std::vector<nlohmann::json> variants{whole, nlohmann::json::object()};
        for (const auto& [section, facts] : whole.items()) {
            nlohmann::json without = whole;
            without.erase(section);
            variants.push_back(without);
        }
        for (const auto& c : variants) {
            // The training date, and one long after it, when actions are overdue.
            for (const char* date : {"2026-03-01", "2027-06-01"}) {
                const std::string text = c.dump();
                ASSERT_TRUE(pack.evaluate_into(text, as_of(date), result, errors)) << entry.path();
                ASSERT_TRUE(pack.summarize_into(text, as_of(date), summary, errors)) << entry.path();
                const Named want = from_result(result);
                EXPECT_EQ(from_summary(pack, summary), want) << entry.path() << " as of " << date;
                ++compared;
                fired += want.fired.size();
                undetermined += want.undetermined.size();
                missing += want.missing.size();
                overdue += want.overdue.size();
                ask_first += want.ask_first.size();
            }
        }
    }
    // The comparison covered every part of a summary.
    EXPECT_GT(compared, 40u);
    EXPECT_GT(fired, 0u);
    EXPECT_GT(undetermined, 0u);
    EXPECT_GT(missing, 0u);
    EXPECT_GT(overdue, 0u);
    EXPECT_GT(ask_first, 0u);
}

TEST(Summary, FactErrorsAreEvaluateIntosErrors) {
    auto loaded = bia::compile(R"(pack p version "1.0.0" "P"
level low
fact child.age : number "Age"
rule r "R"
  when child.age < 18
  action "Act"
)");
    ASSERT_TRUE(loaded.ok()) << bia::format_diagnostics(loaded.diagnostics);
    bia::Summary summary;
    bia::Result result;
    std::vector<bia::FactError> summary_errors, result_errors;
    for (const char* bad : {"{\"child\": {\"age\": \"ten\"}}", "[1, 2]", "{\"child\": ", ""}) {
        EXPECT_FALSE(loaded.pack->summarize_into(bad, as_of("2026-03-01"), summary, summary_errors));
        EXPECT_FALSE(loaded.pack->evaluate_into(bad, as_of("2026-03-01"), result, result_errors));
        ASSERT_FALSE(summary_errors.empty()) << bad;
        ASSERT_EQ(summary_errors.size(), result_errors.size()) << bad;
        for (std::size_t i = 0; i < summary_errors.size(); ++i) {
            EXPECT_EQ(summary_errors[i].path, result_errors[i].path);
            EXPECT_EQ(summary_errors[i].message, result_errors[i].message);
        }
    }
    // And a good case after a bad one is summed up as usual.
    ASSERT_TRUE(loaded.pack->summarize_into("{\"child\": {\"age\": 12}}", as_of("2026-03-01"), summary,
                                            summary_errors));
    EXPECT_TRUE(summary_errors.empty());
    ASSERT_EQ(summary.fired.size(), 1u);
    EXPECT_EQ(loaded.pack->rules()[summary.fired[0]].name, "r");
    EXPECT_EQ(loaded.pack->rules()[0].actions, std::vector<std::string>{"Act"});
}

}  // namespace
