/*
 * The C and SIMD pieces of the exact k-nearest-neighbour kernel (_knn.pyx).
 *
 * - rk_count_at_most_{f,d}, rk_count_both_{f,d}: the vectorised filter loops of the candidate
 *   scan (knn_brute, knn_brute_sym). Built as an AVX2 clone beside the baseline one, picked at
 *   load time by the CPU, where the toolchain supports function multiversioning
 *   (RK_HAVE_TARGET_CLONES, defined by setup.py after a compile-and-link probe); the same
 *   IEEE additions and comparisons either way, so the same results.
 * - rk_fused_scan: knn_brute's float32 scan in registers (no GEMM tile): AVX-512F where the
 *   compiler can target it (RK_HAVE_AVX512F, probed by setup.py) and the CPU has it, else
 *   AVX2 with FMA (RK_HAVE_AVX2_FMA) where the CPU has those; the two compute the same keys
 *   bit for bit (the same fused multiply-adds in the same order). Elsewhere never called.
 * - rk_ctz: the index of the lowest set bit (a fused scan's mask).
 * - rk_fused_scan_isa: which of the two this CPU runs (2, 1; 0 none), probed once;
 *   rk_fused_scan_available: whether it runs one.
 *
 * Plain C99; no allocation; the only state is rk_fused_scan_isa's cached probe.
 */
#ifndef RESAMPLEKIT_KNN_SCAN_H
#define RESAMPLEKIT_KNN_SCAN_H

#include <stddef.h>

#if defined(RK_HAVE_TARGET_CLONES) && defined(__x86_64__)
#define RK_KNN_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define RK_KNN_CLONES
#endif

/* Index of the lowest set bit of x != 0. */
#if defined(_MSC_VER)
#include <intrin.h>
static inline int rk_ctz(unsigned int x)
{
    unsigned long i;
    _BitScanForward(&i, x);
    return (int)i;
}
#else
static inline int rk_ctz(unsigned int x) { return __builtin_ctz(x); }
#endif

/* #j < n with a[j] + b[j] <= t. O(n), no memory. */
#define RK_COUNT_AT_MOST(NAME, T)                                              \
    RK_KNN_CLONES static inline int NAME(const T *a, const T *b, ptrdiff_t n, T t)    \
    {                                                                          \
        int hits = 0;                                                          \
        for (ptrdiff_t j = 0; j < n; j++)                                      \
            hits += (a[j] + b[j]) <= t;                                        \
        return hits;                                                           \
    }
RK_COUNT_AT_MOST(rk_count_at_most_f, float)
RK_COUNT_AT_MOST(rk_count_at_most_d, double)

/* Row side: #j < n with g[j] + lk[j] <= t; column side (*hc): #j with g[j] + lki <= tc[j]. */
#define RK_COUNT_BOTH(NAME, T)                                                 \
    RK_KNN_CLONES static inline int NAME(const T *g, const T *lk, T t, T lki,         \
                                  const T *tc, ptrdiff_t n, int *hc)           \
    {                                                                          \
        int a = 0, c = 0;                                                      \
        for (ptrdiff_t j = 0; j < n; j++) {                                    \
            a += (g[j] + lk[j]) <= t;                                          \
            c += (g[j] + lki) <= tc[j];                                        \
        }                                                                      \
        *hc = c;                                                               \
        return a;                                                              \
    }
RK_COUNT_BOTH(rk_count_both_f, float)
RK_COUNT_BOTH(rk_count_both_d, double)

/*
 * rk_fused_scan: 8 queries (Q8: 8 rows of d floats) against blocks b0 .. b_end-1 of 16 rows of
 * R packed as Rp[b][j][0:16] (feature j of the block's 16 rows). For each block, key(q, r) =
 * lk[r] + alpha * (q . r), the dot product accumulated by fused multiply-adds in feature order,
 * the key rounded once (alpha = +-2 scales exactly). Returns the first block where some key is
 * <= thr8[lane] (a NaN key never is: padding rows have lk NaN), with the 16 values
 * alpha * (q . r) of each lane in vals (8 x 16) and the lanes' masks (bit r: row r passed);
 * b_end if no block has one. O((b_end - b0) * 16 * 8 * d) FMAs, no memory.
 */
