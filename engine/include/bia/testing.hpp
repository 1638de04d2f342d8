// Running the tests a pack carries (`test` declarations) and measuring their rule coverage.
#pragma once

#include <bia/export.hpp>
#include <bia/pack.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bia {

struct TestCaseResult {
    std::string name;
    std::string path;        // the file the test is declared in
    std::uint32_t line = 0;  // 1-based line of the `test` keyword
    // One message per failed expectation ("line 12: expected level high, got medium"),
    // or why the test could not run (unreadable case file, fact errors).
    std::vector<std::string> failures;
    bool passed() const { return failures.empty(); }
};

struct RuleCoverage {
    std::string rule;
    bool fired = false;         // some test made it fire
    bool not_fired = false;     // some test evaluated it to false
    bool undetermined = false;  // some test left it undetermined
    // Covered, as `bia test --coverage` counts it: fired or left undetermined by some test.
    bool covered() const { return fired || undetermined; }
};

struct BIA_API TestReport {
    std::vector<TestCaseResult> tests;
    std::vector<RuleCoverage> coverage;  // in pack order
    std::size_t passed() const;
    std::size_t failed() const;
    // Percentage of rules covered (100 for a pack without rules).
    double coverage_percent() const;
};

// Runs every test of the pack. Case files are read relative to the file that
// declares the test. A test without `as of` runs as of today.
BIA_API TestReport run_tests(const Pack& pack);
// Runs only the tests whose name matches `only`: a whole name, or a pattern in
// which `*` stands for any run of characters and `?` for one character.
// Coverage then counts those tests only.
BIA_API TestReport run_tests(const Pack& pack, std::string_view only);
// Whether `name` matches such a pattern.
BIA_API bool test_name_matches(std::string_view name, std::string_view pattern);

}  // namespace bia
