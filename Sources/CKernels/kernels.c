// Hand-written kernels for the training step: a register-blocked matrix product with AVX-512
// and AVX2+FMA versions chosen at run time, and vectorised tanh/sigmoid. The readable
// reference versions live in Swift (ReferenceKernels) and the tests compare the two.
#include "CKernels.h"

#include <math.h>
#include <stdint.h>
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

// 4 rows × 8 columns of C per step (two 4-wide vectors per row, eight accumulators).
__attribute__((target("avx2,fma")))
static void gemm_avx2(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const double *a, ptrdiff_t ars, ptrdiff_t acs,
                      const double *b, double *c, int accumulate) {
    if (!accumulate) memset(c, 0, sizeof(double) * (size_t)(m * n));
    ptrdiff_t j = 0;
    for (; j + 8 <= n; j += 8) {
        ptrdiff_t i = 0;
        for (; i + 4 <= m; i += 4) {
            __m256d c00 = _mm256_loadu_pd(c + (i + 0) * n + j), c01 = _mm256_loadu_pd(c + (i + 0) * n + j + 4);
            __m256d c10 = _mm256_loadu_pd(c + (i + 1) * n + j), c11 = _mm256_loadu_pd(c + (i + 1) * n + j + 4);
            __m256d c20 = _mm256_loadu_pd(c + (i + 2) * n + j), c21 = _mm256_loadu_pd(c + (i + 2) * n + j + 4);
            __m256d c30 = _mm256_loadu_pd(c + (i + 3) * n + j), c31 = _mm256_loadu_pd(c + (i + 3) * n + j + 4);
            const double *a0 = a + (i + 0) * ars, *a1 = a + (i + 1) * ars, *a2 = a + (i + 2) * ars, *a3 = a + (i + 3) * ars;
            for (ptrdiff_t p = 0; p < k; p++) {
                const __m256d b0 = _mm256_loadu_pd(b + p * n + j), b1 = _mm256_loadu_pd(b + p * n + j + 4);
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
        for (; i < m; i++) {
            __m256d c0 = _mm256_loadu_pd(c + i * n + j), c1 = _mm256_loadu_pd(c + i * n + j + 4);
            for (ptrdiff_t p = 0; p < k; p++) {
                const __m256d x = _mm256_broadcast_sd(a + i * ars + p * acs);
                c0 = _mm256_fmadd_pd(x, _mm256_loadu_pd(b + p * n + j), c0);
                c1 = _mm256_fmadd_pd(x, _mm256_loadu_pd(b + p * n + j + 4), c1);
            }
            _mm256_storeu_pd(c + i * n + j, c0); _mm256_storeu_pd(c + i * n + j + 4, c1);
        }
    }
    if (j < n) {  // remaining columns (n not a multiple of 8, e.g. the 1-unit output layer)
        for (ptrdiff_t i = 0; i < m; i++) {
            for (ptrdiff_t jj = j; jj < n; jj++) {
                double s = c[i * n + jj];
                for (ptrdiff_t p = 0; p < k; p++) s += a[i * ars + p * acs] * b[p * n + jj];
                c[i * n + jj] = s;
            }
        }
    }
}

// 8 rows × 16 columns of C per step (two 8-wide vectors per row, sixteen accumulators).
__attribute__((target("avx512f")))
static void gemm_avx512(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const double *a, ptrdiff_t ars, ptrdiff_t acs,
                        const double *b, double *c, int accumulate) {
    if (!accumulate) memset(c, 0, sizeof(double) * (size_t)(m * n));
    ptrdiff_t j = 0;
    for (; j + 16 <= n; j += 16) {
        ptrdiff_t i = 0;
        for (; i + 8 <= m; i += 8) {
            __m512d acc[8][2];
            for (int r = 0; r < 8; r++) {
                acc[r][0] = _mm512_loadu_pd(c + (i + r) * n + j);
                acc[r][1] = _mm512_loadu_pd(c + (i + r) * n + j + 8);
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
            __m512d c0 = _mm512_loadu_pd(c + i * n + j), c1 = _mm512_loadu_pd(c + i * n + j + 8);
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
                double s = c[i * n + jj];
                for (ptrdiff_t p = 0; p < k; p++) s += a[i * ars + p * acs] * b[p * n + jj];
                c[i * n + jj] = s;
            }
        }
    }
}

__attribute__((target("avx2,fma")))
static void tanh_avx2(ptrdiff_t n, const double *x, double *y) {
    for (ptrdiff_t i = 0; i < n; i++) y[i] = tanh_scalar(x[i]);
}

__attribute__((target("avx2,fma")))
static void sigmoid_avx2(ptrdiff_t n, const double *x, double *y) {
    for (ptrdiff_t i = 0; i < n; i++) y[i] = sigmoid_scalar(x[i]);
}

enum { ISA_UNKNOWN, ISA_PORTABLE, ISA_AVX2, ISA_AVX512 };
static int isa = ISA_UNKNOWN;

static int detect(void) {
    if (isa == ISA_UNKNOWN) {
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f")) isa = ISA_AVX512;
        else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) isa = ISA_AVX2;
        else isa = ISA_PORTABLE;
    }
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

void descent_transpose(ptrdiff_t rows, ptrdiff_t cols, const double *src, double *dst) {
    for (ptrdiff_t i = 0; i < rows; i++)
        for (ptrdiff_t j = 0; j < cols; j++) dst[j * rows + i] = src[i * cols + j];
}

void descent_tanh(ptrdiff_t n, const double *x, double *y) {
#ifdef DESCENT_X86
    if (detect() != ISA_PORTABLE) { tanh_avx2(n, x, y); return; }
#endif
    for (ptrdiff_t i = 0; i < n; i++) y[i] = tanh_scalar(x[i]);
}

void descent_sigmoid(ptrdiff_t n, const double *x, double *y) {
#ifdef DESCENT_X86
    if (detect() != ISA_PORTABLE) { sigmoid_avx2(n, x, y); return; }
#endif
    for (ptrdiff_t i = 0; i < n; i++) y[i] = sigmoid_scalar(x[i]);
}

const char *descent_kernel_isa(void) {
#ifdef DESCENT_X86
    switch (detect()) {
    case ISA_AVX512: return "avx512";
    case ISA_AVX2: return "avx2";
    default: return "portable";
    }
#else
    return "portable";
#endif
}
