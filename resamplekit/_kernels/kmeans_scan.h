/*
 * The SIMD loops of the k-means++ seeding (_kmeans.pyx, kmeanspp).
 *
 * The rows are read from XP, X packed by blocks of 16 rows: XP[(b * d + j) * 16 + r] is
 * feature j of row 16 b + r (the last block padded with zeros), read once per step.
 *
 * rk_kmpp_gains: for the rows start .. stop-1 (start a multiple of 16) and the Lp candidates
 * packed as CT[j * Lp + t] (feature j of candidate t; Lp a multiple of 4, padded with copies
 * of a real candidate), adds to gains[t] the sum over the rows of max(closest[i] -
 * |x_i - c_t|^2, 0): how much candidate t would lower the potential there. The candidates sit
 * in vector lanes; several rows are taken at once, so that more additions are in flight.
 *
 * It also lists every (row, candidate t < L, squared distance) where the distance is below
 * closest[i] (hit_row, hit_t, hit_d; returns their count, or -1 when they are more than
 * cap): once the step's winner is known, its entries are the rows whose closest centre it
 * becomes, so no second pass over the rows is needed. After the first few steps a candidate
 * lowers few rows, and the list is short; a full list (-1) leaves that chunk's update to a
 * pass over its rows.
 *
 * Every squared distance is accumulated in feature order, one subtraction, one multiplication
 * and one addition per feature (no contraction: setup.py builds with -ffp-contract=off): bit
 * for bit _kmeans.pyx's _sqdist; the gains are added row by row in row order. So the results
 * do not depend on the vector width or on how rows are grouped.
 *
 * Built as an AVX2 clone beside the baseline one where the toolchain supports function
 * multiversioning (RK_HAVE_TARGET_CLONES, probed by setup.py); GCC/Clang vector extensions
 * (plain loops elsewhere). Specialised for Lp = 4, 8, ..., 32 (a compile-time width; wider
 * lists return -2). Plain C99 otherwise; no state, no allocation
 * (accumulators on the stack, at most 8 * 4 * Lp bytes).
 */
#ifndef RESAMPLEKIT_KMEANS_SCAN_H
#define RESAMPLEKIT_KMEANS_SCAN_H

#include <stddef.h>

#if defined(RK_HAVE_TARGET_CLONES) && defined(__x86_64__)
#define RK_KM_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define RK_KM_CLONES
#endif

#define RK_KMPP_B 16  /* rows per packed block */
#define RK_KMPP_PF 4  /* blocks ahead to prefetch */

/* Records that candidate t lowers row i's closest squared distance to dd. */
#define RK_KMPP_HIT(I, T, DD)                                                  \
    do {                                                                       \
        if (n_hits < cap) {                                                    \
            hit_row[n_hits] = (I);                                             \
            hit_t[n_hits] = (T);                                               \
            hit_d[n_hits] = (DD);                                              \
            n_hits++;                                                          \
        } else {                                                               \
            full = 1;                                                          \
        }                                                                      \
    } while (0)

/* Feature j of row i in XP. */
#define RK_XP(XP, i, j, d) ((XP)[(((i) / RK_KMPP_B) * (d) + (j)) * RK_KMPP_B + (i) % RK_KMPP_B])

#if defined(__GNUC__)
/* Four doubles; loads and stores through it need only a double's alignment. */
typedef double rk_v4d __attribute__((vector_size(32), aligned(8)));

/* R rows at a time (their accumulations independent), then the rows left one at a time;
 * each row's arithmetic and the order of the gains' additions are the same either way. */
#define RK_KMPP_ROWS_OF(NV) ((NV) <= 2 ? 4 : (NV) <= 4 ? 2 : 1)
#define RK_KMPP_BLOCK(LP, R)                                                   \
    {                                                                          \
        enum { NV = (LP) / 4 };                                                \
        rk_v4d acc[R][NV];                                                     \
        const double *xb = XP + ((i / RK_KMPP_B) * d) * RK_KMPP_B + i % RK_KMPP_B; \
        if (i % RK_KMPP_B == 0) /* a new block: fetch the one PF blocks ahead */ \
            for (ptrdiff_t o = 0; o < d * RK_KMPP_B; o += 8)                   \
                __builtin_prefetch(xb + RK_KMPP_PF * d * RK_KMPP_B + o);       \
        for (int r = 0; r < (R); r++)                                          \
            for (int v = 0; v < NV; v++)                                       \
                acc[r][v] = (rk_v4d){0.0, 0.0, 0.0, 0.0};                      \
        for (ptrdiff_t j = 0; j < d; j++) {                                    \
            const rk_v4d *c = (const rk_v4d *)(CT + j * (LP));                 \
            for (int r = 0; r < (R); r++) {                                    \
                const double xj = xb[j * RK_KMPP_B + r];                       \
                const rk_v4d xv = {xj, xj, xj, xj};                            \
                for (int v = 0; v < NV; v++) {                                 \
                    const rk_v4d df = c[v] - xv;                               \
                    acc[r][v] = acc[r][v] + df * df;                           \
                }                                                              \
            }                                                                  \
        }                                                                      \
        for (int r = 0; r < (R); r++) {                                        \
            const double ci = closest[i + r];                                  \
            for (int v = 0; v < NV; v++)                                       \
                for (int l = 0; l < 4; l++) {                                  \
                    const double g = ci - acc[r][v][l];                        \
                    gains[4 * v + l] = gains[4 * v + l] + (g > 0.0 ? g : 0.0); \
                    if (g > 0.0 && 4 * v + l < L)                              \
                        RK_KMPP_HIT(i + r, 4 * v + l, acc[r][v][l]);           \
                }                                                              \
        }                                                                      \
    }
