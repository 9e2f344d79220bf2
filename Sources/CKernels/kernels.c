// Hand-written kernels for the training step: a register-blocked matrix product with AVX-512
// and AVX2+FMA versions chosen at run time, and vectorised tanh/sigmoid. The readable
// reference versions live in Swift (ReferenceKernels) and the tests compare the two.
#include "CKernels.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define DESCENT_X86 1
#include <immintrin.h>
#endif

// MARK: portable versions

static void gemm_portable(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const double *a, ptrdiff_t ars, ptrdiff_t acs,
                          const double *b, double *c, int accumulate) {
    if (!accumulate) memset(c, 0, sizeof(double) * (size_t)(m * n));
    for (ptrdiff_t i = 0; i < m; i++) {
        double *ci = c + i * n;
        for (ptrdiff_t p = 0; p < k; p++) {
            const double aip = a[i * ars + p * acs];
            const double *bp = b + p * n;
            for (ptrdiff_t j = 0; j < n; j++) ci[j] += aip * bp[j];
        }
    }
}

// exp(x) for x ≤ 0, branch-free so loops over it vectorise: x = n·ln2 + r with n rounded to
// nearest by the 1.5·2⁵² trick, |r| ≤ ln2/2, e^r by a degree-13 Taylor polynomial (truncation
// < 5e-18), and 2ⁿ built from exponent bits. Arguments below −708 give 0.
static inline double exp_nonpositive(double x) {
    const double shifter = 6755399441055744.0;  // 1.5·2⁵²
    const double xc = x < -708.0 ? -708.0 : x;
    const double nb = xc * 1.4426950408889634 + shifter;
    const double n = nb - shifter;
    const double r = (xc - n * 6.93147180369123816490e-01) - n * 1.90821492927058770002e-10;
    double p = 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    // The low bits of nb hold n as a two's-complement integer; add the bias, move to the exponent.
    uint64_t bits;
    memcpy(&bits, &nb, sizeof bits);
    bits = (bits + 1023) << 52;
    double scale;
    memcpy(&scale, &bits, sizeof scale);
    const double e = p * scale;
    return x < -708.0 ? 0.0 : e;
}

// tanh x = sign(x)·(1 − e)/(1 + e), e = exp(−2|x|); for |x| < 0.02 the odd Taylor series
// (next term 62/2835·x⁹, < 1e-17 relative) avoids the cancellation in 1 − e.
static inline double tanh_scalar(double x) {
    const double ax = fabs(x);
    const double x2 = x * x;
    const double small = x * (1.0 + x2 * (-1.0 / 3.0 + x2 * (2.0 / 15.0 + x2 * (-17.0 / 315.0))));
    const double e = exp_nonpositive(-2.0 * (ax > 20.0 ? 20.0 : ax));
    const double t = (1.0 - e) / (1.0 + e);
    const double signed_t = x < 0 ? -t : t;
    return ax < 0.02 ? small : signed_t;
}

// σ(x) = 1/(1 + e^−x) for x ≥ 0 and e^x/(1 + e^x) below, both from e = exp(−|x|).
static inline double sigmoid_scalar(double x) {
    const double e = exp_nonpositive(-fabs(x));
    return (x >= 0 ? 1.0 : e) / (1.0 + e);
}

// MARK: x86 versions

#ifdef DESCENT_X86

// C = A·B, or C += A·B when `accumulate`, with A read through strides (row i, column p at
// a[i·ars + p·acs]). Every element of C is one chain of fused multiply-adds over p = 0, 1, …, k−1
// starting from C's old value or from +0 — in every loop below, so the result does not depend
// on which loop computes an element (KernelTests.fusedChains checks every product against that
// chain, bit for bit).
#define DESCENT_LOADC(ptr) (load ? _mm256_loadu_pd(ptr) : _mm256_setzero_pd())

// Columns [j0, n) of every row, when fewer than 8 are left (the 1-unit output layer: all of
// them). Each element is a chain of k dependent multiply-adds, so one chain at a time waits on
// the FMA latency at every step; eight rows' chains are run side by side instead.
__attribute__((target("avx2,fma")))
static void gemm_avx2_narrow(ptrdiff_t m, ptrdiff_t j0, ptrdiff_t n, ptrdiff_t k, const double *a, ptrdiff_t ars,
                             ptrdiff_t acs, const double *b, double *c, int load) {
    for (ptrdiff_t j = j0; j < n; j++) {
        ptrdiff_t i = 0;
        if (ars == 1)  // A read down its columns: the rows at one p are adjacent, four vectors of them
            for (; i + 16 <= m; i += 16) {  // (the rows left over take the scalar loop below)
                __m256d acc[4];
                for (int v = 0; v < 4; v++)
                    acc[v] = load ? _mm256_set_pd(c[(i + 4 * v + 3) * n + j], c[(i + 4 * v + 2) * n + j],
                                                  c[(i + 4 * v + 1) * n + j], c[(i + 4 * v) * n + j])
                                  : _mm256_setzero_pd();
                for (ptrdiff_t p = 0; p < k; p++) {
                    const __m256d bp = _mm256_broadcast_sd(b + p * n + j);
                    for (int v = 0; v < 4; v++) acc[v] = _mm256_fmadd_pd(_mm256_loadu_pd(a + i + 4 * v + p * acs), bp, acc[v]);
                }
                double out[16];
                for (int v = 0; v < 4; v++) _mm256_storeu_pd(out + 4 * v, acc[v]);
                for (int r = 0; r < 16; r++) c[(i + r) * n + j] = out[r];
            }
        for (; i + 8 <= m; i += 8) {
            double s[8];
            for (int r = 0; r < 8; r++) s[r] = load ? c[(i + r) * n + j] : 0.0;
            for (ptrdiff_t p = 0; p < k; p++) {
                const double bp = b[p * n + j];
                for (int r = 0; r < 8; r++) s[r] = __builtin_fma(a[(i + r) * ars + p * acs], bp, s[r]);
            }
            for (int r = 0; r < 8; r++) c[(i + r) * n + j] = s[r];
        }
        for (; i < m; i++) {
            double s = load ? c[i * n + j] : 0.0;
            for (ptrdiff_t p = 0; p < k; p++) s = __builtin_fma(a[i * ars + p * acs], b[p * n + j], s);
            c[i * n + j] = s;
        }
    }
}

// The cache blocks (see gemm_avx2_columns).
enum { GEMM_KC = 256, GEMM_MC = 128 };

