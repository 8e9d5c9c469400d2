// JSON scanning kernels. String end: the first quote not escaped by a backslash.
//
// Blocks of 16 or 32 bytes give a quote mask Q and a backslash mask B at once. Which bytes are escaped follows
// from B with a few integer operations (simdjson's trick): with ODD the odd bit positions, (((B << 1) | ODD) - B)
// ^ ODD is 1 exactly at the backslashes that escape and at the bytes they escape, because the subtraction's borrow
// runs through each run of backslashes and the parity of where the run starts decides which of its bytes escape.
// One bit carries "the next block's first byte is escaped" across blocks. The first quote of Q left is the end:
// no restart at each escaped quote. The last, partial block is a full block ending at the input's end whose masks
// are shifted past the bytes already scanned; only inputs shorter than 16 bytes are scanned byte by byte.
#include "CByteScan.h"
#include "Internal.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

/// Reports whether a backslash came before the end, when asked, and returns the end.
static inline ptrdiff_t done(ptrdiff_t end, uint64_t backslashes, int *has_backslash) {
    if (has_backslash) *has_backslash = backslashes != 0;
    return end;
}

/// The scalar scan from `i`; `escaped` (0 or 1) says whether the byte at `i` is escaped.
static inline ptrdiff_t scalar_from(const uint8_t *p, size_t n, size_t i, uint64_t escaped, uint64_t seen,
                                    int *has_backslash) {
    for (; i < n; i++) {
        uint8_t c = p[i];
        if (escaped) {
            escaped = 0;
        } else if (c == '\\') {
            escaped = 1;
            seen = 1;
        } else if (c == '"') {
            return done((ptrdiff_t)i, seen, has_backslash);
        }
    }
    return done(-1, seen, has_backslash);
}

static ptrdiff_t string_end_scalar(const uint8_t *p, size_t n, int *has_backslash) {
    return scalar_from(p, n, 0, 0, 0, has_backslash);
}

#if defined(__x86_64__)

/// The escaped bytes of a block of `width` (1…64) bytes, from its backslash mask; `*carry` (0 or 1) says on entry
/// whether the block's first byte is escaped and on return whether the next block's is.
static inline uint64_t escaped_bytes(uint64_t backslash, uint64_t *carry, unsigned width) {
    const uint64_t odd = 0xAAAAAAAAAAAAAAAAull;
    const uint64_t all = width == 64 ? ~0ull : (1ull << width) - 1;
    // Backslashes that may escape something: all but an escaped first byte.
    uint64_t potential = backslash & ~*carry;
    // 1 at escaping backslashes and at the bytes they escape, within the block.
    uint64_t code = ((((potential << 1) | odd) - potential) ^ odd) & all;
    uint64_t escaped = code ^ (backslash | *carry);
    *carry = (code & backslash) >> (width - 1) & 1;
    return escaped & all;
}

/// The end in a block at `i` whose unescaped quotes are `q` (not 0) and backslashes `b`; `seen` are the
/// backslashes of the blocks before.
static inline ptrdiff_t found(size_t i, uint64_t q, uint64_t b, uint64_t seen, int *has_backslash) {
    unsigned e = (unsigned)__builtin_ctzll(q);
    return done((ptrdiff_t)(i + e), seen | (b & ((1ull << e) - 1)), has_backslash);
}

/// The block of `width` bytes at `i` whose quote and backslash masks are `q` and `b`: the end, or -1 with
/// `*carry` and `*seen` updated.
static inline ptrdiff_t block(size_t i, uint64_t q, uint64_t b, unsigned width, uint64_t *carry, uint64_t *seen,
                              int *has_backslash) {
    if ((b | *carry) != 0) q &= ~escaped_bytes(b, carry, width);
    if (q) return found(i, q, b, *seen, has_backslash);
    *seen |= b;
    return -1;
}

/// The quote and backslash masks of the 16 bytes at `p`.
static inline void masks_sse2(const uint8_t *p, uint64_t *q, uint64_t *b) {
    __m128i x = _mm_loadu_si128((const __m128i *)p);
    *q = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')));
    *b = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
}

