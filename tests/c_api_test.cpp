// Tests of the C API (bia.h): ownership, errors, options, threads, and that nothing escapes it.
#include <bia.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

// ---- Allocation failure injection -------------------------------------------
// Replacing the global operator new here also replaces it for libbia_c.so,
// which does not define its own, so the library's allocations can be made to
// fail the way they do when memory runs out: from some point on, every one.
namespace {
std::atomic<long> allocations_until_failure{-1};      // -1: never fail by count
std::atomic<std::size_t> failing_size{0};             // 0: never fail by size
}  // namespace

namespace {
void* allocate(std::size_t size, std::size_t alignment) {
    long left = allocations_until_failure.load(std::memory_order_relaxed);
    if (left == 0) throw std::bad_alloc();
    if (left > 0) allocations_until_failure.store(left - 1, std::memory_order_relaxed);
    const std::size_t limit = failing_size.load(std::memory_order_relaxed);
    if (limit != 0 && size >= limit) throw std::bad_alloc();
    if (size == 0) size = 1;
    void* p = alignment <= alignof(std::max_align_t)
                  ? std::malloc(size)
                  : std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment);
    if (p == nullptr) throw std::bad_alloc();
    return p;
}
void* allocate_or_null(std::size_t size, std::size_t alignment) noexcept {
    try {
        return allocate(size, alignment);
    } catch (const std::bad_alloc&) {
        return nullptr;
    }
}
}  // namespace

// Every form is replaced, so that no allocation bypasses the injection and
// every block is released by the allocator that made it (sanitizers check).
void* operator new(std::size_t n) { return allocate(n, 0); }
void* operator new[](std::size_t n) { return allocate(n, 0); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate_or_null(n, 0); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate_or_null(n, 0); }
void* operator new(std::size_t n, std::align_val_t a) { return allocate(n, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return allocate(n, static_cast<std::size_t>(a)); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return allocate_or_null(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return allocate_or_null(n, static_cast<std::size_t>(a));
}
// GCC cannot see that these operator news allocate with malloc.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace {

using json = nlohmann::json;

constexpr const char* kPack = R"bia(pack capi version "1.2.3" "A pack for the C API tests"

source GC6 "UN CRC General Comment No. 6 (2005)"

fact child.birth_date      : date "Date of birth"
fact child.unaccompanied   : bool
fact child.gender          : one of {"girl", "boy", "other"}
fact case.arrived_on       : date
fact guardian.appointed_on : date

let age = years(child.birth_date, today)

level low
level medium at 20
level high at 50

domain care "Care, protection and safety"

rule no_guardian "Unaccompanied child has no guardian"
  domain care
  severity high
  score 30
  when child.unaccompanied and not known(guardian.appointed_on)
  action "Appoint a guardian" within 1 day of case.arrived_on
  cites GC6 "para 33"

rule young_child "Child under 12"
  domain care
  severity medium
  score 10
  when age < 12
)bia";

constexpr const char* kCase = R"({
  "child": {"birth_date": "2015-05-01", "unaccompanied": true},
  "case": {"arrived_on": "2026-03-01"}
})";

// A value no message may ever repeat: case data must not leak into errors.
constexpr const char* kSecret = "SECRET-Fatima-2011";

struct PackDeleter {
    void operator()(bia_pack* p) const { bia_pack_free(p); }
};
struct ErrorDeleter {
    void operator()(bia_error* e) const { bia_error_free(e); }
};
struct StringDeleter {
    void operator()(char* s) const { bia_free(s); }
};
using PackPtr = std::unique_ptr<bia_pack, PackDeleter>;
using ErrorPtr = std::unique_ptr<bia_error, ErrorDeleter>;
using StringPtr = std::unique_ptr<char, StringDeleter>;

PackPtr compile_ok(const char* source = kPack) {
    bia_error* error = nullptr;
    PackPtr pack(bia_pack_compile(source, BIA_NUL_TERMINATED, "test.bia", &error));
    ErrorPtr owned(error);
    EXPECT_NE(pack, nullptr) << (error ? bia_error_message(error) : "");
    EXPECT_EQ(error, nullptr);
    return pack;
}

bia_eval_options options_as_of(const char* as_of) {
    bia_eval_options options = BIA_EVAL_OPTIONS_INIT;
    options.as_of = as_of;
    return options;
}

struct Evaluated {
    bia_status status;
    StringPtr result;
    ErrorPtr error;
};

Evaluated evaluate(const bia_pack* pack, const std::string& case_json,
                   const bia_eval_options* options) {
    char* result = reinterpret_cast<char*>(1);  // must be overwritten either way
    bia_error* error = reinterpret_cast<bia_error*>(1);
    bia_status status = bia_evaluate(pack, case_json.data(), case_json.size(), options, &result, &error);
    return {status, StringPtr(result), ErrorPtr(error)};
}

void expect_no_secret(const bia_error* error) {
    ASSERT_NE(error, nullptr);
    EXPECT_EQ(std::strstr(bia_error_message(error), kSecret), nullptr);
    EXPECT_EQ(std::strstr(bia_error_json(error), kSecret), nullptr);
    for (std::size_t i = 0; i < bia_error_count(error); ++i) {
        EXPECT_EQ(std::strstr(bia_error_message_at(error, i), kSecret), nullptr);
        EXPECT_EQ(std::strstr(bia_error_path_at(error, i), kSecret), nullptr);
    }
}

std::filesystem::path make_temp_dir() {
    auto base = std::filesystem::temp_directory_path();
    for (int i = 0;; ++i) {
        auto dir = base / ("bia_c_api_test_" + std::to_string(::getpid()) + "_" + std::to_string(i));
        if (std::filesystem::create_directory(dir)) return dir;
    }
}

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

// ---- Library -----------------------------------------------------------------

