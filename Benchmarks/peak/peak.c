// The FP64 multiply-add throughput one core actually reaches: 12 independent chains of fused
// multiply-adds on 4-wide (AVX2) or 8-wide (AVX-512) vectors, long enough that every FMA unit is
// busy every cycle. compare.py divides its GFLOP/s by this number — the "peak" of % of peak —
// because a VM's /proc/cpuinfo reports its nominal clock, not the one the core runs at under load.
//
//     clang -O2 peak.c -o peak && ./peak [avx2|avx512]   → GFLOP/s on one core, best of 20 runs
#include <immintrin.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

enum { CHAINS = 12, ITERATIONS = 20000000 };

__attribute__((target("avx2,fma"))) static double run_avx2(void) {
    __m256d acc[CHAINS];
    for (int c = 0; c < CHAINS; c++) acc[c] = _mm256_set1_pd(c);
    const __m256d a = _mm256_set1_pd(0.999999), b = _mm256_set1_pd(1e-9);
    const double t0 = now();
    for (long i = 0; i < ITERATIONS; i++)
        for (int c = 0; c < CHAINS; c++) acc[c] = _mm256_fmadd_pd(acc[c], a, b);
    const double t = now() - t0;
    double sink = 0, out[4];
    for (int c = 0; c < CHAINS; c++) { _mm256_storeu_pd(out, acc[c]); sink += out[0]; }
    if (sink == 42.0) puts("");  // keeps the chains alive
    return 2.0 * 4 * CHAINS * ITERATIONS / t / 1e9;
}

__attribute__((target("avx512f"))) static double run_avx512(void) {
    __m512d acc[CHAINS];
    for (int c = 0; c < CHAINS; c++) acc[c] = _mm512_set1_pd(c);
    const __m512d a = _mm512_set1_pd(0.999999), b = _mm512_set1_pd(1e-9);
    const double t0 = now();
    for (long i = 0; i < ITERATIONS; i++)
        for (int c = 0; c < CHAINS; c++) acc[c] = _mm512_fmadd_pd(acc[c], a, b);
    const double t = now() - t0;
    double sink = 0, out[8];
    for (int c = 0; c < CHAINS; c++) { _mm512_storeu_pd(out, acc[c]); sink += out[0]; }
    if (sink == 42.0) puts("");
    return 2.0 * 8 * CHAINS * ITERATIONS / t / 1e9;
}

int main(int argc, char **argv) {
    __builtin_cpu_init();
    const int wide = argc > 1 ? strcmp(argv[1], "avx512") == 0 : __builtin_cpu_supports("avx512f");
    if (wide && !__builtin_cpu_supports("avx512f")) { fputs("peak: this CPU has no AVX-512\n", stderr); return 1; }
    double best = 0;
    for (int r = 0; r < 20; r++) {
        const double g = wide ? run_avx512() : run_avx2();
        if (g > best) best = g;
    }
    printf("%.2f %s\n", best, wide ? "avx512" : "avx2");
    return 0;
}