// Rows [i0, i1) and columns [0, wide) of C (wide a multiple of 8), the chains over the k steps of
// `a` and `b` (already offset to the block's first step): 4 rows × 8 columns at a time (two 4-wide
// vectors per row, eight accumulators), then single rows. Column panels are the outer loop, so one
// panel of B (k × 8) stays in L1 while the rows stream past it.
__attribute__((target("avx2,fma")))
static void gemm_avx2_tiles(ptrdiff_t i0, ptrdiff_t i1, ptrdiff_t wide, ptrdiff_t n, ptrdiff_t k, const double *a,
                            ptrdiff_t ars, ptrdiff_t acs, const double *b_full, double *c, int load) {
    // Rows of B 64 or more doubles long are 512+ bytes apart, a power of two apart in the 64-unit and
    // wide layers (64 doubles: 512 B; 1024: 8 KB): the k rows of one 8-column panel then fall into a few
    // L1 sets and evict each other at every step. Such a panel is first copied into `panel`, 8 doubles
    // per row (at 64 columns this took a 64 × 64 × 64 product from about 28 to 40 GFLOP/s).
    double panel[GEMM_KC * 8] __attribute__((aligned(32)));
    const int pack = n >= 64 && k <= GEMM_KC && i1 - i0 >= 16;
    for (ptrdiff_t j = 0; j + 8 <= wide; j += 8) {
        const double *b = b_full;
        ptrdiff_t bn = n, bj = j;  // B's row stride and the panel's first column within b
        if (pack) {
            for (ptrdiff_t p = 0; p < k; p++) {
                _mm256_store_pd(panel + 8 * p, _mm256_loadu_pd(b_full + p * n + j));
                _mm256_store_pd(panel + 8 * p + 4, _mm256_loadu_pd(b_full + p * n + j + 4));
            }
            b = panel; bn = 8; bj = 0;
        }
        // 6 rows × 8 columns (twelve accumulators: enough independent chains to cover the FMA latency of
        // both ports; 4 × 8 has eight), then 4 × 8, then single rows: as many 6-row tiles as leave no more
        // single rows than the parity of the row count forces (32 rows: 4 × 6 + 2 × 4, not 5 × 6 + 2 × 1).
        ptrdiff_t i = i0, six = (i1 - i0) / 6;
        while (six > 0 && (i1 - i0 - 6 * six) % 4 != (i1 - i0) % 2) six--;
        for (const ptrdiff_t i6 = i0 + 6 * six; i < i6; i += 6) {
            __m256d c00 = DESCENT_LOADC(c + (i + 0) * n + j), c01 = DESCENT_LOADC(c + (i + 0) * n + j + 4);
            __m256d c10 = DESCENT_LOADC(c + (i + 1) * n + j), c11 = DESCENT_LOADC(c + (i + 1) * n + j + 4);
            __m256d c20 = DESCENT_LOADC(c + (i + 2) * n + j), c21 = DESCENT_LOADC(c + (i + 2) * n + j + 4);
            __m256d c30 = DESCENT_LOADC(c + (i + 3) * n + j), c31 = DESCENT_LOADC(c + (i + 3) * n + j + 4);
            __m256d c40 = DESCENT_LOADC(c + (i + 4) * n + j), c41 = DESCENT_LOADC(c + (i + 4) * n + j + 4);
            __m256d c50 = DESCENT_LOADC(c + (i + 5) * n + j), c51 = DESCENT_LOADC(c + (i + 5) * n + j + 4);
            const double *a0 = a + (i + 0) * ars, *a1 = a + (i + 1) * ars, *a2 = a + (i + 2) * ars;
            const double *a3 = a + (i + 3) * ars, *a4 = a + (i + 4) * ars, *a5 = a + (i + 5) * ars;
            for (ptrdiff_t p = 0; p < k; p++) {
                const __m256d b0 = _mm256_loadu_pd(b + p * bn + bj), b1 = _mm256_loadu_pd(b + p * bn + bj + 4);
                __m256d x = _mm256_broadcast_sd(a0 + p * acs);
                c00 = _mm256_fmadd_pd(x, b0, c00); c01 = _mm256_fmadd_pd(x, b1, c01);
                x = _mm256_broadcast_sd(a1 + p * acs);
                c10 = _mm256_fmadd_pd(x, b0, c10); c11 = _mm256_fmadd_pd(x, b1, c11);
                x = _mm256_broadcast_sd(a2 + p * acs);
                c20 = _mm256_fmadd_pd(x, b0, c20); c21 = _mm256_fmadd_pd(x, b1, c21);
                x = _mm256_broadcast_sd(a3 + p * acs);
                c30 = _mm256_fmadd_pd(x, b0, c30); c31 = _mm256_fmadd_pd(x, b1, c31);
                x = _mm256_broadcast_sd(a4 + p * acs);
                c40 = _mm256_fmadd_pd(x, b0, c40); c41 = _mm256_fmadd_pd(x, b1, c41);
                x = _mm256_broadcast_sd(a5 + p * acs);
                c50 = _mm256_fmadd_pd(x, b0, c50); c51 = _mm256_fmadd_pd(x, b1, c51);
            }
            _mm256_storeu_pd(c + (i + 0) * n + j, c00); _mm256_storeu_pd(c + (i + 0) * n + j + 4, c01);
            _mm256_storeu_pd(c + (i + 1) * n + j, c10); _mm256_storeu_pd(c + (i + 1) * n + j + 4, c11);
            _mm256_storeu_pd(c + (i + 2) * n + j, c20); _mm256_storeu_pd(c + (i + 2) * n + j + 4, c21);
            _mm256_storeu_pd(c + (i + 3) * n + j, c30); _mm256_storeu_pd(c + (i + 3) * n + j + 4, c31);
            _mm256_storeu_pd(c + (i + 4) * n + j, c40); _mm256_storeu_pd(c + (i + 4) * n + j + 4, c41);
            _mm256_storeu_pd(c + (i + 5) * n + j, c50); _mm256_storeu_pd(c + (i + 5) * n + j + 4, c51);
        }
        for (; i + 4 <= i1; i += 4) {
            __m256d c00 = DESCENT_LOADC(c + (i + 0) * n + j), c01 = DESCENT_LOADC(c + (i + 0) * n + j + 4);
            __m256d c10 = DESCENT_LOADC(c + (i + 1) * n + j), c11 = DESCENT_LOADC(c + (i + 1) * n + j + 4);
            __m256d c20 = DESCENT_LOADC(c + (i + 2) * n + j), c21 = DESCENT_LOADC(c + (i + 2) * n + j + 4);
            __m256d c30 = DESCENT_LOADC(c + (i + 3) * n + j), c31 = DESCENT_LOADC(c + (i + 3) * n + j + 4);
            const double *a0 = a + (i + 0) * ars, *a1 = a + (i + 1) * ars, *a2 = a + (i + 2) * ars, *a3 = a + (i + 3) * ars;
            for (ptrdiff_t p = 0; p < k; p++) {
                const __m256d b0 = _mm256_loadu_pd(b + p * bn + bj), b1 = _mm256_loadu_pd(b + p * bn + bj + 4);
                __m256d x = _mm256_broadcast_sd(a0 + p * acs);
                c00 = _mm256_fmadd_pd(x, b0, c00); c01 = _mm256_fmadd_pd(x, b1, c01);
                x = _mm256_broadcast_sd(a1 + p * acs);
                c10 = _mm256_fmadd_pd(x, b0, c10); c11 = _mm256_fmadd_pd(x, b1, c11);
                x = _mm256_broadcast_sd(a2 + p * acs);
                c20 = _mm256_fmadd_pd(x, b0, c20); c21 = _mm256_fmadd_pd(x, b1, c21);
                x = _mm256_broadcast_sd(a3 + p * acs);
                c30 = _mm256_fmadd_pd(x, b0, c30); c31 = _mm256_fmadd_pd(x, b1, c31);
            }
            _mm256_storeu_pd(c + (i + 0) * n + j, c00); _mm256_storeu_pd(c + (i + 0) * n + j + 4, c01);
            _mm256_storeu_pd(c + (i + 1) * n + j, c10); _mm256_storeu_pd(c + (i + 1) * n + j + 4, c11);
            _mm256_storeu_pd(c + (i + 2) * n + j, c20); _mm256_storeu_pd(c + (i + 2) * n + j + 4, c21);
            _mm256_storeu_pd(c + (i + 3) * n + j, c30); _mm256_storeu_pd(c + (i + 3) * n + j + 4, c31);
        }
        for (; i < i1; i++) {
            __m256d c0 = DESCENT_LOADC(c + i * n + j), c1 = DESCENT_LOADC(c + i * n + j + 4);
            for (ptrdiff_t p = 0; p < k; p++) {
                const __m256d x = _mm256_broadcast_sd(a + i * ars + p * acs);
                c0 = _mm256_fmadd_pd(x, _mm256_loadu_pd(b + p * bn + bj), c0);
                c1 = _mm256_fmadd_pd(x, _mm256_loadu_pd(b + p * bn + bj + 4), c1);
            }
            _mm256_storeu_pd(c + i * n + j, c0); _mm256_storeu_pd(c + i * n + j + 4, c1);
        }
    }
}

