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

/// Threads a large product may use: 1 (the default) or 2. With 2, the AVX2 products of at least
/// 2²¹ multiply-adds split C's columns with one helper thread; every element is computed by the same
/// chain of operations, so the results equal one thread's bit for bit. Returns 0 (and changes
/// nothing) for another count, or for 2 where there is no threaded path (not x86).
int descent_set_threads(int threads);

/// The count set by descent_set_threads (1 unless it was set).
int descent_threads(void);

/// dst (cols×rows) = srcᵀ for src rows×cols, both row-major.
void descent_transpose(ptrdiff_t rows, ptrdiff_t cols, const double *src, double *dst);

/// y[i] = tanh(x[i]) for i < n (in place allowed). Max relative error ≤ 4e-15.
void descent_tanh(ptrdiff_t n, const double *x, double *y);

/// y[i] = 1/(1 + exp(−x[i])) for i < n (in place allowed). Max relative error ≤ 4e-15.
void descent_sigmoid(ptrdiff_t n, const double *x, double *y);

/// C (m×n) += bias (n) on every row.
void descent_add_bias(ptrdiff_t m, ptrdiff_t n, const double *bias, double *c);

/// s (n) = Σᵢ A[i, :] for A (m×n); rows are added in order, so the result is deterministic.
void descent_column_sums(ptrdiff_t m, ptrdiff_t n, const double *a, double *s);

/// z[i] = max(z[i], 0).
void descent_relu(ptrdiff_t n, double *z);

/// d[i] *= φ′ expressed through the activation a[i]: kind 0 tanh (1 − a²), 1 sigmoid (a(1 − a)),
/// 2 ReLU (1 if a > 0 else 0).
void descent_activation_backward(int kind, ptrdiff_t n, const double *a, double *d);

/// The common case of Adam's update (no weight decay, no AMSGrad, 1 − β₁ < 0.5), element by
/// element in exactly the order of torch.optim.Adam: m ← m + w₁(g − m); v ← β₂v + (1 − β₂)g²;
/// p ← p − step·m/(√v/√(1 − β₂ᵗ) + ε). Returns 0 (and does nothing) when w₁ ≥ 0.5.
int descent_adam_update(ptrdiff_t n, double *p, const double *g, double *m, double *v, double w1, double beta2,
                        double step_size, double bc2_root, double eps);

/// For tests: y = tanh (kind 0) or sigmoid (kind 1) of x by the element-by-element scalar loop,
/// compiled for the path in use, that the vectorised loop of that path must equal bit for bit.
/// Returns 0 (and does nothing) when the path in use has no such reference (AVX-512).
int descent_activation_scalar_reference(int kind, ptrdiff_t n, const double *x, double *y);

/// Which implementation the kernels use: "avx512", "avx2" or "portable" — the best this CPU
/// supports, or the one the environment variable DESCENT_KERNELS names (read once, at the first
/// kernel call; an unknown or unsupported value is ignored with a note on stderr).
const char *descent_kernel_isa(void);

/// The implementations this CPU can run, space-separated, e.g. "portable avx2 avx512".
const char *descent_kernel_isas_supported(void);

#ifdef __cplusplus
}
#endif

#endif
