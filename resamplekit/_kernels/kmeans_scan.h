/*
 * The row scan of the k-means++ seeding (_kmeans.pyx, kmeanspp): for one step's candidates,
 * how much each would lower the potential, and which rows each would take.
 *
 * rk_kmpp_gains: for the rows start .. stop-1 (start a multiple of 8) adds to gains[t], for
 * each candidate t < L, the sum over the rows of max(closest[i] - |x_i - c_t|^2, 0), and lists
 * every (row, candidate, squared distance) where the distance is below closest[i] (hit_row,
 * hit_t, hit_d; returns their count, or -1 when they are more than cap): once the step's
 * winner is known, its entries are the rows whose closest centre it becomes.
 *
 * Two stages. A screen in float32 rules out the pairs (row, candidate) whose distance is
 * certainly at least closest[i]: from XS, X scaled by a power of two (every |value| <= 1) and
 * packed by blocks of 8 rows (XS[(b * d + j) * 8 + r], feature j of row 8 b + r, the last block
 * padded with zeros), it computes v = |c|^2 - 2 x.c for 8 rows at once (rows in vector lanes,
 * one candidate per accumulator) and drops the pair when v > thr[i], where thr[i] = closest[i] -
 * |x_i|^2 + margin (scaled units; kept by the caller, -inf on padding rows; candidates past L
 * carry |c|^2 = +inf, so are always dropped). The margin, (d + 8) 2^-22 (|x_i|^2 + max |x|^2) +
 * (d + 1) 2^-100, is four times a bound on the float32 rounding (operands, products, sums,
 * the conversions of thr and |c|^2) plus the float64 rounding of the exact distance, so a pair
 * dropped has an exact distance >= closest[i]: it would add +0.0. Every pair kept (any pair
 * the screen cannot rule out, NaN included) is computed exactly from X (row-major float64),
 * one subtraction, one multiplication and one addition per feature in feature order (setup.py
 * builds with -ffp-contract=off; rk_kmpp_sqdist, which _kmeans.pyx's other kernels call too),
 * and its gain added row by row in row order. So the gains and lists are bit for bit those of
 * the exact scan of every pair, whatever the vector width or the screen's outcome. After the
 * first steps a candidate takes few rows and almost every pair is dropped: the scan streams
 * 4 d + 4 bytes per row (against 8 d + 8 for float64) and does one multiplication and one
 * addition per row, candidate and feature, 8 rows per instruction.
 *
 * Built as an AVX2 clone beside the baseline one where the toolchain supports function
 * multiversioning (RK_HAVE_TARGET_CLONES, probed by setup.py); GCC/Clang vector extensions
 * (without them, every pair is computed exactly). Specialised for Lp = 2, 3, ..., 16, 20, 24,
 * 28, 32 accumulators (the caller pads L candidates past 16 to a multiple of 4: L = 2 +
 * int(log k) is 16 at most below 1.2 million clusters; wider returns -2). Plain
 * C99 otherwise; no state, no allocation (accumulators on the stack, at most 32 * Lp bytes).
 */
#ifndef RESAMPLEKIT_KMEANS_SCAN_H
#define RESAMPLEKIT_KMEANS_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(RK_HAVE_TARGET_CLONES) && defined(__x86_64__)
#define RK_KM_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define RK_KM_CLONES
#endif

#define RK_KMPP_G 8   /* rows per packed block (vector lanes) */
#define RK_KMPP_PF 8  /* blocks ahead to prefetch */

/* Squared distance in feature order, float64: the one exact distance of the k-means kernels
 * (the seeding's exact stage here, its first pass and Lloyd's bounds in _kmeans.pyx). */
static inline double rk_kmpp_sqdist(const double *a, const double *b, ptrdiff_t d)
{
    double s = 0.0;
    for (ptrdiff_t j = 0; j < d; j++) {
        const double t = a[j] - b[j];
        s += t * t;
    }
    return s;
}

/* The exact stage for row i and candidate t (candidate rows C, row-major). */
#define RK_KMPP_EXACT(I, T)                                                    \
    do {                                                                       \
        const double dd_ = rk_kmpp_sqdist(X + (I) * d, C + (T) * d, d);         \
        const double g_ = closest[I] - dd_;                                    \
        if (g_ > 0.0) {                                                        \
            gains[T] = gains[T] + g_;                                          \
            if (n_hits < cap) {                                                \
                hit_row[n_hits] = (I);                                         \
                hit_t[n_hits] = (T);                                           \
                hit_d[n_hits] = dd_;                                           \
                n_hits++;                                                      \
            } else {                                                           \
                full = 1;                                                      \
            }                                                                  \
        }                                                                      \
    } while (0)

#if defined(__GNUC__)
/* Eight floats (loads need only a float's alignment); the lane mask of a comparison. */
typedef float rk_v8f __attribute__((vector_size(32), aligned(4)));
typedef int32_t rk_v8i __attribute__((vector_size(32), aligned(4)));