// A read down its columns (acs ≠ 1: the weight gradient Xᵀ·δ reads X column by column). Each
// step of the 4 × 8 loop would broadcast from four addresses acs apart — a new cache line per
// step, and A no longer fits L1 beside B — so a 4-row panel of A is first copied p-major into
// `panel`, GEMM_KC steps at a time; a later chunk continues the chains from the values the earlier
// one stored in C, so the order of the sums is unchanged.
__attribute__((target("avx2,fma")))
static void gemm_avx2_packed(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const double *a, ptrdiff_t ars, ptrdiff_t acs,
                             const double *b, double *c, int accumulate) {
    double panel[4 * GEMM_KC] __attribute__((aligned(32)));
    ptrdiff_t i = 0;
    for (; i + 4 <= m; i += 4) {
        for (ptrdiff_t p0 = 0; p0 < k || p0 == 0; p0 += GEMM_KC) {
            const ptrdiff_t kc = k - p0 < GEMM_KC ? k - p0 : GEMM_KC;
            const int load = accumulate || p0 > 0;
            for (ptrdiff_t p = 0; p < kc; p++)
                for (int r = 0; r < 4; r++) panel[4 * p + r] = a[(i + r) * ars + (p0 + p) * acs];
            const double *bp0 = b + p0 * n;
            ptrdiff_t j = 0;
            for (; j + 8 <= n; j += 8) {
                __m256d c00 = DESCENT_LOADC(c + (i + 0) * n + j), c01 = DESCENT_LOADC(c + (i + 0) * n + j + 4);
                __m256d c10 = DESCENT_LOADC(c + (i + 1) * n + j), c11 = DESCENT_LOADC(c + (i + 1) * n + j + 4);
                __m256d c20 = DESCENT_LOADC(c + (i + 2) * n + j), c21 = DESCENT_LOADC(c + (i + 2) * n + j + 4);
                __m256d c30 = DESCENT_LOADC(c + (i + 3) * n + j), c31 = DESCENT_LOADC(c + (i + 3) * n + j + 4);
                for (ptrdiff_t p = 0; p < kc; p++) {
                    const __m256d b0 = _mm256_loadu_pd(bp0 + p * n + j), b1 = _mm256_loadu_pd(bp0 + p * n + j + 4);
                    const double *ap = panel + 4 * p;
                    __m256d x = _mm256_broadcast_sd(ap + 0);
                    c00 = _mm256_fmadd_pd(x, b0, c00); c01 = _mm256_fmadd_pd(x, b1, c01);
                    x = _mm256_broadcast_sd(ap + 1);
                    c10 = _mm256_fmadd_pd(x, b0, c10); c11 = _mm256_fmadd_pd(x, b1, c11);
                    x = _mm256_broadcast_sd(ap + 2);
                    c20 = _mm256_fmadd_pd(x, b0, c20); c21 = _mm256_fmadd_pd(x, b1, c21);
                    x = _mm256_broadcast_sd(ap + 3);
                    c30 = _mm256_fmadd_pd(x, b0, c30); c31 = _mm256_fmadd_pd(x, b1, c31);
                }
                _mm256_storeu_pd(c + (i + 0) * n + j, c00); _mm256_storeu_pd(c + (i + 0) * n + j + 4, c01);
                _mm256_storeu_pd(c + (i + 1) * n + j, c10); _mm256_storeu_pd(c + (i + 1) * n + j + 4, c11);
                _mm256_storeu_pd(c + (i + 2) * n + j, c20); _mm256_storeu_pd(c + (i + 2) * n + j + 4, c21);
                _mm256_storeu_pd(c + (i + 3) * n + j, c30); _mm256_storeu_pd(c + (i + 3) * n + j + 4, c31);
            }
        }
    }
    const ptrdiff_t wide = n - n % 8;
    gemm_avx2_tiles(i, m, wide, n, k, a, ars, acs, b, c, accumulate);  // the < 4 rows left over, one at a time
    if (wide < n) gemm_avx2_narrow(m, wide, n, k, a, ars, acs, b, c, accumulate);
}

// Cache blocks: KC steps of the sum at a time, and MC rows of A per block, so the block of A
// (MC × KC doubles, 256 KB) stays in L2 while every column panel of B (KC × 8, 16 KB) passes
// through L1. Without them a wide product (512 × 1024 · 1024 × 1024) streamed all of A from memory
// once per 8 columns: 4 GFLOP/s instead of 40. A later block of steps continues each element's
// chain from the value the earlier one stored in C, so the sums are unchanged.

// Each thread's buffer for a packed block of A (GEMM_MC × GEMM_KC doubles, 256 KB), allocated at its
// first large product and freed when the thread ends; NULL (and the product reads A in place) when
// it cannot be allocated.
static pthread_key_t a_pack_key;
static pthread_once_t a_pack_once = PTHREAD_ONCE_INIT;
static int a_pack_key_ok = 0;
static void a_pack_key_create(void) { a_pack_key_ok = pthread_key_create(&a_pack_key, free) == 0; }

static double *a_pack_buffer(void) {
    pthread_once(&a_pack_once, a_pack_key_create);
    if (!a_pack_key_ok) return NULL;
    double *buffer = pthread_getspecific(a_pack_key);
    if (!buffer) {
        buffer = aligned_alloc(64, sizeof(double) * GEMM_MC * GEMM_KC);
        if (buffer && pthread_setspecific(a_pack_key, buffer) != 0) { free(buffer); buffer = NULL; }
    }
    return buffer;
}

