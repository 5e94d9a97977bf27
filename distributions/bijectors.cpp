// constrain / unconstrain for every continuous support.
#include "distributions/bijectors.hpp"

#include "core/errors.hpp"
#include "core/ops.hpp"

namespace ed {

namespace {
[[noreturn]] void no_bijector(const Support& support) {
  throw ed::invalid_argument("bijector: the " + to_string(support) +
                             " support is discrete and has no map from the real line");
}
}  // namespace

Tensor constrain(const Support& support, const Tensor& u) {
  switch (support.kind) {
    case Support::Kind::real:
      return u;
    case Support::Kind::positive:
      return exp(u);
    case Support::Kind::unit_interval:
      return sigmoid(u);
    case Support::Kind::interval:
      return support.low + (support.high - support.low) * sigmoid(u);
    case Support::Kind::simplex: {
      const Shape s = u.shape();
      const Tensor zeros = Tensor(Matrix::Zero(s.rows == Dynamic ? 1 : s.rows, 1));
      return softmax(concat({u, zeros}, 1), 1);
    }
    default:
      no_bijector(support);
  }
}

Matrix unconstrain(const Support& support, const Matrix& x) {
  auto require = [&](bool ok) {
    if (!ok) {
      throw ed::invalid_argument("bijector: the value is outside the " + to_string(support) +
                                 " support");
    }
  };
  switch (support.kind) {
    case Support::Kind::real:
      return x;
    case Support::Kind::positive:
      require((x.array() > 0.0).all());
      return x.array().log().matrix();
    case Support::Kind::unit_interval:
    case Support::Kind::interval: {
      const Matrix p = (x.array() - support.low) / (support.high - support.low);
      require((p.array() > 0.0 && p.array() < 1.0).all());
      return (p.array().log() - (-p.array()).log1p()).matrix();
    }
    case Support::Kind::simplex: {
      require(x.cols() >= 1 && (x.array() > 0.0).all());
      const Index k = x.cols();
      return (x.leftCols(k - 1).array().log().colwise() - x.col(k - 1).array().log()).matrix();
    }
    default:
      no_bijector(support);
  }
}

Shape unconstrained_shape(const Support& support, Shape constrained) {
  if (support.kind == Support::Kind::simplex && constrained.cols != Dynamic) {
    return {constrained.rows, constrained.cols - 1};
  }
  return constrained;
}

}  // namespace ed
