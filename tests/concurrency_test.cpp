// One compiled pack evaluated from 8 threads at once gives, case for case, byte for byte, what a
// sequential run gives. BIA_CONCURRENCY_CASES sets the number of cases each thread evaluates:
// 50,000 by default (the CI value, run in the Release build); the ThreadSanitizer build uses fewer.
#include <bia/bia.hpp>

#include "test_util.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr unsigned threads = 8;

std::size_t case_count() {
    const char* s = std::getenv("BIA_CONCURRENCY_CASES");
    return s ? std::max<std::size_t>(16, std::strtoull(s, nullptr, 10)) : 50000;
}

const bia::Pack& protect() { return bia_test::protect_pack(); }

void put(nlohmann::json& root, const std::string& path, nlohmann::json value) {
    nlohmann::json* node = &root;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = path.find('.', start);
        const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!node->is_object()) *node = nlohmann::json::object();
        if (dot == std::string::npos) {
            (*node)[key] = std::move(value);
            return;
        }
        node = &(*node)[key];
        start = dot + 1;
    }
}

// One case to evaluate: the JSON text and the options it is evaluated with.
struct Job {
    std::string json;
    bia::EvalOptions options;
};

// Cases made from the training cases: facts dropped, facts given random values, now and then an
// undeclared field (a warning, or an error in strict mode) or a value of the wrong type.
std::vector<Job> make_jobs(std::size_t n) {
    const bia::Pack& pack = protect();
    std::vector<nlohmann::json> examples;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(BIA_SOURCE_DIR) / "examples" / "cases")) {
        if (e.path().extension() == ".json") examples.push_back(nlohmann::json::parse(bia_test::read_file(e.path())));
    }
    std::sort(examples.begin(), examples.end());
    std::mt19937_64 rng(42);
    auto below = [&](std::size_t k) { return static_cast<std::size_t>(rng() % k); };
    const auto& facts = pack.facts();
    std::vector<Job> jobs;
    jobs.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        nlohmann::json c = examples[below(examples.size())];
        for (int k = 0, m = static_cast<int>(below(6)); k < m; ++k) {
            const auto& f = facts[below(facts.size())];
            nlohmann::json v;
            switch (f.type) {
                case bia::FactType::boolean: v = below(2) == 0; break;
                case bia::FactType::number: v = static_cast<double>(below(8)); break;
                case bia::FactType::text: v = std::array{"t0", "t1", "t2"}[below(3)]; break;
                case bia::FactType::date:
                    v = bia::Date::from_days(bia::Date::from_ymd(2005, 1, 1)->days() + static_cast<std::int32_t>(below(8000)))
                            .to_string();
                    break;
                case bia::FactType::one_of: v = f.members[below(f.members.size())]; break;
                case bia::FactType::list: v = nlohmann::json::array(); break;
                case bia::FactType::set_of:
                    v = nlohmann::json::array();
                    for (const auto& member : f.members) {
                        if (below(3) == 0) v.push_back(member);
                    }
                    break;
            }
            if (below(8) == 0) v = nullptr;
            put(c, f.path, std::move(v));
        }
        if (below(20) == 0) put(c, "notes.free_text", "undeclared");
        if (below(50) == 0) put(c, facts[below(facts.size())].path, nlohmann::json::array({1, 2}));
        Job job;
        job.json = c.dump(below(2) == 0 ? -1 : 2);
        job.options.as_of = bia::Date::from_days(bia::Date::from_ymd(2025, 6, 1)->days() + static_cast<std::int32_t>(below(700)));
        job.options.strict = below(10) == 0;
        jobs.push_back(std::move(job));
    }
    return jobs;
}

// What a case gives, as text: the JSON result, or the fact errors.
std::string outcome(const bia::Pack& pack, const Job& job) {
    const auto e = pack.evaluate(job.json, job.options);
    if (!e.ok()) return "errors " + bia::to_json(e.errors).dump() + "\n";
    return bia::render_json(*e.result);
}

struct Digest {
    std::uint64_t a = 0, b = 0;
    std::size_t size = 0;
    bool operator==(const Digest&) const = default;
};

// Two independent 64-bit hashes and the length: equal digests mean equal bytes, short of a
// 128-bit collision. Every 97th output is also kept whole and compared byte for byte.
Digest digest(const std::string& s) {
    Digest d;
    d.a = 1469598103934665603ull;
    d.b = 0x9e3779b97f4a7c15ull;
    for (unsigned char c : s) {
        d.a = (d.a ^ c) * 1099511628211ull;
        d.b = (d.b + c) * 0xff51afd7ed558ccdull;
        d.b ^= d.b >> 29;
    }
    d.size = s.size();
    return d;
}

