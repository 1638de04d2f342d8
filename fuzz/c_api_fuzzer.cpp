// libFuzzer target 3: the C API (bia.h). The first input byte picks the options (format, strict,
// as-of, pack or case); the rest is a case for the PROTECT pack, or a pack's source text.
#include <bia.h>

#include <bia/bia.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#ifndef BIA_FUZZ_PACK
#define BIA_FUZZ_PACK "rules/protect"
#endif

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "bia C API fuzz invariant violated: %s\n", what);
    std::abort();
}

void require(bool ok, const char* what) {
    if (!ok) fail(what);
}

const bia_pack* protect() {
    static const bia_pack* pack = [] {
        const char* path = std::getenv("BIA_FUZZ_PACK");
        bia_error* error = nullptr;
        bia_pack* p = bia_pack_load(path ? path : BIA_FUZZ_PACK, &error);
        if (p == nullptr) {
            std::fprintf(stderr, "%s\n", bia_error_message(error));
            std::abort();
        }
        return p;
    }();
    return pack;
}

// The same pack through the C++ API, to compare the C API's JSON with.
const bia::Pack& protect_cpp() {
    static const bia::Pack pack = *bia::load(std::getenv("BIA_FUZZ_PACK") ? std::getenv("BIA_FUZZ_PACK") : BIA_FUZZ_PACK).pack;
    return pack;
}

// Every accessor of an error must be callable, in and out of range, and agree on the count.
void exercise(const bia_error* error, bia_status status) {
    require(error != nullptr, "a failed call with an error out-parameter fills it");
    require(bia_error_status(error) == status, "the error carries the call's status");
    const std::size_t n = bia_error_count(error);
    require(n >= 1, "an error has at least one item");
    require(bia_error_message(error) != nullptr && bia_error_json(error) != nullptr, "message and JSON exist");
    require(std::strlen(bia_error_json(error)) >= 2, "the JSON is an array");
    (void)bia_error_path(error);
    (void)bia_error_line(error);
    (void)bia_error_column(error);
    for (std::size_t i = 0; i <= n; ++i) {
        const bool in = i < n;
        require((bia_error_code_at(error, i) != nullptr) == in, "code_at is NULL exactly out of range");
        require((bia_error_message_at(error, i) != nullptr) == in, "message_at is NULL exactly out of range");
        require((bia_error_path_at(error, i) != nullptr) == in, "path_at is NULL exactly out of range");
        (void)bia_error_line_at(error, i);
        (void)bia_error_column_at(error, i);
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    (void)protect();
    (void)protect_cpp();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t control = data[0];
    const char* body = reinterpret_cast<const char*>(data + 1);
    const std::size_t length = size - 1;

    bia_eval_options options = BIA_EVAL_OPTIONS_INIT;
    options.format = control % 3;
    options.strict = (control >> 2) & 1;
    static const char* dates[] = {"2026-03-01", "0001-01-01", "9999-12-31", "2026-02-30"};
    options.as_of = (control >> 3) & 1 ? dates[(control >> 4) & 3] : "2026-03-01";

    const bia_pack* pack = protect();
    bia_pack* own = nullptr;
    if (control >> 6 == 3) {
        // A pack's source instead of a case: compile it, and evaluate an empty case if it compiles.
        bia_error* error = nullptr;
        own = bia_pack_compile(body, length, "fuzz.bia", &error);
        if (own == nullptr) {
            exercise(error, BIA_ERROR_PACK);
            bia_error_free(error);
            return 0;
        }
        require(error == nullptr, "success clears the error");
        require(bia_pack_name(own) && bia_pack_version(own) && bia_pack_title(own) && bia_pack_digest(own),
                "a pack has a name, version, title and digest");
        pack = own;
        body = "{}";
    }

    char* result = nullptr;
    bia_error* error = nullptr;
    const bia_status status = bia_evaluate(pack, body, own ? 2 : length, &options, &result, &error);
    if (status == BIA_OK) {
        require(result != nullptr && error == nullptr, "success gives a result and no error");
        require(std::strlen(result) > 0, "a result is not empty");
        if (own == nullptr && options.format == BIA_FORMAT_JSON) {
            bia::EvalOptions cpp;
            cpp.as_of = bia::Date::parse(options.as_of);
            cpp.strict = options.strict != 0;
            const auto e = protect_cpp().evaluate(std::string_view(body, length), cpp);
            require(e.ok() && bia::render_json(*e.result) == result, "the C API's JSON is the C++ API's");
        }
    } else {
        require(result == nullptr, "failure gives no result");
        require(status == BIA_ERROR_FACTS || status == BIA_ERROR_ARGUMENT, "a case fails with a fact or argument error");
        if (status == BIA_ERROR_ARGUMENT) {
            require(std::strcmp(options.as_of, "2026-02-30") == 0, "only the impossible as-of is an argument error");
        }
        exercise(error, status);
    }
    bia_free(result);
    bia_error_free(error);

    // Without an error out-parameter the status must be the same.
    char* again = nullptr;
    require(bia_evaluate(pack, body, own ? 2 : length, &options, &again, nullptr) == status,
            "the status does not depend on asking for the error");
    bia_free(again);
    bia_pack_free(own);
    return 0;
}
