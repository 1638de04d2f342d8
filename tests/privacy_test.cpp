// Case values never leak: cases carry marker values in every position a value can take, right
// and wrong, and no error, warning, report or CLI message may contain a marker. Only `explain`,
// whose caller asks to see the case's values, may show them.
#include <bia/bia.hpp>

#include "test_util.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#ifdef BIA_TEST_HAVE_C_API
#include <bia.h>
#endif

#include <cstdio>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace {

using bia_test::TempDir;
using bia_test::write_file;

// Markers: a word and a number that appear nowhere in the packs, the engine or its messages.
const std::string word = "ZqxMarkerAmina";
const std::string digits = "86753091";

// A pack with a fact of every type, so every kind of value and every kind of mismatch is met.
const std::string pack_source = R"(pack privacy version "1.0.0" "Privacy"
fact child.name : text "The child's name"
fact child.note : text
fact child.born : date "Date of birth"
fact child.age : number
fact child.alone : bool
fact child.gender : one of {"girl", "boy", "other"}
fact child.tags : set of {"debt_bondage", "found_alone"}
level low
level high at 10
domain safety "Safety"
rule named "A named child" domain safety severity high score 10
  when child.name = "x" or child.alone
  action "Act" within 2 days of child.born
rule young "Young" when years(child.born, today) < 18 and child.age > 3
rule tagged "Tagged" when "debt_bondage" in child.tags or child.gender = "girl"
test "case file with marker values"
  case "case.json"
  expect fired named
)";

bool leaks(const std::string& text) { return text.find(word) != std::string::npos || text.find(digits) != std::string::npos; }

// Valid cases whose values hold the markers (text facts take any string).
std::vector<std::string> valid_cases() {
    return {
        R"({"child":{"name":")" + word + R"(","note":"born )" + digits + R"(","alone":true,"born":"2015-01-01","age":)" + digits + "}}",
        R"({"child":{"name":")" + word + R"(","tags":["debt_bondage"],"gender":"girl"}})",
        // Undeclared fields holding markers: the warning names the path, never the value.
        R"({"child":{"name":"x","surname":")" + word + R"("},"family":{"phone":)" + digits + R"(,"notes":[")" + word + R"("]}})",
    };
}

// Cases that fail, each with the markers in the failing value or near it.
std::vector<std::string> failing_cases() {
    const std::string w = word, d = digits;
    return {
        R"({"child":{"alone":")" + w + R"("}})",                         // string for bool
        R"({"child":{"age":")" + w + R"("}})",                           // string for number
        R"({"child":{"born":")" + w + R"("}})",                          // not a date
        R"({"child":{"born":"2016-02-30 )" + w + R"("}})",               // almost a date
        R"({"child":{"gender":")" + w + R"("}})",                        // not a member
        R"({"child":{"tags":[")" + w + R"(", )" + d + R"(, null]}})",    // bad set elements
        R"({"child":{"tags":")" + w + R"("}})",                          // string for a set
        R"({"child":{"name":)" + d + R"(}})",                            // number for text
        R"({"child":{"name":[")" + w + R"("]}})",                        // array for text
        R"({"child":{"name":{"first":")" + w + R"("}}})",                // object for text
        R"({"child":")" + w + R"("})",                                   // string for an object
        R"({"child":{"name":")" + w + R"(","name":")" + w + R"("}})",    // duplicate key
        R"({"child":{"age":)" + d + R"(e999}})",                         // number out of range
        R"({"child":{"name":")" + w + R"(")",                            // truncated JSON
        R"({"child":{"name":)" + w + R"(}})",                            // bare word
        "{\"child\":{\"name\":\"" + w + "\xff\xfe\"}}",                  // invalid UTF-8
        R"([")" + w + R"("])",                                           // not an object
        R"(")" + w + R"(")",                                             // a bare string
        std::string(70, '[') + "\"" + w + "\"" + std::string(70, ']'),  // too deep
        R"({"child":{"alone":true},"extra":")" + w + R"("})",            // undeclared, in strict mode
    };
}

const bia::Pack& pack() {
    static const bia::Pack p = bia_test::must_compile(pack_source, "privacy.bia");
    return p;
}

bia::EvalOptions options(bool strict) {
    bia::EvalOptions o;
    o.as_of = bia_test::date("2026-03-01");
    o.strict = strict;
    return o;
}

std::string all_of(const std::vector<bia::FactError>& errors) {
    std::string out = bia::to_json(errors).dump();
    for (const auto& e : errors) out += e.path + " " + e.message + "\n";
    return out;
}

