#ifndef DESCENT_CKERNELS_H
#define DESCENT_CKERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// C (m×n, row-major) = A·B, or C += A·B when `accumulate` is non-zero.
/// A(i, p) = a[i*a_row_stride + p*a_col_stride]; B is k×n row-major.
/// Picks an AVX-512, AVX2+FMA or portable version at run time.
void descent_gemm(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
                  const double *a, ptrdiff_t a_row_stride, ptrdiff_t a_col_stride,
                  const double *b, double *c, int accumulate);

/// dst (cols×rows) = srcᵀ for src rows×cols, both row-major.
void descent_transpose(ptrdiff_t rows, ptrdiff_t cols, const double *src, double *dst);

/// y[i] = tanh(x[i]) for i < n (in place allowed). Max relative error ≤ 4e-15.
void descent_tanh(ptrdiff_t n, const double *x, double *y);

/// y[i] = 1/(1 + exp(−x[i])) for i < n (in place allowed). Max relative error ≤ 4e-15.
void descent_sigmoid(ptrdiff_t n, const double *x, double *y);

/// Which implementation descent_gemm uses: "avx512", "avx2" or "portable".
const char *descent_kernel_isa(void);

#ifdef __cplusplus
}
#endif

#endif