TEST(CApiLibrary, VersionsAgree) {
    const std::string version = bia_version();
    int major = 0, minor = 0, patch = 0;
    ASSERT_EQ(std::sscanf(version.c_str(), "%d.%d.%d", &major, &minor, &patch), 3) << version;
    EXPECT_EQ(bia_version_number(), major * 10000 + minor * 100 + patch);
    EXPECT_GE(major, 1);
    EXPECT_STREQ(bia_language_version(), "2.0");
    EXPECT_STREQ(bia_result_version(), "1.2");
}

TEST(CApiLibrary, StatusNumbersAreTheAbi) {
    // These numbers are compiled into hosts: they must never change in 1.x.
    EXPECT_EQ(BIA_OK, 0);
    EXPECT_EQ(BIA_ERROR_PACK, 1);
    EXPECT_EQ(BIA_ERROR_FACTS, 2);
    EXPECT_EQ(BIA_ERROR_ARGUMENT, 3);
    EXPECT_EQ(BIA_ERROR_MEMORY, 4);
    EXPECT_EQ(BIA_ERROR_INTERNAL, 5);
    EXPECT_EQ(BIA_FORMAT_JSON, 0);
    EXPECT_EQ(BIA_FORMAT_TEXT, 1);
    EXPECT_EQ(BIA_FORMAT_HTML, 2);
    EXPECT_EQ(sizeof(bia_status), sizeof(int));
}

TEST(CApiLibrary, StatusStrings) {
    EXPECT_STREQ(bia_status_string(BIA_OK), "ok");
    EXPECT_STREQ(bia_status_string(BIA_ERROR_PACK), "pack error");
    EXPECT_STREQ(bia_status_string(BIA_ERROR_FACTS), "fact error");
    EXPECT_STREQ(bia_status_string(BIA_ERROR_ARGUMENT), "invalid argument");
    EXPECT_STREQ(bia_status_string(BIA_ERROR_MEMORY), "out of memory");
    EXPECT_STREQ(bia_status_string(BIA_ERROR_INTERNAL), "internal error");
    EXPECT_STREQ(bia_status_string(-1), "unknown status");
    EXPECT_STREQ(bia_status_string(999), "unknown status");
}

TEST(CApiLibrary, FreeFunctionsAcceptNull) {
    bia_free(nullptr);
    bia_pack_free(nullptr);
    bia_error_free(nullptr);
}

// ---- Packs -------------------------------------------------------------------

TEST(CApiPack, CompilesAndDescribesItself) {
    auto pack = compile_ok();
    ASSERT_NE(pack, nullptr);
    EXPECT_STREQ(bia_pack_name(pack.get()), "capi");
    EXPECT_STREQ(bia_pack_version(pack.get()), "1.2.3");
    EXPECT_STREQ(bia_pack_title(pack.get()), "A pack for the C API tests");
    const std::string digest = bia_pack_digest(pack.get());
    ASSERT_EQ(digest.size(), 7u + 64u) << digest;
    EXPECT_EQ(digest.rfind("sha256:", 0), 0u);
    EXPECT_EQ(digest.find_first_not_of("0123456789abcdef", 7), std::string::npos);
}

TEST(CApiPack, AccessorsAcceptNull) {
    EXPECT_EQ(bia_pack_name(nullptr), nullptr);
    EXPECT_EQ(bia_pack_version(nullptr), nullptr);
    EXPECT_EQ(bia_pack_title(nullptr), nullptr);
    EXPECT_EQ(bia_pack_digest(nullptr), nullptr);
}

TEST(CApiPack, LengthAndNulTerminationAgree) {
    const std::string source = kPack;
    // Trailing bytes past `length` must be ignored.
    const std::string padded = source + "\nthis is not bia";
    PackPtr a(bia_pack_compile(source.c_str(), BIA_NUL_TERMINATED, "a", nullptr));
    PackPtr b(bia_pack_compile(padded.data(), source.size(), "b", nullptr));
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_STREQ(bia_pack_digest(a.get()), bia_pack_digest(b.get()));
}

// Every string the C API hands out comes with its length on request: the
// same bytes as the NUL-terminated accessors, and the length is theirs.
TEST(CApiLengths, PackStringsHaveTheirLengths) {
    auto pack = compile_ok();
    const char* (*const old[])(const bia_pack*) = {bia_pack_name, bia_pack_version, bia_pack_title, bia_pack_digest};
    for (int field = BIA_PACK_NAME; field <= BIA_PACK_DIGEST; ++field) {
        size_t length = 12345;
        const char* text = bia_pack_string(pack.get(), field, &length);
        ASSERT_NE(text, nullptr) << field;
        EXPECT_EQ(text, old[field](pack.get())) << field;
        EXPECT_EQ(length, std::strlen(text)) << field;
        EXPECT_GT(length, 0u) << field;
        EXPECT_EQ(bia_pack_string(pack.get(), field, nullptr), text);
    }
    size_t length = 12345;
    EXPECT_EQ(bia_pack_string(pack.get(), 4, &length), nullptr);
    EXPECT_EQ(length, 0u);
    length = 12345;
    EXPECT_EQ(bia_pack_string(nullptr, BIA_PACK_NAME, &length), nullptr);
    EXPECT_EQ(length, 0u);
}

