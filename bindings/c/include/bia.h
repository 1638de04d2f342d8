/* bia.h: the C API of bia, for C hosts and for any runtime with a C FFI (ctypes, JNA/Panama, P/Invoke, Ruby FFI). */
#ifndef BIA_H
#define BIA_H

/*
 * Conventions that hold for every function below (docs/embedding.md says more):
 *
 * - Nothing is thrown: no C++ exception ever crosses this API. Failures are
 *   reported by a status code (or a NULL return) and, when the caller asks
 *   for it, a bia_error object.
 * - Error out-parameters are optional: pass NULL for `error` when the status
 *   is enough. When `error` is not NULL, `*error` is set to NULL on success
 *   and to a new error object on failure, which the caller frees with
 *   bia_error_free().
 * - Ownership: strings returned through a `char**` out-parameter belong to
 *   the caller, who frees them with bia_free() (never free(): the library may
 *   use another allocator). Strings returned as `const char*` belong to the
 *   object they came from and stay valid until that object is freed.
 * - Threads: a bia_pack is immutable; any number of threads may evaluate
 *   cases against one pack at the same time, with no locking by the host.
 *   Only bia_pack_free() must not race with other uses of the same pack.
 *   A bia_error belongs to one thread at a time: it may be handed to another
 *   thread, but not used from two threads at once.
 * - Text is UTF-8. Lengths are in bytes. A length of BIA_NUL_TERMINATED means
 *   "the string ends at its first NUL byte".
 * - Case data are special-category personal data: no message produced by
 *   this API contains a value taken from a case.
 */

#include <stddef.h>

#if defined(_WIN32)
#  if defined(BIA_C_BUILDING)
#    define BIA_C_API __declspec(dllexport)
#  elif defined(BIA_C_STATIC)
#    define BIA_C_API
#  else
#    define BIA_C_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__)
#  define BIA_C_API __attribute__((visibility("default")))
#else
#  define BIA_C_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Pass as a length to say the string is NUL-terminated. */
#define BIA_NUL_TERMINATED ((size_t)-1)

/*
 * Status codes. The numbers are part of the ABI: they never change meaning
 * within a major version, and new codes may be added in minor versions.
 */
typedef enum bia_status {
    BIA_OK = 0,
    /* The pack could not be read, or its source has errors (see the error's items). */
    BIA_ERROR_PACK = 1,
    /* The case was rejected: malformed JSON, wrong types, or (strict mode)
     * undeclared fields. Each item names a field path, never its value. */
    BIA_ERROR_FACTS = 2,
    /* The call itself was wrong: a NULL where one is not allowed, a malformed
     * as_of date, an unknown format, a bad struct_size. */
    BIA_ERROR_ARGUMENT = 3,
    /* Memory ran out. */
    BIA_ERROR_MEMORY = 4,
    /* A bug in bia. The message never carries case data. */
    BIA_ERROR_INTERNAL = 5
} bia_status;

/* Output formats for bia_evaluate(). */
typedef enum bia_format {
    /* The result contract of docs/result.md: UTF-8 JSON, trailing newline. */
    BIA_FORMAT_JSON = 0,
    /* The readable report for people, as `bia run --format text` prints it. */
    BIA_FORMAT_TEXT = 1,
    /* One self-contained HTML page with the content of the text report. */
    BIA_FORMAT_HTML = 2
} bia_format;

/* A compiled, immutable rule pack. Opaque. */
typedef struct bia_pack bia_pack;

/* What went wrong in a failed call. Opaque. */
typedef struct bia_error bia_error;

/*
 * Options for bia_evaluate(). Initialise with BIA_EVAL_OPTIONS_INIT (or set
 * struct_size to sizeof(bia_eval_options) and the rest to zero) so that a
 * host built against this header keeps working with later 1.x libraries,
 * which may add fields at the end.
 */
typedef struct bia_eval_options {
    /* sizeof(bia_eval_options) as the host was compiled. Smaller sizes of
     * older headers (down to the first, which ended at `format`) are read up
     * to their size; bytes a later header added must be zero (a set option
     * this library cannot honour is refused with BIA_ERROR_ARGUMENT). A size
     * over 256 bytes, more than any version of the struct may have, is refused
     * without reading past this library's own struct. */
    size_t struct_size;
    /* The evaluation's "today" as "YYYY-MM-DD", or NULL for the host's local date. */
    const char* as_of;
    /* Nonzero: fields the pack does not declare are errors instead of warnings. */
    int strict;
    /* A bia_format value. */
    int format;
    /* (The fields from here on are newer than the first 1.0 header: a host
     * built against that passes a smaller struct_size and gets their defaults.)
     * Nonzero: evaluate a case even when an undeclared field is a near miss
     * of a fact the case leaves unknown (a likely misspelling), which is
     * otherwise refused as BIA_ERROR_FACTS (see docs/result.md). */
    int accept_near_misses;
    /* The path of the case's id field ("case_id", "meta.id"), or NULL: that
     * field gives no warning and its value (a string or a number) is the
     * JSON result's "id". A declared fact is BIA_ERROR_ARGUMENT. */
    const char* id_field;
} bia_eval_options;

