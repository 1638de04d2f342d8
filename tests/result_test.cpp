// The result contract as JSON (exact bytes) and the text report for people.
#include "test_util.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using bia_test::must_compile;
using bia_test::must_evaluate;

const char* const mini = R"(pack mini version "1.2.0" "Mini"
source GC14 "General Comment 14"
fact child.alone : bool "Travelling alone"
fact child.age : number "Age in years, as stated"
fact case.arrived_on : date "Arrival date"
level low
level high at 10
domain safety "Safety"
domain other "Other"
rule alone "Child alone"
  domain safety
  severity high
  score 2.5
  when child.alone
  action "Appoint a guardian" within 1 day of case.arrived_on
  action "Review"
  cites GC14 "para 90"
  cites GC14
rule plain "Plain" score 12 when true
rule young "Young" score 3 when child.age < 15
)";
// sha256 of the bytes above (computed with sha256sum).
const char* const mini_digest = "sha256:4c091e3ca36cd35617ce286aa1d269ac260fc5d865a930829153bd625871d7b1";
const char* const mini_case = R"({"child": {"alone": true}, "case": {"arrived_on": "2026-03-01"}})";

std::string expected_json() {
    return std::string("{\n  \"engine\": \"") + bia::version() + R"(",
  "pack": {
    "name": "mini",
    "version": "1.2.0",
    "digest": ")" + mini_digest + R"("
  },
  "as_of": "2026-03-10",
  "level": "high",
  "possible_level": "high",
  "score": 14.5,
  "possible_score": 17.5,
  "domains": {
    "safety": {
      "title": "Safety",
      "score": 2.5
    },
    "other": {
      "title": "Other",
      "score": 0
    }
  },
  "fired": [
    {
      "rule": "alone",
      "title": "Child alone",
      "domain": "safety",
      "severity": "high",
      "score": 2.5,
      "actions": [
        {
          "text": "Appoint a guardian",
          "due": "2026-03-02",
          "overdue": true
        },
        {
          "text": "Review",
          "due": null,
          "overdue": false
        }
      ],
      "cites": [
        {
          "source": "GC14",
          "title": "General Comment 14",
          "ref": "para 90"
        },
        {
          "source": "GC14",
          "title": "General Comment 14",
          "ref": null
        }
      ]
    },
    {
      "rule": "plain",
      "title": "Plain",
      "domain": null,
      "severity": null,
      "score": 12,
      "actions": [],
      "cites": []
    }
  ],
  "undetermined": [
    {
      "rule": "young",
      "missing": [
        "child.age"
      ]
    }
  ],
  "missing": [
    "child.age"
  ],
  "warnings": [],
  "ask_first": []
}
)";
}

TEST(ResultJson, ExactBytes) {
    const auto pack = must_compile(mini, "mini.bia");
    EXPECT_EQ(pack.digest(), mini_digest);
    const auto r = must_evaluate(pack, mini_case, "2026-03-10");
    const std::string actual = bia::render_json(r);
    const std::string expected = expected_json();
    EXPECT_TRUE(actual == expected) << bia_test::line_diff(expected, actual);
}

TEST(ResultJson, ByteIdenticalForRepeatedRuns) {
    // "The same pack, facts and as-of give byte-identical output."
    const auto pack = must_compile(mini, "mini.bia");
    const std::string first = bia::render_json(must_evaluate(pack, mini_case, "2026-03-10"));
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(bia::render_json(must_evaluate(pack, mini_case, "2026-03-10")), first);
    }
    // A separately compiled copy of the pack, under another name, with interleaved other cases.
    const auto again = must_compile(mini, "elsewhere/other-name.bia");
    must_evaluate(again, R"({"child": {"alone": false, "age": 3}})", "2030-01-01");
    EXPECT_EQ(bia::render_json(must_evaluate(again, mini_case, "2026-03-10")), first);
    // Key order in the case does not matter.
    EXPECT_EQ(bia::render_json(must_evaluate(pack, R"({"case": {"arrived_on": "2026-03-01"}, "child": {"alone": true}})",
                                             "2026-03-10")),
              first);
}

TEST(ResultJson, KeysInContractOrder) {
    const auto pack = must_compile(mini);
    const auto j = nlohmann::ordered_json::parse(bia::render_json(must_evaluate(pack, mini_case)));
    std::vector<std::string> keys;
    for (const auto& [k, v] : j.items()) keys.push_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"engine", "pack", "as_of", "level", "possible_level", "score",
                                              "possible_score", "domains", "fired", "undetermined", "missing", "warnings",
                                              "ask_first"}));
}

