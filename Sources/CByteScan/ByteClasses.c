// Byte classes of a span: whether it holds bytes >= 0x80 (non-ASCII: UTF-8 must be checked) and bytes < 0x20
// (control characters: binary must be considered). One OR-accumulation per vector; the decoders ask this of every
// line, so it must cost far less than a byte-by-byte loop.
#include "CByteScan.h"
#include "Internal.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static unsigned classes_scalar(const uint8_t *p, size_t n) {
    unsigned high = 0, control = 0;
    for (size_t i = 0; i < n; i++) {
        high |= p[i] >= 0x80;
        control |= p[i] < 0x20;
    }
    return (high ? CBS_CLASS_HIGH : 0) | (control ? CBS_CLASS_CONTROL : 0);
}

#if defined(__x86_64__)

// A byte is < 0x20 exactly when (byte XOR 0x80) < (0x20 XOR 0x80) as signed bytes (0x80..0x9F): the signed
// compare below, on bytes flipped by XOR 0x80, marks it. The high bit of the OR of all bytes says non-ASCII.
static unsigned classes_sse2(const uint8_t *p, size_t n) {
    if (n < 16) return classes_scalar(p, n);
    const __m128i flip = _mm_set1_epi8((char)0x80);
    const __m128i limit = _mm_set1_epi8((char)(0x20 ^ 0x80));
    __m128i any = _mm_setzero_si128(), control = _mm_setzero_si128();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(p + i));
        any = _mm_or_si128(any, x);
        control = _mm_or_si128(control, _mm_cmplt_epi8(_mm_xor_si128(x, flip), limit));
    }
    if (i < n) {  // the last block overlaps the one before: nothing outside [p, p + n) is read
        __m128i x = _mm_loadu_si128((const __m128i *)(p + n - 16));
        any = _mm_or_si128(any, x);
        control = _mm_or_si128(control, _mm_cmplt_epi8(_mm_xor_si128(x, flip), limit));
    }
    return (_mm_movemask_epi8(any) ? CBS_CLASS_HIGH : 0) | (_mm_movemask_epi8(control) ? CBS_CLASS_CONTROL : 0);
}

__attribute__((target("avx2")))
static unsigned classes_avx2(const uint8_t *p, size_t n) {
    if (n < 32) return classes_sse2(p, n);
    const __m256i flip = _mm256_set1_epi8((char)0x80);
    const __m256i limit = _mm256_set1_epi8((char)(0x20 ^ 0x80));
    __m256i any = _mm256_setzero_si256(), control = _mm256_setzero_si256();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(p + i));
        any = _mm256_or_si256(any, x);
        control = _mm256_or_si256(control, _mm256_cmpgt_epi8(limit, _mm256_xor_si256(x, flip)));
    }
    if (i < n) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(p + n - 32));
        any = _mm256_or_si256(any, x);
        control = _mm256_or_si256(control, _mm256_cmpgt_epi8(limit, _mm256_xor_si256(x, flip)));
    }
    return (_mm256_movemask_epi8(any) ? CBS_CLASS_HIGH : 0)
        | (_mm256_movemask_epi8(control) ? CBS_CLASS_CONTROL : 0);
}

#endif

unsigned cbs_byte_classes_level(const void *bytes, size_t n, int level) {
    const uint8_t *p = bytes;
#if defined(__x86_64__)
    switch (cbs_clamp_level(level)) {
    case CBS_LEVEL_AVX2: return classes_avx2(p, n);
    case CBS_LEVEL_SSE: return classes_sse2(p, n);
    default: break;
    }
#else
    (void)level;
#endif
    return classes_scalar(p, n);
}

unsigned cbs_byte_classes(const void *p, size_t n) {
#if defined(__x86_64__)
    if (cbs_level() == CBS_LEVEL_AVX2) return classes_avx2(p, n);
#endif
    return cbs_byte_classes_level(p, n, CBS_LEVEL_AVX2);
}
