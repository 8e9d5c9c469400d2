// Teddy: a SIMD multi-literal candidate finder (after Hyperscan's and Rust regex's "Teddy").
//
// Each literal is put in one of 8 buckets (one bit of a byte). For each of the first three byte positions of a
// literal, two 16-entry tables map a byte's low and high nibble to the buckets that accept that nibble there;
// `pshufb` looks up 16 or 32 bytes at once. For a block starting at `i`, the byte-wise AND of the lookups of
// bytes i+k (k = 0, 1, 2) leaves, in lane j, the buckets that may have a literal starting at i+j. Those
// candidates are verified byte for byte, so the result is exact; a two-byte literal accepts any third byte.
//
// Every read stays inside the input: the last block overlaps the one before it, and an input shorter than a block
// is looked up in a zero-padded copy (verification then reads the input itself, bounds-checked).
#include "CByteScan.h"
#include "Internal.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// MARK: Building

/// Per-byte weight of a random position of log text, for bucket costs: spaces, frequent English letters, digits
/// and JSON / log punctuation are common, other printable ASCII less so, other bytes rare.
static double byte_weight(unsigned b) {
    if (b == ' ') return 15;
    if (b != 0 && b < 0x80 && strchr("etaoinsrhl", (int)b)) return 8;
    if (b >= 'a' && b <= 'z') return 3;
    if (b >= '0' && b <= '9') return 5;
    if (b != 0 && b < 0x80 && strchr("\"\\:,.-_/=", (int)b)) return 4;
    if (b >= 0x20 && b < 0x7f) return 1;
    return 0.05;
}

typedef struct bucket_sets {
    uint16_t lo[3], hi[3];  // accepted nibbles at each position (bit = nibble value)
    uint64_t literals;
    int size;
    double cost;
} bucket_sets;

/// How often a bucket's tables pass at a random position (bytes taken as independent; `weight_of` sums to 1),
/// times the work of a candidate: a fixed part plus one check per literal.
static double bucket_cost(const bucket_sets *b, const double weight_of[256]) {
    double p = 1.0;
    for (int k = 0; k < 3; k++) {
        double w = 0;
        for (unsigned hi = 0; hi < 16; hi++) {
            if (!(b->hi[k] >> hi & 1)) continue;
            for (unsigned lo = 0; lo < 16; lo++) {
                if (b->lo[k] >> lo & 1) w += weight_of[hi << 4 | lo];
            }
        }
        p *= w;
    }
    return p * (b->size + 3);
}

static bucket_sets merged(const bucket_sets *a, const bucket_sets *b, const double weight_of[256]) {
    bucket_sets m;
    for (int k = 0; k < 3; k++) {
        m.lo[k] = a->lo[k] | b->lo[k];
        m.hi[k] = a->hi[k] | b->hi[k];
    }
    m.literals = a->literals | b->literals;
    m.size = a->size + b->size;
    m.cost = bucket_cost(&m, weight_of);
    return m;
}

