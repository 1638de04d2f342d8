/* A C host: compiles a rule pack once through bia.h, then evaluates case files against it.
 *
 *   bia_embed_c [--as-of YYYY-MM-DD] PACK CASE.json...
 *
 * Prints the same as examples/embed/cpp: "== <file name>", then the result
 * JSON or the fact errors. Nothing printed carries a fact value.
 */
#include <bia.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads a whole file; the caller frees *data. Returns 0 on success. */
static int read_file(const char* path, char** data, size_t* length) {
    FILE* file = fopen(path, "rb");
    char* buffer = NULL;
    size_t size = 0, capacity = 0, n;
    if (file == NULL) return -1;
    do {
        if (size == capacity) {
            char* bigger;
            capacity = capacity ? capacity * 2 : 65536;
            bigger = realloc(buffer, capacity);
            if (bigger == NULL) {
                free(buffer);
                fclose(file);
                return -1;
            }
            buffer = bigger;
        }
        n = fread(buffer + size, 1, capacity - size, file);
        size += n;
    } while (n > 0);
    if (ferror(file)) {
        free(buffer);
        fclose(file);
        return -1;
    }
    fclose(file);
    *data = buffer;
    *length = size;
    return 0;
}

static const char* base_name(const char* path) {
    const char* slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int usage(void) {
    fputs("usage: bia_embed_c [--as-of YYYY-MM-DD] PACK CASE.json...\n", stderr);
    return 2;
}

int main(int argc, char** argv) {
    bia_eval_options options = BIA_EVAL_OPTIONS_INIT;
    bia_error* error = NULL;
    bia_pack* pack;
    int first = 1, i, status = 0;

    if (argc > 2 && strcmp(argv[1], "--as-of") == 0) {
        options.as_of = argv[2];
        first = 3;
    }
    if (argc - first < 2) return usage();

    /* Compile once; the pack is immutable and may be shared by threads. */
    pack = bia_pack_load(argv[first], &error);
    if (pack == NULL) {
        fprintf(stderr, "%s\n", bia_error_message(error));
        bia_error_free(error);
        return 1;
    }
    fprintf(stderr, "pack %s %s (%s), bia %s\n", bia_pack_name(pack), bia_pack_version(pack),
            bia_pack_digest(pack), bia_version());

    for (i = first + 1; i < argc; ++i) {
        char* text = NULL;
        char* result = NULL;
        size_t length = 0, k;
        bia_status rc;

        printf("== %s\n", base_name(argv[i]));
        if (read_file(argv[i], &text, &length) != 0) {
            printf("error: cannot read the case file\n");
            status = 1;
            continue;
        }
        rc = bia_evaluate(pack, text, length, &options, &result, &error);
        free(text);
        if (rc != BIA_OK) {
            /* Each item names a field path and what was expected, never the value. */
            printf("error: %s\n", bia_status_string(rc));
            for (k = 0; k < bia_error_count(error); ++k) {
                printf("  %s: %s\n", bia_error_path_at(error, k), bia_error_message_at(error, k));
            }
            bia_error_free(error);
            error = NULL;
            status = 1;
            continue;
        }
        fputs(result, stdout);
        bia_free(result);
    }
    bia_pack_free(pack);
    return status;
}