// Columns [j0, j1) of C = A·B (or C += A·B), j0 and j1 multiples of 8, plus the narrow columns
// past the last multiple of 8 when `narrow`: the cache-blocked loops. Each call computes whole
// columns of C, so splitting the columns between threads leaves every element's chain as it was.
__attribute__((target("avx2,fma")))
static void gemm_avx2_columns(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const double *a, ptrdiff_t ars, ptrdiff_t acs,
                              const double *b, double *c, int accumulate, ptrdiff_t j0, ptrdiff_t j1, int narrow) {
    const ptrdiff_t wide = n - n % 8;
    // A read across long rows (more than 64 doubles apart) or down its columns (Aᵀ·B): its block is
    // copied row by row into a contiguous buffer first, where it stays in L2 for every column panel
    // (rows 8 KB apart, as in a 1024-wide layer, map onto a few L2 sets and evict each other).
    double *packed = (acs != 1 || ars > 64) && j1 - j0 >= 32 && m >= 16 ? a_pack_buffer() : NULL;
    for (ptrdiff_t p0 = 0; p0 < k || p0 == 0; p0 += GEMM_KC) {
        const ptrdiff_t kc = k - p0 < GEMM_KC ? k - p0 : GEMM_KC;
        const int load = accumulate || p0 > 0;
        const double *ap = a + p0 * acs, *bp = b + p0 * n;
        for (ptrdiff_t i0 = 0; i0 < m; i0 += GEMM_MC) {
            const ptrdiff_t i1 = i0 + GEMM_MC < m ? i0 + GEMM_MC : m;
            if (packed && kc > 0) {
                for (ptrdiff_t i = i0; i < i1; i++)
                    for (ptrdiff_t p = 0; p < kc; p++) packed[(i - i0) * kc + p] = ap[i * ars + p * acs];
                gemm_avx2_tiles(0, i1 - i0, j1 - j0, n, kc, packed, kc, 1, bp + j0, c + i0 * n + j0, load);
            } else {
                gemm_avx2_tiles(i0, i1, j1 - j0, n, kc, ap, ars, acs, bp + j0, c + j0, load);
            }
        }
        if (narrow && wide < n) gemm_avx2_narrow(m, wide, n, kc, ap, ars, acs, bp, c, load);
    }
}

static int run_on_helper(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const double *a, ptrdiff_t ars, ptrdiff_t acs,
                         const double *b, double *c, int accumulate, ptrdiff_t j0, ptrdiff_t j1);
static void wait_for_helper(void);
static int kernel_threads = 1;

// C = A·B, or C += A·B when `accumulate`; C is read only when accumulating (the accumulators start
// at +0 otherwise, as a zeroed C would give). With two threads (descent_set_threads) a product of
// at least 2²¹ multiply-adds gives the helper the right part of C's columns.
__attribute__((target("avx2,fma")))
static void gemm_avx2(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const double *a, ptrdiff_t ars, ptrdiff_t acs,
                      const double *b, double *c, int accumulate) {
    // Aᵀ·B over a long batch with few columns: the packed panels (their B chunk, KC × n, stays in L2).
    if (acs != 1 && m >= 4 && n >= 8 && n <= 64 && k >= GEMM_KC) {
        gemm_avx2_packed(m, n, k, a, ars, acs, b, c, accumulate);
        return;
    }
    const ptrdiff_t wide = n - n % 8;
    if (__atomic_load_n(&kernel_threads, __ATOMIC_RELAXED) > 1 && wide >= 16 && (double)m * n * k >= 2097152.0) {
        const ptrdiff_t half = (wide / 16) * 8;  // columns [0, half) here, [half, n) on the helper
        if (run_on_helper(m, n, k, a, ars, acs, b, c, accumulate, half, wide)) {
            gemm_avx2_columns(m, n, k, a, ars, acs, b, c, accumulate, 0, half, 0);
            wait_for_helper();
            return;
        }
    }
    gemm_avx2_columns(m, n, k, a, ars, acs, b, c, accumulate, 0, wide, 1);
}
#undef DESCENT_LOADC

// MARK: the helper thread
// One helper, started at the first two-thread product and then kept: it waits on a condition
// variable for a range of columns, computes it with the same loops, and signals when done. A
// product that finds the helper busy (another thread of the caller's is using it) runs alone —
// the same numbers either way.
static pthread_mutex_t helper_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t helper_wake = PTHREAD_COND_INITIALIZER, helper_done = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t helper_owner = PTHREAD_MUTEX_INITIALIZER;  // held by the product using the helper
static int helper_started = 0, helper_has_job = 0;
static struct {
    ptrdiff_t m, n, k, ars, acs, j0, j1;
    const double *a, *b;
    double *c;
    int accumulate;
} helper_job;

__attribute__((target("avx2,fma")))
static void *helper_main(void *unused) {
    (void)unused;
    pthread_mutex_lock(&helper_lock);
    for (;;) {
        while (!helper_has_job) pthread_cond_wait(&helper_wake, &helper_lock);
        pthread_mutex_unlock(&helper_lock);
        gemm_avx2_columns(helper_job.m, helper_job.n, helper_job.k, helper_job.a, helper_job.ars, helper_job.acs,
                          helper_job.b, helper_job.c, helper_job.accumulate, helper_job.j0, helper_job.j1, 1);
        pthread_mutex_lock(&helper_lock);
        helper_has_job = 0;
        pthread_cond_signal(&helper_done);
    }
    return NULL;
}

static int run_on_helper(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const double *a, ptrdiff_t ars, ptrdiff_t acs,
                         const double *b, double *c, int accumulate, ptrdiff_t j0, ptrdiff_t j1) {
    if (pthread_mutex_trylock(&helper_owner) != 0) return 0;
    pthread_mutex_lock(&helper_lock);
    if (!helper_started) {
        pthread_t thread;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        const int failed = pthread_create(&thread, &attr, helper_main, NULL);
        pthread_attr_destroy(&attr);
        if (failed) {
            pthread_mutex_unlock(&helper_lock);
            pthread_mutex_unlock(&helper_owner);
            return 0;
        }
        helper_started = 1;
    }
    helper_job.m = m; helper_job.n = n; helper_job.k = k; helper_job.a = a; helper_job.ars = ars;
    helper_job.acs = acs; helper_job.b = b; helper_job.c = c; helper_job.accumulate = accumulate;
    helper_job.j0 = j0; helper_job.j1 = j1;
    helper_has_job = 1;
    pthread_cond_signal(&helper_wake);
    pthread_mutex_unlock(&helper_lock);
    return 1;
}

static void wait_for_helper(void) {
    pthread_mutex_lock(&helper_lock);
    while (helper_has_job) pthread_cond_wait(&helper_done, &helper_lock);
    pthread_mutex_unlock(&helper_lock);
    pthread_mutex_unlock(&helper_owner);
}

// 8 rows × 16 columns of C per step (two 8-wide vectors per row, sixteen accumulators).
__attribute__((target("avx512f")))
static void gemm_avx512(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const double *a, ptrdiff_t ars, ptrdiff_t acs,
                        const double *b, double *c, int accumulate) {
    // C is read only when accumulating, so no pass is spent zeroing it first.
    ptrdiff_t j = 0;
    for (; j + 16 <= n; j += 16) {
        ptrdiff_t i = 0;
        for (; i + 8 <= m; i += 8) {
            __m512d acc[8][2];
            for (int r = 0; r < 8; r++) {
                acc[r][0] = accumulate ? _mm512_loadu_pd(c + (i + r) * n + j) : _mm512_setzero_pd();
                acc[r][1] = accumulate ? _mm512_loadu_pd(c + (i + r) * n + j + 8) : _mm512_setzero_pd();
            }
            const double *ai = a + i * ars;
            for (ptrdiff_t p = 0; p < k; p++) {
                const __m512d b0 = _mm512_loadu_pd(b + p * n + j), b1 = _mm512_loadu_pd(b + p * n + j + 8);
                const double *ap = ai + p * acs;
                for (int r = 0; r < 8; r++) {
                    const __m512d x = _mm512_set1_pd(ap[r * ars]);
                    acc[r][0] = _mm512_fmadd_pd(x, b0, acc[r][0]);
                    acc[r][1] = _mm512_fmadd_pd(x, b1, acc[r][1]);
                }
            }
            for (int r = 0; r < 8; r++) {
                _mm512_storeu_pd(c + (i + r) * n + j, acc[r][0]);
                _mm512_storeu_pd(c + (i + r) * n + j + 8, acc[r][1]);
            }
        }
        for (; i < m; i++) {
            __m512d c0 = accumulate ? _mm512_loadu_pd(c + i * n + j) : _mm512_setzero_pd();
            __m512d c1 = accumulate ? _mm512_loadu_pd(c + i * n + j + 8) : _mm512_setzero_pd();
            for (ptrdiff_t p = 0; p < k; p++) {
                const __m512d x = _mm512_set1_pd(a[i * ars + p * acs]);
                c0 = _mm512_fmadd_pd(x, _mm512_loadu_pd(b + p * n + j), c0);
                c1 = _mm512_fmadd_pd(x, _mm512_loadu_pd(b + p * n + j + 8), c1);
            }
            _mm512_storeu_pd(c + i * n + j, c0); _mm512_storeu_pd(c + i * n + j + 8, c1);
        }
    }
    if (j < n) {
        // The remaining columns with the AVX2 kernel's structure (it handles any width).
        for (ptrdiff_t i = 0; i < m; i++) {
            for (ptrdiff_t jj = j; jj < n; jj++) {
                double s = accumulate ? c[i * n + jj] : 0.0;
                for (ptrdiff_t p = 0; p < k; p++) s += a[i * ars + p * acs] * b[p * n + jj];
                c[i * n + jj] = s;
            }
        }
    }
}