TEST(ResultJson, TrailingNewlineAndTwoSpaceIndent) {
    const auto pack = must_compile(mini);
    const std::string out = bia::render_json(must_evaluate(pack, "{}"));
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(out.back(), '\n');
    EXPECT_NE(out[out.size() - 2], '\n');
    EXPECT_EQ(out.rfind("{\n  \"engine\": ", 0), 0u);
    EXPECT_EQ(out.find('\t'), std::string::npos);
}

std::string score_json(const std::string& scores) {
    std::string text = "pack p version \"1.0.0\" \"P\"\nlevel low\n";
    int i = 0;
    std::string rest = scores;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        text += "rule r" + std::to_string(i++) + " \"R\" score " + rest.substr(0, comma) + " when true\n";
        rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
    }
    const auto pack = must_compile(text);
    const std::string out = bia::render_json(must_evaluate(pack, "{}"));
    const auto at = out.find("\"score\": ");
    return out.substr(at + 9, out.find(',', at) - at - 9);
}

TEST(ResultJson, NumbersIntegralWithoutFractionOthersShortestRoundTrip) {
    // "integral numbers print without a fraction (`12`, not `12.0`), others in shortest round-trip form"
    EXPECT_EQ(score_json("12"), "12");
    EXPECT_EQ(score_json("12.0"), "12");
    EXPECT_EQ(score_json("0"), "0");
    EXPECT_EQ(score_json("2.5"), "2.5");
    EXPECT_EQ(score_json("0.1"), "0.1");
    EXPECT_EQ(score_json("0.1,0.2"), "0.30000000000000004");
    EXPECT_EQ(score_json("1.5,1.5"), "3");
    EXPECT_EQ(score_json("1000000000000000"), "1000000000000000");
}

TEST(ResultJson, NoFiredNothingMissing) {
    const auto pack = must_compile("pack p version \"1.0.0\" \"P\"\nlevel low\nrule r \"R\" when false\n");
    const std::string out = bia::render_json(must_evaluate(pack, "{}", "2026-01-02"));
    const auto j = nlohmann::ordered_json::parse(out);
    EXPECT_EQ(j["level"], "low");
    EXPECT_EQ(j["score"], 0);
    EXPECT_TRUE(j["domains"].is_object());
    EXPECT_TRUE(j["domains"].empty());
    EXPECT_NE(out.find("\"domains\": {},"), std::string::npos) << out;
    EXPECT_TRUE(j["fired"].is_array() && j["fired"].empty());
    EXPECT_TRUE(j["undetermined"].is_array() && j["undetermined"].empty());
    EXPECT_TRUE(j["missing"].is_array() && j["missing"].empty());
    EXPECT_TRUE(j["warnings"].is_array() && j["warnings"].empty());
    EXPECT_EQ(j["as_of"], "2026-01-02");
}

TEST(ResultJson, TextIsUtf8AndEscaped) {
    const auto pack = must_compile("pack p version \"1.0.0\" \"P\"\nlevel low\nrule r \"Zoë \\\"quoted\\\" \\\\ 保护\" when true\n");
    const std::string out = bia::render_json(must_evaluate(pack, "{}"));
    EXPECT_NE(out.find(R"("title": "Zoë \"quoted\" \\ 保护")"), std::string::npos) << out;
    const auto j = nlohmann::json::parse(out);
    EXPECT_EQ(j["fired"][0]["title"], "Zoë \"quoted\" \\ 保护");
}

TEST(ResultJson, WarningsAreObjectsWithPathAndMessage) {
    const auto pack = must_compile(mini);
    const auto j = nlohmann::ordered_json::parse(bia::render_json(must_evaluate(pack, R"({"zz": 1, "child": {"x": 2}})")));
    ASSERT_EQ(j["warnings"].size(), 2u);
    std::vector<std::string> keys;
    for (const auto& [k, v] : j["warnings"][0].items()) keys.push_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"path", "message"}));
    EXPECT_EQ(j["warnings"][0]["path"], "child.x");
    EXPECT_EQ(j["warnings"][1]["path"], "zz");
}

// ---- the text report ------------------------------------------------------------------

const char* const report_pack = R"(pack report version "1.0.0" "Report pack"
source GC14 "UN CRC General Comment No. 14"
source GC6 "UN CRC General Comment No. 6"
fact child.alone : bool "Travelling without any adult responsible for the child"
fact child.birth_date : date "Date of birth, as stated or documented"
fact case.arrived_on : date "Date the child arrived"
fact family.traced : bool
level low
level medium at 20
level high at 50
domain safety "Care, protection and safety" cites GC14 "paras 71-74"
domain family "Family environment"
rule no_guardian "Unaccompanied child has no guardian"
  domain safety
  severity high
  score 30
  when child.alone
  action "Review the placement" within 2 weeks
  action "Appoint a qualified, independent guardian" within 1 day of case.arrived_on
  action "Explain the process to the child"
  cites GC14 "para 90"
  cites GC6