#define RK_KMPP_BODY(LP)                                                       \
    for (ptrdiff_t i0 = start; i0 < stop; i0 += RK_KMPP_G) {                   \
        const float *xb = XS + (i0 / RK_KMPP_G) * d * RK_KMPP_G;               \
        for (ptrdiff_t o = 0; o < d * RK_KMPP_G; o += 16)                      \
            __builtin_prefetch(xb + RK_KMPP_PF * d * RK_KMPP_G + o);           \
        rk_v8f acc[LP];                                                        \
        for (int t = 0; t < (LP); t++)                                         \
            acc[t] = (rk_v8f){0, 0, 0, 0, 0, 0, 0, 0};                         \
        for (ptrdiff_t j = 0; j < d; j++) {                                    \
            rk_v8f xv;                                                         \
            memcpy(&xv, xb + j * RK_KMPP_G, sizeof xv);                        \
            const float *c = CS + j * (LP);                                    \
            for (int t = 0; t < (LP); t++)                                     \
                acc[t] = acc[t] + xv * c[t];                                   \
        }                                                                      \
        rk_v8f th;                                                             \
        memcpy(&th, thr + i0, sizeof th);                                      \
        rk_v8i keep[LP];                                                       \
        rk_v8i any = {0, 0, 0, 0, 0, 0, 0, 0};                                 \
        for (int t = 0; t < (LP); t++) {                                       \
            const rk_v8f v = cn[t] - (acc[t] + acc[t]);                        \
            keep[t] = ~(v > th); /* NaN: kept */                               \
            any |= keep[t];                                                    \
        }                                                                      \
        uint64_t w[4];                                                         \
        memcpy(w, &any, sizeof w);                                             \
        if ((w[0] | w[1] | w[2] | w[3]) == 0)                                  \
            continue;                                                          \
        const ptrdiff_t rows = stop - i0 < RK_KMPP_G ? stop - i0 : RK_KMPP_G;  \
        for (int t = 0; t < L; t++)                                            \
            for (ptrdiff_t r = 0; r < rows; r++)                               \
                if (keep[t][r])                                                \
                    RK_KMPP_EXACT(i0 + r, t);                                  \
    }
#else
#define RK_KMPP_BODY(LP)                                                       \
    for (ptrdiff_t i = start; i < stop; i++)                                   \
        for (ptrdiff_t t = 0; t < L; t++)                                      \
            RK_KMPP_EXACT(i, t);
#endif

/* Rows start .. stop-1 against the candidates: XS, thr (the screen), CS (candidates scaled,
 * CS[j * Lp + t], float32), cn (their scaled |c|^2, +inf past L), X and C (float64, row-major:
 * the rows, the L candidate rows). */
#define RK_KMPP_FIXED(NAME, LP)                                                \
    RK_KM_CLONES static ptrdiff_t NAME(                                        \
        const float *XS, const float *thr, const double *X, ptrdiff_t start,   \
        ptrdiff_t stop, ptrdiff_t d, const float *CS, const float *cn,         \
        const double *C, ptrdiff_t L, const double *closest, double *gains,    \
        ptrdiff_t *hit_row, ptrdiff_t *hit_t, double *hit_d, ptrdiff_t cap)    \
    {                                                                          \
        ptrdiff_t n_hits = 0;                                                  \
        int full = 0;                                                          \
        (void)XS; (void)thr; (void)CS; (void)cn;                               \
        RK_KMPP_BODY(LP)                                                       \
        return full ? -1 : n_hits;                                             \
    }

RK_KMPP_FIXED(rk_kmpp_gains_2, 2)
RK_KMPP_FIXED(rk_kmpp_gains_3, 3)
RK_KMPP_FIXED(rk_kmpp_gains_4, 4)
RK_KMPP_FIXED(rk_kmpp_gains_5, 5)
RK_KMPP_FIXED(rk_kmpp_gains_6, 6)
RK_KMPP_FIXED(rk_kmpp_gains_7, 7)
RK_KMPP_FIXED(rk_kmpp_gains_8, 8)
RK_KMPP_FIXED(rk_kmpp_gains_9, 9)
RK_KMPP_FIXED(rk_kmpp_gains_10, 10)
RK_KMPP_FIXED(rk_kmpp_gains_11, 11)
RK_KMPP_FIXED(rk_kmpp_gains_12, 12)
RK_KMPP_FIXED(rk_kmpp_gains_13, 13)
RK_KMPP_FIXED(rk_kmpp_gains_14, 14)
RK_KMPP_FIXED(rk_kmpp_gains_15, 15)
RK_KMPP_FIXED(rk_kmpp_gains_16, 16)
RK_KMPP_FIXED(rk_kmpp_gains_20, 20)
RK_KMPP_FIXED(rk_kmpp_gains_24, 24)
RK_KMPP_FIXED(rk_kmpp_gains_28, 28)
RK_KMPP_FIXED(rk_kmpp_gains_32, 32)

static inline ptrdiff_t rk_kmpp_gains(const float *XS, const float *thr, const double *X,
                                      ptrdiff_t start, ptrdiff_t stop, ptrdiff_t d,
                                      const float *CS, const float *cn, const double *C,
                                      ptrdiff_t Lp, ptrdiff_t L, const double *closest,
                                      double *gains, ptrdiff_t *hit_row, ptrdiff_t *hit_t,
                                      double *hit_d, ptrdiff_t cap)
{
#define RK_KMPP_CASE(LP)                                                       \
    case LP:                                                                   \
        return rk_kmpp_gains_##LP(XS, thr, X, start, stop, d, CS, cn, C, L,    \
                                  closest, gains, hit_row, hit_t, hit_d, cap);
    switch (Lp) {
    RK_KMPP_CASE(2) RK_KMPP_CASE(3) RK_KMPP_CASE(4) RK_KMPP_CASE(5) RK_KMPP_CASE(6)
    RK_KMPP_CASE(7) RK_KMPP_CASE(8) RK_KMPP_CASE(9) RK_KMPP_CASE(10) RK_KMPP_CASE(11)
    RK_KMPP_CASE(12) RK_KMPP_CASE(13) RK_KMPP_CASE(14) RK_KMPP_CASE(15) RK_KMPP_CASE(16)
    RK_KMPP_CASE(20) RK_KMPP_CASE(24) RK_KMPP_CASE(28) RK_KMPP_CASE(32)
    default:  /* Lp > 32: never (L = 2 + int(log k) <= 32 for any k below e**31) */
        return -2;
    }
#undef RK_KMPP_CASE
}

#endif
