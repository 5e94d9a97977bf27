// Feed: the values given to placeholders for one run, as a brace list of {Tensor, Matrix}.
#pragma once

#include <variant>
#include <vector>

#include "edpp/core/tensor.hpp"

namespace ed {

/// One entry of a Feed. A named Matrix (an lvalue) is referenced, not copied — it must outlive
/// the run, as with TensorFlow's feed_dict; a temporary or an Eigen expression is evaluated and
/// owned, so `{{x, Matrix::Ones(3, 1)}}` is safe.
class FeedItem {
 public:
  FeedItem(Tensor key, const Matrix& value) : key_(std::move(key)), value_(&value) {}
  FeedItem(Tensor key, Matrix&& value) : key_(std::move(key)), value_(std::move(value)) {}
  template <class Derived>
  FeedItem(Tensor key, const Eigen::MatrixBase<Derived>& value)
      : key_(std::move(key)), value_(Matrix(value)) {}
  FeedItem(Tensor key, double value)
      : key_(std::move(key)), value_(Matrix::Constant(1, 1, value)) {}

  const Tensor& key() const { return key_; }
  const Matrix& value() const {
    if (const auto* ref = std::get_if<const Matrix*>(&value_)) return **ref;
    return std::get<Matrix>(value_);
  }

 private:
  Tensor key_;
  std::variant<const Matrix*, Matrix> value_;
};

/// Values for placeholders: `{{X, X_train}, {y, y_train}}`. Entries for placeholders a program
/// does not use are ignored; a placeholder it uses must be present.
using Feed = std::vector<FeedItem>;

}  // namespace ed