TEST(Concurrency, EightThreadsGiveTheSequentialResultsByteForByte) {
    const bia::Pack& pack = protect();
    const std::size_t n = case_count();
    const std::vector<Job> jobs = make_jobs(n);

    std::vector<Digest> expected(n);
    std::vector<std::string> kept(n);
    std::size_t failures = 0, fired = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::string out = outcome(pack, jobs[i]);
        expected[i] = digest(out);
        if (i % 97 == 0) kept[i] = out;
        if (out.rfind("errors", 0) == 0) ++failures;
        if (out.find("\"rule\"") != std::string::npos) ++fired;
    }
    // The cases must exercise both paths.
    EXPECT_GT(failures, 0u);
    EXPECT_GT(n - failures, n / 2);
    EXPECT_GT(fired, n / 2);

    std::atomic<std::size_t> mismatches{0}, evaluated{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            while (!go.load()) std::this_thread::yield();
            // Each thread walks all cases from its own starting point, so different threads
            // evaluate different cases at any moment; a copy of the pack shares the same plan.
            const bia::Pack mine = pack;
            for (std::size_t k = 0; k < n; ++k) {
                const std::size_t i = (k + t * n / threads) % n;
                const std::string out = outcome(t % 2 == 0 ? pack : mine, jobs[i]);
                if (!(digest(out) == expected[i]) || (!kept[i].empty() && out != kept[i])) ++mismatches;
                ++evaluated;
            }
        });
    }
    go = true;
    for (auto& th : pool) th.join();
    EXPECT_EQ(evaluated.load(), n * threads);
    EXPECT_EQ(mismatches.load(), 0u) << "of " << n * threads << " concurrent evaluations";
}

TEST(Concurrency, ParsedValuesAndReportsFromManyThreads) {
    // The nlohmann::json entry point, the text and HTML reports and explanations share the
    // per-thread scratch with the text entry point: interleave them.
    const bia::Pack& pack = protect();
    const std::size_t n = std::min<std::size_t>(case_count() / 10, 2000);
    const std::vector<Job> jobs = make_jobs(n);
    std::vector<std::string> expected(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto e = pack.evaluate(jobs[i].json, jobs[i].options);
        expected[i] = e.ok() ? bia::render_text(*e.result, pack) + bia::render_html(*e.result, pack) : "errors";
        const auto x = bia::explain(pack, jobs[i].json, pack.rules()[i % pack.rules().size()].name, jobs[i].options);
        if (x.explanation) expected[i] += bia::render_explanation(*x.explanation);
    }
    std::atomic<std::size_t> mismatches{0};
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            for (std::size_t k = 0; k < n; ++k) {
                const std::size_t i = (k * 7 + t) % n;
                const auto e = t % 2 ? pack.evaluate(nlohmann::json::parse(jobs[i].json), jobs[i].options)
                                     : pack.evaluate(jobs[i].json, jobs[i].options);
                std::string out = e.ok() ? bia::render_text(*e.result, pack) + bia::render_html(*e.result, pack) : "errors";
                const auto x = bia::explain(pack, jobs[i].json, pack.rules()[i % pack.rules().size()].name, jobs[i].options);
                if (x.explanation) out += bia::render_explanation(*x.explanation);
                if (out != expected[i]) ++mismatches;
            }
        });
    }
    for (auto& th : pool) th.join();
    EXPECT_EQ(mismatches.load(), 0u);
}

TEST(Concurrency, CompilingFromManyThreads) {
    // Compiling shares the grammar's keyword and operator tables between threads.
    const bia::Pack& reference = protect();
    const std::string json = bia_test::read_file(std::filesystem::path(BIA_SOURCE_DIR) / "examples" / "cases" / "amina.json");
    bia::EvalOptions options;
    options.as_of = bia_test::date("2026-03-01");
    const std::string expected = bia::render_json(*reference.evaluate(json, options).result);
    const std::string bad = "pack p version \"1\" \"t\"\nrule r \"t\" when x\n";
    const std::string expected_diagnostics = bia::format_diagnostics(bia::compile(bad).diagnostics);
    ASSERT_FALSE(expected_diagnostics.empty());
    std::atomic<std::size_t> mismatches{0};
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
        pool.emplace_back([&] {
            for (int k = 0; k < 2; ++k) {
                auto r = bia::compile(reference.sources(), "protect");
                if (!r.ok() || r.pack->digest() != reference.digest() ||
                    bia::render_json(*r.pack->evaluate(json, options).result) != expected) {
                    ++mismatches;
                }
                // A pack with errors takes the diagnostic path.
                if (bia::format_diagnostics(bia::compile(bad).diagnostics) != expected_diagnostics) ++mismatches;
            }
        });
    }
    for (auto& th : pool) th.join();
    EXPECT_EQ(mismatches.load(), 0u);
}

TEST(Concurrency, APackOutlivesTheThreadThatCompiledIt) {
    // Packs are shared pointers to an immutable plan: copies handed to other threads stay valid
    // after the original and the compiling thread are gone.
    std::optional<bia::Pack> pack;
    std::thread([&] { pack = bia::load(std::filesystem::path(BIA_SOURCE_DIR) / "rules" / "protect").pack; }).join();
    ASSERT_TRUE(pack.has_value());
    std::vector<std::thread> pool;
    std::atomic<int> ok{0};
    for (unsigned t = 0; t < threads; ++t) {
        pool.emplace_back([copy = *pack, &ok] {
            if (copy.evaluate("{}").ok()) ++ok;
        });
    }
    pack.reset();
    for (auto& th : pool) th.join();
    EXPECT_EQ(ok.load(), static_cast<int>(threads));
}

}  // namespace
