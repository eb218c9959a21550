"""Typed Cython kernels. They trust their inputs: validation happens in the callers."""