#if (defined(RK_HAVE_AVX512F) || defined(RK_HAVE_AVX2_FMA)) && defined(__x86_64__)
#include <immintrin.h>
#endif

#if defined(RK_HAVE_AVX512F) && defined(__x86_64__)
__attribute__((target("avx512f")))
static ptrdiff_t rk_fused_scan_avx512(const float *Q8, const float *Rp, const float *lk,
                                      const float *thr8, float alpha, ptrdiff_t b0,
                                      ptrdiff_t b_end, ptrdiff_t d, float *vals,
                                      unsigned int *masks)
{
    const __m512 va = _mm512_set1_ps(alpha);
    const __m512 t0 = _mm512_set1_ps(thr8[0]), t1 = _mm512_set1_ps(thr8[1]);
    const __m512 t2 = _mm512_set1_ps(thr8[2]), t3 = _mm512_set1_ps(thr8[3]);
    const __m512 t4 = _mm512_set1_ps(thr8[4]), t5 = _mm512_set1_ps(thr8[5]);
    const __m512 t6 = _mm512_set1_ps(thr8[6]), t7 = _mm512_set1_ps(thr8[7]);
    const float *q0 = Q8, *q1 = Q8 + d, *q2 = Q8 + 2 * d, *q3 = Q8 + 3 * d;
    const float *q4 = Q8 + 4 * d, *q5 = Q8 + 5 * d, *q6 = Q8 + 6 * d, *q7 = Q8 + 7 * d;
    for (ptrdiff_t b = b0; b < b_end; b++) {
        const float *R = Rp + b * 16 * d;
        __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        __m512 a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (ptrdiff_t j = 0; j < d; j++) {
            __m512 r = _mm512_loadu_ps(R + j * 16);
            a0 = _mm512_fmadd_ps(_mm512_set1_ps(q0[j]), r, a0);
            a1 = _mm512_fmadd_ps(_mm512_set1_ps(q1[j]), r, a1);
            a2 = _mm512_fmadd_ps(_mm512_set1_ps(q2[j]), r, a2);
            a3 = _mm512_fmadd_ps(_mm512_set1_ps(q3[j]), r, a3);
            a4 = _mm512_fmadd_ps(_mm512_set1_ps(q4[j]), r, a4);
            a5 = _mm512_fmadd_ps(_mm512_set1_ps(q5[j]), r, a5);
            a6 = _mm512_fmadd_ps(_mm512_set1_ps(q6[j]), r, a6);
            a7 = _mm512_fmadd_ps(_mm512_set1_ps(q7[j]), r, a7);
        }
        const __m512 l = _mm512_loadu_ps(lk + b * 16);
        __mmask16 k0 = _mm512_cmp_ps_mask(_mm512_fmadd_ps(va, a0, l), t0, _CMP_LE_OQ);
        __mmask16 k1 = _mm512_cmp_ps_mask(_mm512_fmadd_ps(va, a1, l), t1, _CMP_LE_OQ);
        __mmask16 k2 = _mm512_cmp_ps_mask(_mm512_fmadd_ps(va, a2, l), t2, _CMP_LE_OQ);
        __mmask16 k3 = _mm512_cmp_ps_mask(_mm512_fmadd_ps(va, a3, l), t3, _CMP_LE_OQ);
        __mmask16 k4 = _mm512_cmp_ps_mask(_mm512_fmadd_ps(va, a4, l), t4, _CMP_LE_OQ);
        __mmask16 k5 = _mm512_cmp_ps_mask(_mm512_fmadd_ps(va, a5, l), t5, _CMP_LE_OQ);
        __mmask16 k6 = _mm512_cmp_ps_mask(_mm512_fmadd_ps(va, a6, l), t6, _CMP_LE_OQ);
        __mmask16 k7 = _mm512_cmp_ps_mask(_mm512_fmadd_ps(va, a7, l), t7, _CMP_LE_OQ);
        if (k0 | k1 | k2 | k3 | k4 | k5 | k6 | k7) {
            _mm512_storeu_ps(vals, _mm512_mul_ps(va, a0));
            _mm512_storeu_ps(vals + 16, _mm512_mul_ps(va, a1));
            _mm512_storeu_ps(vals + 32, _mm512_mul_ps(va, a2));
            _mm512_storeu_ps(vals + 48, _mm512_mul_ps(va, a3));
            _mm512_storeu_ps(vals + 64, _mm512_mul_ps(va, a4));
            _mm512_storeu_ps(vals + 80, _mm512_mul_ps(va, a5));
            _mm512_storeu_ps(vals + 96, _mm512_mul_ps(va, a6));
            _mm512_storeu_ps(vals + 112, _mm512_mul_ps(va, a7));
            masks[0] = k0; masks[1] = k1; masks[2] = k2; masks[3] = k3;
            masks[4] = k4; masks[5] = k5; masks[6] = k6; masks[7] = k7;
            return b;
        }
    }
    return b_end;
}
#endif