rule tracing "Family tracing not started"
  domain family
  score 5
  when not known(family.traced)
  action "Start family tracing" within 3 days
rule age "Age unknown"
  severity medium
  when not known(child.birth_date) and child.alone
rule young "Young child"
  domain safety
  score 10
  when years(child.birth_date, today) < 15 and child.alone
)";

TEST(TextReport, Content) {
    const auto pack = must_compile(report_pack);
    const auto r = must_evaluate(pack, R"({"child": {"alone": true}, "case": {"arrived_on": "2026-03-01"}})", "2026-03-10");
    const std::string text = bia::render_text(r, pack);
    auto at = [&](const std::string& s) {
        const auto p = text.find(s);
        EXPECT_NE(p, std::string::npos) << "missing from the text report: " << s << "\n" << text;
        return p;
    };
    // Level and possible level first.
    const auto level = at("high");
    const auto first_action = at("Appoint a qualified, independent guardian");
    EXPECT_LT(level, first_action);
    EXPECT_LT(level, at("Unaccompanied child has no guardian"));
    // Actions by due date: guardian (2026-03-02, overdue), tracing (2026-03-13), review (2026-03-24), then undated.
    const auto guardian = first_action;
    const auto tracing = at("Start family tracing");
    const auto review = at("Review the placement");
    const auto explain = at("Explain the process to the child");
    EXPECT_LT(guardian, tracing);
    EXPECT_LT(tracing, review);
    EXPECT_LT(review, explain);
    at("2026-03-02");
    at("2026-03-13");
    at("2026-03-24");
    // The overdue action is marked, and only it.
    auto line_of = [&](std::size_t pos) {
        const auto b = text.rfind('\n', pos) + 1;
        return text.substr(b, text.find('\n', pos) - b);
    };
    auto lower = [](std::string s) {
        for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
    };
    EXPECT_NE(lower(line_of(guardian)).find("overdue"), std::string::npos) << line_of(guardian);
    EXPECT_EQ(lower(line_of(tracing)).find("overdue"), std::string::npos) << line_of(tracing);
    EXPECT_EQ(lower(line_of(review)).find("overdue"), std::string::npos) << line_of(review);
    // Findings by domain, named by title, with citations.
    // (Titles may also appear beside the actions, so look for the findings after the domain titles.)
    const auto safety = at("Care, protection and safety");
    const auto family = at("Family environment");
    EXPECT_GT(safety, explain);  // findings come after the actions
    const auto no_guardian = text.find("Unaccompanied child has no guardian", safety);
    const auto tracing_finding = text.find("Family tracing not started", family);
    ASSERT_NE(no_guardian, std::string::npos) << text;
    ASSERT_NE(tracing_finding, std::string::npos) << text;
    EXPECT_LT(no_guardian, family);  // safety's findings, then family's
    at("Age unknown");  // a finding without a domain is still listed
    at("UN CRC General Comment No. 14");
    at("para 90");
    at("UN CRC General Comment No. 6");
    // Missing information, with descriptions, after the findings.
    const auto missing = at("child.birth_date");
    EXPECT_LT(no_guardian, missing);
    at("Date of birth, as stated or documented");
    // Rule names are not how people read it: titles are.
    EXPECT_EQ(text.find("no_guardian"), std::string::npos);
}

TEST(TextReport, ByteIdenticalForRepeatedRuns) {
    const auto pack = must_compile(report_pack);
    const std::string c = R"({"child": {"alone": true}})";
    EXPECT_EQ(bia::render_text(must_evaluate(pack, c), pack), bia::render_text(must_evaluate(pack, c), pack));
}

TEST(TextReport, PossibleLevelShown) {
    const auto pack = must_compile(report_pack);
    const auto r = must_evaluate(pack, R"({"family": {"traced": true}})", "2026-03-10");
    EXPECT_EQ(r.level, "low");
    EXPECT_EQ(r.possible_level, "high");
    const std::string text = bia::render_text(r, pack);
    const auto low = text.find("low");
    const auto high = text.find("high");
    ASSERT_NE(low, std::string::npos);
    ASSERT_NE(high, std::string::npos);
    // Both levels come before the missing information.
    EXPECT_LT(low, text.find("child.alone"));
    EXPECT_LT(high, text.find("child.alone"));
    EXPECT_NE(text.find("Travelling without any adult responsible for the child"), std::string::npos);
}

}  // namespace
