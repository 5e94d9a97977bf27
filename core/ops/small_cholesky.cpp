// The Cholesky factor and its gradient at orders known when compiled.
#include "edpp/core/ops/small_cholesky.hpp"

#include <array>
#include <cmath>
#include <utility>

namespace ed::detail {

namespace {

// Note [Fixed-order Cholesky]: a GP's covariance in posteriordb is 11 × 11, and its factor and
// the factor's gradient were a quarter of each NUTS gradient's time as loops over 1 to 10 rows
// whose lengths change at every step: the loops' own bookkeeping and mispredicted exits cost
// more than their arithmetic. With the order a template parameter every loop unrolls fully,
// and the compiler schedules the straight-line code across steps (11 × 11, forward and
// backward: 0.49 → 0.30 µs). Each order up to kFixedCholesky is compiled once; larger factors
// take the cholesky op's loops and then its blocked forms. The arithmetic is the loops', in the
// same order.

// The right-looking Cholesky: the trailing block takes A ← A − c·cᵀ/p with the column c
// unscaled, so that the chain from pivot to pivot holds one division, and c is scaled by
// 1/√p = √p/p afterwards.
template <int D>
bool factor(const double* a, double* l) {
#pragma GCC unroll 16
  for (int j = 0; j < D; ++j) {
#pragma GCC unroll 16
    for (int i = 0; i < D; ++i) l[i + j * D] = i >= j ? a[i + j * D] : 0.0;
  }
#pragma GCC unroll 16
  for (int j = 0; j < D; ++j) {
    double* column = l + j * D;
    const double pivot = column[j];
    if (!(pivot > 0.0)) return false;
    const double reciprocal = 1.0 / pivot;
#pragma GCC unroll 16
    for (int k = j + 1; k < D; ++k) {
      const double ckj = column[k] * reciprocal;
      double* target = l + k * D;
#pragma GCC unroll 16
      for (int i = k; i < D; ++i) target[i] -= column[i] * ckj;
    }
    const double ljj = std::sqrt(pivot), scale = ljj * reciprocal;
    column[j] = ljj;
#pragma GCC unroll 16
    for (int i = j + 1; i < D; ++i) column[i] *= scale;
  }
  return true;
}

// The factorisation's steps in reverse (Smith 1995), column by column from the last, as the
// cholesky op's loops take them.
template <int D>
void backward(const double* l, const double* dout, double* da) {
  std::array<double, D * D> lbar;
  std::array<double, D> reciprocals;
#pragma GCC unroll 16
  for (int j = 0; j < D; ++j) {
    reciprocals[j] = 1.0 / l[j + j * D];
#pragma GCC unroll 16
    for (int i = j; i < D; ++i) lbar[i + j * D] = dout[i + j * D];
  }
#pragma GCC unroll 16
  for (int j = D - 1; j >= 0; --j) {
    const double reciprocal = reciprocals[j];
    double* tbar = lbar.data() + j * D;
    const double* lj = l + j * D;
    double* daj = da + j * D;
    double diagonal = 0.0;
#pragma GCC unroll 16
    for (int i = j + 1; i < D; ++i) {
      tbar[i] *= reciprocal;
      diagonal += tbar[i] * lj[i];
      daj[i] += tbar[i];
    }
    const double sbar = 0.5 * (tbar[j] - diagonal) * reciprocal;
    daj[j] += sbar;
#pragma GCC unroll 16
    for (int k = 0; k < j; ++k) {
      const double* lk = l + k * D;
      double* lbark = lbar.data() + k * D;
      const double ljk = lk[j];
      double dot = 0.0;
#pragma GCC unroll 16
      for (int i = j + 1; i < D; ++i) {
        dot += tbar[i] * lk[i];
        lbark[i] -= tbar[i] * ljk;
      }
      lbark[j] -= dot + 2.0 * sbar * ljk;
    }
  }
}

using Factor = bool (*)(const double*, double*);
using Backward = void (*)(const double*, const double*, double*);

template <int... Orders>
constexpr std::array<Factor, sizeof...(Orders)> factors(std::integer_sequence<int, Orders...>) {
  return {&factor<Orders + 1>...};
}
template <int... Orders>
constexpr std::array<Backward, sizeof...(Orders)> backwards(std::integer_sequence<int, Orders...>) {
  return {&backward<Orders + 1>...};
}

constexpr auto kFactors = factors(std::make_integer_sequence<int, kFixedCholesky>());
constexpr auto kBackwards = backwards(std::make_integer_sequence<int, kFixedCholesky>());

}  // namespace

bool fixed_cholesky(Index d, const double* a, double* l) { return kFactors[d - 1](a, l); }

void fixed_cholesky_backward(Index d, const double* l, const double* dout, double* da) {
  kBackwards[d - 1](l, dout, da);
}

}  // namespace ed::detail