/// From `i` with 16-byte blocks; the last block of a input of at least 16 bytes ends at `n` and overlaps the
/// previous one (its masks are shifted past the bytes already seen). Inputs under 16 bytes are scanned one by one.
static inline ptrdiff_t sse2_from(const uint8_t *p, size_t n, size_t i, uint64_t carry, uint64_t seen,
                                  int *has_backslash) {
    uint64_t q, b;
    for (; i + 16 <= n; i += 16) {
        masks_sse2(p + i, &q, &b);
        ptrdiff_t end = block(i, q, b, 16, &carry, &seen, has_backslash);
        if (end >= 0) return end;
    }
    if (i == n) return done(-1, seen, has_backslash);
    if (n < 16) return scalar_from(p, n, i, carry, seen, has_backslash);
    unsigned shift = (unsigned)(16 - (n - i));
    masks_sse2(p + n - 16, &q, &b);
    ptrdiff_t end = block(i, q >> shift, b >> shift, (unsigned)(n - i), &carry, &seen, has_backslash);
    return end >= 0 ? end : done(-1, seen, has_backslash);
}

static ptrdiff_t string_end_sse2(const uint8_t *p, size_t n, int *has_backslash) {
    return sse2_from(p, n, 0, 0, 0, has_backslash);
}

/// The quote and backslash masks of the 32 bytes at `p`.
__attribute__((target("avx2"))) static inline void masks_avx2(const uint8_t *p, uint64_t *q, uint64_t *b) {
    __m256i x = _mm256_loadu_si256((const __m256i *)p);
    *q = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, _mm256_set1_epi8('"')));
    *b = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, _mm256_set1_epi8('\\')));
}

/// 32-byte blocks, the last one overlapping like in `sse2_from`; inputs under 32 bytes go to `sse2_from`.
__attribute__((target("avx2"))) static ptrdiff_t string_end_avx2(const uint8_t *p, size_t n, int *has_backslash) {
    if (n < 32) return sse2_from(p, n, 0, 0, 0, has_backslash);
    uint64_t carry = 0, seen = 0, q, b;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        masks_avx2(p + i, &q, &b);
        ptrdiff_t end = block(i, q, b, 32, &carry, &seen, has_backslash);
        if (end >= 0) return end;
    }
    if (i == n) return done(-1, seen, has_backslash);
    unsigned shift = (unsigned)(32 - (n - i));
    masks_avx2(p + n - 32, &q, &b);
    ptrdiff_t end = block(i, q >> shift, b >> shift, (unsigned)(n - i), &carry, &seen, has_backslash);
    return end >= 0 ? end : done(-1, seen, has_backslash);
}

#endif

// MARK: Container end
//
// From an opening bracket to the index after its matching close: one mask of quotes and brackets per block,
// walked bit by bit with a depth counter. A quote opens a string: when the next quote of the same block has no
// backslash before it, that quote closes the string and the walk goes on in the block; otherwise the string-end
// kernel above finds the end and the scan resumes after it. `{` and `[` are not told apart (nor `}` and `]`).

static ptrdiff_t container_end_scalar(const uint8_t *p, size_t n) {
    long depth = 0;
    for (size_t j = 0; j < n; j++) {
        uint8_t c = p[j];
        if (c == '"') {
            ptrdiff_t e = string_end_scalar(p + j + 1, n - j - 1, NULL);
            if (e < 0) return -1;
            j += 1 + (size_t)e;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth <= 0) return depth == 0 ? (ptrdiff_t)(j + 1) : -1;
        }
    }
    return -1;
}

#if defined(__x86_64__)

/// The quotes, backslashes and brackets of one block (bit j: byte j).
typedef struct json_masks {
    uint64_t quote, backslash, bracket;
} json_masks;

typedef void (*json_mask_loader)(const uint8_t *p, json_masks *m);
typedef ptrdiff_t (*json_string_end_fn)(const uint8_t *p, size_t n, int *has_backslash);

