// Growth of time with input size, for the shapes that were once quadratic or
// worse (docs/reliability.md, "Evaluation time"): each shape is timed at n and
// at a multiple of n (best of three runs, so another process stalling one run
// does not count), and the ratio is checked against a bound that linear work
// stays well under and the old super-linear work exceeded. Timing belongs here,
// run by bench/run, not in the unit tests (tests/limits_test.cpp runs the same
// inputs for their results only).
//   bia_bench_growth
// Prints "shape small_s large_s ratio bound" lines; exits 1 if a ratio exceeds
// its bound.
#include <bia/bia.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

namespace {

double best_seconds(const std::function<void()>& f) {
    double best = 0;
    for (int run = 0; run < 3; ++run) {
        const auto start = std::chrono::steady_clock::now();
        f();
        const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (run == 0 || t < best) best = t;
    }
    return best;
}

constexpr const char* header =
    "pack p version \"1.0.0\" \"t\"\nlevel low\nlevel high at 1\nfact a.flag : "
    "bool\nfact a.n : number\n";

bia::Pack must_compile(const std::string& source, const bia::Limits& limits = {}) {
    auto r = bia::compile(source, "growth.bia", limits);
    if (!r.ok()) {
        std::fputs(bia::format_diagnostics(r.diagnostics).c_str(), stderr);
        std::exit(2);
    }
    return *r.pack;
}

int failures = 0;

// `bound` for `times` times the input: linear work grows about `times`-fold,
// quadratic times^2-fold.
void check(const char* shape, double small, double large, double bound) {
    const double ratio = large / (small > 1e-6 ? small : 1e-6);
    const bool ok = large < bound * small + 0.05;
    std::printf("%-32s %9.4f %9.4f %7.1f %5.0f %s\n", shape, small, large, ratio, bound, ok ? "ok" : "TOO SLOW");
    if (!ok) ++failures;
}

std::string keys(int n, const std::string& wrap) {
    std::string json = "{";
    for (int i = 0; i < n; ++i) json += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":0";
    json += "}";
    return wrap.empty() ? json : "{\"" + wrap + "\":" + json + "}";
}

}  // namespace

int main() {
    std::printf("%-32s %9s %9s %7s %5s\n", "shape (n and 8n unless said)", "small_s", "large_s", "ratio", "bound");
    const bia::Pack small_pack = must_compile(std::string(header) + "rule r \"t\" when a.flag\n");
    // Binding: many keys in one object, at the top, under a declared object,
    // under an undeclared one.
    for (const char* wrap : {"", "a", "undeclared"}) {
        const std::string small = keys(25000, wrap), large = keys(200000, wrap);
        const double ts = best_seconds([&] { (void)small_pack.evaluate(small); });
        const double tl = best_seconds([&] { (void)small_pack.evaluate(large); });
        check((std::string("case keys under '") + wrap + "'").c_str(), ts, tl, 24);
    }
    // Checking: every unknown name looks for a close declared name to suggest.
    auto unknown_names = [](int n) {
        std::string s = "pack p version \"1.0.0\" \"t\"\nlevel low\n";
        for (int i = 0; i < n; ++i) s += "fact f" + std::to_string(i) + " : bool\n";
        for (int i = 0; i < n; ++i) s += "rule r" + std::to_string(i) + " \"t\" when zz" + std::to_string(i) + "\n";
        return s;
    };
    {
        const std::string small = unknown_names(1000), large = unknown_names(8000);
        check("unknown names checked", best_seconds([&] { (void)bia::compile(small); }),
              best_seconds([&] { (void)bia::compile(large); }), 24);
    }
    // Parsing: one long line; trailing comments are looked for per node.
    auto long_line = [](int n) {
        std::string condition = "a.flag";
        for (int i = 0; i < n; ++i) condition += " and (a.n > 1 or \"#\" = \"#\")";
        return std::string(header) + "rule r \"t\" when " + condition + "\n";
    };
    {
        const std::string small = long_line(2000), large = long_line(16000);
        check("operands on one line parsed", best_seconds([&] { (void)bia::compile(small); }),
              best_seconds([&] { (void)bia::compile(large); }), 24);
    }
    // The text report of n rules each missing all n facts: its output is n^2 by
    // the result contract, so 4n gives 16 times the output; a cubic report would
    // take 64 times.
    auto rules_by_facts = [](int n) {
        std::string s = "pack p version \"1.0.0\" \"t\"\nlevel low\n";
        std::string big = "let big = f0";
        for (int i = 0; i < n; ++i) s += "fact f" + std::to_string(i) + " : bool\n";
        for (int i = 1; i < n; ++i) big += " or f" + std::to_string(i);
        s += big + "\n";
        for (int i = 0; i < n; ++i)
            s += "rule r" + std::to_string(i) + " \"t\" when big and f" + std::to_string(i) + "\n";
        // 1,440,000 missing paths at n = 1,200 are over the default max_result_bytes (16 MiB).
        bia::Limits limits;
        limits.max_result_bytes = 256u << 20;
        return must_compile(s, limits);
    };
    {
        const bia::Pack small = rules_by_facts(300), large = rules_by_facts(1200);
        const auto rs = small.evaluate(std::string_view("{}")), rl = large.evaluate(std::string_view("{}"));
        std::size_t out = 0;
        const double ts = best_seconds([&] { out += bia::render_text(*rs.result, small).size(); });
        const double tl = best_seconds([&] { out += bia::render_text(*rl.result, large).size(); });
        check("text report, n and 4n rules", ts, tl, 32);
        if (out == 0) ++failures;
    }
    return failures == 0 ? 0 : 1;
}
