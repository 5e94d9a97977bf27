// The Cholesky factor and its gradient for small orders, as loops.
#include "edpp/core/ops/small_cholesky.hpp"

#include <array>
#include <cmath>
#include <utility>

namespace ed::detail {

namespace {

// Note [Small Cholesky]: on the small covariances of GP models (11 × 11 in posteriordb's
// gp_pois_regr), Eigen's LLT and the blocked gradient (triangular products and solves) spend
// more time packing and dispatching than computing, so up to 32 × 32 the factor and its
// gradient are plain loops down contiguous columns (forward and backward at 11 × 11: 1.75 →
// 0.67 µs, 24 × 24: 6.7 → 3.0 µs). Their time is then the chain from one pivot to the next,
// so the trailing block takes A ← A − c·cᵀ/p with the column c unscaled, one division on the
// chain where dividing c by √p first put a square root and a division on it, and c is scaled
// by 1/√p = √p/p afterwards. Up to 16 × 16, the loops' own bookkeeping and mispredicted exits
// (their lengths change at every step) then cost more than their arithmetic: there the order
// is a template parameter, compiled once per order, and every loop unrolls whole (11 × 11
// forward and backward 0.49 → 0.30 µs). GCC 12 takes no `#pragma GCC unroll` that depends on
// a template parameter, and unrolling loops of run-time length by 16 doubled the gradient's
// time at 24 × 24, hence the loops twice below: once unrolled, once not, the same arithmetic
// in the same order.
constexpr int kFixedOrders = 16;

// The right-looking factorisation (at a run-time order d).
bool factor(int d, const double* a, double* l) {
  for (int j = 0; j < d; ++j) {
    for (int i = 0; i < d; ++i) l[i + j * d] = i >= j ? a[i + j * d] : 0.0;
  }
  for (int j = 0; j < d; ++j) {
    double* column = l + j * d;
    const double pivot = column[j];
    if (!(pivot > 0.0)) return false;
    const double reciprocal = 1.0 / pivot;
    for (int k = j + 1; k < d; ++k) {
      const double ckj = column[k] * reciprocal;
      double* target = l + k * d;
      for (int i = k; i < d; ++i) target[i] -= column[i] * ckj;
    }
    const double ljj = std::sqrt(pivot), scale = ljj * reciprocal;
    column[j] = ljj;
    for (int i = j + 1; i < d; ++i) column[i] *= scale;
  }
  return true;
}

// The factorisation's steps in reverse (Smith 1995), column by column from the last:
//   t̄ = L̄_{>j, j} / L_jj;  Ā_{>j, j} += t̄;  s̄ = (L̄_jj − t̄·L_{>j, j}) / (2 L_jj);  Ā_jj += s̄;
//   for k < j: L̄_{>j, k} −= t̄ L_jk and L̄_jk −= t̄·L_{>j, k} + 2 s̄ L_jk, in one pass.
void backward(int d, const double* l, const double* dout, double* da) {
  std::array<double, kSmallCholesky * kSmallCholesky> lbar;
  std::array<double, kSmallCholesky> reciprocals;
  for (int j = 0; j < d; ++j) {
    reciprocals[j] = 1.0 / l[j + j * d];  // up front, off the chain from column to column
    for (int i = j; i < d; ++i) lbar[i + j * d] = dout[i + j * d];
  }
  for (int j = d - 1; j >= 0; --j) {
    const double reciprocal = reciprocals[j];
    double* tbar = lbar.data() + j * d;
    const double* lj = l + j * d;
    double* daj = da + j * d;
    double diagonal = 0.0;
    for (int i = j + 1; i < d; ++i) {
      tbar[i] *= reciprocal;
      diagonal += tbar[i] * lj[i];
      daj[i] += tbar[i];
    }
    const double sbar = 0.5 * (tbar[j] - diagonal) * reciprocal;
    daj[j] += sbar;
    for (int k = 0; k < j; ++k) {
      const double* lk = l + k * d;
      double* lbark = lbar.data() + k * d;
      const double ljk = lk[j];
      double dot = 0.0;
      for (int i = j + 1; i < d; ++i) {
        dot += tbar[i] * lk[i];
        lbark[i] -= tbar[i] * ljk;
      }
      lbark[j] -= dot + 2.0 * sbar * ljk;
    }
  }
}

// The same two, unrolled at the order D.
template <int D>
bool factor_fixed(const double* a, double* l) {
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

template <int D>
void backward_fixed(const double* l, const double* dout, double* da) {
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

using FixedFactor = bool (*)(const double*, double*);
using FixedBackward = void (*)(const double*, const double*, double*);

template <int... Orders>
constexpr std::array<FixedFactor, sizeof...(Orders)> fixed_factors(
    std::integer_sequence<int, Orders...>) {
  return {&factor_fixed<Orders + 1>...};
}
template <int... Orders>
constexpr std::array<FixedBackward, sizeof...(Orders)> fixed_backwards(
    std::integer_sequence<int, Orders...>) {
  return {&backward_fixed<Orders + 1>...};
}

constexpr auto kFixedFactors = fixed_factors(std::make_integer_sequence<int, kFixedOrders>());
constexpr auto kFixedBackwards = fixed_backwards(std::make_integer_sequence<int, kFixedOrders>());

}  // namespace

bool small_cholesky(Index d, const double* a, double* l) {
  if (d <= kFixedOrders) return kFixedFactors[d - 1](a, l);
  return factor(static_cast<int>(d), a, l);
}

void small_cholesky_backward(Index d, const double* l, const double* dout, double* da) {
  if (d <= kFixedOrders) {
    kFixedBackwards[d - 1](l, dout, da);
  } else {
    backward(static_cast<int>(d), l, dout, da);
  }
}

}  // namespace ed::detail