#define BIA_EVAL_OPTIONS_INIT { sizeof(bia_eval_options), NULL, 0, BIA_FORMAT_JSON, 0, NULL }

/* ---- Library ---------------------------------------------------------- */

/*
 * The library's version, e.g. "1.0.0" (semantic versioning).
 * Returns a static string; never NULL. Thread-safe.
 */
BIA_C_API const char* bia_version(void);

/*
 * The library's version as a number: major * 10000 + minor * 100 + patch.
 * Thread-safe.
 */
BIA_C_API int bia_version_number(void);

/*
 * The version of the rule language ("1.0") and of the result contract ("1.0")
 * this library implements. Static strings; never NULL. Thread-safe.
 */
BIA_C_API const char* bia_language_version(void);
BIA_C_API const char* bia_result_version(void);

/*
 * A short English name for a status code ("ok", "pack error", ...).
 * Returns a static string; "unknown status" for codes this library does not
 * know. Thread-safe.
 */
BIA_C_API const char* bia_status_string(int status);

/*
 * Frees a string the library handed to the caller (the result of
 * bia_evaluate()). NULL is allowed and does nothing. Thread-safe.
 */
BIA_C_API void bia_free(void* memory);

/* ---- Packs ------------------------------------------------------------ */

/*
 * Checks and compiles a pack from source text.
 *   source  the pack's text; `length` bytes, or NUL-terminated when length is
 *           BIA_NUL_TERMINATED. Not retained: the caller may free it at once.
 *           May be NULL only when length is 0.
 *   name    the name used in diagnostics, e.g. a file name; NULL for "<string>".
 *   error   optional; on failure receives every diagnostic (status BIA_ERROR_PACK).
 * Returns a new pack the caller frees with bia_pack_free(), or NULL on failure.
 * Thread-safe: any number of threads may compile packs at once.
 */
BIA_C_API bia_pack* bia_pack_compile(const char* source, size_t length, const char* name,
                                     bia_error** error);

/*
 * Reads and compiles a pack from a `.bia` file, or from a directory whose
 * top-level `.bia` files (dotfiles skipped) are read in byte order of their
 * names as one pack.
 *   path    a NUL-terminated file-system path; diagnostics name it as given.
 *   error   optional; on failure receives the reason (status BIA_ERROR_PACK).
 * Returns a new pack the caller frees with bia_pack_free(), or NULL on failure.
 * Thread-safe.
 */
BIA_C_API bia_pack* bia_pack_load(const char* path, bia_error** error);

/*
 * bia_pack_compile and bia_pack_load for a pack larger than the default limit
 * of 4 MiB of source (all files of a directory together): max_source_bytes is
 * the most that is read, or 0 for the default. A pack over it fails with
 * diagnostic E0503.
 */
BIA_C_API bia_pack* bia_pack_compile_limited(const char* source, size_t length, const char* name,
                                             size_t max_source_bytes, bia_error** error);
BIA_C_API bia_pack* bia_pack_load_limited(const char* path, size_t max_source_bytes, bia_error** error);

/*
 * Frees a pack. NULL is allowed and does nothing. The pack must not be in use
 * by another thread, and strings obtained from it become invalid.
 */
BIA_C_API void bia_pack_free(bia_pack* pack);

/*
 * The pack's name, version ("X.Y.Z" as declared), title, and digest
 * ("sha256:<hex>" over its source bytes, as in results).
 * The strings belong to the pack and stay valid until bia_pack_free().
 * NULL when `pack` is NULL. Thread-safe.
 */
BIA_C_API const char* bia_pack_name(const bia_pack* pack);
BIA_C_API const char* bia_pack_version(const bia_pack* pack);
BIA_C_API const char* bia_pack_title(const bia_pack* pack);
BIA_C_API const char* bia_pack_digest(const bia_pack* pack);

/* Which of a pack's strings bia_pack_string() gives. */
typedef enum bia_pack_field {
    BIA_PACK_NAME = 0,
    BIA_PACK_VERSION = 1,
    BIA_PACK_TITLE = 2,
    BIA_PACK_DIGEST = 3
} bia_pack_field;

/*
 * The pack string `field` (a bia_pack_field), as the functions above give it,
 * and its length in bytes (without the terminating NUL) in `length`
 * (optional, NULL allowed). NULL, and length 0, when `pack` is NULL or
 * `field` is unknown. New after 1.0.0. Thread-safe.
 */
BIA_C_API const char* bia_pack_string(const bia_pack* pack, int field, size_t* length);

/* ---- Evaluation ------------------------------------------------------- */

