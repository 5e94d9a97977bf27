// PointwiseLogProb: a family's log density and its gradient element by element, one node.
#include "edpp/distributions/pointwise.hpp"

#include <array>
#include <limits>

#include "edpp/core/errors.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/ops/broadcast.hpp"
#include "edpp/core/shape.hpp"

namespace ed {

// Note [Pointwise densities]: a scalar prior written as a composite (HalfCauchy's div, square,
// log1p, sub, and the support's in_domain and where) costs six or seven nodes for one value, and
// in a small model such as eight schools the per-node overhead of running them is most of a
// gradient's time. A family with a short formula gives instead its value and partial
// derivatives at one element (extend::PointwiseDensity), and one op loops over the broadcast
// elements, checking the domain as it goes (in one vectorised pass over x first, and element
// by element only when some element is outside): one node forward and back, whatever the shapes.
// Families whose densities run over long data vectors keep their vectorised kernels
// (Normal, Bernoulli); this op serves the priors and the short count likelihoods.
namespace ops {

class PointwiseLogProb final : public Op {
 public:
  static constexpr std::size_t kMaxParams = 4;

  PointwiseLogProb(std::string name, const extend::PointwiseDensity& density, Support domain)
      : name_(std::move(name)), density_(density), domain_(std::move(domain)) {}
  std::string_view name() const override { return name_; }
  bool is_row_local(Shapes in, std::span<const bool> sharded) const override {
    return unsharded_inputs_broadcast(in, sharded);
  }
  Shape shape(Shapes in) const override {
    Shape out = in[0];
    for (std::size_t k = 1; k < in.size(); ++k) out = detail::broadcast_shapes(name_, out, in[k]);
    return out;
  }
  void forward(Inputs in, Matrix& out, OpContext& ctx) const override {
    constexpr double kMinusInf = -std::numeric_limits<double>::infinity();
    std::array<double, kMaxParams> theta{};
    const bool all_inside = domain_.set().contains_all(in[0]);
    const auto fused = density_.log_density_and_partials;
    if (fused) {
      ctx.scratch.resize(1);
      ctx.scratch[0].setZero(static_cast<Index>(in.size()), out.size());
    }
    for (Index j = 0; j < out.cols(); ++j) {
      for (Index i = 0; i < out.rows(); ++i) {
        const double x = at(in[0], i, j);
        for (std::size_t k = 1; k < in.size(); ++k) theta[k - 1] = at(in[k], i, j);
        if (!all_inside && !domain_.set().contains(x)) {
          out(i, j) = kMinusInf;  // with zero partials
        } else if (fused) {
          out(i, j) = fused(x, theta.data(), &ctx.scratch[0](0, i + j * out.rows()));
        } else {
          out(i, j) = density_.log_density(x, theta.data());
        }
      }
    }
  }
  // Each element's partials times its dout, added into the inputs' (broadcast) gradients.
  // Outside the domain the value is a constant −∞: no gradient.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    std::array<double, kMaxParams> theta{};
    std::array<double, kMaxParams + 1> partials{};
    const bool fused = density_.log_density_and_partials != nullptr;
    const bool all_inside = fused || domain_.set().contains_all(in[0]);
    for (Index j = 0; j < dout.cols(); ++j) {
      for (Index i = 0; i < dout.rows(); ++i) {
        const double g = dout(i, j);
        if (g == 0.0) continue;
        const double* d = partials.data();
        if (fused) {  // kept by the forward pass, zero outside the domain
          d = &ctx.scratch[0](0, i + j * dout.rows());
        } else {
          const double x = at(in[0], i, j);
          if (!all_inside && !domain_.set().contains(x)) continue;
          for (std::size_t k = 1; k < in.size(); ++k) theta[k - 1] = at(in[k], i, j);
          density_.partials(x, theta.data(), partials.data());
        }
        for (std::size_t k = 0; k < din.size(); ++k) {
          if (din[k]) din[k]->data()[detail::broadcast_index(*din[k], i, j)] += g * d[k];
        }
      }
    }
  }

 private:
  // Element (i, j) of an operand that broadcasts to the output.
  static double at(const Matrix& m, Index i, Index j) {
    return m.data()[detail::broadcast_index(m, i, j)];
  }
  std::string name_;
  extend::PointwiseDensity density_;
  Support domain_;
};

}  // namespace ops

namespace detail {

Tensor pointwise_log_prob(const std::string& family, const extend::PointwiseDensity& density,
                          const Support& domain, const Tensor& x,
                          const std::vector<Tensor>& params) {
  if (domain.set().per_row()) {
    throw ed::invalid_argument(family + ": a pointwise log density needs an elementwise support");
  }
  std::vector<Tensor> inputs = {x};
  inputs.insert(inputs.end(), params.begin(), params.end());
  if (density.precomputed) {
    for (const Tensor& term : density.precomputed(x, params)) inputs.push_back(term);
  }
  if (inputs.size() > 1 + ops::PointwiseLogProb::kMaxParams) {
    throw ed::invalid_argument(family + ": a pointwise log density takes at most " +
                               std::to_string(ops::PointwiseLogProb::kMaxParams) +
                               " parameters and precomputed terms");
  }
  return make_op(std::make_shared<ops::PointwiseLogProb>(family + ".log_prob", density, domain),
                 inputs);
}

}  // namespace detail

}  // namespace ed
