// The kernels at the library's own instruction-set level (Note [SIMD dispatch]).
#define EDPP_SIMD_LEVEL baseline
#define EDPP_SIMD_NAME "baseline"
#include "edpp/core/simd/kernels.inc"
