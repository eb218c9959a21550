"""Build the Cython kernels of resamplekit.

OpenMP is used when the compiler supports it (probed by compiling a tiny program); otherwise the
kernels are built serially, which changes speed but never results. Set
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


def openmp_flags():
    """Return (compile_args, link_args) enabling OpenMP, or ([], []) if unsupported."""
    if os.environ.get("RESAMPLEKIT_NO_OPENMP"):
        return [], []
    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    cc = cc.split()
    candidates = [(["-fopenmp"], ["-fopenmp"])]
    if sys.platform == "darwin":
        candidates.append((["-Xpreprocessor", "-fopenmp"], ["-lomp"]))
    tmp = tempfile.mkdtemp()
    try:
        src = os.path.join(tmp, "probe.c")
        with open(src, "w") as f:
            f.write(OPENMP_PROBE)
        for cflags, lflags in candidates:
            try:
                res = subprocess.run(
                    cc + cflags + [src, "-o", os.path.join(tmp, "probe")] + lflags,
                    capture_output=True,
                    timeout=60,
                )
            except (OSError, subprocess.SubprocessError):
                continue
            if res.returncode == 0:
                return cflags, lflags
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
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
    macros = [("NPY_NO_DEPRECATED_API", "NPY_1_9_API_VERSION")]
    exts = []
    for pyx in sorted(glob.glob(os.path.join("resamplekit", "_kernels", "*.pyx"))):
        name = os.path.splitext(pyx)[0].replace(os.sep, ".")
        exts.append(
            Extension(
                name,
                [pyx],
                include_dirs=[np.get_include()],
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
        compiler_directives=directives,
        compile_time_env={"RESAMPLEKIT_DEBUG": debug},
        # The debug build must not reuse C files generated without checks, and vice versa.
        force=debug or bool(os.environ.get("RESAMPLEKIT_CYTHON_FORCE")),
    )


setup(ext_modules=extensions())