// exp(x) for x ≤ 0 on 8 lanes: the same reduction and polynomial as exp_nonpositive, with 2ⁿ
// applied by vscalefpd (exact for the exponents that occur here).
__attribute__((target("avx512f")))
static inline __m512d exp_nonpositive_avx512(__m512d x) {
    // max(−708, x), in this operand order: vmaxpd returns its second operand when either is NaN,
    // so a NaN stays NaN (as in exp_nonpositive_avx2 and the scalar code).
    const __m512d xc = _mm512_max_pd(_mm512_set1_pd(-708.0), x);
    const __m512d n = _mm512_roundscale_pd(_mm512_mul_pd(xc, _mm512_set1_pd(1.4426950408889634)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512d r = _mm512_fnmadd_pd(n, _mm512_set1_pd(6.93147180369123816490e-01), xc);
    r = _mm512_fnmadd_pd(n, _mm512_set1_pd(1.90821492927058770002e-10), r);
    __m512d p = _mm512_set1_pd(1.0 / 6227020800.0);
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 479001600.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 39916800.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 3628800.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 362880.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 40320.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 5040.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 720.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 120.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 24.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 6.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(0.5));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0));
    const __m512d e = _mm512_scalef_pd(p, n);
    const __mmask8 under = _mm512_cmp_pd_mask(x, _mm512_set1_pd(-708.0), _CMP_LT_OQ);
    return _mm512_mask_blend_pd(under, e, _mm512_setzero_pd());
}

__attribute__((target("avx512f")))
static void tanh_avx512(ptrdiff_t n, const double *x, double *y) {
    const __m512d one = _mm512_set1_pd(1.0);
    const __m512i absMask = _mm512_set1_epi64(0x7FFFFFFFFFFFFFFFLL);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m512d v = _mm512_loadu_pd(x + i);
        const __m512d ax = _mm512_castsi512_pd(_mm512_and_si512(_mm512_castpd_si512(v), absMask));
        // min(20, |x|): NaN kept (second operand), as in tanh4_avx2.
        const __m512d e = exp_nonpositive_avx512(_mm512_mul_pd(_mm512_set1_pd(-2.0), _mm512_min_pd(_mm512_set1_pd(20.0), ax)));
        __m512d t = _mm512_div_pd(_mm512_sub_pd(one, e), _mm512_add_pd(one, e));
        // restore the sign of x
        t = _mm512_castsi512_pd(_mm512_or_si512(_mm512_castpd_si512(t),
                _mm512_andnot_si512(absMask, _mm512_castpd_si512(v))));
        const __m512d x2 = _mm512_mul_pd(v, v);
        __m512d s = _mm512_fmadd_pd(x2, _mm512_set1_pd(-17.0 / 315.0), _mm512_set1_pd(2.0 / 15.0));
        s = _mm512_fmadd_pd(x2, s, _mm512_set1_pd(-1.0 / 3.0));
        s = _mm512_fmadd_pd(x2, s, one);
        s = _mm512_mul_pd(v, s);
        const __mmask8 small = _mm512_cmp_pd_mask(ax, _mm512_set1_pd(0.02), _CMP_LT_OQ);
        _mm512_storeu_pd(y + i, _mm512_mask_blend_pd(small, t, s));
    }
    for (; i < n; i++) y[i] = tanh_scalar(x[i]);
}

__attribute__((target("avx512f")))
static void sigmoid_avx512(ptrdiff_t n, const double *x, double *y) {
    const __m512d one = _mm512_set1_pd(1.0);
    const __m512i absMask = _mm512_set1_epi64(0x7FFFFFFFFFFFFFFFLL);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m512d v = _mm512_loadu_pd(x + i);
        const __m512d ax = _mm512_castsi512_pd(_mm512_and_si512(_mm512_castpd_si512(v), absMask));
        const __m512d e = exp_nonpositive_avx512(_mm512_sub_pd(_mm512_setzero_pd(), ax));
        const __mmask8 nonneg = _mm512_cmp_pd_mask(v, _mm512_setzero_pd(), _CMP_GE_OQ);
        const __m512d num = _mm512_mask_blend_pd(nonneg, e, one);
        _mm512_storeu_pd(y + i, _mm512_div_pd(num, _mm512_add_pd(one, e)));
    }
    for (; i < n; i++) y[i] = sigmoid_scalar(x[i]);
}

__attribute__((target("avx512f")))
static void add_bias_avx512(ptrdiff_t m, ptrdiff_t n, const double *bias, double *c) {
    for (ptrdiff_t i = 0; i < m; i++)
        for (ptrdiff_t j = 0; j < n; j++) c[i * n + j] += bias[j];
}

__attribute__((target("avx512f")))
static void column_sums_avx512(ptrdiff_t m, ptrdiff_t n, const double *a, double *s) {
    for (ptrdiff_t j = 0; j < n; j++) s[j] = 0;
    for (ptrdiff_t i = 0; i < m; i++)
        for (ptrdiff_t j = 0; j < n; j++) s[j] += a[i * n + j];
}

// exp_nonpositive on four lanes. The compiler does not vectorise the scalar loop (the bit
// tricks and selects defeat it), so these are written out; each lane performs exactly the
// operations of exp_nonpositive as compiled for this target — where the scalar code's
// `a * b + c` is contracted into one fused multiply-add, so is this — and the results are
// bit for bit those of the scalar loop (KernelTests checks it on random and edge inputs).
// The reduction and polynomial of exp_nonpositive for xc in [−708, 0] (or NaN), without its
// guard for arguments below −708 (tanh's never are).
__attribute__((target("avx2,fma")))
static inline __m256d exp_core_avx2(__m256d xc) {
    const __m256d shifter = _mm256_set1_pd(6755399441055744.0);
    const __m256d nb = _mm256_fmadd_pd(xc, _mm256_set1_pd(1.4426950408889634), shifter);
    const __m256d n = _mm256_sub_pd(nb, shifter);
    __m256d r = _mm256_fnmadd_pd(n, _mm256_set1_pd(6.93147180369123816490e-01), xc);
    r = _mm256_fnmadd_pd(n, _mm256_set1_pd(1.90821492927058770002e-10), r);
    __m256d p = _mm256_set1_pd(1.0 / 6227020800.0);
    p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 479001600.0));
    p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 39916800.0));
    p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 3628800.0));
    p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 362880.0));
    p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 40320.0));
    p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 5040.0));
    p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 720.0));
    p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 120.0));
    p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 24.0));
    p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 6.0));
    p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(0.5));
    p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0));
    p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0));
    const __m256i bits = _mm256_slli_epi64(_mm256_add_epi64(_mm256_castpd_si256(nb), _mm256_set1_epi64x(1023)), 52);
    return _mm256_mul_pd(p, _mm256_castsi256_pd(bits));
}