/*
 * The same scan with AVX2 and FMA (256-bit registers): each block of 16 rows is two halves of
 * 8 lanes, and the 8 queries go through it in two groups of 4 (8 accumulators each). The same
 * fused multiply-adds in feature order and the same single rounding of the key, so the same
 * keys, values and masks as the AVX-512F scan, bit for bit.
 */
#if defined(RK_HAVE_AVX2_FMA) && defined(__x86_64__)
#define RK_FMA4(J)                                                              \
    do {                                                                       \
        const __m256 b0_ = _mm256_broadcast_ss(q0 + (J));                      \
        const __m256 b1_ = _mm256_broadcast_ss(q1 + (J));                      \
        const __m256 b2_ = _mm256_broadcast_ss(q2 + (J));                      \
        const __m256 b3_ = _mm256_broadcast_ss(q3 + (J));                      \
        a0l = _mm256_fmadd_ps(b0_, rl, a0l); a0h = _mm256_fmadd_ps(b0_, rh, a0h); \
        a1l = _mm256_fmadd_ps(b1_, rl, a1l); a1h = _mm256_fmadd_ps(b1_, rh, a1h); \
        a2l = _mm256_fmadd_ps(b2_, rl, a2l); a2h = _mm256_fmadd_ps(b2_, rh, a2h); \
        a3l = _mm256_fmadd_ps(b3_, rl, a3l); a3h = _mm256_fmadd_ps(b3_, rh, a3h); \
    } while (0)

/* Queries g*4 .. g*4+3 of Q8 against block R (16 rows); keys compared with their thresholds,
 * values and masks written for those 4 queries. Returns the OR of their masks. */
__attribute__((target("avx2,fma")))
static inline unsigned int rk_fused_block4_avx2(const float *Q8, const float *R,
                                                const float *lkb, const float *thr8,
                                                float alpha, ptrdiff_t d, int g,
                                                float *vals, unsigned int *masks)
{
    const float *q0 = Q8 + (4 * g) * d, *q1 = q0 + d, *q2 = q1 + d, *q3 = q2 + d;
    __m256 a0l = _mm256_setzero_ps(), a0h = a0l, a1l = a0l, a1h = a0l;
    __m256 a2l = a0l, a2h = a0l, a3l = a0l, a3h = a0l;
    for (ptrdiff_t j = 0; j < d; j++) {
        const __m256 rl = _mm256_loadu_ps(R + j * 16), rh = _mm256_loadu_ps(R + j * 16 + 8);
        RK_FMA4(j);
    }
    const __m256 va = _mm256_set1_ps(alpha);
    const __m256 ll = _mm256_loadu_ps(lkb), lh = _mm256_loadu_ps(lkb + 8);
    __m256 acc[8] = {a0l, a0h, a1l, a1h, a2l, a2h, a3l, a3h};
    unsigned int any = 0;
    for (int q = 0; q < 4; q++) {
        const __m256 t = _mm256_set1_ps(thr8[4 * g + q]);
        const unsigned int ml = (unsigned int)_mm256_movemask_ps(
            _mm256_cmp_ps(_mm256_fmadd_ps(va, acc[2 * q], ll), t, _CMP_LE_OQ));
        const unsigned int mh = (unsigned int)_mm256_movemask_ps(
            _mm256_cmp_ps(_mm256_fmadd_ps(va, acc[2 * q + 1], lh), t, _CMP_LE_OQ));
        masks[4 * g + q] = ml | (mh << 8);
        any |= ml | mh;
    }
    if (any) {
        for (int q = 0; q < 4; q++) {
            _mm256_storeu_ps(vals + (4 * g + q) * 16, _mm256_mul_ps(va, acc[2 * q]));
            _mm256_storeu_ps(vals + (4 * g + q) * 16 + 8, _mm256_mul_ps(va, acc[2 * q + 1]));
        }
    }
    return any;
}
#undef RK_FMA4

