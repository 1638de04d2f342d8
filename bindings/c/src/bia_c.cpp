// The C API (bia.h) over the public C++ API: every entry point catches everything.
#include <bia.h>

#include <bia/bia.hpp>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct bia_pack {
    bia::Pack pack;
};

struct bia_error {
    struct Item {
        std::string code;
        std::string path;
        unsigned line = 0;
        unsigned column = 0;
        std::string message;
    };

    bia_status status = BIA_ERROR_INTERNAL;
    std::vector<Item> items;
    std::string message;
    std::string json;
};

namespace {

// Handed out when memory runs out, so reporting that needs no allocation.
// Built when the library is loaded; bia_error_free() never deletes it.
bia_error make_out_of_memory_error() {
    bia_error e;
    e.status = BIA_ERROR_MEMORY;
    e.items.push_back({"", "", 0, 0, "out of memory"});
    e.message = "out of memory";
    e.json = R"([{"code":"","path":"","line":0,"column":0,"message":"out of memory"}])";
    return e;
}
bia_error out_of_memory_error = make_out_of_memory_error();

std::string trim_trailing_newlines(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

// Fills in the derived fields and hands the error to the caller. May throw
// std::bad_alloc; callers run inside guard(), which then reports that instead.
void report(bia_error** out, bia_status status, std::vector<bia_error::Item> items,
            std::string message) {
    if (out == nullptr) return;
    auto e = std::make_unique<bia_error>();
    e->status = status;
    e->items = std::move(items);
    e->message = std::move(message);
    std::string& json = e->json;
    json += '[';
    for (const auto& item : e->items) {
        if (json.size() > 1) json += ',';
        json += "{\"code\":";
        bia::append_json_string(json, item.code);
        json += ",\"path\":";
        bia::append_json_string(json, item.path);
        json += ",\"line\":" + std::to_string(item.line);
        json += ",\"column\":" + std::to_string(item.column);
        json += ",\"message\":";
        bia::append_json_string(json, item.message);
        json += '}';
    }
    json += ']';
    *out = e.release();
}

void report_simple(bia_error** out, bia_status status, std::string message) {
    std::vector<bia_error::Item> items;
    items.push_back({"", "", 0, 0, message});
    report(out, status, std::move(items), std::move(message));
}

void report_diagnostics(bia_error** out, const std::vector<bia::Diagnostic>& diagnostics) {
    if (diagnostics.empty()) {
        // A pack refused without a diagnostic would be an engine bug; still say something.
        report_simple(out, BIA_ERROR_PACK, "the pack could not be compiled");
        return;
    }
    std::vector<bia_error::Item> items;
    items.reserve(diagnostics.size());
    for (const auto& d : diagnostics) {
        items.push_back({d.code, d.path, d.line, d.column, d.message});
    }
    report(out, BIA_ERROR_PACK, std::move(items),
           trim_trailing_newlines(bia::format_diagnostics(diagnostics)));
}

void report_fact_errors(bia_error** out, const std::vector<bia::FactError>& errors) {
    if (errors.empty()) {
        report_simple(out, BIA_ERROR_FACTS, "the case could not be evaluated");
        return;
    }
    std::vector<bia_error::Item> items;
    items.reserve(errors.size());
    std::string message;
    for (const auto& f : errors) {
        items.push_back({"", f.path, 0, 0, f.message});
        if (!message.empty()) message += '\n';
        message += f.path;
        message += ": ";
        message += f.message;
    }
    report(out, BIA_ERROR_FACTS, std::move(items), std::move(message));
}

// Runs `body` so that nothing escapes: std::bad_alloc becomes BIA_ERROR_MEMORY,
// anything else BIA_ERROR_INTERNAL. `what_is_safe` says whether an exception's
// text may be shown: never while a case is being read, since it might quote it.
template <class Body>
bia_status guard(bia_error** error, bool what_is_safe, const char* context, Body&& body) noexcept {
    if (error != nullptr) *error = nullptr;
    // An error reported before the exception is replaced by one about the exception.
    auto drop_reported = [error] {
        if (error != nullptr && *error != &out_of_memory_error) delete *error;
        if (error != nullptr) *error = nullptr;
    };
    try {
        return body();
    } catch (const std::bad_alloc&) {
        drop_reported();
        if (error != nullptr) *error = &out_of_memory_error;
        return BIA_ERROR_MEMORY;
    } catch (const std::exception& e) {
        drop_reported();
        try {
            std::string message = "internal error ";
            message += context;
            if (what_is_safe) {
                message += ": ";
                message += e.what();
            }
            report_simple(error, BIA_ERROR_INTERNAL, std::move(message));
        } catch (...) {
            if (error != nullptr) *error = &out_of_memory_error;
        }
        return BIA_ERROR_INTERNAL;
    } catch (...) {
        drop_reported();
        try {
            report_simple(error, BIA_ERROR_INTERNAL, std::string("internal error ") + context);
        } catch (...) {
            if (error != nullptr) *error = &out_of_memory_error;
        }
        return BIA_ERROR_INTERNAL;
    }
}

std::string_view text_of(const char* data, std::size_t length) {
    if (data == nullptr) return {};
    if (length == BIA_NUL_TERMINATED) return std::string_view(data);
    return std::string_view(data, length);
}

bia_pack* finish_compile(bia::CompileResult&& compiled, bia_error** error) {
    if (!compiled.ok()) {
        report_diagnostics(error, compiled.diagnostics);
        return nullptr;
    }
    return new bia_pack{std::move(*compiled.pack)};
}

// Copies `text` into memory the caller releases with bia_free().
char* to_c_string(const std::string& text) {
    auto* copy = static_cast<char*>(std::malloc(text.size() + 1));
    if (copy == nullptr) throw std::bad_alloc();
    std::memcpy(copy, text.data(), text.size());
    copy[text.size()] = '\0';
    return copy;
}

// Reads the options a host built against this header or an older or later 1.x
// one may pass. Bytes past what this library knows must be zero: an option it
// cannot honour must not be silently ignored. They are read only up to
// max_options_size: struct_size is the host's word that it owns those bytes,
// and an unbounded one (garbage, or a size meant for another struct) ran off
// the end of a mapped page (SIGSEGV).
constexpr std::size_t max_options_size = 256;
static_assert(sizeof(bia_eval_options) <= max_options_size);

bool read_options(const bia_eval_options* options, bia::EvalOptions& out, int& format,
                  bia_error** error) {
    format = BIA_FORMAT_JSON;
    if (options == nullptr) return true;
    // The first 1.0 header's struct ended with `format`: such hosts get the later fields' defaults.
    constexpr std::size_t first_size = offsetof(bia_eval_options, accept_near_misses);
    if (options->struct_size < first_size) {
        report_simple(error, BIA_ERROR_ARGUMENT,
                      "bia_eval_options.struct_size is smaller than any known version of the "
                      "struct; initialise options with BIA_EVAL_OPTIONS_INIT");
        return false;
    }
    if (options->struct_size > max_options_size) {
        report_simple(error, BIA_ERROR_ARGUMENT,
                      "bia_eval_options.struct_size is " + std::to_string(options->struct_size) +
                          " bytes, more than any version of the struct may have (" +
                          std::to_string(max_options_size) + "); initialise options with BIA_EVAL_OPTIONS_INIT");
        return false;
    }
    if (options->struct_size > sizeof(bia_eval_options)) {
        const auto* bytes = reinterpret_cast<const unsigned char*>(options);
        for (std::size_t i = sizeof(bia_eval_options); i < options->struct_size; ++i) {
            if (bytes[i] != 0) {
                report_simple(error, BIA_ERROR_ARGUMENT,
                              "bia_eval_options sets an option this version of bia does not "
                              "know; link a newer bia");
                return false;
            }
        }
    }
    if (options->as_of != nullptr) {
        auto date = bia::Date::parse(options->as_of);
        if (!date) {
            report_simple(error, BIA_ERROR_ARGUMENT,
                          "bia_eval_options.as_of must be a calendar date written YYYY-MM-DD");
            return false;
        }
        out.as_of = *date;
    }
    out.strict = options->strict != 0;
    if (options->struct_size >= offsetof(bia_eval_options, id_field) + sizeof(const char*)) {
        out.accept_near_misses = options->accept_near_misses != 0;
        if (options->id_field != nullptr) out.id_field = options->id_field;
    }
    if (options->format != BIA_FORMAT_JSON && options->format != BIA_FORMAT_TEXT &&
        options->format != BIA_FORMAT_HTML) {
        report_simple(error, BIA_ERROR_ARGUMENT, "bia_eval_options.format is not a bia_format");
        return false;
    }
    format = options->format;
    return true;
}

const bia_error::Item* item_at(const bia_error* error, std::size_t index) {
    if (error == nullptr || index >= error->items.size()) return nullptr;
    return &error->items[index];
}

// A string the library keeps, with its length when the host asks for it.
const char* with_length(const std::string* text, size_t* length) {
    if (length != nullptr) *length = text != nullptr ? text->size() : 0;
    return text != nullptr ? text->c_str() : nullptr;
}

// The limits a pack is compiled with: the defaults, with max_source_bytes when not 0.
bia::Limits limits_of(size_t max_source_bytes) {
    bia::Limits limits;
    if (max_source_bytes != 0) limits.max_source_bytes = max_source_bytes;
    return limits;
}

}  // namespace

extern "C" {

const char* bia_version(void) { return bia::version(); }

int bia_version_number(void) {
    return BIA_VERSION_MAJOR * 10000 + BIA_VERSION_MINOR * 100 + BIA_VERSION_PATCH;
}

const char* bia_language_version(void) { return BIA_LANGUAGE_VERSION; }

const char* bia_result_version(void) { return BIA_RESULT_VERSION; }

const char* bia_status_string(int status) {
    switch (status) {
        case BIA_OK: return "ok";
        case BIA_ERROR_PACK: return "pack error";
        case BIA_ERROR_FACTS: return "fact error";
        case BIA_ERROR_ARGUMENT: return "invalid argument";
        case BIA_ERROR_MEMORY: return "out of memory";
        case BIA_ERROR_INTERNAL: return "internal error";
        default: return "unknown status";
    }
}

void bia_free(void* memory) { std::free(memory); }

bia_pack* bia_pack_compile_limited(const char* source, size_t length, const char* name, size_t max_source_bytes,
                                   bia_error** error) {
    bia_pack* pack = nullptr;
    guard(error, true, "while compiling a pack", [&]() -> bia_status {
        if (source == nullptr && length != 0) {
            report_simple(error, BIA_ERROR_ARGUMENT,
                          "bia_pack_compile: source is NULL but length is not 0");
            return BIA_ERROR_ARGUMENT;
        }
        pack = finish_compile(
            bia::compile(text_of(source, length), name != nullptr ? name : "<string>", limits_of(max_source_bytes)),
            error);
        return pack != nullptr ? BIA_OK : BIA_ERROR_PACK;
    });
    return pack;
}

bia_pack* bia_pack_compile(const char* source, size_t length, const char* name, bia_error** error) {
    return bia_pack_compile_limited(source, length, name, 0, error);
}

bia_pack* bia_pack_load_limited(const char* path, size_t max_source_bytes, bia_error** error) {
    bia_pack* pack = nullptr;
    guard(error, true, "while loading a pack", [&]() -> bia_status {
        if (path == nullptr) {
            report_simple(error, BIA_ERROR_ARGUMENT, "bia_pack_load: path is NULL");
            return BIA_ERROR_ARGUMENT;
        }
        pack = finish_compile(bia::load(std::filesystem::path(path), limits_of(max_source_bytes)), error);
        return pack != nullptr ? BIA_OK : BIA_ERROR_PACK;
    });
    return pack;
}

bia_pack* bia_pack_load(const char* path, bia_error** error) { return bia_pack_load_limited(path, 0, error); }

void bia_pack_free(bia_pack* pack) { delete pack; }

const char* bia_pack_name(const bia_pack* pack) {
    return pack != nullptr ? pack->pack.name().c_str() : nullptr;
}

const char* bia_pack_version(const bia_pack* pack) {
    return pack != nullptr ? pack->pack.version().c_str() : nullptr;
}

const char* bia_pack_title(const bia_pack* pack) {
    return pack != nullptr ? pack->pack.title().c_str() : nullptr;
}

const char* bia_pack_digest(const bia_pack* pack) {
    return pack != nullptr ? pack->pack.digest().c_str() : nullptr;
}

const char* bia_pack_string(const bia_pack* pack, int field, size_t* length) {
    const std::string* text = nullptr;
    if (pack != nullptr) {
        switch (field) {
            case BIA_PACK_NAME: text = &pack->pack.name(); break;
            case BIA_PACK_VERSION: text = &pack->pack.version(); break;
            case BIA_PACK_TITLE: text = &pack->pack.title(); break;
            case BIA_PACK_DIGEST: text = &pack->pack.digest(); break;
            default: break;
        }
    }
    return with_length(text, length);
}

bia_status bia_evaluate(const bia_pack* pack, const char* case_json, size_t length,
                        const bia_eval_options* options, char** result, bia_error** error) {
    return bia_evaluate_n(pack, case_json, length, options, result, nullptr, error);
}

bia_status bia_evaluate_n(const bia_pack* pack, const char* case_json, size_t length,
                          const bia_eval_options* options, char** result, size_t* result_length,
                          bia_error** error) {
    if (result != nullptr) *result = nullptr;
    if (result_length != nullptr) *result_length = 0;
    return guard(error, false, "while evaluating a case", [&]() -> bia_status {
        if (pack == nullptr || result == nullptr || (case_json == nullptr && length != 0)) {
            report_simple(error, BIA_ERROR_ARGUMENT,
                          pack == nullptr     ? "bia_evaluate: pack is NULL"
                          : result == nullptr ? "bia_evaluate: result is NULL"
                                              : "bia_evaluate: case_json is NULL but length is not 0");
            return BIA_ERROR_ARGUMENT;
        }
        bia::EvalOptions eval_options;
        int format = BIA_FORMAT_JSON;
        if (!read_options(options, eval_options, format, error)) return BIA_ERROR_ARGUMENT;
        if (!eval_options.id_field.empty()) {
            if (const std::string problem = pack->pack.id_field_problem(eval_options.id_field); !problem.empty()) {
                report_simple(error, BIA_ERROR_ARGUMENT, "bia_eval_options.id_field: " + problem);
                return BIA_ERROR_ARGUMENT;
            }
        }

        bia::Evaluation evaluation = pack->pack.evaluate(text_of(case_json, length), eval_options);
        if (!evaluation.ok()) {
            report_fact_errors(error, evaluation.errors);
            return BIA_ERROR_FACTS;
        }
        std::string rendered;
        switch (format) {
            case BIA_FORMAT_TEXT: rendered = bia::render_text(*evaluation.result, pack->pack); break;
            case BIA_FORMAT_HTML: rendered = bia::render_html(*evaluation.result, pack->pack); break;
            default: rendered = bia::render_json(*evaluation.result); break;
        }
        *result = to_c_string(rendered);
        if (result_length != nullptr) *result_length = rendered.size();
        return BIA_OK;
    });
}

bia_status bia_error_status(const bia_error* error) {
    return error != nullptr ? error->status : BIA_OK;
}

const char* bia_error_message(const bia_error* error) {
    return error != nullptr ? error->message.c_str() : nullptr;
}

const char* bia_error_path(const bia_error* error) { return bia_error_path_at(error, 0); }

unsigned bia_error_line(const bia_error* error) { return bia_error_line_at(error, 0); }

unsigned bia_error_column(const bia_error* error) { return bia_error_column_at(error, 0); }

size_t bia_error_count(const bia_error* error) {
    return error != nullptr ? error->items.size() : 0;
}

const char* bia_error_code_at(const bia_error* error, size_t index) {
    const auto* item = item_at(error, index);
    return item != nullptr ? item->code.c_str() : nullptr;
}

const char* bia_error_message_at(const bia_error* error, size_t index) {
    const auto* item = item_at(error, index);
    return item != nullptr ? item->message.c_str() : nullptr;
}

const char* bia_error_path_at(const bia_error* error, size_t index) {
    const auto* item = item_at(error, index);
    return item != nullptr ? item->path.c_str() : nullptr;
}

unsigned bia_error_line_at(const bia_error* error, size_t index) {
    const auto* item = item_at(error, index);
    return item != nullptr ? item->line : 0;
}

unsigned bia_error_column_at(const bia_error* error, size_t index) {
    const auto* item = item_at(error, index);
    return item != nullptr ? item->column : 0;
}

const char* bia_error_json(const bia_error* error) {
    return error != nullptr ? error->json.c_str() : nullptr;
}

const char* bia_error_string(const bia_error* error, int field, size_t index, size_t* length) {
    const std::string* text = nullptr;
    const auto* item = item_at(error, index);
    if (error != nullptr) {
        switch (field) {
            case BIA_ERROR_FIELD_MESSAGE: text = &error->message; break;
            case BIA_ERROR_FIELD_JSON: text = &error->json; break;
            case BIA_ERROR_FIELD_ITEM_CODE: text = item != nullptr ? &item->code : nullptr; break;
            case BIA_ERROR_FIELD_ITEM_MESSAGE: text = item != nullptr ? &item->message : nullptr; break;
            case BIA_ERROR_FIELD_ITEM_PATH: text = item != nullptr ? &item->path : nullptr; break;
            default: break;
        }
    }
    return with_length(text, length);
}

void bia_error_free(bia_error* error) {
    if (error != &out_of_memory_error) delete error;
}

}  // extern "C"
