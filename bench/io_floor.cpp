// The I/O floor of `bia batch`: read the same JSON Lines, parse every line and
// walk every field, and write the same bytes of output (bia's own results,
// read beforehand), with no rules at all.
//   bia_io_floor ondemand|nlohmann CASES.jsonl RESULTS.jsonl OUT
// `ondemand` is simdjson's On-Demand parser (built for this CPU: the fastest JSON
// reading Debian packages); `nlohmann` parses each line into a DOM, for reference.
// Prints: mode cases seconds_wall seconds_cpu
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

std::uint64_t sink = 0;

void walk(simdjson::ondemand::value v) {
    switch (v.type().value()) {
        case simdjson::ondemand::json_type::object:
            for (auto field : v.get_object()) {
                sink += field.unescaped_key().value().size();
                walk(field.value());
            }
            break;
        case simdjson::ondemand::json_type::array:
            for (auto e : v.get_array()) walk(e.value());
            break;
        case simdjson::ondemand::json_type::string: sink += v.get_string().value().size(); break;
        case simdjson::ondemand::json_type::number: sink += static_cast<std::uint64_t>(v.get_double().value()); break;
        case simdjson::ondemand::json_type::boolean: sink += v.get_bool().value(); break;
        case simdjson::ondemand::json_type::null: sink += v.is_null().value(); break;
    }
}

void walk(const nlohmann::json& j) {
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            sink += it.key().size();
            walk(it.value());
        }
    } else if (j.is_array()) {
        for (const auto& e : j) walk(e);
    } else if (j.is_string()) {
        sink += j.get_ref<const std::string&>().size();
    } else if (j.is_number()) {
        sink += static_cast<std::uint64_t>(j.get<double>());
    } else if (j.is_boolean()) {
        sink += j.get<bool>();
    }
}

double cpu_seconds() {
    timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: bia_io_floor ondemand|nlohmann CASES.jsonl RESULTS.jsonl OUT\n");
        return 2;
    }
    const std::string mode = argv[1];
    // The output bytes, loaded before the clock starts (bia computes them; the floor only writes them).
    std::ifstream rin(argv[3], std::ios::binary);
    std::string results((std::istreambuf_iterator<char>(rin)), std::istreambuf_iterator<char>());
    std::vector<std::size_t> ends;
    for (std::size_t p = 0; (p = results.find('\n', p)) != std::string::npos; ++p) ends.push_back(p + 1);

    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_seconds();
    std::FILE* in = std::fopen(argv[2], "rb");
    std::FILE* out = std::fopen(argv[4], "wb");
    if (!in || !out) {
        std::perror("bia_io_floor");
        return 1;
    }
    simdjson::ondemand::parser parser;
    std::vector<char> buf(1 << 20);
    std::string line;
    line.reserve(1 << 16);
    std::size_t carry = 0, cases = 0, out_from = 0;
    auto handle = [&](const char* p, std::size_t n) {
        if (mode == "ondemand") {
            line.assign(p, n);
            line.resize(n + simdjson::SIMDJSON_PADDING);
            auto doc = parser.iterate(line.data(), n, line.size());
            walk(doc.get_value().value());
        } else {
            walk(nlohmann::json::parse(p, p + n));
        }
        const std::size_t to = cases < ends.size() ? ends[cases] : results.size();
        std::fwrite(results.data() + out_from, 1, to - out_from, out);
        out_from = to;
        ++cases;
    };
    std::string pending;
    while (true) {
        const std::size_t n = std::fread(buf.data() + carry, 1, buf.size() - carry, in);
        const std::size_t have = carry + n;
        if (n == 0) {
            if (have > 0) handle(buf.data(), have);
            break;
        }
        std::size_t start = 0;
        while (true) {
            const char* nl = static_cast<const char*>(std::memchr(buf.data() + start, '\n', have - start));
            if (!nl) break;
            handle(buf.data() + start, static_cast<std::size_t>(nl - buf.data()) - start);
            start = static_cast<std::size_t>(nl - buf.data()) + 1;
        }
        carry = have - start;
        std::memmove(buf.data(), buf.data() + start, carry);
        if (carry == buf.size()) buf.resize(buf.size() * 2);
    }
    std::fclose(in);
    std::fclose(out);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%s %zu %.6f %.6f\n", mode.c_str(), cases, wall, cpu_seconds() - c0);
    return sink == 42 ? 3 : 0;
}