__attribute__((target("avx2,fma")))
static ptrdiff_t rk_fused_scan_avx2(const float *Q8, const float *Rp, const float *lk,
                                    const float *thr8, float alpha, ptrdiff_t b0,
                                    ptrdiff_t b_end, ptrdiff_t d, float *vals,
                                    unsigned int *masks)
{
    for (ptrdiff_t b = b0; b < b_end; b++) {
        const float *R = Rp + b * 16 * d;
        const unsigned int m0 = rk_fused_block4_avx2(Q8, R, lk + b * 16, thr8, alpha, d, 0,
                                                     vals, masks);
        const unsigned int m1 = rk_fused_block4_avx2(Q8, R, lk + b * 16, thr8, alpha, d, 1,
                                                     vals, masks);
        if (m0 | m1)  /* a group without a hit has zero masks: its values are not read */
            return b;
    }
    return b_end;
}
#endif

/* Which fused scan this CPU runs: 2 AVX-512F, 1 AVX2 with FMA, 0 none (GEMM tiles). */
static inline int rk_fused_scan_isa(void)
{
    static int isa = -1;  /* set once; a concurrent first call stores the same value */
    if (isa < 0) {
        int v = 0;
#if (defined(RK_HAVE_AVX512F) || defined(RK_HAVE_AVX2_FMA)) && defined(__x86_64__)
        __builtin_cpu_init();
#endif
#if defined(RK_HAVE_AVX2_FMA) && defined(__x86_64__)
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
            v = 1;
#endif
#if defined(RK_HAVE_AVX512F) && defined(__x86_64__)
        if (__builtin_cpu_supports("avx512f"))
            v = 2;
#endif
        isa = v;
    }
    return isa;
}

static inline int rk_fused_scan_available(void) { return rk_fused_scan_isa() > 0; }

static inline ptrdiff_t rk_fused_scan(const float *Q8, const float *Rp, const float *lk,
                               const float *thr8, float alpha, ptrdiff_t b0,
                               ptrdiff_t b_end, ptrdiff_t d, float *vals,
                               unsigned int *masks)
{
#if defined(RK_HAVE_AVX512F) && defined(__x86_64__)
    if (rk_fused_scan_isa() == 2)
        return rk_fused_scan_avx512(Q8, Rp, lk, thr8, alpha, b0, b_end, d, vals, masks);
#endif
#if defined(RK_HAVE_AVX2_FMA) && defined(__x86_64__)
    if (rk_fused_scan_isa() == 1)
        return rk_fused_scan_avx2(Q8, Rp, lk, thr8, alpha, b0, b_end, d, vals, masks);
#endif
    /* Never reached: rk_fused_scan_available() is 0. */
    (void)Q8; (void)Rp; (void)lk; (void)thr8; (void)alpha; (void)b0; (void)d; (void)vals;
    (void)masks;
    return b_end;
}

#endif /* RESAMPLEKIT_KNN_SCAN_H */
