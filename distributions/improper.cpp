// Flat and HalfFlat: log density 0 on the support, and a draw that refuses to be made.
#include "edpp/distributions/improper.hpp"

#include <limits>

#include "edpp/core/errors.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/domain.hpp"

namespace ed {

namespace ops {
/// The value of an improper prior outside inference: there is nothing to draw.
class ImproperDraw final : public Op {
 public:
  ImproperDraw(std::string family, Shape shape) : family_(std::move(family)), shape_(shape) {}
  std::string_view name() const override { return "improper_draw"; }
  bool is_random() const override { return true; }
  Shape shape(Shapes) const override { return shape_; }
  void forward(Inputs, Matrix&, OpContext&) const override {
    throw ed::invalid_argument(family_ +
                               ": an improper prior has no draws; use it as a latent variable "
                               "of an inference (MAP, KLqp with a guide, HMC, NUTS)");
  }

 private:
  std::string family_;
  Shape shape_;
};
}  // namespace ops

namespace {

class ImproperDistribution final : public Distribution {
 public:
  ImproperDistribution(std::string family, Shape shape, Support support)
      : family_(std::move(family)), shape_(shape), support_(std::move(support)) {
    if (shape.rows < 1 || shape.cols < 1) {
      throw ed::invalid_argument(family_ + ": the shape must be known and positive, got " +
                                 to_string(shape));
    }
    if (support_.is_discrete()) {
      throw ed::invalid_argument(family_ + ": the support must be continuous, got " +
                                 support_.name());
    }
  }
  std::string_view name() const override { return family_; }
  // 0 inside the support, −inf outside (per element, or per row for row supports).
  Tensor log_prob(const Tensor& x) const override {
    return where(detail::in_domain(x, support_), 0.0, -std::numeric_limits<double>::infinity());
  }
  Tensor sample(const Tensor& = Tensor()) const override {
    return make_op(std::make_shared<ops::ImproperDraw>(family_, shape_), {Tensor(0.0)});
  }
  Support support() const override { return support_; }
  bool is_reparameterized() const override { return false; }
  std::vector<Tensor> params() const override { return {}; }

 private:
  std::string family_;
  Shape shape_;
  Support support_;
};

}  // namespace

Flat::Flat(Index rows, Index cols, Support support)
    : RandomVariable(
          std::make_shared<ImproperDistribution>("Flat", Shape{rows, cols}, std::move(support))) {}

HalfFlat::HalfFlat(Index rows, Index cols)
    : RandomVariable(std::make_shared<ImproperDistribution>("HalfFlat", Shape{rows, cols},
                                                            Support::positive())) {}

}  // namespace ed
