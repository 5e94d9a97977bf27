// Col, Concat and Gather ops.
#include "edpp/core/ops/indexing.hpp"

#include <optional>

#include <cmath>
#include <sstream>

#include "edpp/core/op.hpp"
#include "edpp/core/ops/broadcast.hpp"
#include "edpp/core/ops/reduce.hpp"
#include "edpp/core/shape.hpp"

namespace ed {
namespace ops {

class Col final : public Op {
 public:
  explicit Col(Index k) : k_(k) {}
  std::string_view name() const override { return "col"; }
  bool is_row_local(Shapes, std::span<const bool>) const override { return true; }
  Shape shape(Shapes in) const override {
    if (k_ < 0 || (in[0].cols != Dynamic && k_ >= in[0].cols)) {
      detail::fail(name(), "column " + std::to_string(k_) + " is out of range for shape " +
                               to_string(in[0]));
    }
    return {in[0].rows, 1};
  }
  std::optional<ScalarRule> scalar_rule(Shapes in) const override {
    ScalarRule rule{ScalarRule::Kind::moves, {}};
    for (Index i = 0; i < in[0].rows; ++i) rule.sources.push_back({0, k_ * in[0].rows + i});
    return rule;
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override { out = in[0].col(k_); }
  // Note [Forward tangents]: column k's elements are columns k·R … k·R + R − 1 of x's tangent.
  bool forward_tangent(Inputs in, const Matrix&, Tangents tin, Matrix& tout) const override {
    const Index rows = in[0].rows();
    tout = tin[0]->middleCols(k_ * rows, rows);
    return true;
  }
  // Only column k receives the gradient.
  void backward(Inputs, const Matrix&, const Matrix& dout, Grads din, OpContext&) const override {
    din[0]->col(k_) += dout;
  }

 private:
  Index k_;
};

class Row final : public Op {
 public:
  explicit Row(Index k) : k_(k) {}
  std::string_view name() const override { return "row"; }
  Shape shape(Shapes in) const override {
    if (k_ < 0 || (in[0].rows != Dynamic && k_ >= in[0].rows)) {
      detail::fail(name(),
                   "row " + std::to_string(k_) + " is out of range for shape " + to_string(in[0]));
    }
    return {1, in[0].cols};
  }
  std::optional<ScalarRule> scalar_rule(Shapes in) const override {
    ScalarRule rule{ScalarRule::Kind::moves, {}};
    for (Index j = 0; j < in[0].cols; ++j) rule.sources.push_back({0, j * in[0].rows + k_});
    return rule;
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override { out = in[0].row(k_); }
  // Only row k receives the gradient.
  void backward(Inputs, const Matrix&, const Matrix& dout, Grads din, OpContext&) const override {
    din[0]->row(k_) += dout;
  }

 private:
  Index k_;
};

class SliceRows final : public Op {
 public:
  SliceRows(Index begin, Index count) : begin_(begin), count_(count) {}
  std::string_view name() const override { return "slice_rows"; }
  Shape shape(Shapes in) const override {
    if (begin_ < 0 || count_ < 0 || (in[0].rows != Dynamic && begin_ + count_ > in[0].rows)) {
      detail::fail(name(), "rows [" + std::to_string(begin_) + ", " +
                               std::to_string(begin_ + count_) + ") are out of range for shape " +
                               to_string(in[0]));
    }
    return {count_, in[0].cols};
  }
  std::optional<ScalarRule> scalar_rule(Shapes in) const override {
    ScalarRule rule{ScalarRule::Kind::moves, {}};
    for (Index j = 0; j < in[0].cols; ++j) {
      for (Index i = 0; i < count_; ++i) rule.sources.push_back({0, j * in[0].rows + begin_ + i});
    }
    return rule;
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    out = in[0].middleRows(begin_, count_);
  }
  // Only the sliced rows receive the gradient.
  void backward(Inputs, const Matrix&, const Matrix& dout, Grads din, OpContext&) const override {
    din[0]->middleRows(begin_, count_) += dout;
  }