// exp_nonpositive with its guard: max(−708, x) keeps a NaN (the second operand is returned when
// either is NaN), as the scalar code's select does, and lanes below −708 are zeroed by a mask.
__attribute__((target("avx2,fma")))
static inline __m256d exp_nonpositive_avx2(__m256d x) {
    const __m256d under = _mm256_cmp_pd(x, _mm256_set1_pd(-708.0), _CMP_LT_OQ);
    return _mm256_andnot_pd(under, exp_core_avx2(_mm256_max_pd(_mm256_set1_pd(-708.0), x)));
}

// tanh_scalar on four lanes, with the same values and fewer operations: min(20, |x|) for the
// clamp (NaN kept, as above); −2·min(20, |x|) ≥ −40, so exp needs no underflow guard; t ≥ +0,
// so the sign is x's sign bit xor-ed in (x = −0 takes the small branch); and the small-|x|
// series is evaluated only when a lane needs it.
__attribute__((target("avx2,fma")))
static inline __m256d tanh4_avx2(__m256d v) {
    const __m256d one = _mm256_set1_pd(1.0), sign = _mm256_set1_pd(-0.0);
    const __m256d ax = _mm256_andnot_pd(sign, v);
    const __m256d e = exp_core_avx2(_mm256_mul_pd(_mm256_set1_pd(-2.0), _mm256_min_pd(_mm256_set1_pd(20.0), ax)));
    const __m256d t = _mm256_div_pd(_mm256_sub_pd(one, e), _mm256_add_pd(one, e));
    const __m256d signed_t = _mm256_xor_pd(t, _mm256_and_pd(v, sign));
    const __m256d small = _mm256_cmp_pd(ax, _mm256_set1_pd(0.02), _CMP_LT_OQ);
    if (!_mm256_movemask_pd(small)) return signed_t;
    const __m256d x2 = _mm256_mul_pd(v, v);
    __m256d s = _mm256_fmadd_pd(x2, _mm256_set1_pd(-17.0 / 315.0), _mm256_set1_pd(2.0 / 15.0));
    s = _mm256_fmadd_pd(x2, s, _mm256_set1_pd(-1.0 / 3.0));
    s = _mm256_mul_pd(v, _mm256_fmadd_pd(x2, s, one));
    return _mm256_blendv_pd(signed_t, s, small);
}

__attribute__((target("avx2,fma")))
static inline __m256d sigmoid4_avx2(__m256d v) {
    const __m256d one = _mm256_set1_pd(1.0);
    const __m256d e = exp_nonpositive_avx2(_mm256_or_pd(v, _mm256_set1_pd(-0.0)));
    const __m256d num = _mm256_blendv_pd(e, one, _mm256_cmp_pd(v, _mm256_setzero_pd(), _CMP_GE_OQ));
    return _mm256_div_pd(num, _mm256_add_pd(one, e));
}

// Two vectors per iteration: each is a chain of about twenty dependent operations, and two
// independent chains keep the FMA units busy while the other waits.
__attribute__((target("avx2,fma")))
static void tanh_avx2(ptrdiff_t n, const double *x, double *y) {
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256d a = tanh4_avx2(_mm256_loadu_pd(x + i)), b = tanh4_avx2(_mm256_loadu_pd(x + i + 4));
        _mm256_storeu_pd(y + i, a);
        _mm256_storeu_pd(y + i + 4, b);
    }
    for (; i + 4 <= n; i += 4) _mm256_storeu_pd(y + i, tanh4_avx2(_mm256_loadu_pd(x + i)));
    for (; i < n; i++) y[i] = tanh_scalar(x[i]);
}

__attribute__((target("avx2,fma")))
static void sigmoid_avx2(ptrdiff_t n, const double *x, double *y) {
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256d a = sigmoid4_avx2(_mm256_loadu_pd(x + i)), b = sigmoid4_avx2(_mm256_loadu_pd(x + i + 4));
        _mm256_storeu_pd(y + i, a);
        _mm256_storeu_pd(y + i + 4, b);
    }
    for (; i + 4 <= n; i += 4) _mm256_storeu_pd(y + i, sigmoid4_avx2(_mm256_loadu_pd(x + i)));
    for (; i < n; i++) y[i] = sigmoid_scalar(x[i]);
}

// The scalar loops the vector versions above must equal bit for bit (for KernelTests).
__attribute__((target("avx2,fma")))
static void tanh_avx2_scalar(ptrdiff_t n, const double *x, double *y) {
    for (ptrdiff_t i = 0; i < n; i++) y[i] = tanh_scalar(x[i]);
}

__attribute__((target("avx2,fma")))
static void sigmoid_avx2_scalar(ptrdiff_t n, const double *x, double *y) {
    for (ptrdiff_t i = 0; i < n; i++) y[i] = sigmoid_scalar(x[i]);
}

enum { ISA_UNKNOWN, ISA_PORTABLE, ISA_AVX2, ISA_AVX512 };
static int isa = ISA_UNKNOWN;
static pthread_once_t isa_once = PTHREAD_ONCE_INIT;

static int best_supported(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return ISA_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return ISA_AVX2;
    return ISA_PORTABLE;
}

static const char *isa_name(int which) {
    return which == ISA_AVX512 ? "avx512" : which == ISA_AVX2 ? "avx2" : "portable";
}

// The best path this CPU supports, unless DESCENT_KERNELS=portable|avx2|avx512 asks for another
// one it supports. Read once, at the first kernel call; a value that is unknown or that this
// CPU cannot run is ignored with one line on stderr.
static void choose(void) {
    const int best = best_supported();
    int chosen = best;
    const char *wanted = getenv("DESCENT_KERNELS");
    if (wanted && *wanted) {
        int asked = ISA_UNKNOWN;
        if (strcmp(wanted, "portable") == 0) asked = ISA_PORTABLE;
        else if (strcmp(wanted, "avx2") == 0) asked = ISA_AVX2;
        else if (strcmp(wanted, "avx512") == 0) asked = ISA_AVX512;
        if (asked == ISA_UNKNOWN)
            fprintf(stderr, "descent: DESCENT_KERNELS=%s is not one of portable, avx2, avx512; ignored, using %s\n",
                    wanted, isa_name(best));
        else if (asked > best)
            fprintf(stderr, "descent: DESCENT_KERNELS=%s is not supported by this CPU; ignored, using %s\n",
                    wanted, isa_name(best));
        else chosen = asked;
    }
    isa = chosen;
}

static int detect(void) {
    pthread_once(&isa_once, choose);
    return isa;
}
#endif

// MARK: public entry points