int cbs_teddy_init(cbs_teddy *t, const void *literal_bytes, const uint32_t *lengths, size_t count) {
    const uint8_t *bytes = literal_bytes;
    memset(t, 0, sizeof *t);
    if (count > CBS_TEDDY_MAX_LITERALS) return -1;
    double weight_of[256], total = 0;
    for (unsigned c = 0; c < 256; c++) total += (weight_of[c] = byte_weight(c));
    for (unsigned c = 0; c < 256; c++) weight_of[c] /= total;

    // One group per distinct three-byte fingerprint, then merge the pair that adds the least cost until at most
    // 8 groups are left.
    bucket_sets groups[CBS_TEDDY_MAX_LITERALS];
    int ngroups = 0;
    size_t at = 0;
    for (size_t i = 0; i < count; i++) {
        if (lengths[i] < 2) return -1;
        t->literal[i] = bytes + at;
        t->length[i] = lengths[i];
        size_t head = lengths[i] < 8 ? lengths[i] : 8;
        memcpy(&t->prefix[i], bytes + at, head);  // little or big endian alike: compared as loaded
        memset(&t->prefix_mask[i], 0xFF, head);
        if (lengths[i] == 2) t->two_byte |= 1ull << i;
        bucket_sets g;
        for (int k = 0; k < 3; k++) {
            if (k < (int)lengths[i]) {
                g.lo[k] = (uint16_t)(1u << (bytes[at + k] & 15));
                g.hi[k] = (uint16_t)(1u << (bytes[at + k] >> 4));
            } else {
                g.lo[k] = g.hi[k] = 0xFFFF;
            }
        }
        g.literals = 1ull << i;
        g.size = 1;
        at += lengths[i];
        int same = -1;
        for (int j = 0; j < ngroups; j++) {
            if (memcmp(groups[j].lo, g.lo, sizeof g.lo) == 0 && memcmp(groups[j].hi, g.hi, sizeof g.hi) == 0) same = j;
        }
        if (same >= 0) {
            groups[same].literals |= g.literals;
            groups[same].size += 1;
            groups[same].cost = bucket_cost(&groups[same], weight_of);
        } else {
            g.cost = bucket_cost(&g, weight_of);
            groups[ngroups++] = g;
        }
    }
    while (ngroups > 8) {
        int best_a = 0, best_b = 1;
        double best = 0;
        for (int a = 0; a < ngroups; a++) {
            for (int b = a + 1; b < ngroups; b++) {
                bucket_sets m = merged(&groups[a], &groups[b], weight_of);
                double added = m.cost - groups[a].cost - groups[b].cost;
                if ((a == 0 && b == 1) || added < best) {
                    best = added;
                    best_a = a;
                    best_b = b;
                }
            }
        }
        groups[best_a] = merged(&groups[best_a], &groups[best_b], weight_of);
        groups[best_b] = groups[--ngroups];
    }

    for (int b = 0; b < ngroups; b++) {
        t->bucket_literals[b] = groups[b].literals;
        for (int k = 0; k < 3; k++) {
            for (int v = 0; v < 16; v++) {
                if (groups[b].lo[k] >> v & 1) t->masks[k][0][v] |= (uint8_t)(1u << b);
                if (groups[b].hi[k] >> v & 1) t->masks[k][1][v] |= (uint8_t)(1u << b);
            }
        }
    }
    for (int k = 0; k < 3; k++) {
        memcpy(t->masks[k][0] + 16, t->masks[k][0], 16);
        memcpy(t->masks[k][1] + 16, t->masks[k][1], 16);
    }
    t->count = (uint32_t)count;
    return 0;
}

// MARK: Verification

/// Whether the `len` bytes at `a` and `b` are equal; inline, so that the vector loops make no calls.
__attribute__((always_inline)) static inline int same_bytes(const uint8_t *a, const uint8_t *b, size_t len) {
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t x, y;
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y) return 0;
    }
    for (; i < len; i++) {
        if (a[i] != b[i]) return 0;
    }
    return 1;
}

/// Verifies the candidates of one block: `lanes` has bit j set when `buckets[j]` (the bucket bits of position
/// `start + j`) is not zero. Adds the literals found to `*found`.
__attribute__((always_inline)) static inline void verify(const cbs_teddy *t, const uint8_t *p, size_t n,
                                                         size_t start, uint64_t lanes, const uint8_t *buckets,
                                                         uint64_t *found) {
    while (lanes) {
        unsigned j = (unsigned)__builtin_ctzll(lanes);
        lanes &= lanes - 1;
        size_t pos = start + j;
        size_t left = n - pos;
        uint64_t head = 0;
        if (left >= 8) memcpy(&head, p + pos, 8);
        unsigned bm = buckets[j];
        while (bm) {
            unsigned b = (unsigned)__builtin_ctz(bm);
            bm &= bm - 1;
            uint64_t lits = t->bucket_literals[b] & ~*found;
            while (lits) {
                unsigned c = (unsigned)__builtin_ctzll(lits);
                lits &= lits - 1;
                size_t len = t->length[c];
                if (len > left) continue;
                int match;
                if (left >= 8) {
                    // The first 8 bytes (or all of a shorter literal) at once, then the rest.
                    match = (head & t->prefix_mask[c]) == t->prefix[c]
                        && (len <= 8 || same_bytes(p + pos + 8, t->literal[c] + 8, len - 8));
                } else {
                    match = same_bytes(p + pos, t->literal[c], len);
                }
                if (match) *found |= 1ull << c;
            }
        }
    }
}