/* Groups of R rows never straddle a block: R divides 16 and groups start at multiples of R
 * (start is a multiple of 16). */
#define RK_KMPP_BODY(LP)                                                       \
    {                                                                          \
        enum { R = RK_KMPP_ROWS_OF((LP) / 4) };                                \
        ptrdiff_t i = start;                                                   \
        for (; i + R <= stop; i += R)                                          \
            RK_KMPP_BLOCK(LP, R)                                               \
        for (; i < stop; i++)                                                  \
            RK_KMPP_BLOCK(LP, 1)                                               \
    }
#else
#define RK_KMPP_BODY(LP)                                                       \
    {                                                                          \
        double acc[LP];                                                        \
        for (ptrdiff_t i = start; i < stop; i++) {                             \
            for (ptrdiff_t t = 0; t < (LP); t++)                               \
                acc[t] = 0.0;                                                  \
            for (ptrdiff_t j = 0; j < d; j++) {                                \
                const double xj = RK_XP(XP, i, j, d);                          \
                const double *c = CT + j * (LP);                               \
                for (ptrdiff_t t = 0; t < (LP); t++) {                         \
                    const double df = c[t] - xj;                               \
                    acc[t] = acc[t] + df * df;                                 \
                }                                                              \
            }                                                                  \
            const double ci = closest[i];                                      \
            for (ptrdiff_t t = 0; t < (LP); t++) {                             \
                const double g = ci - acc[t];                                  \
                gains[t] = gains[t] + (g > 0.0 ? g : 0.0);                     \
                if (g > 0.0 && t < L)                                          \
                    RK_KMPP_HIT(i, t, acc[t]);                                 \
            }                                                                  \
        }                                                                      \
    }
#endif

#define RK_KMPP_FIXED(NAME, LP)                                                \
    RK_KM_CLONES static ptrdiff_t NAME(const double *XP, ptrdiff_t start, ptrdiff_t stop, \
                                  ptrdiff_t d, const double *CT, ptrdiff_t L,  \
                                  const double *closest, double *gains,        \
                                  ptrdiff_t *hit_row, ptrdiff_t *hit_t,        \
                                  double *hit_d, ptrdiff_t cap)                \
    {                                                                          \
        ptrdiff_t n_hits = 0;                                                  \
        int full = 0;                                                          \
        RK_KMPP_BODY(LP)                                                       \
        return full ? -1 : n_hits;                                             \
    }

RK_KMPP_FIXED(rk_kmpp_gains_4, 4)
RK_KMPP_FIXED(rk_kmpp_gains_8, 8)
RK_KMPP_FIXED(rk_kmpp_gains_12, 12)
RK_KMPP_FIXED(rk_kmpp_gains_16, 16)
RK_KMPP_FIXED(rk_kmpp_gains_20, 20)
RK_KMPP_FIXED(rk_kmpp_gains_24, 24)
RK_KMPP_FIXED(rk_kmpp_gains_28, 28)
RK_KMPP_FIXED(rk_kmpp_gains_32, 32)

static inline ptrdiff_t rk_kmpp_gains(const double *XP, ptrdiff_t start, ptrdiff_t stop,
                                      ptrdiff_t d, const double *CT, ptrdiff_t Lp,
                                      ptrdiff_t L, const double *closest, double *gains,
                                      ptrdiff_t *hit_row, ptrdiff_t *hit_t, double *hit_d,
                                      ptrdiff_t cap)
{
#define RK_KMPP_CASE(LP)                                                       \
    case LP:                                                                   \
        return rk_kmpp_gains_##LP(XP, start, stop, d, CT, L, closest, gains,   \
                                  hit_row, hit_t, hit_d, cap);
    switch (Lp) {
    RK_KMPP_CASE(4) RK_KMPP_CASE(8) RK_KMPP_CASE(12) RK_KMPP_CASE(16)
    RK_KMPP_CASE(20) RK_KMPP_CASE(24) RK_KMPP_CASE(28) RK_KMPP_CASE(32)
    default:  /* Lp > 32: never (L = 2 + int(log k) <= 32 for any k below e**31) */
        return -2;
    }
#undef RK_KMPP_CASE
}

#endif