void descent_gemm(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const double *a, ptrdiff_t ars, ptrdiff_t acs,
                  const double *b, double *c, int accumulate) {
#ifdef DESCENT_X86
    switch (detect()) {
    case ISA_AVX512: gemm_avx512(m, n, k, a, ars, acs, b, c, accumulate); return;
    case ISA_AVX2: gemm_avx2(m, n, k, a, ars, acs, b, c, accumulate); return;
    default: break;
    }
#endif
    gemm_portable(m, n, k, a, ars, acs, b, c, accumulate);
}

int descent_set_threads(int threads) {
#ifdef DESCENT_X86
    if (threads < 1 || threads > 2) return 0;
    __atomic_store_n(&kernel_threads, threads, __ATOMIC_RELAXED);
    return 1;
#else
    return threads == 1;
#endif
}

int descent_threads(void) {
#ifdef DESCENT_X86
    return __atomic_load_n(&kernel_threads, __ATOMIC_RELAXED);
#else
    return 1;
#endif
}

#ifdef DESCENT_X86
// 4 × 4 blocks through registers: four row loads, two rounds of shuffles, four column stores.
__attribute__((target("avx2")))
static void transpose_avx2(ptrdiff_t rows, ptrdiff_t cols, const double *src, double *dst) {
    const ptrdiff_t r4 = rows - rows % 4, c4 = cols - cols % 4;
    for (ptrdiff_t i = 0; i < r4; i += 4)
        for (ptrdiff_t j = 0; j < c4; j += 4) {
            const __m256d a = _mm256_loadu_pd(src + (i + 0) * cols + j), b = _mm256_loadu_pd(src + (i + 1) * cols + j);
            const __m256d c = _mm256_loadu_pd(src + (i + 2) * cols + j), d = _mm256_loadu_pd(src + (i + 3) * cols + j);
            const __m256d ab0 = _mm256_unpacklo_pd(a, b), ab1 = _mm256_unpackhi_pd(a, b);  // a0 b0 a2 b2 | a1 b1 a3 b3
            const __m256d cd0 = _mm256_unpacklo_pd(c, d), cd1 = _mm256_unpackhi_pd(c, d);
            _mm256_storeu_pd(dst + (j + 0) * rows + i, _mm256_permute2f128_pd(ab0, cd0, 0x20));
            _mm256_storeu_pd(dst + (j + 1) * rows + i, _mm256_permute2f128_pd(ab1, cd1, 0x20));
            _mm256_storeu_pd(dst + (j + 2) * rows + i, _mm256_permute2f128_pd(ab0, cd0, 0x31));
            _mm256_storeu_pd(dst + (j + 3) * rows + i, _mm256_permute2f128_pd(ab1, cd1, 0x31));
        }
    // The ragged edges: the last rows % 4 rows, then the last cols % 4 columns of the others.
    for (ptrdiff_t i = r4; i < rows; i++)
        for (ptrdiff_t j = 0; j < cols; j++) dst[j * rows + i] = src[i * cols + j];
    for (ptrdiff_t i = 0; i < r4; i++)
        for (ptrdiff_t j = c4; j < cols; j++) dst[j * rows + i] = src[i * cols + j];
}
#endif

void descent_transpose(ptrdiff_t rows, ptrdiff_t cols, const double *src, double *dst) {
#ifdef DESCENT_X86
    if (detect() >= ISA_AVX2) { transpose_avx2(rows, cols, src, dst); return; }
#endif
    // 8×8 tiles keep both the reads and the writes within a few cache lines.
    for (ptrdiff_t i0 = 0; i0 < rows; i0 += 8)
        for (ptrdiff_t j0 = 0; j0 < cols; j0 += 8) {
            const ptrdiff_t i1 = i0 + 8 < rows ? i0 + 8 : rows, j1 = j0 + 8 < cols ? j0 + 8 : cols;
            for (ptrdiff_t i = i0; i < i1; i++)
                for (ptrdiff_t j = j0; j < j1; j++) dst[j * rows + i] = src[i * cols + j];
        }
}

// Element-wise pieces of back-propagation and the Adam update. No floating-point contraction
// (no fused multiply-add) so every element rounds exactly as the Swift and PyTorch formulas.
#pragma clang fp contract(off)

#ifdef DESCENT_X86
__attribute__((target("avx512f"))) static void relu_avx512(ptrdiff_t n, double *z) {
    for (ptrdiff_t i = 0; i < n; i++) z[i] = z[i] > 0 ? z[i] : 0;
}
__attribute__((target("avx512f"))) static void relu_backward_avx512(ptrdiff_t n, const double *a, double *d) {
    for (ptrdiff_t i = 0; i < n; i++) d[i] = a[i] > 0 ? d[i] : 0;
}
__attribute__((target("avx512f"))) static void tanh_backward_avx512(ptrdiff_t n, const double *a, double *d) {
    for (ptrdiff_t i = 0; i < n; i++) d[i] *= 1 - a[i] * a[i];
}
__attribute__((target("avx512f"))) static void sigmoid_backward_avx512(ptrdiff_t n, const double *a, double *d) {
    for (ptrdiff_t i = 0; i < n; i++) d[i] *= a[i] * (1 - a[i]);
}
// The same loops for AVX2 (the portable loop's switch on the kind keeps it scalar); the compiler
// vectorises these, and without contraction every element rounds as the portable loop's.
__attribute__((target("avx2"))) static void relu_backward_avx2(ptrdiff_t n, const double *a, double *d) {
    for (ptrdiff_t i = 0; i < n; i++) d[i] = a[i] > 0 ? d[i] : 0;
}
__attribute__((target("avx2"))) static void tanh_backward_avx2(ptrdiff_t n, const double *a, double *d) {
    for (ptrdiff_t i = 0; i < n; i++) d[i] *= 1 - a[i] * a[i];
}
__attribute__((target("avx2"))) static void sigmoid_backward_avx2(ptrdiff_t n, const double *a, double *d) {
    for (ptrdiff_t i = 0; i < n; i++) d[i] *= a[i] * (1 - a[i]);
}
// Adam with explicit vector instructions: sqrt(v) may set errno in C, so the compiler keeps
// the plain loop scalar (two divisions and a square root per element, one at a time). Each
// lane performs exactly the scalar operations in the same order (IEEE division and square
// root are correctly rounded), so the result is bit for bit the portable loop's.
__attribute__((target("avx512f")))
static void adam_avx512(ptrdiff_t n, double *p, const double *g, double *m, double *v, double w1, double beta2,
                        double step_size, double bc2_root, double eps) {
    const __m512d vw1 = _mm512_set1_pd(w1), vbeta2 = _mm512_set1_pd(beta2), vrest = _mm512_set1_pd(1 - beta2),
                  vstep = _mm512_set1_pd(step_size), vbc = _mm512_set1_pd(bc2_root), veps = _mm512_set1_pd(eps);
    for (ptrdiff_t i = 0; i < n; i += 8) {
        const __mmask8 k = n - i >= 8 ? 0xFF : (__mmask8)((1u << (n - i)) - 1);
        const __m512d gi = _mm512_maskz_loadu_pd(k, g + i);
        __m512d mi = _mm512_maskz_loadu_pd(k, m + i), vi = _mm512_maskz_loadu_pd(k, v + i);
        mi = _mm512_add_pd(mi, _mm512_mul_pd(vw1, _mm512_sub_pd(gi, mi)));
        vi = _mm512_add_pd(_mm512_mul_pd(vbeta2, vi), _mm512_mul_pd(_mm512_mul_pd(vrest, gi), gi));
        const __m512d denominator = _mm512_add_pd(_mm512_div_pd(_mm512_sqrt_pd(vi), vbc), veps);
        const __m512d pi = _mm512_sub_pd(_mm512_maskz_loadu_pd(k, p + i),
                                         _mm512_div_pd(_mm512_mul_pd(vstep, mi), denominator));
        _mm512_mask_storeu_pd(m + i, k, mi);
        _mm512_mask_storeu_pd(v + i, k, vi);
        _mm512_mask_storeu_pd(p + i, k, pi);
    }
}

