// Pack::evaluate_batch at its edges: no cases, blocks of 64 with refused cases
// at their ends, results reused from one call to the next, and several threads.
#include <bia/bia.hpp>

#include "test_util.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

namespace {

const bia::Pack& protect() { return bia_test::protect_pack(); }

std::vector<std::string> training_cases() {
    std::vector<std::string> cases;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(BIA_SOURCE_DIR) / "examples" / "cases")) {
        if (e.path().extension() == ".json") cases.push_back(bia_test::read_file(e.path()));
    }
    std::sort(cases.begin(), cases.end());
    return cases;
}

const bia::EvalOptions options = [] {
    bia::EvalOptions o;
    o.as_of = bia::Date::from_ymd(2026, 3, 1);
    return o;
}();

// Evaluates `jsons` in one call and checks each against Pack::evaluate;
// returns how many were refused.
std::size_t expect_each_as_alone(const std::vector<std::string>& jsons, std::vector<bia::Result>& results) {
    std::vector<bia::BatchCase> batch(jsons.size());
    std::vector<std::vector<bia::FactError>> errors(jsons.size());
    results.resize(jsons.size());
    for (std::size_t i = 0; i < jsons.size(); ++i) {
        batch[i].json = jsons[i];
        batch[i].result = &results[i];
        batch[i].errors = &errors[i];
    }
    protect().evaluate_batch(batch, options);
    std::size_t refused = 0;
    for (std::size_t i = 0; i < jsons.size(); ++i) {
        const bia::Evaluation alone = protect().evaluate(jsons[i], options);
        EXPECT_EQ(batch[i].evaluated, alone.ok()) << "case " << i;
        EXPECT_EQ(bia::to_json(errors[i]).dump(), bia::to_json(alone.errors).dump()) << "case " << i;
        if (alone.ok()) {
            EXPECT_EQ(bia::render_json(results[i]), bia::render_json(*alone.result)) << "case " << i;
        } else {
            ++refused;
        }
    }
    return refused;
}

TEST(EvaluateBatch, NoCasesIsNothingToDo) {
    protect().evaluate_batch({}, options);
}

TEST(EvaluateBatch, RefusedCasesAtTheEdgesOfBlocks) {
    const auto cases = training_cases();
    ASSERT_FALSE(cases.empty());
    std::vector<std::string> jsons;
    for (std::size_t i = 0; i < 200; ++i) jsons.push_back(cases[i % cases.size()]);
    // Refused at a block's first and last lane, at the next block's first, and last of all.
    for (const std::size_t at : {0u, 63u, 64u, 130u, 199u}) jsons[at] = R"({"views": {"heard": "perhaps"}})";
    std::vector<bia::Result> results;
    EXPECT_EQ(expect_each_as_alone(jsons, results), 5u);
    // Every case refused: no block at all.
    EXPECT_EQ(expect_each_as_alone(std::vector<std::string>(70, "[1, 2]"), results), 70u);
}

TEST(EvaluateBatch, ResultsAreReusedFromOneCallToTheNext) {
    auto cases = training_cases();
    std::vector<bia::Result> results;
    EXPECT_EQ(expect_each_as_alone(cases, results), 0u);
    std::reverse(cases.begin(), cases.end());  // each Result now gets another case's
    EXPECT_EQ(expect_each_as_alone(cases, results), 0u);
}

TEST(EvaluateBatch, DoneSeesEachCaseInOrderThroughOneSharedResult) {
    // As docs/embedding.md shows it: every case points at one Result and one
    // errors list, which done() writes out before the next case is made.
    const auto training = training_cases();
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < 150; ++i) lines.push_back(i % 7 == 3 ? "{\"views\": 1}" : training[i % training.size()]);
    std::vector<bia::BatchCase> cases(lines.size());
    bia::Result result;
    std::vector<bia::FactError> errors;
    for (std::size_t i = 0; i < lines.size(); ++i) cases[i] = {lines[i], &result, nullptr, &errors};
    std::vector<std::size_t> order;
    std::string out;
    protect().evaluate_batch(cases, options, [&](std::size_t i) {
        order.push_back(i);
        if (cases[i].evaluated) out += bia::render_json_line(result);
        else out += "line " + std::to_string(i + 1) + ": " + bia::to_json(errors).dump() + "\n";
    });
    std::vector<std::size_t> expected_order(lines.size());
    std::iota(expected_order.begin(), expected_order.end(), 0);
    EXPECT_EQ(order, expected_order);
    std::string expected;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const bia::Evaluation alone = protect().evaluate(lines[i], options);
        if (alone.ok()) expected += bia::render_json_line(*alone.result);
        else expected += "line " + std::to_string(i + 1) + ": " + bia::to_json(alone.errors).dump() + "\n";
    }
    EXPECT_EQ(out, expected);
    EXPECT_NE(out.find("line 4: "), std::string::npos);  // the refused cases are there, in their place
}

TEST(EvaluateBatch, DoneMayEvaluateAnotherBatch) {
    // A host comparing packs case by case may call evaluate_batch from done():
    // the inner batch must not disturb the outer one's block, which is only
    // partly finished when done() runs. Here both use PROTECT, the inner one
    // with other cases, so any block memory they shared would give the outer
    // cases the inner ones' values.
    const auto training = training_cases();
    ASSERT_GE(training.size(), 3u);
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < 100; ++i) lines.push_back(training[i % training.size()]);
    std::vector<bia::Result> outer(lines.size());
    std::vector<bia::BatchCase> cases(lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) cases[i] = {lines[i], &outer[i], nullptr, nullptr};
    std::size_t inner_checked = 0;
    protect().evaluate_batch(cases, options, [&](std::size_t i) {
        std::vector<std::string> others;
        for (std::size_t k = 1; k <= 70; ++k) others.push_back(lines[(i + k) % lines.size()]);
        std::vector<bia::Result> inner(others.size());
        std::vector<bia::BatchCase> again(others.size());
        for (std::size_t k = 0; k < others.size(); ++k) again[k] = {others[k], &inner[k], nullptr, nullptr};
        protect().evaluate_batch(again, options);
        if (i % 25 == 0) {
            for (std::size_t k = 0; k < others.size(); ++k) {
                EXPECT_EQ(bia::render_json(inner[k]), bia::render_json(*protect().evaluate(others[k], options).result));
            }
            ++inner_checked;
        }
    });
    EXPECT_EQ(inner_checked, 4u);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        EXPECT_EQ(bia::render_json(outer[i]), bia::render_json(*protect().evaluate(lines[i], options).result)) << i;
    }
}

TEST(EvaluateBatch, ThreadsShareOnePack) {
    const auto cases = training_cases();
    std::vector<std::string> jsons;
    for (std::size_t i = 0; i < 300; ++i) jsons.push_back(cases[i % cases.size()]);
    std::vector<std::string> expected;
    for (const auto& j : jsons) expected.push_back(bia::render_json(*protect().evaluate(j, options).result));
    std::vector<std::vector<std::string>> got(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < got.size(); ++t) {
        threads.emplace_back([&, t] {
            std::vector<bia::Result> results(jsons.size());
            std::vector<bia::BatchCase> batch(jsons.size());
            for (std::size_t i = 0; i < jsons.size(); ++i) {
                batch[i].json = jsons[i];
                batch[i].result = &results[i];
            }
            for (int round = 0; round < 5; ++round) protect().evaluate_batch(batch, options);
            for (const auto& r : results) got[t].push_back(bia::render_json(r));
        });
    }
    for (auto& t : threads) t.join();
    for (const auto& g : got) EXPECT_EQ(g, expected);
}

}  // namespace