TEST(CApiLengths, ResultsHaveTheirLengths) {
    auto pack = compile_ok();
    const auto options = options_as_of("2026-03-10");
    for (int format : {BIA_FORMAT_JSON, BIA_FORMAT_TEXT, BIA_FORMAT_HTML}) {
        bia_eval_options o = options;
        o.format = format;
        char* with_n = nullptr;
        char* plain = nullptr;
        size_t length = 12345;
        ASSERT_EQ(bia_evaluate_n(pack.get(), kCase, BIA_NUL_TERMINATED, &o, &with_n, &length, nullptr), BIA_OK);
        ASSERT_EQ(bia_evaluate(pack.get(), kCase, BIA_NUL_TERMINATED, &o, &plain, nullptr), BIA_OK);
        StringPtr owned_n(with_n), owned_plain(plain);
        EXPECT_EQ(length, std::strlen(plain)) << format;
        EXPECT_EQ(std::string(with_n, length), std::string(plain)) << format;
        EXPECT_EQ(with_n[length], '\0');
        char* again = nullptr;
        ASSERT_EQ(bia_evaluate_n(pack.get(), kCase, BIA_NUL_TERMINATED, &o, &again, nullptr, nullptr), BIA_OK);
        StringPtr owned_again(again);
        EXPECT_STREQ(again, plain);
    }
    char* result = reinterpret_cast<char*>(1);
    size_t length = 12345;
    bia_error* error = nullptr;
    EXPECT_EQ(bia_evaluate_n(pack.get(), "{", 1, &options, &result, &length, &error), BIA_ERROR_FACTS);
    ErrorPtr owned(error);
    EXPECT_EQ(result, nullptr);
    EXPECT_EQ(length, 0u);
}

TEST(CApiLengths, ErrorStringsHaveTheirLengths) {
    bia_error* error = nullptr;
    PackPtr pack(bia_pack_compile("pack p version \"1.0.0\" \"t\"\nrule r \"t\" when nothing\n", BIA_NUL_TERMINATED,
                                  "bad.bia", &error));
    ErrorPtr owned(error);
    ASSERT_EQ(pack, nullptr);
    ASSERT_NE(error, nullptr);
    const std::size_t count = bia_error_count(error);
    ASSERT_GT(count, 0u);
    auto check = [&](int field, size_t index, const char* expected) {
        size_t length = 12345;
        const char* text = bia_error_string(error, field, index, &length);
        EXPECT_EQ(text, expected) << field << " " << index;
        EXPECT_EQ(length, expected != nullptr ? std::strlen(expected) : 0u) << field << " " << index;
    };
    check(BIA_ERROR_FIELD_MESSAGE, 0, bia_error_message(error));
    check(BIA_ERROR_FIELD_MESSAGE, count, bia_error_message(error));  // index ignored
    check(BIA_ERROR_FIELD_JSON, 0, bia_error_json(error));
    for (std::size_t i = 0; i <= count; ++i) {
        check(BIA_ERROR_FIELD_ITEM_CODE, i, bia_error_code_at(error, i));
        check(BIA_ERROR_FIELD_ITEM_MESSAGE, i, bia_error_message_at(error, i));
        check(BIA_ERROR_FIELD_ITEM_PATH, i, bia_error_path_at(error, i));
    }
    check(BIA_ERROR_FIELD_ITEM_PATH, count, nullptr);
    check(5, 0, nullptr);
    size_t length = 12345;
    EXPECT_EQ(bia_error_string(nullptr, BIA_ERROR_FIELD_MESSAGE, 0, &length), nullptr);
    EXPECT_EQ(length, 0u);
}

TEST(CApiPack, ReportsEveryDiagnosticWithPositions) {
    const char* source =
        "pack t version \"1.0.0\" \"T\"\n"
        "level low\n"
        "fact a : bool\n"
        "rule r \"R\"\n"
        "  when b\n"
        "rule s \"S\"\n"
        "  when a and c\n";
    bia_error* raw = nullptr;
    PackPtr pack(bia_pack_compile(source, BIA_NUL_TERMINATED, "bad.bia", &raw));
    ErrorPtr error(raw);
    EXPECT_EQ(pack, nullptr);
    ASSERT_NE(error, nullptr);
    EXPECT_EQ(bia_error_status(error.get()), BIA_ERROR_PACK);
    ASSERT_GE(bia_error_count(error.get()), 2u);
    EXPECT_STREQ(bia_error_path(error.get()), "bad.bia");
    EXPECT_EQ(bia_error_line(error.get()), 5u);
    EXPECT_EQ(bia_error_column(error.get()), 8u);
    EXPECT_STREQ(bia_error_path_at(error.get(), 1), "bad.bia");
    EXPECT_EQ(bia_error_line_at(error.get(), 1), 7u);
    EXPECT_EQ(bia_error_column_at(error.get(), 1), 14u);
    EXPECT_EQ(std::string(bia_error_message(error.get())).rfind("bad.bia:5:8: error: ", 0), 0u)
        << bia_error_message(error.get());
    // The message has no trailing newline, so a host can log it as one entry.
    const std::string message = bia_error_message(error.get());
    EXPECT_NE(message.back(), '\n');
    EXPECT_GT(std::strlen(bia_error_message_at(error.get(), 0)), 0u);
    EXPECT_NE(bia_error_code_at(error.get(), 0), nullptr);

    const json items = json::parse(bia_error_json(error.get()));
    ASSERT_TRUE(items.is_array());
    ASSERT_EQ(items.size(), bia_error_count(error.get()));
    EXPECT_EQ(items[0]["path"], "bad.bia");
    EXPECT_EQ(items[0]["line"], 5);
    EXPECT_EQ(items[0]["column"], 8);
    EXPECT_EQ(items[0]["message"], bia_error_message_at(error.get(), 0));
    EXPECT_EQ(items[0]["code"], bia_error_code_at(error.get(), 0));
}

TEST(CApiPack, EmptySourceIsAPackErrorAtLineOne) {
    bia_error* raw = nullptr;
    PackPtr pack(bia_pack_compile(nullptr, 0, nullptr, &raw));
    ErrorPtr error(raw);
    EXPECT_EQ(pack, nullptr);
    ASSERT_NE(error, nullptr);
    EXPECT_EQ(bia_error_status(error.get()), BIA_ERROR_PACK);
    EXPECT_STREQ(bia_error_path(error.get()), "<string>");
    EXPECT_EQ(bia_error_line(error.get()), 1u);
    EXPECT_EQ(bia_error_column(error.get()), 1u);
}

