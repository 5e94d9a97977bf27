// The kernels for x86-64-v4 (AVX-512), compiled with -march=x86-64-v4; Eigen renamed as for v3
// (Note [SIMD dispatch]).
#define Eigen edpp_eigen_x86_64_v4
#define EDPP_SIMD_LEVEL x86_64_v4
#define EDPP_SIMD_NAME "x86-64-v4"
#include "edpp/core/simd/kernels.inc"
