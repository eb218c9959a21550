"""Build the Cython kernels of resamplekit.

OpenMP is used when the compiler supports it (probed by compiling a tiny program); otherwise the
kernels are built serially, which changes speed but never results. Likewise the SIMD variants of
knn_scan.h (an AVX2 clone of the filter loops, the AVX-512F and AVX2-with-FMA fused scans) are
built only where the toolchain supports them (RESAMPLEKIT_NO_SIMD=1 turns them all off). Set
RESAMPLEKIT_CYTHON_DEBUG=1 at build time to turn bounds and wrap-around checks back on.
"""
import glob
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup

OPENMP_PROBE = r"""
#include <omp.h>
int main(void) {
    int n = 0;
    #pragma omp parallel reduction(+:n)
    n += 1;
    return n > 0 ? 0 : 1;
}
"""


# Function multiversioning (an AVX2 clone of knn_scan.h's filter loops beside the baseline one,
# chosen at load time) needs the toolchain's ifunc support: glibc with GCC, not musl, not every
# clang. Compiled and linked, not just compiled, since a missing ifunc fails at link time.
TARGET_CLONES_PROBE = r"""
__attribute__((target_clones("avx2", "default")))
static int count(const float *a, int n) {
    int c = 0;
    for (int j = 0; j < n; j++)
        c += a[j] <= 0.0f;
    return c;
}
int main(void) {
    float a[4] = {0.0f, 1.0f, -1.0f, 2.0f};
    return count(a, 4) == 2 ? 0 : 1;
}
"""

# The fused scans of knn_scan.h: functions compiled for AVX-512F, and for AVX2 with FMA, inside
# a baseline build.
AVX512_PROBE = r"""
#include <immintrin.h>
__attribute__((target("avx512f")))
static float sum16(const float *a) {
    __m512 v = _mm512_fmadd_ps(_mm512_loadu_ps(a), _mm512_set1_ps(2.0f), _mm512_setzero_ps());
    __mmask16 m = _mm512_cmp_ps_mask(v, v, _CMP_LE_OQ);
    return _mm512_reduce_add_ps(v) + (float)m;
}
int main(void) {
    float a[16] = {0};
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? (int)sum16(a) : 0;
}
"""


AVX2_FMA_PROBE = r"""
#include <immintrin.h>
__attribute__((target("avx2,fma")))
static float sum8(const float *a) {
    __m256 v = _mm256_fmadd_ps(_mm256_loadu_ps(a), _mm256_set1_ps(2.0f), _mm256_setzero_ps());
    int m = _mm256_movemask_ps(_mm256_cmp_ps(v, v, _CMP_LE_OQ));
    float out[8];
    _mm256_storeu_ps(out, v);
    return out[0] + (float)m;
}
int main(void) {
    float a[8] = {0};
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma"))
        return 0;
    return (int)sum8(a) - 255;
}
"""


def _compiles(source, cflags=(), lflags=()):
    """Whether the C compiler compiles and links source with the given flags."""
    cc = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()
    tmp = tempfile.mkdtemp()
    try:
        src = os.path.join(tmp, "probe.c")
        with open(src, "w") as f:
            f.write(source)
        try:
            res = subprocess.run(
                cc + list(cflags) + [src, "-o", os.path.join(tmp, "probe")] + list(lflags),
                capture_output=True,
                timeout=60,
            )
        except (OSError, subprocess.SubprocessError):
            return False
        return res.returncode == 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def simd_macros():
    """Macros telling knn_scan.h which SIMD variants the toolchain can build."""
    if sys.platform.startswith("win") or os.environ.get("RESAMPLEKIT_NO_SIMD"):
        return []
    macros = []
    if _compiles(TARGET_CLONES_PROBE, ["-O2"]):
        macros.append(("RK_HAVE_TARGET_CLONES", "1"))
    if _compiles(AVX512_PROBE, ["-O2"]):
        macros.append(("RK_HAVE_AVX512F", "1"))
    if _compiles(AVX2_FMA_PROBE, ["-O2"]):
        macros.append(("RK_HAVE_AVX2_FMA", "1"))
    return macros


def openmp_flags():
    """Return (compile_args, link_args) enabling OpenMP, or ([], []) if unsupported."""
    if os.environ.get("RESAMPLEKIT_NO_OPENMP"):
        return [], []
    candidates = [(["-fopenmp"], ["-fopenmp"])]
    if sys.platform == "darwin":
        candidates.append((["-Xpreprocessor", "-fopenmp"], ["-lomp"]))
    for cflags, lflags in candidates:
        if _compiles(OPENMP_PROBE, cflags, lflags):
            return cflags, lflags
    print("resamplekit: OpenMP not available, building the kernels serially", file=sys.stderr)
    return [], []


def extensions():
    debug = os.environ.get("RESAMPLEKIT_CYTHON_DEBUG", "0") not in ("", "0")
    cflags, lflags = openmp_flags()
    # No fused multiply-add contraction: synthetic rows must equal the reference arithmetic bit
    # for bit on every platform.
    compile_args = ["-O3", "-ffp-contract=off"] + cflags
    if sys.platform.startswith("win"):
        compile_args = ["/O2", "/openmp"] if cflags else ["/O2"]
    macros = [("NPY_NO_DEPRECATED_API", "NPY_1_9_API_VERSION")] + simd_macros()
    if debug:  # the kernels' range checks of the row indices they return
        macros.append(("RK_DEBUG", "1"))
    kernels = os.path.join("resamplekit", "_kernels")
    exts = []
    for pyx in sorted(glob.glob(os.path.join("resamplekit", "_kernels", "*.pyx"))):
        name = os.path.splitext(pyx)[0].replace(os.sep, ".")
        exts.append(
            Extension(
                name,
                [pyx],
                include_dirs=[np.get_include(), kernels],
                depends=[os.path.join(kernels, h) for h in ("knn_scan.h", "kmeans_scan.h")],
                define_macros=macros,
                extra_compile_args=compile_args,
                extra_link_args=lflags,
            )
        )
    directives = {
        "language_level": 3,
        "boundscheck": debug,
        "wraparound": debug,
        "initializedcheck": debug,
        "cdivision": True,
        "embedsignature": True,
    }
    return cythonize(
        exts,
        nthreads=_jobs(),
        compiler_directives=directives,
        compile_time_env={"RESAMPLEKIT_DEBUG": debug},
        # The debug build must not reuse C files generated without checks, and vice versa.
        force=debug or bool(os.environ.get("RESAMPLEKIT_CYTHON_FORCE")),
    )


def _jobs():
    """Parallel jobs for the Cython translation and the C compilation: one per core."""
    return os.cpu_count() or 1


# build_ext compiles the extensions in parallel (as `build_ext -j N`), also under pip.
setup(ext_modules=extensions(), options={"build_ext": {"parallel": _jobs()}})