TEST(CApiPack, NullSourceWithLengthIsAnArgumentError) {
    bia_error* raw = nullptr;
    PackPtr pack(bia_pack_compile(nullptr, 5, "x", &raw));
    ErrorPtr error(raw);
    EXPECT_EQ(pack, nullptr);
    ASSERT_NE(error, nullptr);
    EXPECT_EQ(bia_error_status(error.get()), BIA_ERROR_ARGUMENT);
    EXPECT_EQ(bia_error_count(error.get()), 1u);
    EXPECT_STREQ(bia_error_path(error.get()), "");
    EXPECT_EQ(bia_error_line(error.get()), 0u);
}

TEST(CApiPack, FailureWithoutErrorOutParameter) {
    EXPECT_EQ(bia_pack_compile("nonsense", BIA_NUL_TERMINATED, "x", nullptr), nullptr);
    EXPECT_EQ(bia_pack_load("/nonexistent/bia/pack.bia", nullptr), nullptr);
    EXPECT_EQ(bia_pack_load(nullptr, nullptr), nullptr);
}

TEST(CApiPack, LoadsFilesAndDirectories) {
    const auto dir = make_temp_dir();
    write_file(dir / "pack.bia", kPack);
    const auto sub = dir / "split";
    std::filesystem::create_directory(sub);
    const std::string source = kPack;
    const auto cut = source.find("level low");
    write_file(sub / "10-head.bia", source.substr(0, cut));
    write_file(sub / "20-rest.bia", source.substr(cut));
    write_file(sub / ".hidden.bia", "this is skipped");

    bia_error* raw = nullptr;
    PackPtr file(bia_pack_load((dir / "pack.bia").c_str(), &raw));
    ErrorPtr file_error(raw);
    ASSERT_NE(file, nullptr) << bia_error_message(file_error.get());
    EXPECT_EQ(raw, nullptr);
    EXPECT_STREQ(bia_pack_name(file.get()), "capi");

    PackPtr directory(bia_pack_load(sub.c_str(), &raw));
    ErrorPtr directory_error(raw);
    ASSERT_NE(directory, nullptr) << bia_error_message(directory_error.get());
    EXPECT_STREQ(bia_pack_name(directory.get()), "capi");

    std::filesystem::remove_all(dir);
}

TEST(CApiPack, SourceLimitCanBeRaisedAndLowered) {
    // kPack with a comment that takes it past the default 4 MiB.
    const std::string big = std::string(kPack) + "# " + std::string(std::size_t{5} << 20, 'x') + "\n";
    const auto dir = make_temp_dir();
    write_file(dir / "big.bia", big);
    for (int load = 0; load < 2; ++load) {
        auto compile = [&](std::size_t limit, bia_error** error) {
            return load ? bia_pack_load_limited((dir / "big.bia").c_str(), limit, error)
                        : bia_pack_compile_limited(big.data(), big.size(), "big.bia", limit, error);
        };
        bia_error* raw = nullptr;
        PackPtr by_default(compile(0, &raw));  // 0: the default limit
        ErrorPtr error(raw);
        EXPECT_EQ(by_default, nullptr);
        ASSERT_NE(error, nullptr);
        EXPECT_EQ(bia_error_status(error.get()), BIA_ERROR_PACK);
        EXPECT_STREQ(bia_error_code_at(error.get(), 0), "E0503");
        EXPECT_NE(std::string(bia_error_message(error.get())).find("over the limit of 4194304 bytes (max_source_bytes)"),
                  std::string::npos)
            << bia_error_message(error.get());

        raw = nullptr;
        PackPtr raised(compile(big.size(), &raw));
        ErrorPtr raised_error(raw);
        ASSERT_NE(raised, nullptr) << bia_error_message(raised_error.get());
        EXPECT_STREQ(bia_pack_name(raised.get()), "capi");

        raw = nullptr;
        PackPtr lowered(compile(big.size() - 1, &raw));
        ErrorPtr lowered_error(raw);
        EXPECT_EQ(lowered, nullptr);
        ASSERT_NE(lowered_error, nullptr);
        EXPECT_STREQ(bia_error_code_at(lowered_error.get(), 0), "E0503");
    }
    // The unlimited forms are the limited ones with the default.
    PackPtr small(bia_pack_compile_limited(kPack, BIA_NUL_TERMINATED, nullptr, 0, nullptr));
    EXPECT_NE(small, nullptr);
    EXPECT_EQ(bia_pack_load_limited(nullptr, 0, nullptr), nullptr);
    std::filesystem::remove_all(dir);
}

TEST(CApiPack, MissingFileIsAPackError) {
    bia_error* raw = nullptr;
    PackPtr pack(bia_pack_load("/nonexistent/bia/pack.bia", &raw));
    ErrorPtr error(raw);
    EXPECT_EQ(pack, nullptr);
    ASSERT_NE(error, nullptr);
    EXPECT_EQ(bia_error_status(error.get()), BIA_ERROR_PACK);
    EXPECT_NE(std::string(bia_error_message(error.get())).find("/nonexistent/bia/pack.bia"),
              std::string::npos)
        << bia_error_message(error.get());
}

TEST(CApiPack, NullPathIsAnArgumentError) {
    bia_error* raw = nullptr;
    EXPECT_EQ(bia_pack_load(nullptr, &raw), nullptr);
    ErrorPtr error(raw);
    ASSERT_NE(error, nullptr);
    EXPECT_EQ(bia_error_status(error.get()), BIA_ERROR_ARGUMENT);
}

TEST(CApiPack, NonUtf8PathStillGivesAReadableError) {
    bia_error* raw = nullptr;
    EXPECT_EQ(bia_pack_load("/nonexistent/\xff\xfe.bia", &raw), nullptr);
    ErrorPtr error(raw);
    ASSERT_NE(error, nullptr);
    EXPECT_EQ(bia_error_status(error.get()), BIA_ERROR_PACK);
    json items;
    EXPECT_NO_THROW(items = json::parse(bia_error_json(error.get())));
    EXPECT_EQ(items.size(), bia_error_count(error.get()));
}