// The same with 4 lanes; the last n mod 4 elements take the portable loop's operations.
__attribute__((target("avx2")))
static void adam_avx2(ptrdiff_t n, double *p, const double *g, double *m, double *v, double w1, double beta2,
                      double step_size, double bc2_root, double eps) {
    const __m256d vw1 = _mm256_set1_pd(w1), vbeta2 = _mm256_set1_pd(beta2), vrest = _mm256_set1_pd(1 - beta2),
                  vstep = _mm256_set1_pd(step_size), vbc = _mm256_set1_pd(bc2_root), veps = _mm256_set1_pd(eps);
    ptrdiff_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const __m256d gi = _mm256_loadu_pd(g + i);
        __m256d mi = _mm256_loadu_pd(m + i), vi = _mm256_loadu_pd(v + i);
        mi = _mm256_add_pd(mi, _mm256_mul_pd(vw1, _mm256_sub_pd(gi, mi)));
        vi = _mm256_add_pd(_mm256_mul_pd(vbeta2, vi), _mm256_mul_pd(_mm256_mul_pd(vrest, gi), gi));
        const __m256d denominator = _mm256_add_pd(_mm256_div_pd(_mm256_sqrt_pd(vi), vbc), veps);
        _mm256_storeu_pd(m + i, mi);
        _mm256_storeu_pd(v + i, vi);
        _mm256_storeu_pd(p + i, _mm256_sub_pd(_mm256_loadu_pd(p + i), _mm256_div_pd(_mm256_mul_pd(vstep, mi), denominator)));
    }
    for (; i < n; i++) {
        const double gi = g[i];
        m[i] = m[i] + w1 * (gi - m[i]);
        v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
        p[i] -= step_size * m[i] / (sqrt(v[i]) / bc2_root + eps);
    }
}
#endif

void descent_relu(ptrdiff_t n, double *z) {
#ifdef DESCENT_X86
    if (detect() == ISA_AVX512) { relu_avx512(n, z); return; }
#endif
    for (ptrdiff_t i = 0; i < n; i++) z[i] = z[i] > 0 ? z[i] : 0;
}

void descent_activation_backward(int kind, ptrdiff_t n, const double *a, double *d) {
#ifdef DESCENT_X86
    if (detect() == ISA_AVX512) {
        switch (kind) {
        case 0: tanh_backward_avx512(n, a, d); return;
        case 1: sigmoid_backward_avx512(n, a, d); return;
        default: relu_backward_avx512(n, a, d); return;
        }
    }
    if (detect() == ISA_AVX2) {
        switch (kind) {
        case 0: tanh_backward_avx2(n, a, d); return;
        case 1: sigmoid_backward_avx2(n, a, d); return;
        default: relu_backward_avx2(n, a, d); return;
        }
    }
#endif
    for (ptrdiff_t i = 0; i < n; i++) {
        switch (kind) {
        case 0: d[i] *= 1 - a[i] * a[i]; break;
        case 1: d[i] *= a[i] * (1 - a[i]); break;
        default: d[i] = a[i] > 0 ? d[i] : 0; break;
        }
    }
}

int descent_adam_update(ptrdiff_t n, double *p, const double *g, double *m, double *v, double w1, double beta2,
                        double step_size, double bc2_root, double eps) {
    if (!(w1 < 0.5)) return 0;  // the other branch of PyTorch's lerp: let the caller do it
#ifdef DESCENT_X86
    switch (detect()) {
    case ISA_AVX512: adam_avx512(n, p, g, m, v, w1, beta2, step_size, bc2_root, eps); return 1;
    case ISA_AVX2: adam_avx2(n, p, g, m, v, w1, beta2, step_size, bc2_root, eps); return 1;
    default: break;
    }
#endif
    for (ptrdiff_t i = 0; i < n; i++) {
        const double gi = g[i];
        m[i] = m[i] + w1 * (gi - m[i]);
        v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
        p[i] -= step_size * m[i] / (sqrt(v[i]) / bc2_root + eps);
    }
    return 1;
}

#pragma clang fp contract(on)

void descent_tanh(ptrdiff_t n, const double *x, double *y) {
#ifdef DESCENT_X86
    if (detect() == ISA_AVX512) { tanh_avx512(n, x, y); return; }
    if (detect() == ISA_AVX2) { tanh_avx2(n, x, y); return; }
#endif
    for (ptrdiff_t i = 0; i < n; i++) y[i] = tanh_scalar(x[i]);
}

void descent_sigmoid(ptrdiff_t n, const double *x, double *y) {
#ifdef DESCENT_X86
    if (detect() == ISA_AVX512) { sigmoid_avx512(n, x, y); return; }
    if (detect() == ISA_AVX2) { sigmoid_avx2(n, x, y); return; }
#endif
    for (ptrdiff_t i = 0; i < n; i++) y[i] = sigmoid_scalar(x[i]);
}

void descent_add_bias(ptrdiff_t m, ptrdiff_t n, const double *bias, double *c) {
#ifdef DESCENT_X86
    if (detect() == ISA_AVX512) { add_bias_avx512(m, n, bias, c); return; }
#endif
    for (ptrdiff_t i = 0; i < m; i++)
        for (ptrdiff_t j = 0; j < n; j++) c[i * n + j] += bias[j];
}

void descent_column_sums(ptrdiff_t m, ptrdiff_t n, const double *a, double *s) {
#ifdef DESCENT_X86
    if (detect() == ISA_AVX512) { column_sums_avx512(m, n, a, s); return; }
#endif
    for (ptrdiff_t j = 0; j < n; j++) s[j] = 0;
    for (ptrdiff_t i = 0; i < m; i++)
        for (ptrdiff_t j = 0; j < n; j++) s[j] += a[i * n + j];
}

int descent_activation_scalar_reference(int kind, ptrdiff_t n, const double *x, double *y) {
#ifdef DESCENT_X86
    if (detect() == ISA_AVX512) return 0;
    if (detect() == ISA_AVX2) {
        if (kind == 0) tanh_avx2_scalar(n, x, y); else sigmoid_avx2_scalar(n, x, y);
        return 1;
    }
#endif
    for (ptrdiff_t i = 0; i < n; i++) y[i] = kind == 0 ? tanh_scalar(x[i]) : sigmoid_scalar(x[i]);
    return 1;
}

const char *descent_kernel_isa(void) {
#ifdef DESCENT_X86
    return isa_name(detect());
#else
    return "portable";
#endif
}

const char *descent_kernel_isas_supported(void) {
#ifdef DESCENT_X86
    switch (best_supported()) {
    case ISA_AVX512: return "portable avx2 avx512";
    case ISA_AVX2: return "portable avx2";
    default: return "portable";
    }
#else
    return "portable";
#endif
}
