/* Compiles bia.h as strict C (C99 and C11, -Wall -Wextra -Wpedantic -Werror) and links the C library. */
#include <bia.h>

#include <stdio.h>
#include <string.h>

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(sizeof(bia_status) == sizeof(int), "bia_status is passed as an int through FFIs");
#endif

int main(void) {
    static const char source[] =
        "pack t version \"1.0.0\" \"T\"\n"
        "fact child.unaccompanied : bool\n"
        "level low\n"
        "level high at 10\n"
        "rule r \"R\"\n"
        "  score 10\n"
        "  when child.unaccompanied\n";
    bia_eval_options options = BIA_EVAL_OPTIONS_INIT;
    bia_error* error = NULL;
    char* result = NULL;
    bia_pack* pack = bia_pack_compile(source, sizeof source - 1, "t.bia", &error);
    bia_status status;

    if (pack == NULL) {
        fprintf(stderr, "%s\n", bia_error_message(error));
        bia_error_free(error);
        return 1;
    }
    options.as_of = "2026-03-10";
    status = bia_evaluate(pack, "{\"child\": {\"unaccompanied\": true}}", BIA_NUL_TERMINATED,
                          &options, &result, &error);
    if (status != BIA_OK) {
        fprintf(stderr, "%s: %s\n", bia_status_string(status), bia_error_message(error));
        bia_error_free(error);
        bia_pack_free(pack);
        return 1;
    }
    if (strstr(result, "\"level\": \"high\"") == NULL) {
        fprintf(stderr, "unexpected result:\n%s", result);
        bia_free(result);
        bia_pack_free(pack);
        return 1;
    }
    bia_free(result);
    bia_pack_free(pack);
    printf("bia %s: C header and library OK\n", bia_version());
    return 0;
}
