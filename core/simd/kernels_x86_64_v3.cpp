// The kernels for x86-64-v3 (AVX2, FMA), compiled with -march=x86-64-v3. Eigen's namespace is
// renamed so that none of the Eigen code instantiated here can stand in, at link time, for the
// library's own copies (Note [SIMD dispatch]).
#define Eigen edpp_eigen_x86_64_v3
#define EDPP_SIMD_LEVEL x86_64_v3
#define EDPP_SIMD_NAME "x86-64-v3"
#include "edpp/core/simd/kernels.inc"