// MARK: Scalar

/// The bucket bits of position `j` (bytes past the end read as 0, like the vector tails).
static inline uint8_t scalar_buckets(const cbs_teddy *t, const uint8_t *p, size_t n, size_t j) {
    uint8_t r = 0xFF;
    for (int k = 0; k < 3; k++) {
        uint8_t c = j + (size_t)k < n ? p[j + (size_t)k] : 0;
        r &= t->masks[k][0][c & 15] & t->masks[k][1][c >> 4];
    }
    return r;
}

static uint64_t teddy_scalar(const cbs_teddy *t, const uint8_t *p, size_t n) {
    uint64_t found = 0;
    for (size_t j = 0; j + 1 < n; j++) {
        uint8_t b = scalar_buckets(t, p, n, j);
        if (b) verify(t, p, n, j, 1, &b, &found);
    }
    return found;
}

#if defined(__x86_64__)

// MARK: Vector scans

/// The two-byte literals at the last position, `n - 2` (the vector loops cover positions up to `n - 3`).
static inline void verify_last_pair(const cbs_teddy *t, const uint8_t *p, size_t n, uint64_t *found) {
    uint64_t lits = t->two_byte & ~*found;
    while (lits) {
        unsigned c = (unsigned)__builtin_ctzll(lits);
        lits &= lits - 1;
        if (p[n - 2] == t->literal[c][0] && p[n - 1] == t->literal[c][1]) *found |= 1ull << c;
    }
}

/// Copies `n` (at most 64) bytes without a call: two overlapping moves of the largest power of two that fits.
static inline void copy_small(uint8_t *dst, const uint8_t *src, size_t n) {
    if (n >= 32) {
        memcpy(dst, src, 32);
        memcpy(dst + n - 32, src + n - 32, 32);
    } else if (n >= 16) {
        memcpy(dst, src, 16);
        memcpy(dst + n - 16, src + n - 16, 16);
    } else if (n >= 8) {
        memcpy(dst, src, 8);
        memcpy(dst + n - 8, src + n - 8, 8);
    } else if (n >= 4) {
        memcpy(dst, src, 4);
        memcpy(dst + n - 4, src + n - 4, 4);
    } else {
        for (size_t i = 0; i < n; i++) dst[i] = src[i];
    }
}

/// Looks up the block of positions at `q` (reading `width + 2` bytes); returns the lanes with candidates and, when
/// there are some, stores each lane's bucket bits in `buckets`.
typedef uint32_t (*teddy_block_fn)(const cbs_teddy *t, const uint8_t *q, uint8_t *buckets);

