// Symbol visibility: the library is built with hidden visibility; only BIA_API is exported.
#pragma once

#if defined(BIA_STATIC)
#define BIA_API
#elif defined(BIA_BUILDING_LIBRARY)
#define BIA_API __attribute__((visibility("default")))
#else
#define BIA_API __attribute__((visibility("default")))
#endif