// ---- Evaluation --------------------------------------------------------------

TEST(CApiEvaluate, ReturnsTheResultContract) {
    auto pack = compile_ok();
    const auto options = options_as_of("2026-03-10");
    auto e = evaluate(pack.get(), kCase, &options);
    ASSERT_EQ(e.status, BIA_OK) << (e.error ? bia_error_message(e.error.get()) : "");
    EXPECT_EQ(e.error, nullptr);
    ASSERT_NE(e.result, nullptr);
    const std::string text = e.result.get();
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');
    const json result = json::parse(text);
    EXPECT_EQ(result["engine"], bia_version());
    EXPECT_EQ(result["pack"]["name"], "capi");
    EXPECT_EQ(result["pack"]["version"], "1.2.3");
    EXPECT_EQ(result["pack"]["digest"], bia_pack_digest(pack.get()));
    EXPECT_EQ(result["as_of"], "2026-03-10");
    EXPECT_EQ(result["level"], "high");
    EXPECT_EQ(result["score"], 40);
    ASSERT_EQ(result["fired"].size(), 2u);
    EXPECT_EQ(result["fired"][0]["rule"], "no_guardian");
    EXPECT_EQ(result["fired"][0]["actions"][0]["due"], "2026-03-02");
    EXPECT_EQ(result["fired"][0]["actions"][0]["overdue"], true);
}

TEST(CApiEvaluate, NullOptionsMeanDefaults) {
    auto pack = compile_ok();
    auto e = evaluate(pack.get(), kCase, nullptr);
    ASSERT_EQ(e.status, BIA_OK);
    const json result = json::parse(e.result.get());
    EXPECT_TRUE(result["as_of"].is_string());
}

TEST(CApiEvaluate, SameInputSameBytes) {
    auto pack = compile_ok();
    const auto options = options_as_of("2026-03-10");
    auto a = evaluate(pack.get(), kCase, &options);
    auto b = evaluate(pack.get(), kCase, &options);
    ASSERT_EQ(a.status, BIA_OK);
    ASSERT_EQ(b.status, BIA_OK);
    EXPECT_STREQ(a.result.get(), b.result.get());
}

TEST(CApiEvaluate, RespectsLengthAndNulTermination) {
    auto pack = compile_ok();
    const auto options = options_as_of("2026-03-10");
    const std::string padded = std::string(kCase) + "garbage that is not JSON";
    char* a = nullptr;
    char* b = nullptr;
    ASSERT_EQ(bia_evaluate(pack.get(), padded.data(), std::strlen(kCase), &options, &a, nullptr),
              BIA_OK);
    ASSERT_EQ(bia_evaluate(pack.get(), kCase, BIA_NUL_TERMINATED, &options, &b, nullptr), BIA_OK);
    StringPtr owned_a(a), owned_b(b);
    EXPECT_STREQ(a, b);
}

TEST(CApiEvaluate, UnknownFactsAreUndeterminedNotErrors) {
    auto pack = compile_ok();
    const auto options = options_as_of("2026-03-10");
    auto e = evaluate(pack.get(), "{}", &options);
    ASSERT_EQ(e.status, BIA_OK);
    const json result = json::parse(e.result.get());
    EXPECT_EQ(result["fired"].size(), 0u);
    EXPECT_EQ(result["undetermined"].size(), 2u);
    EXPECT_FALSE(result["missing"].empty());
}

TEST(CApiEvaluate, FactErrorsNamePathsNeverValues) {
    auto pack = compile_ok();
    const auto options = options_as_of("2026-03-10");
    const std::string bad = std::string(R"({"child": {"unaccompanied": ")") + kSecret +
                            R"(", "gender": ")" + kSecret + R"("}})";
    auto e = evaluate(pack.get(), bad, &options);
    ASSERT_EQ(e.status, BIA_ERROR_FACTS);
    EXPECT_EQ(e.result, nullptr);
    ASSERT_NE(e.error, nullptr);
    EXPECT_EQ(bia_error_status(e.error.get()), BIA_ERROR_FACTS);
    ASSERT_EQ(bia_error_count(e.error.get()), 2u);
    std::vector<std::string> paths;
    for (std::size_t i = 0; i < 2; ++i) {
        paths.emplace_back(bia_error_path_at(e.error.get(), i));
        EXPECT_EQ(bia_error_line_at(e.error.get(), i), 0u);
        EXPECT_EQ(bia_error_column_at(e.error.get(), i), 0u);
    }
    std::sort(paths.begin(), paths.end());
    EXPECT_EQ(paths, (std::vector<std::string>{"child.gender", "child.unaccompanied"}));
    expect_no_secret(e.error.get());
}

// A result over max_result_bytes (a 1 MB source title cited by 400 fired
// rules would be 400 MB) is the case's fact error at `$`, not a result.
TEST(CApiEvaluate, AResultOverTheLimitIsAFactError) {
    std::string source = "pack p version \"1.0.0\" \"t\"\nlevel low\nfact x : bool\nsource big \"" +
                         std::string(1'000'000, 't') + "\"\n";
    for (int k = 1; k <= 400; ++k) source += "rule r" + std::to_string(k) + " \"t\" when x cites big\n";
    auto pack = compile_ok(source.c_str());
    const auto options = options_as_of("2026-03-10");
    auto e = evaluate(pack.get(), R"({"x": true})", &options);
    ASSERT_EQ(e.status, BIA_ERROR_FACTS);
    EXPECT_EQ(e.result, nullptr);
    ASSERT_EQ(bia_error_count(e.error.get()), 1u);
    EXPECT_STREQ(bia_error_path_at(e.error.get(), 0), "$");
    EXPECT_NE(std::strstr(bia_error_message_at(e.error.get(), 0), "(max_result_bytes)"), nullptr);
    EXPECT_EQ(evaluate(pack.get(), R"({"x": false})", &options).status, BIA_OK);
}

