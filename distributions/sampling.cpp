// The Draw op.
#include "distributions/sampling.hpp"

#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/beta_distribution.hpp>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/cauchy_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/extreme_value_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/geometric_distribution.hpp>
#include <boost/random/laplace_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/student_t_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include <cmath>

#include "core/op.hpp"
#include "core/rng.hpp"
#include "core/shape.hpp"

namespace ed {
namespace ops {

namespace {
using detail::Draw;

// The value of a broadcast parameter at output element (i, j).
double at(const Matrix& m, Index i, Index j) {
  return m(m.rows() == 1 ? 0 : i, m.cols() == 1 ? 0 : j);
}

double draw_one(Draw kind, const double* p, Rng::Engine& engine) {
  switch (kind) {
    case Draw::normal:
      return boost::random::normal_distribution<double>()(engine);
    case Draw::uniform:
      return boost::random::uniform_01<double>()(engine);
    case Draw::exponential:
      return boost::random::exponential_distribution<double>()(engine);
    case Draw::laplace:
      return boost::random::laplace_distribution<double>()(engine);
    case Draw::logistic: {
      // Inverse CDF: log(u / (1 − u)); u = 0 is redrawn (probability 2⁻⁵³).
      double u;
      do u = boost::random::uniform_01<double>()(engine);
      while (u == 0.0);
      return std::log(u) - std::log1p(-u);
    }
    case Draw::gumbel:  // Boost.Random defaults to location 1
      return boost::random::extreme_value_distribution<double>(0.0, 1.0)(engine);
    case Draw::cauchy:
      return boost::random::cauchy_distribution<double>()(engine);
    case Draw::gamma:
      return boost::random::gamma_distribution<double>(p[0], 1.0)(engine);
    case Draw::beta: {
      // Boost's beta draws two gammas; for tiny shapes both can underflow to 0, giving 0/0.
      const double x = boost::random::gamma_distribution<double>(p[0], 1.0)(engine);
      const double y = boost::random::gamma_distribution<double>(p[1], 1.0)(engine);
      return x + y > 0.0 ? x / (x + y) : (p[0] >= p[1] ? 1.0 : 0.0);
    }
    case Draw::poisson:
      return p[0] == 0.0
                 ? 0.0
                 : static_cast<double>(
                       boost::random::poisson_distribution<long long, double>(p[0])(engine));
    case Draw::binomial:
      return static_cast<double>(boost::random::binomial_distribution<long long, double>(
          static_cast<long long>(p[0]), p[1])(engine));
    case Draw::geometric:
      if (p[0] >= 1.0) return 0.0;
      return static_cast<double>(
          boost::random::geometric_distribution<long long, double>(p[0])(engine));
    case Draw::negative_binomial: {
      // Gamma–Poisson mixture, so r need not be an integer: λ ~ Gamma(r, (1 − p)/p).
      if (p[1] >= 1.0) return 0.0;
      const double lambda =
          boost::random::gamma_distribution<double>(p[0], (1.0 - p[1]) / p[1])(engine);
      return lambda == 0.0
                 ? 0.0
                 : static_cast<double>(
                       boost::random::poisson_distribution<long long, double>(lambda)(engine));
    }
    case Draw::student_t:
      return boost::random::student_t_distribution<double>(p[0])(engine);
    case Draw::bernoulli:
      return boost::random::bernoulli_distribution<double>(p[0])(engine) ? 1.0 : 0.0;
  }
  return 0.0;
}
}  // namespace

class DrawOp final : public Op {
 public:
  DrawOp(Draw kind, std::size_t num_params) : kind_(kind), num_params_(num_params) {}
  std::string_view name() const override { return "draw"; }
  bool is_random() const override { return true; }
  Shape shape(Shapes in) const override {
    Shape s = in[0];
    for (std::size_t i = 1; i < in.size(); ++i) s = detail::broadcast_shapes(name(), s, in[i]);
    return s;
  }
  void forward(Inputs in, Matrix& out, OpContext& ctx) const override {
    double p[2] = {0.0, 0.0};
    for (Index j = 0; j < out.cols(); ++j) {
      for (Index i = 0; i < out.rows(); ++i) {
        for (std::size_t k = 0; k < num_params_; ++k) p[k] = at(in[k], i, j);
        out(i, j) = draw_one(kind_, p, ctx.rng.engine());
      }
    }
  }
  // Draws are not differentiated (reparameterised samplers shift and scale standard draws
  // outside this op): every input receives zero.
  void backward(Inputs, const Matrix&, const Matrix&, Grads, OpContext&) const override {}

 private:
  Draw kind_;
  std::size_t num_params_;
};

}  // namespace ops

namespace detail {
Tensor draw(Draw kind, const std::vector<Tensor>& params, const std::vector<Tensor>& like) {
  std::vector<Tensor> inputs = params;
  inputs.insert(inputs.end(), like.begin(), like.end());
  if (inputs.empty()) inputs.push_back(Tensor(0.0));  // a single draw
  return make_op(std::make_shared<ops::DrawOp>(kind, params.size()), inputs);
}
}  // namespace detail

}  // namespace ed