/// The walk described above with blocks of `width` bytes (`n` at least `width`); the last block ends at `n` and
/// has the positions already walked masked off. `load` and `string_end` are constants of the callers, inlined.
__attribute__((always_inline)) static inline ptrdiff_t container_end_blocks(const uint8_t *p, size_t n,
                                                                            unsigned width, json_mask_loader load,
                                                                            json_string_end_fn string_end) {
    long depth = 0;
    size_t j = 0;
    while (j < n) {
        size_t base = j;
        json_masks m;
        if (j + width <= n) {
            load(p + j, &m);
        } else {
            base = n - width;
            load(p + base, &m);
            unsigned seen = (unsigned)(j - base);
            m.quote = m.quote >> seen << seen;
            m.bracket = m.bracket >> seen << seen;
        }
        uint64_t todo = m.quote | m.bracket;
        size_t next = base + width;
        while (todo) {
            unsigned k = (unsigned)__builtin_ctzll(todo);
            if (m.quote >> k & 1) {
                uint64_t after = ~0ull << k << 1;
                uint64_t later = m.quote & after;
                if (later && (m.backslash & after & ((later & (0 - later)) - 1)) == 0) {
                    // The string closes in this block.
                    todo &= ~0ull << __builtin_ctzll(later) << 1;
                    continue;
                }
                ptrdiff_t end = string_end(p + base + k + 1, n - base - k - 1, NULL);
                if (end < 0) return -1;
                next = base + k + 1 + (size_t)end + 1;
                break;
            }
            if ((p[base + k] | 0x20) == '{') {
                depth++;
            } else if (--depth <= 0) {
                return depth == 0 ? (ptrdiff_t)(base + k + 1) : -1;
            }
            todo &= todo - 1;
        }
        j = next;
    }
    return -1;
}

static inline void json_masks_sse2(const uint8_t *p, json_masks *m) {
    __m128i x = _mm_loadu_si128((const __m128i *)p);
    __m128i folded = _mm_or_si128(x, _mm_set1_epi8(0x20));  // '[' -> '{', ']' -> '}'
    m->quote = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')));
    m->backslash = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
    m->bracket = (uint32_t)_mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(folded, _mm_set1_epi8('{')), _mm_cmpeq_epi8(folded, _mm_set1_epi8('}'))));
}

static ptrdiff_t container_end_sse2(const uint8_t *p, size_t n) {
    if (n < 16) return container_end_scalar(p, n);
    return container_end_blocks(p, n, 16, json_masks_sse2, string_end_sse2);
}

__attribute__((target("avx2"))) static inline void json_masks_avx2(const uint8_t *p, json_masks *m) {
    __m256i x = _mm256_loadu_si256((const __m256i *)p);
    __m256i folded = _mm256_or_si256(x, _mm256_set1_epi8(0x20));
    m->quote = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, _mm256_set1_epi8('"')));
    m->backslash = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, _mm256_set1_epi8('\\')));
    m->bracket = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(folded, _mm256_set1_epi8('{')),
                                                                 _mm256_cmpeq_epi8(folded, _mm256_set1_epi8('}'))));
}

__attribute__((target("avx2"))) static ptrdiff_t container_end_avx2(const uint8_t *p, size_t n) {
    if (n < 32) return container_end_sse2(p, n);
    return container_end_blocks(p, n, 32, json_masks_avx2, string_end_avx2);
}

#endif

// MARK: Dispatch

ptrdiff_t cbs_json_string_end_level(const void *bytes, size_t n, int *has_backslash, int level) {
    const uint8_t *p = bytes;
#if defined(__x86_64__)
    switch (cbs_clamp_level(level)) {
    case CBS_LEVEL_AVX2: return string_end_avx2(p, n, has_backslash);
    case CBS_LEVEL_SSE: return string_end_sse2(p, n, has_backslash);
    default: break;
    }
#else
    (void)level;
#endif
    return string_end_scalar(p, n, has_backslash);
}

ptrdiff_t cbs_json_string_end(const void *p, size_t n, int *has_backslash) {
#if defined(__x86_64__)
    if (cbs_level() == CBS_LEVEL_AVX2) return string_end_avx2(p, n, has_backslash);
#endif
    return cbs_json_string_end_level(p, n, has_backslash, CBS_LEVEL_AVX2);
}

ptrdiff_t cbs_json_container_end_level(const void *bytes, size_t n, int level) {
    const uint8_t *p = bytes;
#if defined(__x86_64__)
    switch (cbs_clamp_level(level)) {
    case CBS_LEVEL_AVX2: return container_end_avx2(p, n);
    case CBS_LEVEL_SSE: return container_end_sse2(p, n);
    default: break;
    }
#else
    (void)level;
#endif
    return container_end_scalar(p, n);
}

ptrdiff_t cbs_json_container_end(const void *p, size_t n) {
#if defined(__x86_64__)
    if (cbs_level() == CBS_LEVEL_AVX2) return container_end_avx2(p, n);
#endif
    return cbs_json_container_end_level(p, n, CBS_LEVEL_AVX2);
}
