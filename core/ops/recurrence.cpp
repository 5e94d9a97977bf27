// The linear-recurrence op.
#include "edpp/core/ops/recurrence.hpp"

#include "edpp/core/errors.hpp"
#include "edpp/core/op.hpp"

namespace ed {

namespace ops {

class LinearRecurrence final : public Op {
 public:
  std::string_view name() const override { return "linear_recurrence"; }
  Shape shape(Shapes in) const override {
    if (in[1].rows != 1 || in[1].cols != 1) {
      throw ed::invalid_argument("linear_recurrence: a must be 1×1, got " + to_string(in[1]));
    }
    return in[0];
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    const Matrix& r = in[0];
    const double a = in[1](0, 0);
    if (r.rows() == 0) return;
    out.row(0) = r.row(0);
    for (Index t = 1; t < r.rows(); ++t) out.row(t) = r.row(t) + a * out.row(t - 1);
  }
  void backward(Inputs in, const Matrix& out, const Matrix& dout, Grads din,
                OpContext&) const override {
    const double a = in[1](0, 0);
    const Index rows = dout.rows();
    if (rows == 0) return;
    Eigen::RowVectorXd carried = Eigen::RowVectorXd::Zero(dout.cols());  // ḡ_{t+1}
    double da = 0.0;
    for (Index t = rows - 1; t >= 0; --t) {
      carried = dout.row(t) + a * carried;  // now ḡ_t
      if (din[0]) din[0]->row(t) += carried;
      if (t > 0) da += carried.dot(out.row(t - 1));
    }
    if (din[1]) (*din[1])(0, 0) += da;
  }
};

}  // namespace ops

Tensor linear_recurrence(const Tensor& r, const Tensor& a) {
  return make_op(std::make_shared<ops::LinearRecurrence>(), {r, a});
}

}  // namespace ed
