// Memory does not grow with the number of evaluations: after a warm-up, heap in use and resident
// size stay flat. BIA_MEMORY_EVALUATIONS sets the count (50,000 by default; CI's memory script
// runs 1,000,000 in the Release build). Skipped under the sanitizers, whose quarantine grows on purpose.
#include <bia/bia.hpp>

#include "test_util.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BIA_UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define BIA_UNDER_SANITIZER 1
#endif
#endif

namespace {

std::size_t evaluations() {
    const char* s = std::getenv("BIA_MEMORY_EVALUATIONS");
    return s ? std::max<std::size_t>(100, std::strtoull(s, nullptr, 10)) : 50000;
}

std::size_t heap_in_use() { return mallinfo2().uordblks; }

std::size_t resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    std::size_t size = 0, resident = 0;
    statm >> size >> resident;
    return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

TEST(Memory, NoGrowthOverManyEvaluations) {
#ifdef BIA_UNDER_SANITIZER
    GTEST_SKIP() << "sanitizer runtimes keep freed memory in quarantine; LeakSanitizer checks leaks instead";
#endif
    const auto loaded = bia::load(std::filesystem::path(BIA_SOURCE_DIR) / "rules" / "protect");
    ASSERT_TRUE(loaded.ok());
    const bia::Pack& pack = *loaded.pack;
    // Every path an evaluation can take: clean cases, warnings, fact errors, parsed values,
    // the three reports and an explanation.
    std::vector<std::string> cases;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(BIA_SOURCE_DIR) / "examples" / "cases")) {
        if (e.path().extension() == ".json") cases.push_back(bia_test::read_file(e.path()));
    }
    std::sort(cases.begin(), cases.end());
    cases.push_back(R"({"child":{"unaccompanied":"yes"},"x":1})");
    cases.push_back(R"({"child":{"birth_date":"2012-02-30"}, "notes": {"a": [1, 2, 3]}})");
    cases.push_back("{\"child\":");
    cases.push_back(std::string(100, '['));
    std::vector<nlohmann::json> parsed;
    for (const auto& c : cases) parsed.push_back(nlohmann::json::parse(c, nullptr, false));

    bia::EvalOptions options;
    options.as_of = bia_test::date("2026-03-01");
    const std::size_t n = evaluations();
    std::size_t bytes = 0;
    auto step = [&](std::size_t i) {
        const std::size_t k = i % cases.size();
        options.strict = i % 3 == 0;
        const bool as_value = i % 4 == 0 && !parsed[k].is_discarded();
        const auto e = as_value ? pack.evaluate(parsed[k], options) : pack.evaluate(cases[k], options);
        if (e.ok()) {
            bytes += bia::render_json(*e.result).size();
            if (i % 16 == 0) bytes += bia::render_text(*e.result, pack).size() + bia::render_html(*e.result, pack).size();
        } else {
            bytes += bia::to_json(e.errors).dump().size();
        }
        if (i % 64 == 0) {
            const auto x = bia::explain(pack, cases[k], pack.rules()[i % pack.rules().size()].name, options);
            if (x.explanation) bytes += bia::render_explanation(*x.explanation).size();
        }
    };
    const std::size_t warm = std::max<std::size_t>(n / 10, 2000);
    for (std::size_t i = 0; i < warm; ++i) step(i);
    malloc_trim(0);
    const std::size_t heap0 = heap_in_use(), rss0 = resident_bytes();
    for (std::size_t i = warm; i < n; ++i) step(i);
    malloc_trim(0);
    const std::size_t heap1 = heap_in_use(), rss1 = resident_bytes();
    std::printf("%zu evaluations (%zu output bytes): heap in use %zu -> %zu bytes, resident %zu -> %zu KiB\n", n, bytes,
                heap0, heap1, rss0 / 1024, rss1 / 1024);
    // Heap in use may move by a few blocks (a thread-local buffer reaching its largest case);
    // it must not grow with the number of evaluations.
    EXPECT_LE(heap1, heap0 + 64 * 1024) << "the heap grew by " << (heap1 - heap0) << " bytes";
    EXPECT_LE(rss1, rss0 + 1024 * 1024) << "resident memory grew by " << (rss1 - rss0) / 1024 << " KiB";
}

}  // namespace
