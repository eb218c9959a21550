# Shared fused types of the kernels.
ctypedef fused floating:
    float
    double