TEST(CApiEvaluate, MalformedJsonIsAFactErrorWithoutTheText) {
    auto pack = compile_ok();
    const auto options = options_as_of("2026-03-10");
    for (std::string bad : {std::string(R"({"child": {"name": ")") + kSecret,
                            std::string(R"({"child": )") + kSecret + "}",
                            std::string("[1, 2, 3]"), std::string(""),
                            std::string("{\"child\": {\"unaccompanied\": \"\xff\xfe\"}}")}) {
        auto e = evaluate(pack.get(), bad, &options);
        EXPECT_EQ(e.status, BIA_ERROR_FACTS) << bad;
        EXPECT_EQ(e.result, nullptr);
        expect_no_secret(e.error.get());
    }
}

TEST(CApiEvaluate, HostileNestingIsAnErrorNotACrash) {
    auto pack = compile_ok();
    const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
    auto e = evaluate(pack.get(), deep, nullptr);
    EXPECT_EQ(e.status, BIA_ERROR_FACTS);
    ASSERT_NE(e.error, nullptr);
}

TEST(CApiEvaluate, StrictModeTurnsWarningsIntoErrors) {
    auto pack = compile_ok();
    const std::string c = std::string(R"({"child": {"unaccompanied": false, "nickname": ")") +
                          kSecret + R"("}})";
    auto lenient = options_as_of("2026-03-10");
    auto e = evaluate(pack.get(), c, &lenient);
    ASSERT_EQ(e.status, BIA_OK);
    const json result = json::parse(e.result.get());
    ASSERT_EQ(result["warnings"].size(), 1u);
    EXPECT_EQ(result["warnings"][0]["path"], "child.nickname");
    EXPECT_EQ(std::string(e.result.get()).find(kSecret), std::string::npos);

    auto strict = lenient;
    strict.strict = 1;
    auto s = evaluate(pack.get(), c, &strict);
    ASSERT_EQ(s.status, BIA_ERROR_FACTS);
    ASSERT_EQ(bia_error_count(s.error.get()), 1u);
    EXPECT_STREQ(bia_error_path(s.error.get()), "child.nickname");
    expect_no_secret(s.error.get());
}

TEST(CApiEvaluate, TextAndHtmlFormats) {
    auto pack = compile_ok();
    auto options = options_as_of("2026-03-10");
    options.format = BIA_FORMAT_TEXT;
    auto text = evaluate(pack.get(), kCase, &options);
    ASSERT_EQ(text.status, BIA_OK);
    EXPECT_NE(std::string(text.result.get()).find("Unaccompanied child has no guardian"),
              std::string::npos);
    options.format = BIA_FORMAT_HTML;
    auto html = evaluate(pack.get(), kCase, &options);
    ASSERT_EQ(html.status, BIA_OK);
    EXPECT_NE(std::string(html.result.get()).find("<html"), std::string::npos);
    options.format = 3;
    auto bad = evaluate(pack.get(), kCase, &options);
    EXPECT_EQ(bad.status, BIA_ERROR_ARGUMENT);
    EXPECT_EQ(bad.result, nullptr);
}

TEST(CApiEvaluate, BadAsOfIsAnArgumentError) {
    auto pack = compile_ok();
    for (const char* as_of : {"2026-02-30", "10/03/2026", "", "2026-3-1", "today"}) {
        const auto options = options_as_of(as_of);
        auto e = evaluate(pack.get(), kCase, &options);
        EXPECT_EQ(e.status, BIA_ERROR_ARGUMENT) << as_of;
        EXPECT_EQ(e.result, nullptr);
        ASSERT_NE(e.error, nullptr);
        EXPECT_EQ(bia_error_status(e.error.get()), BIA_ERROR_ARGUMENT);
    }
}

TEST(CApiEvaluate, OptionsStructSizeIsChecked) {
    auto pack = compile_ok();
    auto small = options_as_of("2026-03-10");
    small.struct_size = sizeof(size_t);
    EXPECT_EQ(evaluate(pack.get(), kCase, &small).status, BIA_ERROR_ARGUMENT);

    // A host built against a later header: unknown fields left zero are fine,
    // but a set one the library cannot honour is refused.
    struct Later {
        bia_eval_options base;
        int future_option;
    } later{};
    later.base = options_as_of("2026-03-10");
    later.base.struct_size = sizeof(Later);
    EXPECT_EQ(evaluate(pack.get(), kCase, &later.base).status, BIA_OK);
    later.future_option = 1;
    auto refused = evaluate(pack.get(), kCase, &later.base);
    EXPECT_EQ(refused.status, BIA_ERROR_ARGUMENT);
    ASSERT_NE(refused.error, nullptr);
    EXPECT_NE(std::strstr(bia_error_message(refused.error.get()), "does not know"), nullptr);
}

