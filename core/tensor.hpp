// Tensor: a cheap, copyable handle to a node of the computation graph, and the leaf builders.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "edpp/core/fwd.hpp"

namespace ed {

namespace detail {
struct Node;
}

/// A handle to a graph node. Building a Tensor computes nothing: values appear when a Program
/// or Session runs it. Copies share the node; equality and hashing are by node identity, so a
/// Tensor can key a feed.
class Tensor {
 public:
  /// An empty handle; using it in an op throws.
  Tensor() = default;
  /// A 1×1 constant.
  Tensor(double value);  // NOLINT(google-explicit-constructor): constants read naturally
  /// A constant holding a copy of `value`.
  Tensor(const Matrix& value);  // NOLINT(google-explicit-constructor)
  /// A constant from any Eigen matrix expression, e.g. `Matrix::Zero(n, 1)`.
  template <class Derived>
  Tensor(const Eigen::MatrixBase<Derived>& value)  // NOLINT(google-explicit-constructor)
      : Tensor(Matrix(value)) {}
  explicit Tensor(std::shared_ptr<detail::Node> node) : node_(std::move(node)) {}

  /// Static shape; Dynamic where it depends on the feed.
  Shape shape() const;
  /// The user's name for placeholders and variables, the op's name otherwise.
  const std::string& name() const;
  bool is_placeholder() const;
  bool is_variable() const;
  bool is_constant() const;
  /// The current value of a variable or constant. @throws ed::invalid_argument for other nodes.
  const Matrix& value() const;
  /// Overwrites a variable's value. @throws ed::invalid_argument if not a variable or the shape
  /// differs.
  void assign(const Matrix& value) const;

  explicit operator bool() const { return node_ != nullptr; }
  const std::shared_ptr<detail::Node>& node() const { return node_; }
  friend bool operator==(const Tensor& a, const Tensor& b) { return a.node_ == b.node_; }

 private:
  std::shared_ptr<detail::Node> node_;
};

/// Gives `t`'s node a name that errors and diagnostics show ("relu 'hidden'"), and returns t.
/// Names of placeholders and variables are set where they are made.
Tensor named(const Tensor& t, std::string name);

/// A node holding a fixed value.
Tensor constant(const Matrix& value);
/// A value supplied at run time through a Feed; `Dynamic` dimensions take the fed size.
Tensor placeholder(Shape shape, std::string name = "");
/// A trainable value, updated in place by optimizers.
Tensor variable(const Matrix& init, std::string name = "");

namespace detail {
/// A variable's value for in-place updates by optimizers (the Program reads it directly).
/// @throws ed::invalid_argument if `t` is not a variable.
Matrix& mutable_value(const Tensor& t);
}  // namespace detail

/// The builder every op goes through: checks the inputs' static shapes with `op.shape()` (so
/// mismatches are reported when the graph is built) and returns the new node.
Tensor make_op(std::shared_ptr<const Op> op, std::vector<Tensor> inputs);

}  // namespace ed

template <>
struct std::hash<ed::Tensor> {
  std::size_t operator()(const ed::Tensor& t) const noexcept {
    return std::hash<const void*>()(t.node().get());
  }
};
