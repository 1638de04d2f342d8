/* Preloaded into `bia` by the cli test batch_out_of_memory: malloc fails for
 * any request over BIA_TEST_FAIL_MALLOC_OVER bytes, as it would when memory
 * runs out, so operator new throws std::bad_alloc where the engine makes its
 * large lists. glibc's own entry point does the rest. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

extern void* __libc_malloc(size_t size);

static size_t limit(void) {
    static size_t cached = 0;
    if (cached == 0) {
        const char* text = getenv("BIA_TEST_FAIL_MALLOC_OVER");
        cached = text ? (size_t)strtoull(text, NULL, 10) : (size_t)-1;
        if (cached == 0) cached = (size_t)-1;
    }
    return cached;
}

void* malloc(size_t size) {
    if (size > limit()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_malloc(size);
}