// The options at the very end of a mapped page with a struct_size far past it: reading
// struct_size bytes crashed (SIGSEGV, issue 16 item 6); a size over 256 bytes, more than any
// version of the struct may have, is now refused before any byte past the struct is read.
TEST(CApiEvaluate, AHugeStructSizeAtAPageEndIsRefusedWithoutReadingPastIt) {
    auto pack = compile_ok();
    const long page = sysconf(_SC_PAGESIZE);
    void* map = mmap(nullptr, static_cast<std::size_t>(page) * 2, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(map, MAP_FAILED);
    char* second = static_cast<char*>(map) + page;
    ASSERT_EQ(mprotect(second, static_cast<std::size_t>(page), PROT_NONE), 0);
    auto* at_end = reinterpret_cast<bia_eval_options*>(second - sizeof(bia_eval_options));
    *at_end = options_as_of("2026-03-10");
    for (std::size_t size : {std::size_t(257), sizeof(bia_eval_options) + 4096, std::size_t(1) << 40}) {
        at_end->struct_size = size;
        auto r = evaluate(pack.get(), kCase, at_end);
        EXPECT_EQ(r.status, BIA_ERROR_ARGUMENT) << size;
        ASSERT_NE(r.error, nullptr);
        EXPECT_NE(std::strstr(bia_error_message(r.error.get()), "more than any version"), nullptr);
    }
    at_end->struct_size = sizeof(bia_eval_options);  // the exact size still works there
    EXPECT_EQ(evaluate(pack.get(), kCase, at_end).status, BIA_OK);
    munmap(map, static_cast<std::size_t>(page) * 2);
}

TEST(CApiEvaluate, OptionsOfTheFirstHeaderStillWork) {
    // A host built against the header that ended at `format` passes that size: near misses are
    // then refused and there is no id field, the defaults.
    auto pack = compile_ok();
    auto old = options_as_of("2026-03-10");
    old.struct_size = offsetof(bia_eval_options, accept_near_misses);
    EXPECT_EQ(evaluate(pack.get(), kCase, &old).status, BIA_OK);
    EXPECT_EQ(evaluate(pack.get(), R"({"child": {"unacompanied": true}})", &old).status, BIA_ERROR_FACTS);
}

TEST(CApiEvaluate, NearMissesAndCaseIds) {
    auto pack = compile_ok();
    auto options = options_as_of("2026-03-10");
    const std::string typo = R"({"case_ref": "C-1", "child": {"unacompanied": true}})";
    auto refused = evaluate(pack.get(), typo, &options);
    ASSERT_EQ(refused.status, BIA_ERROR_FACTS);
    EXPECT_NE(std::strstr(bia_error_message(refused.error.get()), "did you mean 'child.unaccompanied'?"), nullptr);
    options.accept_near_misses = 1;
    options.id_field = "case_ref";
    auto accepted = evaluate(pack.get(), typo, &options);
    ASSERT_EQ(accepted.status, BIA_OK);
    const auto j = nlohmann::json::parse(accepted.result.get());
    EXPECT_EQ(j["id"], "C-1");
    ASSERT_EQ(j["warnings"].size(), 1u);  // the id field is not one of them
    EXPECT_EQ(j["warnings"][0]["suggestion"], "child.unaccompanied");
    options.id_field = "child.unaccompanied";
    auto bad_id = evaluate(pack.get(), typo, &options);
    EXPECT_EQ(bad_id.status, BIA_ERROR_ARGUMENT);
    EXPECT_EQ(bad_id.result, nullptr);
}

TEST(CApiEvaluate, NullArgumentsAreArgumentErrors) {
    auto pack = compile_ok();
    char* result = reinterpret_cast<char*>(1);
    bia_error* raw = nullptr;
    EXPECT_EQ(bia_evaluate(nullptr, kCase, BIA_NUL_TERMINATED, nullptr, &result, &raw),
              BIA_ERROR_ARGUMENT);
    EXPECT_EQ(result, nullptr);
    ErrorPtr e1(raw);
    ASSERT_NE(e1, nullptr);
    EXPECT_EQ(bia_error_status(e1.get()), BIA_ERROR_ARGUMENT);

    EXPECT_EQ(bia_evaluate(pack.get(), kCase, BIA_NUL_TERMINATED, nullptr, nullptr, nullptr),
              BIA_ERROR_ARGUMENT);
    EXPECT_EQ(bia_evaluate(pack.get(), nullptr, 3, nullptr, &result, nullptr), BIA_ERROR_ARGUMENT);
    EXPECT_EQ(result, nullptr);
}

TEST(CApiEvaluate, ManyThreadsShareOnePack) {
    auto pack = compile_ok();
    const auto options = options_as_of("2026-03-10");
    auto reference = evaluate(pack.get(), kCase, &options);
    ASSERT_EQ(reference.status, BIA_OK);
    const std::string expected = reference.result.get();

    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 100; ++i) {
                char* result = nullptr;
                bia_error* error = nullptr;
                if (bia_evaluate(pack.get(), kCase, BIA_NUL_TERMINATED, &options, &result, &error) !=
                        BIA_OK ||
                    expected != result) {
                    ++mismatches;
                }
                bia_free(result);
                bia_error_free(error);
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(mismatches.load(), 0);
}

// ---- Errors ------------------------------------------------------------------

TEST(CApiError, AccessorsAcceptNullAndOutOfRange) {
    EXPECT_EQ(bia_error_status(nullptr), BIA_OK);
    EXPECT_EQ(bia_error_message(nullptr), nullptr);
    EXPECT_EQ(bia_error_path(nullptr), nullptr);
    EXPECT_EQ(bia_error_line(nullptr), 0u);
    EXPECT_EQ(bia_error_column(nullptr), 0u);
    EXPECT_EQ(bia_error_count(nullptr), 0u);
    EXPECT_EQ(bia_error_json(nullptr), nullptr);

    bia_error* raw = nullptr;
    bia_pack_load(nullptr, &raw);
    ErrorPtr error(raw);
    ASSERT_NE(error, nullptr);
    EXPECT_EQ(bia_error_count(error.get()), 1u);
    EXPECT_EQ(bia_error_message_at(error.get(), 1), nullptr);
    EXPECT_EQ(bia_error_path_at(error.get(), 1), nullptr);
    EXPECT_EQ(bia_error_code_at(error.get(), 1), nullptr);
    EXPECT_EQ(bia_error_line_at(error.get(), 1), 0u);
    EXPECT_EQ(bia_error_column_at(error.get(), 99), 0u);
}

TEST(CApiError, ErrorsMayMoveBetweenThreads) {
    bia_error* raw = nullptr;
    bia_pack_load(nullptr, &raw);
    std::string message;
    std::thread([&] {
        message = bia_error_message(raw);
        bia_error_free(raw);
    }).join();
    EXPECT_FALSE(message.empty());
}

// Memory runs out at every point of compiling a pack in turn: each call must
// return (never throw, never abort) with a usable error.
TEST(CApiError, OutOfMemoryWhileCompilingNeverEscapes) {
    bool saw_memory_error = false;
    for (long n = 0; n < 1000000; ++n) {
        bia_error* error = nullptr;
        allocations_until_failure.store(n);
        bia_pack* pack = bia_pack_compile(kPack, BIA_NUL_TERMINATED, "oom.bia", &error);
        const bool failure_reached = allocations_until_failure.load() == 0;
        allocations_until_failure.store(-1);
        if (pack == nullptr) {
            ASSERT_NE(error, nullptr) << "allocation " << n;
            ASSERT_NE(bia_error_message(error), nullptr);
            if (bia_error_status(error) == BIA_ERROR_MEMORY) {
                saw_memory_error = true;
                EXPECT_STREQ(bia_error_message(error), "out of memory");
                EXPECT_EQ(bia_error_count(error), 1u);
            }
        } else {
            EXPECT_EQ(error, nullptr);
        }
        bia_pack_free(pack);
        bia_error_free(error);
        if (pack != nullptr && !failure_reached) break;  // the call no longer reaches the failure
    }
    EXPECT_TRUE(saw_memory_error);
}

// A case too big for the memory left. (Failing every allocation of an
// evaluation in turn would also hit nlohmann::json's destructors, which
// allocate and cannot throw, so here only large allocations fail.) The 4 MiB
// string begins with an escape, so the full binder reads it (and so copies
// it); the fast binder would skip an undeclared plain string without a copy.
TEST(CApiError, OutOfMemoryWhileEvaluatingNeverEscapes) {
    auto pack = compile_ok();
    const auto options = options_as_of("2026-03-10");
    const std::string big = R"({"child": {"unaccompanied": true, "name": "
)" + std::string(4u << 20, 'x') +
                            R"("}})";
    char* result = nullptr;
    bia_error* error = nullptr;
    failing_size.store(1u << 20);
    const bia_status status =
        bia_evaluate(pack.get(), big.data(), big.size(), &options, &result, &error);
    failing_size.store(0);
    ErrorPtr owned(error);
    StringPtr owned_result(result);
    ASSERT_NE(status, BIA_OK);
    EXPECT_EQ(result, nullptr);
    ASSERT_NE(error, nullptr);
    EXPECT_EQ(bia_error_status(error), status);
    if (status == BIA_ERROR_MEMORY) {
        EXPECT_STREQ(bia_error_message(error), "out of memory");
    }
    expect_no_secret(error);
}

}  // namespace