 private:
  Index begin_, count_;
};

class Reshape final : public Op {
 public:
  Reshape(Index rows, Index cols) : rows_(rows), cols_(cols) {}
  std::string_view name() const override { return "reshape"; }
  Shape shape(Shapes in) const override {
    if (in[0].is_known() && in[0].rows * in[0].cols != rows_ * cols_) {
      detail::fail(name(), "cannot make shape " + to_string(Shape{rows_, cols_}) + " from " +
                               to_string(in[0]));
    }
    return {rows_, cols_};
  }
  // Column-major order is kept: the same numbers in another shape.
  std::optional<ScalarRule> scalar_rule(Shapes) const override {
    ScalarRule rule{ScalarRule::Kind::moves, {}};
    for (Index e = 0; e < rows_ * cols_; ++e) rule.sources.push_back({0, e});
    return rule;
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    out = Eigen::Map<const Matrix>(in[0].data(), rows_, cols_);
  }
  void backward(Inputs, const Matrix&, const Matrix& dout, Grads din, OpContext&) const override {
    Eigen::Map<Matrix>(din[0]->data(), rows_, cols_) += dout;
  }

 private:
  Index rows_, cols_;
};

class GatherRows final : public Op {
 public:
  std::string_view name() const override { return "gather_rows"; }
  // Row i is row indices[i] of x: local in the indices while x is not split.
  bool is_row_local(Shapes, std::span<const bool> sharded) const override { return !sharded[0]; }
  Shape shape(Shapes in) const override {
    if (in[1].cols != Dynamic && in[1].cols != 1) {
      detail::fail(name(), "indices must be one column, got shape " + to_string(in[1]));
    }
    return {in[1].rows, in[0].cols};
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    for (Index i = 0; i < out.rows(); ++i) out.row(i) = in[0].row(index(in, i));
  }
  // Each picked row's gradient is added back to the row it came from.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    if (!din[0]) return;
    for (Index i = 0; i < dout.rows(); ++i) din[0]->row(index(in, i)) += dout.row(i);
  }

