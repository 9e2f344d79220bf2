#ifndef DESCENT_CGNUPLOTIOSTREAM_H
#define DESCENT_CGNUPLOTIOSTREAM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Runs `<directory>/<script>` through gnuplot, driven by gnuplot-iostream.
/// Returns 0 on success. On failure returns non-zero and writes gnuplot's message
/// (NUL-terminated, truncated to `error_capacity`) into `error`.
int descent_gnuplot_iostream_run(const char *directory, const char *script,
                                 char *error, size_t error_capacity);

#ifdef __cplusplus
}
#endif

#endif