/*
 * Evaluates one case against a pack.
 *   pack         a compiled pack; not modified.
 *   case_json    the case as a JSON object (UTF-8); `length` bytes, or
 *                NUL-terminated when length is BIA_NUL_TERMINATED. Not retained.
 *   options      NULL for the defaults (as-of today, not strict, JSON).
 *   result       receives, on success, a new NUL-terminated string in the
 *                requested format, which the caller frees with bia_free();
 *                on failure, NULL. Must not be NULL.
 *   error        optional; on failure receives the reason. For
 *                BIA_ERROR_FACTS it holds one item per problem in the case,
 *                each with the field's path (e.g. "child.tags[0]").
 * Returns BIA_OK or the failure's status.
 * Thread-safe: many threads may evaluate against the same pack at once.
 */
BIA_C_API bia_status bia_evaluate(const bia_pack* pack, const char* case_json, size_t length,
                                  const bia_eval_options* options, char** result,
                                  bia_error** error);

/*
 * The same as bia_evaluate(), and `result_length` (optional, NULL allowed)
 * receives the result's length in bytes, without the terminating NUL; 0 on
 * failure. The result is still NUL-terminated; with its length a host never
 * has to find its end by looking for a NUL. New after 1.0.0.
 */
BIA_C_API bia_status bia_evaluate_n(const bia_pack* pack, const char* case_json, size_t length,
                                    const bia_eval_options* options, char** result,
                                    size_t* result_length, bia_error** error);

/* ---- Errors ----------------------------------------------------------- */

/*
 * An error is a status plus a list of items: the pack's diagnostics for
 * BIA_ERROR_PACK, the case's fact errors for BIA_ERROR_FACTS, and one item
 * for the other statuses. Strings belong to the error and stay valid until
 * bia_error_free(). Functions taking a `const bia_error*` accept NULL and
 * then return BIA_OK, 0 or NULL. An error object must not be used from two
 * threads at once.
 */

/* The status of the failed call. */
BIA_C_API bia_status bia_error_status(const bia_error* error);

/*
 * All items as text for a person, without a trailing newline. For pack
 * errors, each diagnostic as `path:line:column: error: message` followed by
 * the source line and a caret; for fact errors, `path: message` lines.
 */
BIA_C_API const char* bia_error_message(const bia_error* error);

/*
 * The first item's path, line and column. For pack diagnostics the path is
 * the file as it was given and line/column are 1-based (columns count
 * Unicode code points). For fact errors the path is the field's path and
 * line/column are 0. For other errors the path is "" and line/column are 0.
 */
BIA_C_API const char* bia_error_path(const bia_error* error);
BIA_C_API unsigned bia_error_line(const bia_error* error);
BIA_C_API unsigned bia_error_column(const bia_error* error);

/* The number of items (at least 1 for any error). */
BIA_C_API size_t bia_error_count(const bia_error* error);

/*
 * One item, 0 <= index < bia_error_count(). NULL (or 0) when `index` is out
 * of range. `code` is a stable diagnostic code such as "E0201" when there is
 * one, else "". `message` is the item's message without position.
 */
BIA_C_API const char* bia_error_code_at(const bia_error* error, size_t index);
BIA_C_API const char* bia_error_message_at(const bia_error* error, size_t index);
BIA_C_API const char* bia_error_path_at(const bia_error* error, size_t index);
BIA_C_API unsigned bia_error_line_at(const bia_error* error, size_t index);
BIA_C_API unsigned bia_error_column_at(const bia_error* error, size_t index);

/*
 * All items as a JSON array of objects {"code", "path", "line", "column",
 * "message"} (line and column 0 where there is no position), for hosts that
 * would rather parse than call accessors. Belongs to the error.
 */
BIA_C_API const char* bia_error_json(const bia_error* error);

/* Which of an error's strings bia_error_string() gives. */
typedef enum bia_error_field {
    BIA_ERROR_FIELD_MESSAGE = 0,       /* bia_error_message(); `index` is ignored */
    BIA_ERROR_FIELD_JSON = 1,          /* bia_error_json(); `index` is ignored */
    BIA_ERROR_FIELD_ITEM_CODE = 2,     /* bia_error_code_at(error, index) */
    BIA_ERROR_FIELD_ITEM_MESSAGE = 3,  /* bia_error_message_at(error, index) */
    BIA_ERROR_FIELD_ITEM_PATH = 4      /* bia_error_path_at(error, index) */
} bia_error_field;

/*
 * The error string `field` (a bia_error_field), as the function named above
 * gives it, and its length in bytes (without the terminating NUL) in
 * `length` (optional, NULL allowed). NULL, and length 0, when `error` is NULL,
 * `field` is unknown or `index` is out of range. New after 1.0.0.
 */
BIA_C_API const char* bia_error_string(const bia_error* error, int field, size_t index, size_t* length);

/* Frees an error. NULL is allowed and does nothing. */
BIA_C_API void bia_error_free(bia_error* error);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* BIA_H */
