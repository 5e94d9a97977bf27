// Functions Stan programs use that are compositions of the ops (so their gradients are the
// ops' own): Phi_approx, log_sum_exp of two tensors, log_mix, fma, fmin/fmax, binary_log_loss,
// dot_product, quad_form, tcrossprod, diag_matrix, rep_matrix, the mdivide family, segment_sum
// and rank.
#pragma once

#include <vector>

#include "edpp/core/tensor.hpp"

namespace ed {

/// Stan's Phi_approx: the logistic approximation of Φ, σ(0.07056 x³ + 1.5976 x) elementwise.
Tensor Phi_approx(const Tensor& x);
/// log(eᵃ + eᵇ) elementwise, broadcasting as `+` (Stan's log_sum_exp of two arguments): the
/// larger term is taken out first, so it is finite whenever one term is; −inf when both are.
Tensor log_sum_exp(const Tensor& a, const Tensor& b);
/// log(θ eᵃ + (1 − θ) eᵇ) for θ in [0, 1] (Stan's log_mix), from log θ and log1m(θ).
Tensor log_mix(const Tensor& theta, const Tensor& a, const Tensor& b);
/// a·b + c elementwise, broadcasting (Stan's fma; not fused: the value is a·b rounded, then + c).
Tensor fma(const Tensor& a, const Tensor& b, const Tensor& c);
/// Elementwise min and max with broadcasting (Stan's fmin, fmax): minimum and maximum.
Tensor fmin(const Tensor& a, const Tensor& b);
Tensor fmax(const Tensor& a, const Tensor& b);
/// −y log ŷ − (1 − y) log(1 − ŷ) elementwise (Stan's binary_log_loss, for y in {0, 1} or [0, 1]
/// and ŷ in [0, 1]), with 0 · log 0 = 0.
Tensor binary_log_loss(const Tensor& y, const Tensor& y_hat);
/// Σ aᵢbᵢ over two tensors of one shape, 1×1 (Stan's dot_product).
/// @throws ed::invalid_argument naming both shapes when they differ.
Tensor dot_product(const Tensor& a, const Tensor& b);
/// xᵀ A x (Stan's quad_form): 1×1 for a column x, k×k for an n×k x.
/// @throws ed::invalid_argument when A is not square or x's rows differ from A's.
Tensor quad_form(const Tensor& a, const Tensor& x);
/// A Aᵀ (Stan's tcrossprod).
Tensor tcrossprod(const Tensor& a);
/// The n×n matrix with the column v (n×1) on its diagonal (Stan's diag_matrix).
/// @throws ed::invalid_argument when v is not a column of known length.
Tensor diag_matrix(const Tensor& v);
/// x (1×1) repeated into rows × cols (Stan's rep_matrix).
/// @throws ed::invalid_argument when x is not 1×1 or a count is below 1.
Tensor rep_matrix(const Tensor& x, Index rows, Index cols);
/// A⁻¹ B for a square A (Stan's mdivide_left), through A's LU inverse.
Tensor mdivide_left(const Tensor& a, const Tensor& b);
/// B A⁻¹ (Stan's mdivide_right).
Tensor mdivide_right(const Tensor& b, const Tensor& a);
/// A⁻¹ B for a symmetric positive-definite A through its Cholesky factor (Stan's
/// mdivide_left_spd): A = L Lᵀ, so A⁻¹ B = L⁻ᵀ(L⁻¹B). A that is not positive definite stops the
/// graph with cholesky's error.
Tensor mdivide_left_spd(const Tensor& a, const Tensor& b);
/// B A⁻¹ for a symmetric positive-definite A (Stan's mdivide_right_spd).
Tensor mdivide_right_spd(const Tensor& b, const Tensor& a);
/// L⁻¹ B and B L⁻¹ for a lower-triangular L (Stan's mdivide_left_tri_low, mdivide_right_tri_low).
Tensor mdivide_left_tri_low(const Tensor& l, const Tensor& b);
Tensor mdivide_right_tri_low(const Tensor& b, const Tensor& l);
/// Row sums by group (Stan's segment sums, a scatter-add): row g of the result (groups × C) is
/// the sum of the rows i of x (n × C) with group[i] = g.
/// @throws ed::invalid_argument when group's length differs from x's rows or a group is outside
/// [0, groups).
Tensor segment_sum(const Tensor& x, const std::vector<Index>& group, Index groups);
/// For a column v (n×1), the number of elements of v below each vᵢ (n×1; Stan's rank(v, i)
/// for every i at once, 0-based), by comparing all pairs: n² work, no sort. Not differentiable
/// (its gradient is 0).
/// @throws ed::invalid_argument when v is not a column.
Tensor rank(const Tensor& v);

}  // namespace ed
