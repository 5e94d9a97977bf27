// Neural-network layers and weight initialisers (TensorFlow 1's defaults).
#pragma once

#include <cstdint>
#include <string>

#include "edpp/core/ops/unary.hpp"
#include "edpp/core/seed.hpp"
#include "edpp/core/tensor.hpp"

namespace ed {

/// An activation: any function Tensor → Tensor, e.g. ed::relu, ed::exp, ed::tanh, ed::sigmoid.
using Activation = Tensor (*)(const Tensor&);

/// A fully connected layer, as tf.layers.dense: activation(x · W + b) with W (in×units) drawn
/// Glorot-uniform (from an engine seeded by the next seed of set_seed's sequence) and b (1×units)
/// zero. x must have a known number of columns. Variables are named "<name>/kernel" and
/// "<name>/bias"; an empty name becomes "dense_<n>".
/// @throws ed::invalid_argument when units < 1 or x's column count is Dynamic.
Tensor dense(const Tensor& x, Index units, Activation activation = identity,
             const std::string& name = "");

/// Uniform on [−l, l] with l = √(6 / (fan_in + fan_out)) (Glorot & Bengio 2010; TF1's default),
/// from an engine seeded by the next seed of set_seed's sequence.
Matrix glorot_uniform(Index fan_in, Index fan_out);

/// The same, drawn from `rng`.
Matrix glorot_uniform(Index fan_in, Index fan_out, Rng& rng);

}  // namespace ed