TEST(Privacy, MarkersAreSeenByTheEngine) {
    // Guard against a vacuous test: the valid cases do bind the marker values.
    const auto r = bia_test::must_evaluate(pack(), valid_cases()[0], "2026-03-01");
    EXPECT_TRUE(bia_test::fired(r, "named"));
    const auto x = bia::explain(pack(), valid_cases()[0], "young", options(false));
    ASSERT_TRUE(x.explanation.has_value());
    // explain shows values on purpose: the caller asked for them.
    EXPECT_TRUE(leaks(bia::render_explanation(*x.explanation))) << bia::render_explanation(*x.explanation);
    // ... and shows them exactly: 86753091, not 8.67531e+07.
    EXPECT_NE(bia::render_explanation(*x.explanation).find("child.age  ->  " + digits), std::string::npos)
        << bia::render_explanation(*x.explanation);
}

TEST(Privacy, ReportsAndWarningsCarryNoValues) {
    for (const auto& json : valid_cases()) {
        for (bool strict : {false, true}) {
            if (strict && json.find("surname") != std::string::npos) continue;  // undeclared fields fail in strict mode
            const auto e = pack().evaluate(json, options(strict));
            ASSERT_TRUE(e.ok()) << all_of(e.errors);
            const auto& r = *e.result;
            for (const auto& w : r.warnings) EXPECT_FALSE(leaks(w.path + w.message)) << w.path << ": " << w.message;
            EXPECT_FALSE(leaks(bia::render_json(r))) << bia::render_json(r);
            EXPECT_FALSE(leaks(bia::render_text(r, pack()))) << bia::render_text(r, pack());
            EXPECT_FALSE(leaks(bia::render_html(r, pack())));
        }
        const auto from_value = pack().evaluate(nlohmann::json::parse(json), options(false));
        ASSERT_TRUE(from_value.ok());
        EXPECT_FALSE(leaks(bia::render_json(*from_value.result)));
    }
}

TEST(Privacy, FactErrorsCarryNoValues) {
    for (const auto& json : failing_cases()) {
        const auto e = pack().evaluate(json, options(true));
        ASSERT_FALSE(e.ok()) << "expected fact errors for " << json;
        EXPECT_FALSE(leaks(all_of(e.errors))) << "case " << json << "\n" << all_of(e.errors);
        // The parsed-value entry point, where the JSON parses at all.
        const auto value = nlohmann::json::parse(json, nullptr, false);
        if (!value.is_discarded()) {
            const auto v = pack().evaluate(value, options(true));
            EXPECT_FALSE(leaks(all_of(v.errors))) << "case " << json << "\n" << all_of(v.errors);
        }
        // explain reports the same errors, and must not show values while it cannot explain.
        const auto x = bia::explain(pack(), json, "named", options(true));
        EXPECT_FALSE(x.explanation.has_value());
        EXPECT_FALSE(leaks(all_of(x.errors) + x.problem)) << all_of(x.errors);
    }
}

TEST(Privacy, LimitErrorsCarryNoValues) {
    bia::Limits limits;
    limits.max_case_bytes = 40;
    limits.max_json_depth = 2;
    auto r = bia::compile(pack_source, "privacy.bia", limits);
    ASSERT_TRUE(r.ok());
    for (const std::string& json : {R"({"child":{"name":")" + word + word + word + R"("}})",
                                    R"({"a":{"b":[")" + word + R"("]}})"}) {
        const auto e = r.pack->evaluate(json, options(false));
        ASSERT_FALSE(e.ok());
        EXPECT_FALSE(leaks(all_of(e.errors))) << all_of(e.errors);
    }
}

TEST(Privacy, PackTestFailuresCarryNoValues) {
    // A pack's test loads a case file; its failures must not quote the file's values either.
    TempDir dir;
    write_file(dir / "privacy.bia", pack_source);
    for (const auto& json : {failing_cases()[0], failing_cases()[5], valid_cases()[1], std::string("not json ") + word}) {
        write_file(dir / "case.json", json);
        const auto loaded = bia::load(dir / "privacy.bia");
        ASSERT_TRUE(loaded.ok());
        const auto report = bia::run_tests(*loaded.pack);
        for (const auto& t : report.tests) {
            for (const auto& f : t.failures) EXPECT_FALSE(leaks(f)) << f;
        }
    }
}

