// SIMD byte-scanning kernels of ecsdiagd's hot path: pure functions over (pointer, length).
//
// Every kernel reads only the bytes of [p, p + n). On x86_64 the best instruction set is chosen once at run time
// (AVX2, else SSSE3/SSE2); elsewhere a portable scalar path is used. All levels return identical results.
#ifndef CBYTESCAN_H
#define CBYTESCAN_H

#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__) && defined(__SSE2__)
#include <emmintrin.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/// Implementation levels: 0 scalar, 1 SSE (16-byte vectors), 2 AVX2 (32-byte vectors).
enum {
    CBS_LEVEL_SCALAR = 0,
    CBS_LEVEL_SSE = 1,
    CBS_LEVEL_AVX2 = 2,
};

/// The best level this CPU supports (computed once, then cached).
int cbs_cpu_level(void);

/// At most this many literals in a Teddy matcher (one bit each in the result).
#define CBS_TEDDY_MAX_LITERALS 64

/// A Teddy multi-literal matcher: nibble tables over the first three bytes of each literal, in 8 buckets.
///
/// Build it with `cbs_teddy_init`; it is immutable afterwards and may be shared between threads. It points at the
/// literals' bytes, which must outlive it.
typedef struct cbs_teddy {
    /// [position 0..2][0: low nibble, 1: high nibble][lane]: the buckets whose literals accept that nibble at
    /// that position. The 16-entry tables are stored twice (both 128-bit halves of an AVX2 register).
    uint8_t masks[3][2][32];
    /// For each bucket: its literals (bit `i` = literal `i`).
    uint64_t bucket_literals[8];
    /// Each literal's bytes and length.
    const uint8_t *literal[CBS_TEDDY_MAX_LITERALS];
    uint32_t length[CBS_TEDDY_MAX_LITERALS];
    /// Each literal's first 8 bytes (fewer when shorter) as loaded from memory, and the mask of those bytes.
    uint64_t prefix[CBS_TEDDY_MAX_LITERALS];
    uint64_t prefix_mask[CBS_TEDDY_MAX_LITERALS];
    /// The literals of two bytes.
    uint64_t two_byte;
    /// The number of literals.
    uint32_t count;
} cbs_teddy;

/// Builds `t` for `count` literals (at most 64, each at least 2 bytes) stored back to back at `bytes`, literal `i`
/// being `lengths[i]` bytes long. Returns 0, or -1 when the literals do not fit (then `t` is unusable).
int cbs_teddy_init(cbs_teddy *t, const void *bytes, const uint32_t *lengths, size_t count);

/// The literals occurring in [p, p + n) as a bit mask (bit `i` = literal `i`): candidates from the nibble tables,
/// each verified byte for byte. Uses the best level of this CPU.
uint64_t cbs_teddy_find(const cbs_teddy *t, const void *p, size_t n);

/// `cbs_teddy_find` at a given level (clamped to what this CPU supports): for tests and measurements.
uint64_t cbs_teddy_find_level(const cbs_teddy *t, const void *p, size_t n, int level);

/// The index of the quote that closes a JSON string whose content starts at `p`, or -1 when [p, p + n) holds no
/// unescaped quote. A backslash escapes the byte after it. When `has_backslash` is not NULL it is set to 1 when a
/// backslash occurs before the closing quote, else 0 (unspecified when the result is -1).
ptrdiff_t cbs_json_string_end(const void *p, size_t n, int *has_backslash);

/// `cbs_json_string_end` at a given level (clamped to what this CPU supports): for tests and measurements.
ptrdiff_t cbs_json_string_end_level(const void *p, size_t n, int *has_backslash, int level);

/// The index just after the bracket that closes the JSON object or array whose opening bracket is at `p`, or -1
/// when [p, p + n) does not hold it (or a close comes first). Brackets inside strings do not count; `{` and `[`
/// are not told apart (nor `}` and `]`): the input is not validated.
ptrdiff_t cbs_json_container_end(const void *p, size_t n);

/// `cbs_json_container_end` at a given level (clamped to what this CPU supports): for tests and measurements.
ptrdiff_t cbs_json_container_end_level(const void *p, size_t n, int level);

/// `cbs_byte_classes` bit: the span holds a byte >= 0x80.
#define CBS_CLASS_HIGH 1u
/// `cbs_byte_classes` bit: the span holds a byte < 0x20 (tab, line feed and carriage return included).
#define CBS_CLASS_CONTROL 2u

/// Which byte classes occur in [p, p + n): `CBS_CLASS_HIGH` and/or `CBS_CLASS_CONTROL`.
unsigned cbs_byte_classes(const void *p, size_t n);

/// `cbs_byte_classes` at a given level (clamped to what this CPU supports): for tests and measurements.
unsigned cbs_byte_classes_level(const void *p, size_t n, int level);

/// `cbs_json_string_end` with its first 16 bytes looked at inline (SSE2, part of every x86_64 CPU): a string
/// that ends within them without a backslash before its end costs no call. Short keys and values are most strings.
/// `has_backslash` is as for `cbs_json_string_end` (NULL when not wanted).
static inline ptrdiff_t cbs_json_string_end_inline(const void *p, size_t n, int *has_backslash) {
#if defined(__x86_64__) && defined(__SSE2__)
    if (n >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)p);
        unsigned q = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')));
        unsigned b = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
        // The first quote, when no backslash comes before it.
        if (q != 0 && (b & ((q & (0u - q)) - 1)) == 0) {
            if (has_backslash) *has_backslash = 0;
            return (ptrdiff_t)__builtin_ctz(q);
        }
    }
#endif
    return cbs_json_string_end(p, n, has_backslash);
}

#ifdef __cplusplus
}
#endif

#endif
