// Small helpers shared by the GoogleTest suites: compiling packs from text,
// evaluating cases, reading and writing files, temporary directories.
#pragma once

#include <bia/bia.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace bia_test {

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_file(const std::filesystem::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + path.string());
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

#ifdef BIA_SOURCE_DIR
// The PROTECT pack of rules/protect, compiled once per test program.
inline const bia::Pack& protect_pack() {
    static const bia::Pack pack = [] {
        auto r = bia::load(std::filesystem::path(BIA_SOURCE_DIR) / "rules" / "protect");
        if (!r.ok()) throw std::runtime_error(bia::format_diagnostics(r.diagnostics));
        return *r.pack;
    }();
    return pack;
}
#endif

// A fresh directory under the system's temporary directory, removed afterwards.
class TempDir {
public:
    TempDir() {
        static std::atomic<unsigned> counter{0};
        const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
        path_ = std::filesystem::temp_directory_path() /
                ("bia-test-" + std::to_string(::getpid()) + "-" + std::to_string(stamp) + "-" +
                 std::to_string(counter++));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

// The formatted diagnostics of a source that is expected not to compile ("" when it compiles).
inline std::string diagnostics_of(std::string_view source, const std::string& name = "t.bia") {
    const auto r = bia::compile(source, name);
    return bia::format_diagnostics(r.diagnostics);
}

// Compiles a pack that must compile; fails the current test (fatally) otherwise.
inline bia::Pack must_compile(std::string_view source, const std::string& name = "t.bia") {
    auto r = bia::compile(source, name);
    if (!r.ok()) {
        ADD_FAILURE() << "the pack did not compile:\n" << bia::format_diagnostics(r.diagnostics) << "source:\n" << source;
        throw std::runtime_error("pack did not compile");
    }
    return std::move(*r.pack);
}

inline bia::Date date(std::string_view text) {
    auto d = bia::Date::parse(text);
    if (!d) throw std::runtime_error("bad date in a test: " + std::string(text));
    return *d;
}

inline std::string describe_errors(const std::vector<bia::FactError>& errors) {
    std::string out;
    for (const auto& e : errors) out += "  " + e.path + ": " + e.message + "\n";
    return out;
}

// Evaluates a case that must bind without fact errors.
inline bia::Result must_evaluate(const bia::Pack& pack, std::string_view json, std::string_view as_of = "2026-03-10",
                                 bool strict = false) {
    bia::EvalOptions options;
    options.as_of = date(as_of);
    options.strict = strict;
    auto e = pack.evaluate(json, options);
    if (!e.ok()) {
        ADD_FAILURE() << "the case did not evaluate:\n" << describe_errors(e.errors) << "case: " << json;
        throw std::runtime_error("case did not evaluate");
    }
    return std::move(*e.result);
}

// Evaluates a case that must fail with fact errors; returns them.
inline std::vector<bia::FactError> fact_errors(const bia::Pack& pack, std::string_view json, bool strict = false) {
    bia::EvalOptions options;
    options.as_of = date("2026-03-10");
    options.strict = strict;
    auto e = pack.evaluate(json, options);
    EXPECT_FALSE(e.ok()) << "the case evaluated, but fact errors were expected: " << json;
    return e.errors;
}

// Pack::evaluate_batch over `texts` (64 lanes at a time: pass more than 64 for a full block and a
// part-filled one) gives each case the JSON result it gets alone.
inline void expect_batch_equals_single(const bia::Pack& pack, const std::vector<std::string>& texts,
                                       std::string_view as_of = "2026-03-10") {
    std::vector<bia::BatchCase> cases(texts.size());
    std::vector<bia::Result> results(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
        cases[i].json = texts[i];
        cases[i].result = &results[i];
    }
    bia::EvalOptions options;
    options.as_of = date(as_of);
    pack.evaluate_batch(cases, options);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        ASSERT_TRUE(cases[i].evaluated) << texts[i];
        EXPECT_EQ(bia::render_json(*cases[i].result), bia::render_json(must_evaluate(pack, texts[i], as_of))) << texts[i];
    }
}

inline bool fired(const bia::Result& r, std::string_view rule) {
    for (const auto& f : r.fired) {
        if (f.rule == rule) return true;
    }
    return false;
}

inline const bia::UndeterminedRule* undetermined(const bia::Result& r, std::string_view rule) {
    for (const auto& u : r.undetermined) {
        if (u.rule == rule) return &u;
    }
    return nullptr;
}

inline const bia::FiredRule* fired_rule(const bia::Result& r, std::string_view rule) {
    for (const auto& f : r.fired) {
        if (f.rule == rule) return &f;
    }
    return nullptr;
}

// A printable line-by-line diff of two texts (longest common subsequence of lines).
inline std::string line_diff(const std::string& expected, const std::string& actual) {
    auto split = [](const std::string& s) {
        std::vector<std::string> lines;
        std::string line;
        std::istringstream in(s);
        while (std::getline(in, line)) lines.push_back(line);
        if (!s.empty() && s.back() != '\n') lines.back() += "\\ (no newline at end)";
        return lines;
    };
    const auto a = split(expected), b = split(actual);
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<std::size_t>> lcs(n + 1, std::vector<std::size_t>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;) {
        for (std::size_t j = m; j-- > 0;) {
            lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
        }
    }
    std::string out = "--- expected\n+++ actual\n";
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i] == b[j]) {
            out += "  " + a[i] + "\n";
            ++i;
            ++j;
        } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
            out += "+ " + b[j++] + "\n";
        } else {
            out += "- " + a[i++] + "\n";
        }
    }
    return out;
}

}  // namespace bia_test