#ifdef BIA_TEST_HAVE_C_API
TEST(Privacy, CApiErrorsCarryNoValues) {
    bia_error* error = nullptr;
    bia_pack* p = bia_pack_compile(pack_source.data(), pack_source.size(), "privacy.bia", &error);
    ASSERT_NE(p, nullptr) << bia_error_message(error);
    bia_eval_options o = BIA_EVAL_OPTIONS_INIT;
    o.as_of = "2026-03-01";
    o.strict = 1;
    for (const auto& json : failing_cases()) {
        char* result = nullptr;
        ASSERT_EQ(bia_evaluate(p, json.data(), json.size(), &o, &result, &error), BIA_ERROR_FACTS) << json;
        std::string all = std::string(bia_error_message(error)) + bia_error_json(error);
        for (std::size_t i = 0; i < bia_error_count(error); ++i) {
            all += std::string(bia_error_message_at(error, i)) + bia_error_path_at(error, i);
        }
        EXPECT_FALSE(leaks(all)) << all;
        bia_error_free(error);
        error = nullptr;
    }
    for (int format : {BIA_FORMAT_JSON, BIA_FORMAT_TEXT, BIA_FORMAT_HTML}) {
        o.format = format;
        o.strict = 0;
        for (const auto& json : valid_cases()) {
            char* result = nullptr;
            ASSERT_EQ(bia_evaluate(p, json.data(), json.size(), &o, &result, nullptr), BIA_OK);
            EXPECT_FALSE(leaks(result)) << result;
            bia_free(result);
        }
    }
    bia_pack_free(p);
}
#endif

// ---- the command line ----------------------------------------------------

struct CliRun {
    int status = -1;
    std::string out, err;
};

CliRun run_cli(const std::string& args, const TempDir& dir) {
    const std::string out = (dir / "stdout.txt").string(), err = (dir / "stderr.txt").string();
    const std::string command = std::string(BIA_CLI) + " " + args + " >" + out + " 2>" + err;
    const int status = std::system(command.c_str());
    CliRun r;
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = bia_test::read_file(out);
    r.err = bia_test::read_file(err);
    return r;
}

TEST(Privacy, CliMessagesCarryNoValues) {
    TempDir dir;
    const std::string pack_path = (dir / "privacy.bia").string();
    write_file(pack_path, pack_source);
    write_file(dir / "case.json", valid_cases()[0]);
    const std::string case_path = (dir / "c.json").string();
    std::size_t runs = 0;

    for (const auto& json : failing_cases()) {
        write_file(case_path, json);
        for (const std::string& command : {"run " + pack_path + " " + case_path + " --as-of 2026-03-01 --strict",
                                           "run " + pack_path + " " + case_path + " --format json --strict",
                                           "explain " + pack_path + " " + case_path + " named --strict",
                                           "run " + pack_path + " - --strict < " + case_path}) {
            const CliRun r = run_cli(command, dir);
            ++runs;
            EXPECT_EQ(r.status, 1) << command << "\n" << r.err;
            EXPECT_FALSE(leaks(r.err)) << command << " with " << json << "\nstderr:\n" << r.err;
            EXPECT_FALSE(leaks(r.out)) << command << "\nstdout:\n" << r.out;
        }
    }
    for (const auto& json : valid_cases()) {
        write_file(case_path, json);
        for (const char* format : {"text", "json", "html"}) {
            const CliRun r = run_cli("run " + pack_path + " " + case_path + " --as-of 2026-03-01 --format " + format, dir);
            ++runs;
            EXPECT_EQ(r.status, 0) << r.err;
            EXPECT_FALSE(leaks(r.err + r.out)) << format << " report:\n" << r.out << r.err;
        }
    }
    // `bia test` loads case.json (valid: the test passes) and then a failing one.
    EXPECT_EQ(run_cli("test " + pack_path, dir).status, 0);
    write_file(dir / "case.json", failing_cases()[2]);
    const CliRun t = run_cli("test " + pack_path, dir);
    EXPECT_EQ(t.status, 1);
    EXPECT_FALSE(leaks(t.out + t.err)) << t.out << t.err;

    // `bia batch`: one case per line, errors reported per line.
    std::string lines;
    for (const auto& json : failing_cases()) {
        if (json.find('\n') == std::string::npos) lines += json + "\n";
    }
    for (const auto& json : valid_cases()) lines += json + "\n";
    write_file(dir / "cases.jsonl", lines);
    const CliRun b = run_cli("batch " + pack_path + " " + (dir / "cases.jsonl").string() + " --as-of 2026-03-01 --strict", dir);
    if (b.err.find("batch") != std::string::npos && b.status == 2) {
        GTEST_SKIP() << "this bia has no batch command";
    }
    EXPECT_FALSE(leaks(b.out + b.err)) << b.out << b.err;
    EXPECT_GT(runs, 80u);
}

}  // namespace
