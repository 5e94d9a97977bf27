// Choosing the kernels' instruction-set level once, from the CPU (Note [SIMD dispatch]).
#include <atomic>
#include <cstdlib>
#include <string>

#include "edpp/core/errors.hpp"
#include "edpp/core/simd/kernels.hpp"

namespace ed::simd {

// Note [SIMD dispatch]: Eigen picks its SIMD instructions when it is compiled, so a library
// built with CMake's defaults runs SSE2 code on an AVX-512 machine (the MDN step 2.9 ms against
// 1.1 ms built natively). The kernels that dominate training and sampling (products, the
// exponentials, the fused normal mixture) are therefore compiled three times, in
// kernels_<level>.cpp with -march=x86-64-v3 / -march=x86-64-v4 for the upper two, and the ops
// call them through the table chosen here from the CPU at first use. Compiling one Eigen
// template twice with different flags would break the one-definition rule: the linker keeps
// one copy of each inline or template function, perhaps the AVX-512 one for every caller. The
// upper levels' files therefore rename Eigen's namespace (`#define Eigen edpp_eigen_<level>`)
// before including it and include nothing that instantiates shared templates; a test checks
// that their objects define no weak symbol outside their own namespaces, and that the baseline
// objects use no AVX register.
namespace baseline {
extern const Kernels table;
}
#if EDPP_SIMD_X86_64
namespace x86_64_v3 {
extern const Kernels table;
}
namespace x86_64_v4 {
extern const Kernels table;
}
#endif

namespace {

bool cpu_runs(Target target) {
  switch (target) {
    case Target::baseline:
      return true;
#if EDPP_SIMD_X86_64
    case Target::x86_64_v3:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
             __builtin_cpu_supports("bmi2");
    case Target::x86_64_v4:
      return cpu_runs(Target::x86_64_v3) && __builtin_cpu_supports("avx512f") &&
             __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
             __builtin_cpu_supports("avx512vl");
#endif
    default:
      return false;
  }
}

const Kernels* table_of(Target target) {
  switch (target) {
#if EDPP_SIMD_X86_64
    case Target::x86_64_v3:
      return &x86_64_v3::table;
    case Target::x86_64_v4:
      return &x86_64_v4::table;
#endif
    default:
      return &baseline::table;
  }
}

Target choose() {
  const char* requested = std::getenv("EDPP_SIMD");
  if (requested && *requested) {
    for (Target t : {Target::baseline, Target::x86_64_v3, Target::x86_64_v4}) {
      if (std::string(requested) != name(t)) continue;
      if (!supported(t)) {
        throw ed::invalid_argument(std::string("EDPP_SIMD=") + requested +
                                   ": this CPU or build does not support that level");
      }
      return t;
    }
    throw ed::invalid_argument(std::string("EDPP_SIMD=") + requested +
                               ": expected baseline, x86-64-v3 or x86-64-v4");
  }
  for (Target t : {Target::x86_64_v4, Target::x86_64_v3}) {
    if (supported(t)) return t;
  }
  return Target::baseline;
}

std::atomic<const Kernels*> current{nullptr};
std::atomic<Target> current_target{Target::baseline};

}  // namespace

const char* name(Target target) {
  switch (target) {
    case Target::x86_64_v3:
      return "x86-64-v3";
    case Target::x86_64_v4:
      return "x86-64-v4";
    default:
      return "baseline";
  }
}

bool supported(Target target) {
#if !EDPP_SIMD_X86_64
  if (target != Target::baseline) return false;
#endif
  return cpu_runs(target);
}

const Kernels& kernels_for(Target target) {
  if (!supported(target)) {
    throw ed::invalid_argument(std::string("ed::simd: ") + name(target) +
                               " kernels are not available on this CPU or build");
  }
  return *table_of(target);
}

const Kernels& kernels() {
  const Kernels* k = current.load(std::memory_order_acquire);
  if (k) return *k;
  // Several threads may get here at once; they all choose the same.
  const Target t = choose();
  current_target.store(t, std::memory_order_relaxed);
  current.store(table_of(t), std::memory_order_release);
  return *table_of(t);
}

Target active() {
  kernels();
  return current_target.load(std::memory_order_relaxed);
}

void force(Target target) {
  const Kernels& k = kernels_for(target);
  current_target.store(target, std::memory_order_relaxed);
  current.store(&k, std::memory_order_release);
}

}  // namespace ed::simd
