// Declarations shared by the kernels' translation units (not part of the module's interface).
#ifndef CBYTESCAN_INTERNAL_H
#define CBYTESCAN_INTERNAL_H

#include "CByteScan.h"

#include <stdatomic.h>

/// The CPU's level once computed, else -1 (see `cbs_cpu_level`).
extern _Atomic int cbs_level_cache;

/// The CPU's level: one relaxed load after the first call.
static inline int cbs_level(void) {
    int level = atomic_load_explicit(&cbs_level_cache, memory_order_relaxed);
    return level >= 0 ? level : cbs_cpu_level();
}

/// `level` limited to [scalar, cbs_cpu_level()].
static inline int cbs_clamp_level(int level) {
    int best = cbs_level();
    if (level > best) return best;
    return level < CBS_LEVEL_SCALAR ? CBS_LEVEL_SCALAR : level;
}

#endif
