#include "CByteScan.h"
#include "Internal.h"

// The only global state of the kernels: the CPU's level, computed on first use. Racing first calls compute the
// same value, so a relaxed atomic is enough.
_Atomic int cbs_level_cache = -1;

int cbs_cpu_level(void) {
    int level = atomic_load_explicit(&cbs_level_cache, memory_order_relaxed);
    if (level >= 0) return level;
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2")) {
        level = CBS_LEVEL_AVX2;
    } else if (__builtin_cpu_supports("ssse3")) {
        level = CBS_LEVEL_SSE;
    } else {
        level = CBS_LEVEL_SCALAR;
    }
#else
    level = CBS_LEVEL_SCALAR;
#endif
    atomic_store_explicit(&cbs_level_cache, level, memory_order_relaxed);
    return level;
}