 private:
  Index index(Inputs in, Index i) const {
    const double v = in[1](i, 0);
    if (!(v >= 0.0 && v < static_cast<double>(in[0].rows()) && v == std::floor(v))) {
      std::ostringstream msg;
      msg << "index[" << i << ", 0] is " << v << ", but must be an integer in [0, " << in[0].rows()
          << ")";
      detail::fail(name(), msg.str());
    }
    return static_cast<Index>(v);
  }
};

class BroadcastLike final : public Op {
 public:
  std::string_view name() const override { return "broadcast_like"; }
  Shape shape(Shapes in) const override { return detail::broadcast_shapes(name(), in[0], in[1]); }
  bool is_row_local(Shapes in, std::span<const bool> sharded) const override {
    return unsharded_inputs_broadcast(in, sharded);
  }
  std::optional<ScalarRule> scalar_rule(Shapes in) const override {
    const Shape out = detail::broadcast_shapes(name(), in[0], in[1]);
    ScalarRule rule{ScalarRule::Kind::moves, {}};
    for (Index j = 0; j < out.cols; ++j) {
      for (Index i = 0; i < out.rows; ++i) {
        rule.sources.push_back({0, detail::broadcast_index(in[0], i, j)});
      }
    }
    return rule;
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    const Matrix& x = in[0];
    out = x.replicate(x.rows() == 1 ? out.rows() : 1, x.cols() == 1 ? out.cols() : 1);
  }
  // The copies of each element of x add up; `like` gets nothing.
  void backward(Inputs, const Matrix&, const Matrix& dout, Grads din, OpContext&) const override {
    if (din[0]) detail::accumulate(*din[0], dout);
  }
};

class Concat final : public Op {
 public:
  explicit Concat(int axis) : axis_(axis) {}
  std::string_view name() const override { return "concat"; }
  bool is_row_local(Shapes in, std::span<const bool> sharded) const override {
    return axis_ == 1 && unsharded_inputs_broadcast(in, sharded);
  }
  Shape shape(Shapes in) const override {
    // `along` is the dimension that adds up, `across` the one that must agree.
    auto along = [&](const Shape& s) { return axis_ == 0 ? s.rows : s.cols; };
    auto across = [&](const Shape& s) { return axis_ == 0 ? s.cols : s.rows; };
    Index total = 0, common = Dynamic;
    for (std::size_t i = 0; i < in.size(); ++i) {
      if (along(in[i]) == Dynamic || total == Dynamic) {
        total = Dynamic;
      } else {
        total += along(in[i]);
      }
      const Index other = across(in[i]);
      if (other == Dynamic) continue;
      if (common != Dynamic && common != other) {
        detail::fail(name(), "along axis " + std::to_string(axis_) + " shapes " + to_string(in[0]) +
                                 " and " + to_string(in[i]) +
                                 " do not match in their other dimension");
      }
      common = other;
    }
    return axis_ == 0 ? Shape{total, common} : Shape{common, total};
  }
  // Output element (i, j) is part k's (i − offset, j) or (i, j − offset).
  std::optional<ScalarRule> scalar_rule(Shapes in) const override {
    const Shape out = shape(in);
    ScalarRule rule{ScalarRule::Kind::moves, {}};
    rule.sources.resize(static_cast<std::size_t>(out.rows * out.cols));
    Index offset = 0;
    for (std::size_t k = 0; k < in.size(); ++k) {
      for (Index j = 0; j < in[k].cols; ++j) {
        for (Index i = 0; i < in[k].rows; ++i) {
          const Index row = axis_ == 0 ? i + offset : i, col = axis_ == 0 ? j : j + offset;
          rule.sources[static_cast<std::size_t>(col * out.rows + row)] = {static_cast<int>(k),
                                                                          j * in[k].rows + i};
        }
      }
      offset += axis_ == 0 ? in[k].rows : in[k].cols;
    }
    return rule;
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    Index offset = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
      if (axis_ == 0) {
        out.middleRows(offset, in[i].rows()) = in[i];
        offset += in[i].rows();
      } else {
        out.middleCols(offset, in[i].cols()) = in[i];
        offset += in[i].cols();
      }
    }
  }
  // Note [Forward tangents]: each part's element (i, j) lands at (i + offset, j) (axis 0) or
  // (i, j + offset) (axis 1); a part without a tangent contributes zeros.
  bool forward_tangent(Inputs in, const Matrix& out, Tangents tin, Matrix& tout) const override {
    Index q = 0;
    for (const Matrix* t : tin) q = t ? t->rows() : q;
    tout.setZero(q, out.size());
    Index offset = 0;
    for (std::size_t k = 0; k < in.size(); ++k) {
      const Matrix& part = in[k];
      if (tin[k]) {
        for (Index j = 0; j < part.cols(); ++j) {
          const Index row0 = axis_ == 0 ? offset : 0, col = axis_ == 0 ? j : j + offset;
          tout.middleCols(col * out.rows() + row0, part.rows()) =
              tin[k]->middleCols(j * part.rows(), part.rows());
        }
      }
      offset += axis_ == 0 ? part.rows() : part.cols();
    }
    return true;
  }
  // Each part receives its own slice of the gradient.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    Index offset = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
      const Index n = axis_ == 0 ? in[i].rows() : in[i].cols();
      if (din[i] && axis_ == 0) *din[i] += dout.middleRows(offset, n);
      if (din[i] && axis_ == 1) *din[i] += dout.middleCols(offset, n);
      offset += n;
    }
  }

 private:
  int axis_;
};