/// The vector scan: blocks of `width` positions at i (reading [i, i + width + 2)) while they fit; then one block
/// at n - width - 2, overlapping the last one, with the positions already seen masked off; then the last position
/// (two-byte literals only). Inputs too short for one block are looked up in a zero-padded copy. `block` is a
/// constant of the callers, inlined (the tables it loads are hoisted out of the loop).
__attribute__((always_inline)) static inline uint64_t teddy_blocks(const cbs_teddy *t, const uint8_t *p, size_t n,
                                                                   size_t width, teddy_block_fn block) {
    uint64_t found = 0;
    if (n < 2) return 0;
    uint8_t buckets[32];
    if (n < width + 2) {
        uint8_t padded[64] = {0};
        copy_small(padded, p, n);
        uint64_t lanes = block(t, padded, buckets) & ((1ull << (n - 1)) - 1);
        verify(t, p, n, 0, lanes, buckets, &found);
        return found;
    }
    size_t i = 0;
    for (; i + width + 2 <= n; i += width) {
        uint32_t lanes = block(t, p + i, buckets);
        if (lanes) verify(t, p, n, i, lanes, buckets, &found);
    }
    if (i + 2 < n) {
        size_t q = n - width - 2;
        uint64_t lanes = block(t, p + q, buckets) & (~0ull << (i - q));
        verify(t, p, n, q, lanes, buckets, &found);
    }
    verify_last_pair(t, p, n, &found);
    return found;
}

__attribute__((target("ssse3"))) static inline uint32_t block_ssse3(const cbs_teddy *t, const uint8_t *q,
                                                                     uint8_t *buckets) {
    const __m128i nib = _mm_set1_epi8(0x0f);
    __m128i r = _mm_set1_epi8((char)0xFF);
    for (int k = 0; k < 3; k++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(q + k));
        __m128i lo = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)t->masks[k][0]), _mm_and_si128(x, nib));
        __m128i hi = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)t->masks[k][1]),
                                      _mm_and_si128(_mm_srli_epi16(x, 4), nib));
        r = _mm_and_si128(r, _mm_and_si128(lo, hi));
    }
    uint32_t lanes = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(r, _mm_setzero_si128())) ^ 0xFFFFu;
    if (lanes) _mm_storeu_si128((__m128i *)buckets, r);
    return lanes;
}

__attribute__((target("ssse3"))) static uint64_t teddy_ssse3(const cbs_teddy *t, const uint8_t *p, size_t n) {
    return teddy_blocks(t, p, n, 16, block_ssse3);
}

__attribute__((target("avx2"))) static inline uint32_t block_avx2(const cbs_teddy *t, const uint8_t *q,
                                                                   uint8_t *buckets) {
    const __m256i nib = _mm256_set1_epi8(0x0f);
    __m256i r = _mm256_set1_epi8((char)0xFF);
    for (int k = 0; k < 3; k++) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(q + k));
        __m256i lo = _mm256_shuffle_epi8(_mm256_loadu_si256((const __m256i *)t->masks[k][0]), _mm256_and_si256(x, nib));
        __m256i hi = _mm256_shuffle_epi8(_mm256_loadu_si256((const __m256i *)t->masks[k][1]),
                                         _mm256_and_si256(_mm256_srli_epi16(x, 4), nib));
        r = _mm256_and_si256(r, _mm256_and_si256(lo, hi));
    }
    uint32_t lanes = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(r, _mm256_setzero_si256()));
    if (lanes) _mm256_storeu_si256((__m256i *)buckets, r);
    return lanes;
}

__attribute__((target("avx2"))) static uint64_t teddy_avx2(const cbs_teddy *t, const uint8_t *p, size_t n) {
    return teddy_blocks(t, p, n, 32, block_avx2);
}

#endif

// MARK: Dispatch

uint64_t cbs_teddy_find_level(const cbs_teddy *t, const void *bytes, size_t n, int level) {
    const uint8_t *p = bytes;
#if defined(__x86_64__)
    switch (cbs_clamp_level(level)) {
    case CBS_LEVEL_AVX2: return teddy_avx2(t, p, n);
    case CBS_LEVEL_SSE: return teddy_ssse3(t, p, n);
    default: break;
    }
#else
    (void)level;
#endif
    return teddy_scalar(t, p, n);
}

uint64_t cbs_teddy_find(const cbs_teddy *t, const void *p, size_t n) {
#if defined(__x86_64__)
    if (cbs_level() == CBS_LEVEL_AVX2) return teddy_avx2(t, p, n);
#endif
    return cbs_teddy_find_level(t, p, n, CBS_LEVEL_AVX2);
}
