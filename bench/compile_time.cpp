// Pack compile time: sources read once, then compiled repeatedly (bia::compile,
// every stage from parsing to the plan). Prints: pack rules runs best_ms median_ms
//   bia_bench_compile PACK [RUNS]
#include <bia/bia.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bia_bench_compile PACK [RUNS]\n");
        return 2;
    }
    auto first = bia::load(argv[1]);
    if (!first.ok()) {
        std::cerr << bia::format_diagnostics(first.diagnostics);
        return 1;
    }
    const auto sources = first.pack->sources();
    const int runs = argc > 2 ? std::atoi(argv[2]) : 20;
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        auto c = bia::compile(sources, argv[1]);
        const auto t1 = std::chrono::steady_clock::now();
        if (!c.ok()) return 1;
        ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%s %zu %d %.3f %.3f\n", argv[1], first.pack->rules().size(), runs, ms.front(), ms[ms.size() / 2]);
    return 0;
}