class Gather final : public Op {
 public:
  Gather(std::string who, std::string what) : who_(std::move(who)), what_(std::move(what)) {}
  /// Labels that are not an integer in [0, columns) pick `outside` instead of throwing.
  explicit Gather(double outside) : outside_(outside) {}
  std::string_view name() const override { return "gather"; }
  bool is_row_local(Shapes in, std::span<const bool> sharded) const override {
    return unsharded_inputs_broadcast(in, sharded);
  }
  Shape shape(Shapes in) const override {
    if (in[1].cols != Dynamic && in[1].cols != 1) {
      detail::fail(name(), "labels must be one column, got shape " + to_string(in[1]));
    }
    const Shape rows = detail::broadcast_shapes(name(), {in[0].rows, 1}, {in[1].rows, 1});
    return {rows.rows, 1};
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    const Matrix& x = in[0];
    const Matrix& labels = in[1];
    for (Index i = 0; i < out.rows(); ++i) {
      const Index r = labels.rows() == 1 ? 0 : i;
      if (outside_ && !is_label(labels(r, 0), x.cols())) {
        out(i, 0) = *outside_;
        continue;
      }
      out(i, 0) = x(x.rows() == 1 ? 0 : i, checked_label(labels, r, x.cols()));
    }
  }
  // Only the picked entry of each row receives the gradient; labels get none (piecewise constant).
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    if (!din[0]) return;
    const Matrix& labels = in[1];
    Matrix& g = *din[0];
    for (Index i = 0; i < dout.rows(); ++i) {
      const double label = labels(labels.rows() == 1 ? 0 : i, 0);
      if (!is_label(label, g.cols())) continue;  // an `outside` value: constant
      g(g.rows() == 1 ? 0 : i, static_cast<Index>(label)) += dout(i, 0);
    }
  }

 private:
  static bool is_label(double v, Index classes) {
    return v >= 0.0 && v < static_cast<double>(classes) && v == std::floor(v);
  }
  Index checked_label(const Matrix& labels, Index r, Index classes) const {
    const double v = labels(r, 0);
    if (!is_label(v, classes)) {
      std::ostringstream msg;
      msg << what_ << "[" << r << ", 0] is " << v << ", but must be an integer in [0, " << classes
          << ")";
      detail::fail(who_, msg.str());
    }
    return static_cast<Index>(v);
  }
  std::string who_ = "gather", what_ = "label";  // how label errors name the labels
  std::optional<double> outside_;                // set: no errors, this value instead
};

}  // namespace ops

Tensor col(const Tensor& x, Index k) { return make_op(std::make_shared<ops::Col>(k), {x}); }

Tensor row(const Tensor& x, Index k) { return make_op(std::make_shared<ops::Row>(k), {x}); }

Tensor slice_rows(const Tensor& x, Index begin, Index count) {
  return make_op(std::make_shared<ops::SliceRows>(begin, count), {x});
}

Tensor reshape(const Tensor& x, Index rows, Index cols) {
  return make_op(std::make_shared<ops::Reshape>(rows, cols), {x});
}

Tensor gather_rows(const Tensor& x, const Tensor& indices) {
  return make_op(std::make_shared<ops::GatherRows>(), {x, indices});
}

Tensor broadcast_like(const Tensor& x, const Tensor& like) {
  return make_op(std::make_shared<ops::BroadcastLike>(), {x, like});
}

Tensor concat(const std::vector<Tensor>& parts, int axis) {
  detail::check_axis("concat", axis);
  if (parts.empty()) detail::fail("concat", "needs at least one tensor");
  return make_op(std::make_shared<ops::Concat>(axis), parts);
}

Tensor gather(const Tensor& x, const Tensor& labels) {
  return detail::gather(x, labels, "gather", "label");
}

Tensor gather_or(const Tensor& x, const Tensor& labels, double outside) {
  return make_op(std::make_shared<ops::Gather>(outside), {x, labels});
}

namespace detail {
Tensor gather(const Tensor& x, const Tensor& labels, std::string_view who, std::string_view what) {
  return make_op(std::make_shared<ops::Gather>(std::string(who), std::string(what)), {x, labels});
}
}  // namespace detail

}  // namespace ed