// ---- `one of` members past the 64th --------------------------------------------

TEST(CApiEvaluate, OneOfMembersPastTheMaskGiveWhatTheEngineGives) {
    // A `one of` of 70 members tested against a literal set of low members: the
    // C API gives the level the rule's meaning gives, for members 0, 63, 64 and 65.
    std::string members;
    for (int i = 0; i < 70; ++i) members += std::string(i ? ", " : "") + "\"m" + std::to_string(i) + "\"";
    const std::string source = "pack t version \"1.0.0\" \"T\"\nlevel low\nlevel high at 1\nfact k : one of {" + members +
                               "}\nrule r \"R\" severity high when k in {\"m0\", \"m1\"}\n";
    PackPtr pack = compile_ok(source.c_str());
    const bia_eval_options options = options_as_of("2026-03-10");
    for (const int k : {0, 1, 63, 64, 65, 69}) {
        SCOPED_TRACE("member m" + std::to_string(k));
        const Evaluated e = evaluate(pack.get(), R"({"k": "m)" + std::to_string(k) + R"("})", &options);
        ASSERT_EQ(e.status, BIA_OK);
        const auto result = nlohmann::json::parse(e.result.get());
        EXPECT_EQ(result["level"], k <= 1 ? "high" : "low");
        EXPECT_EQ(result["fired"].size(), k <= 1 ? 1u : 0u);
    }
}

// Language 2's lists through the C API: the result names an element's field by its path, and a bad
// element is a fact error at its path, without the value.
TEST(CApiEvaluate, ListsNameElementPaths) {
    const char* source = "language 2\npack lists version \"1.0.0\" \"Lists\"\nlevel low\nlevel high at 10\n"
                         "record member \"M\"\n  relation : one of {\"mother\", \"sibling\"}\n  located : bool\n"
                         "fact family.members : list of member up to 3\n"
                         "rule r \"R\" score 10 when any m in family.members: m.relation = \"sibling\" and not m.located\n";
    PackPtr pack(bia_pack_compile(source, BIA_NUL_TERMINATED, "lists.bia", nullptr));
    ASSERT_NE(pack, nullptr);
    const auto options = options_as_of("2026-03-01");
    const Evaluated open = evaluate(pack.get(), R"({"family": {"members": [{"relation": "sibling"}]}})", &options);
    ASSERT_EQ(open.status, BIA_OK);
    const auto result = nlohmann::json::parse(open.result.get());
    EXPECT_EQ(result["missing"], nlohmann::json::array({"family.members[0].located"}));
    const Evaluated bad = evaluate(pack.get(), R"({"family": {"members": [{"relation": "Amira"}]}})", &options);
    ASSERT_EQ(bad.status, BIA_ERROR_FACTS);
    ASSERT_EQ(bia_error_count(bad.error.get()), 1u);
    EXPECT_STREQ(bia_error_path_at(bad.error.get(), 0), "family.members[0].relation");
    EXPECT_EQ(std::strstr(bia_error_json(bad.error.get()), "Amira"), nullptr);
}
