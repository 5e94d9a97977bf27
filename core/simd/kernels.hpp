// Hot kernels compiled for several x86-64 levels and chosen once from the CPU (Note [SIMD
// dispatch]). This header must stay free of Eigen and of anything that includes it: the
// per-level translation units include it after renaming Eigen's namespace.
#pragma once

#include <cstddef>

namespace ed::simd {

using Index = std::ptrdiff_t;

/// The instruction-set levels kernels are compiled for.
enum class Target {
  baseline,   ///< what the library itself is compiled for (SSE2 on x86-64 by default)
  x86_64_v3,  ///< AVX2, FMA, BMI2 (Haswell and later)
  x86_64_v4,  ///< AVX-512 F/BW/DQ/VL (Skylake-X and later)
};

/// An operand of an elementwise kernel over n values: n contiguous values, or one value that
/// broadcasts to all of them (`scalar`).
struct Operand {
  const double* data = nullptr;
  bool scalar = false;
};
/// Where an elementwise kernel accumulates a gradient: n contiguous values (+= elementwise), or
/// one value that takes the sum (the gradient of a broadcast operand); null data: not wanted.
struct Accumulator {
  double* data = nullptr;
  bool scalar = false;
};

/// normal_mixture_backward's `assign` bits: the gradients it writes instead of adding to.
enum MixtureAssign : unsigned {
  kAssignL = 1,
  kAssignM = 2,
  kAssignS = 4,
  kAssignLogS = 8,
  kAssignX = 16,
};

/// One level's kernels. Matrices are column-major with the given leading dimensions; vectors
/// are contiguous. A null gradient pointer means "not wanted".
struct Kernels {
  const char* name;
  /// C = α·op(A)·op(B) + β·C, op(X) = Xᵀ when `transpose_x`; C is m × n, op(A) m × k.
  void (*gemm)(bool transpose_a, bool transpose_b, Index m, Index n, Index k, double alpha,
               const double* a, Index lda, const double* b, Index ldb, double beta, double* c,
               Index ldc);
  /// y = exp(x), elementwise over n values (y may be x).
  void (*exp)(Index n, const double* x, double* y);
  /// y = max(x, 0) over n values.
  void (*relu)(Index n, const double* x, double* y);
  /// g += dout where x > 0 (relu's gradient), over n values.
  void (*relu_backward)(Index n, const double* x, const double* dout, double* g);
  /// g (1 × cols) += the column sums of the rows × cols matrix dout.
  void (*add_column_sums)(Index rows, Index cols, const double* dout, double* g);
  /// C = A·W + bias in every row (C m × n, A m × k, W k × n, bias 1 × n), then max(C, 0) when
  /// `relu`: a dense layer.
  void (*affine)(Index m, Index n, Index k, const double* a, Index lda, const double* w, Index ldw,
                 const double* bias, bool relu, double* c, Index ldc);
  /// A relu layer's gradient step (rows × cols): da = dout where out > 0, else 0; g_bias
  /// (1 × cols, may be null) += da's column sums.
  void (*relu_mask)(Index rows, Index cols, const double* out, const double* dout, double* da,
                    double* g_bias);
  /// log Bernoulli(x | logits l) = x·min(l, 0) − (1 − x)·max(l, 0) − log1p(e^−|l|) over n values
  /// (a zero weight times an infinite logit counts as 0).
  void (*bernoulli_log_prob)(Index n, const double* x, const double* l, double* out);
  /// Its gradients, accumulated: g_x += dout·l, g_l += dout·(x − σ(l)) (either may be null).
  void (*bernoulli_log_prob_backward)(Index n, const double* x, const double* l, const double* dout,
                                      double* g_x, double* g_l);
  /// log N(x | μ, σ) = −½ z² − log σ − ½ log 2π, z = (x − μ)/σ, over n values; log σ is taken
  /// from `log_sigma` when its data is not null (a scale made as exp(u) passes u).
  void (*normal_log_prob)(Index n, Operand x, Operand mu, Operand sigma, Operand log_sigma,
                          double* out);
  /// Its gradients, accumulated: ∂/∂x = −z/σ, ∂/∂μ = z/σ, ∂/∂σ = (z² − 1)/σ, or with
  /// `separate_log` ∂/∂σ = z²/σ (through z) and ∂/∂log σ = −1; each times dout.
  void (*normal_log_prob_backward)(Index n, Operand x, Operand mu, Operand sigma,
                                   const double* dout, bool separate_log, Accumulator g_x,
                                   Accumulator g_mu, Accumulator g_sigma, Accumulator g_log_sigma);
  /// The same with the scale given as its logarithm u (σ = e^u, never formed): z = (x − μ)·e^−u,
  /// out = −½ z² − u − ½ log 2π.
  void (*normal_log_prob_log_scale)(Index n, Operand x, Operand mu, Operand u, double* out);
  /// Its gradients, accumulated: ∂/∂x = −z e^−u, ∂/∂μ = z e^−u, ∂/∂u = z² − 1; each times dout.
  void (*normal_log_prob_log_scale_backward)(Index n, Operand x, Operand mu, Operand u,
                                             const double* dout, Accumulator g_x, Accumulator g_mu,
                                             Accumulator g_u);
  /// The mixture of normals' log density, rows × k, every input at full shape (x: rows × 1):
  /// out = logsumexp_k(log_softmax(L) + log N(x | M, S)), with z = (x − M) / S, 1/S, w =
  /// softmax(L) and r the responsibilities kept for the backward pass (which then divides by
  /// nothing), each with leading dimension `ld` (unaliased_leading_dimension(rows)). A null S
  /// means S = e^log_S, never formed: 1/S is then e^−log_S.
  void (*normal_mixture_forward)(Index rows, Index k, const double* L, const double* M,
                                 const double* S, const double* log_S, const double* x, Index ld,
                                 double* z, double* inverse_S, double* w, double* r, double* out);
  /// Its gradients, accumulated (+=) into g_L, g_M, g_S, g_log_S (rows × k) and g_x (rows × 1),
  /// from dout (rows × 1) and the forward pass's z, 1/S, w and r (which are not changed), or
  /// assigned to those whose kAssign… bit is set in `assign`. With `scale_from_log` (S =
  /// e^log_S, g_S then null), g_log_S takes the gradient through S too.
  void (*normal_mixture_backward)(Index rows, Index k, const double* dout, Index ld,
                                  const double* inverse_S, const double* z, const double* w,
                                  const double* r, bool scale_from_log, unsigned assign,
                                  double* g_L, double* g_M, double* g_S, double* g_log_S,
                                  double* g_x);
};

/// Note [4K aliasing]: with a batch of 1024 or 2048 rows every column of every matrix starts at
/// the same address modulo 4 KiB, and the CPU then takes each load after a store to another
/// column for one to the same address and waits; the columns also share one cache set. The
/// mixture's forward pass, which walks the columns of a block of rows, ran 3–4× slower than at
/// 1035 rows. So the values it keeps get a padded leading dimension, its backward pass walks
/// whole columns, and the tall products copy an aliased A's panels together first.
/// Whether columns `ld` doubles apart are close to a multiple of 4 KiB apart.
inline bool columns_alias(Index ld) {
  const Index offset = (ld * 8) % 4096;
  return offset < 256 || offset > 3840;
}
/// The smallest leading dimension of at least `rows` whose columns do not alias.
inline Index unaliased_leading_dimension(Index rows) {
  Index ld = rows;
  while (columns_alias(ld)) ld += 8;
  return ld;
}

/// The kernels in use: the best level the CPU supports, unless the environment variable
/// EDPP_SIMD names one ("baseline", "x86-64-v3", "x86-64-v4"), or force() chose. Chosen once.
/// @throws ed::invalid_argument (on first use) when EDPP_SIMD names an unknown or unsupported
/// level.
const Kernels& kernels();
/// The level kernels() uses.
Target active();
/// Whether this build has `target`'s kernels and the CPU runs them.
bool supported(Target target);
/// `target`'s kernels, for tests that compare levels. @throws ed::invalid_argument when not
/// supported().
const Kernels& kernels_for(Target target);
/// Makes kernels() use `target` from now on (tests, benchmarks). Not thread-safe against
/// running programs. @throws ed::invalid_argument when not supported().
void force(Target target);
/// "baseline", "x86-64-v3", "x86-64-v4".
const char* name(Target target);

}  // namespace ed::simd
