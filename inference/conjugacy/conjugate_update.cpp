// ConjugateUpdate: probes of the children's log density (Note [Conjugacy by probing]) and the
// closed-form conditional of each conjugate family from them.
#include "edpp/inference/conjugacy/conjugate_update.hpp"

#include <Eigen/Cholesky>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include <cmath>
#include <functional>
#include <optional>

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"

namespace ed::detail {

namespace {

/// A fixed stream for the verification points: a conditional evaluated twice gives the same
/// numbers, and the chain's own stream is left alone.
using ProbeEngine = boost::random::mt19937;
constexpr unsigned kProbeSeed = 20261204u;

Matrix uniform(Index rows, Index cols, double low, double high, ProbeEngine& engine) {
  boost::random::uniform_real_distribution<double> u(low, high);
  Matrix m(rows, cols);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = u(engine);
  return m;
}

/// `m` (1×1, 1×cols, rows×1 or rows×cols) broadcast to rows×cols.
Matrix broadcast(const Matrix& m, Index rows, Index cols) {
  if (m.rows() == rows && m.cols() == cols) return m;
  if (m.size() == 1) return Matrix::Constant(rows, cols, m(0, 0));
  if (m.rows() == 1 && m.cols() == cols) return m.replicate(rows, 1);
  if (m.cols() == 1 && m.rows() == rows) return m.replicate(1, cols);
  throw ed::invalid_argument("complete_conditional: a prior parameter of shape " +
                             to_string(shape_of(m)) + " does not broadcast to the latent's " +
                             to_string(Shape{rows, cols}));
}

/// Whether `predicted` matches the gradient `actual` up to rounding in terms of size `scale`.
bool agrees(const Matrix& predicted, const Matrix& actual, const Matrix& scale) {
  const Matrix error = (predicted - actual).cwiseAbs();
  const Matrix allowed = 1e-7 * (scale.cwiseAbs() + actual.cwiseAbs()).array() + 1e-9;
  return (error.array() <= allowed.array()).all();
}

/// The natural parameters of an elementwise family: the coefficients of its two sufficient
/// statistics (one for the Dirichlet) in the children's log density, per element.
struct Eta {
  Matrix first, second;
};

using GradientAt = std::function<Matrix(const Matrix&)>;

/// The form each family's log density takes in z, as the error states it.
const char* form_of(ConditionalForm form) {
  switch (form) {
    case ConditionalForm::normal:
    case ConditionalForm::normal_full:
      return "η₁·z + η₂·z² (a Normal likelihood in z)";
    case ConditionalForm::gamma:
      return "η₁·log z + η₂·z";
    case ConditionalForm::inverse_gamma:
      return "η₁·log z + η₂/z";
    case ConditionalForm::beta:
      return "η₁·log z + η₂·log(1 − z)";
    case ConditionalForm::dirichlet:
      return "Σₖ ηₖ·log zₖ";
    default:
      return "a function of the label";
  }
}

/// Reads η from two probes of the gradient and checks the form at a third point, random per
/// element; nothing when the check fails.
std::optional<Eta> fit_elementwise(ConditionalForm form, Shape shape, const GradientAt& gradient) {
  ProbeEngine engine(kProbeSeed);
  const Index r = shape.rows, c = shape.cols;
  Eta eta;
  Matrix at, predicted;
  switch (form) {
    case ConditionalForm::normal: {  // ∂L/∂z = η₁ + 2η₂ z; first = η₁, second = 2η₂
      const Matrix g0 = gradient(Matrix::Zero(r, c)), g1 = gradient(Matrix::Ones(r, c));
      eta = {g0, g1 - g0};
      at = uniform(r, c, -1.0, 1.0, engine);
      predicted = eta.first + eta.second.cwiseProduct(at);
      return agrees(predicted, gradient(at), g0.cwiseAbs() + g1.cwiseAbs()) ? std::optional(eta)
                                                                            : std::nullopt;
    }
    case ConditionalForm::gamma: {  // η₁/z + η₂
      const Matrix g1 = gradient(Matrix::Ones(r, c)), g2 = gradient(Matrix::Constant(r, c, 2.0));
      eta.first = 2.0 * (g1 - g2);
      eta.second = g1 - eta.first;
      at = uniform(r, c, 0.5, 3.0, engine);
      predicted = eta.first.cwiseQuotient(at) + eta.second;
      return agrees(predicted, gradient(at), g1.cwiseAbs() + g2.cwiseAbs()) ? std::optional(eta)
                                                                            : std::nullopt;
    }
    case ConditionalForm::inverse_gamma: {  // η₁/z − η₂/z²
      const Matrix g1 = gradient(Matrix::Ones(r, c)), g2 = gradient(Matrix::Constant(r, c, 2.0));
      eta.first = 4.0 * g2 - g1;
      eta.second = eta.first - g1;
      at = uniform(r, c, 0.5, 3.0, engine);
      predicted = eta.first.cwiseQuotient(at) - eta.second.cwiseQuotient(at.cwiseAbs2());
      return agrees(predicted, gradient(at), g1.cwiseAbs() + g2.cwiseAbs()) ? std::optional(eta)
                                                                            : std::nullopt;
    }
    case ConditionalForm::beta: {  // η₁/z − η₂/(1 − z)
      const Matrix ga = gradient(Matrix::Constant(r, c, 0.25));
      const Matrix gb = gradient(Matrix::Constant(r, c, 0.5));
      eta.second = 0.375 * (ga - 2.0 * gb);
      eta.first = 0.5 * gb + eta.second;
      at = uniform(r, c, 0.1, 0.9, engine);
      predicted =
          eta.first.cwiseQuotient(at) - eta.second.cwiseQuotient((1.0 - at.array()).matrix());
      return agrees(predicted, gradient(at), ga.cwiseAbs() + gb.cwiseAbs()) ? std::optional(eta)
                                                                            : std::nullopt;
    }
    case ConditionalForm::dirichlet: {
      // ∂L/∂z_k = η_k / z_k + c per row: the children may normalise the row (a Categorical from
      // probabilities), which adds the same c to every k and nothing on the simplex.
      const Index k = c;
      const Matrix pa = Matrix::Constant(r, k, 1.0 / static_cast<double>(k));
      Matrix pb(r, k);
      for (Index j = 0; j < k; ++j) pb.col(j).setConstant(std::ldexp(1.0, static_cast<int>(j)));
      pb /= std::ldexp(1.0, static_cast<int>(k)) - 1.0;  // 2^j / (2^K − 1): never 1/K for K ≥ 2
      const Matrix ga = gradient(pa), gb = gradient(pb);
      eta.first =
          (ga - gb).cwiseQuotient((static_cast<double>(k) - pb.cwiseInverse().array()).matrix());
      const Eigen::VectorXd shift = (ga - static_cast<double>(k) * eta.first).rowwise().mean();
      at = uniform(r, k, 0.05, 1.0, engine);
      at.array().colwise() /= at.rowwise().sum().array();
      predicted = eta.first.cwiseQuotient(at);
      predicted.colwise() += shift;
      return agrees(predicted, gradient(at), ga.cwiseAbs() + gb.cwiseAbs()) ? std::optional(eta)
                                                                            : std::nullopt;
    }
    default:
      throw ed::invalid_argument("complete_conditional: not an elementwise family");
  }
}

/// The Normal case with interacting elements: L's gradient g(z) = g₀ + H z, read column by
/// column, and checked at a random point.
std::optional<std::pair<Eigen::VectorXd, Matrix>> fit_quadratic(Shape shape,
                                                                const GradientAt& gradient) {
  const Index d = shape.rows * shape.cols;
  auto flat = [](const Matrix& m) { return Eigen::Map<const Eigen::VectorXd>(m.data(), m.size()); };
  const Eigen::VectorXd g0 = flat(gradient(Matrix::Zero(shape.rows, shape.cols)));
  Matrix hessian(d, d);
  Matrix unit = Matrix::Zero(shape.rows, shape.cols);
  for (Index j = 0; j < d; ++j) {
    unit.data()[j] = 1.0;
    hessian.col(j) = flat(gradient(unit)) - g0;
    unit.data()[j] = 0.0;
  }
  ProbeEngine engine(kProbeSeed);
  const Matrix at = uniform(shape.rows, shape.cols, -1.0, 1.0, engine);
  const Eigen::VectorXd predicted = g0 + hessian * flat(at);
  const Eigen::VectorXd actual = flat(gradient(at));
  const Eigen::VectorXd scale = g0.cwiseAbs() + (hessian.cwiseAbs() * flat(at).cwiseAbs());
  if (!agrees(predicted, actual, scale)) return std::nullopt;
  return std::make_pair(g0, Matrix(0.5 * (hessian + hessian.transpose())));
}

}  // namespace

/// The children's log density as a program of z and the conditioning inputs: its gradient in z
/// (continuous latents) or its values row by row (discrete latents).
struct ConjugateUpdate::Probe {
  Probe(const std::vector<Tensor>& terms, const Tensor& prior_term, const Setup& setup,
        bool rowwise)
      : rowwise(rowwise) {
    z = placeholder(setup.shape, "complete_conditional/z");
    Substitutions substitutions{{setup.z, z}};
    for (std::size_t i = 0; i < setup.inputs.size(); ++i) {
      inputs.push_back(placeholder(setup.inputs[i].shape(), "complete_conditional/input"));
      substitutions.emplace_back(setup.inputs[i], inputs.back());
    }
    std::vector<Tensor> all = terms;
    if (prior_term) all.push_back(prior_term);
    Tensor total;
    for (const Tensor& t : all) {
      Tensor part = !rowwise                                   ? sum(t)
                    : setup.shape.rows * setup.shape.cols == 1 ? sum(t)
                    : t.shape().cols == 1                      ? t
                                                               : sum(t, 1);
      total = total ? total + part : part;
    }
    // 0·Σz keeps z in the program (and its gradient zero) when no child remains.
    if (!rowwise) total = total ? total + 0.0 * sum(z) : 0.0 * sum(z);
    program = std::make_unique<Program>(std::vector<Tensor>{total},
                                        rowwise ? std::vector<Tensor>{} : std::vector<Tensor>{z},
                                        substitutions);
  }

  const Matrix& run(const Matrix& at, const std::vector<const Matrix*>& values, Rng& rng) {
    z_value = at;
    Feed feed{{z, z_value}};
    for (std::size_t i = 0; i < inputs.size(); ++i) feed.emplace_back(inputs[i], *values[i]);
    program->forward(feed, rng);
    if (rowwise) return program->output(0);
    program->backward();
    return program->gradient(0);
  }

  bool rowwise;
  Tensor z;
  std::vector<Tensor> inputs;
  std::unique_ptr<Program> program;
  Matrix z_value;
};

ConjugateUpdate::ConjugateUpdate(Setup setup) : setup_(std::move(setup)) {
  const bool discrete =
      setup_.form == ConditionalForm::categorical || setup_.form == ConditionalForm::bernoulli;
  probe_ = std::make_unique<Probe>(setup_.children, setup_.prior_term, setup_, discrete);
}

ConjugateUpdate::~ConjugateUpdate() = default;

Shape ConjugateUpdate::packed_shape() const {
  const Index r = setup_.shape.rows, c = setup_.shape.cols;
  switch (setup_.form) {
    case ConditionalForm::normal_full:
      return {1 + r * c, r * c};
    case ConditionalForm::dirichlet:
      return {r, c};
    case ConditionalForm::categorical:
      return {r, setup_.categories};
    case ConditionalForm::bernoulli:
      return {r, c};
    default:
      return {2 * r, c};
  }
}

void ConjugateUpdate::compute(const std::vector<const Matrix*>& prior,
                              const std::vector<const Matrix*>& inputs, Matrix& out, Rng& rng) {
  std::lock_guard<std::mutex> lock(mutex_);
  compute_locked(prior, inputs, out, rng);
}

void ConjugateUpdate::compute_locked(const std::vector<const Matrix*>& prior,
                                     const std::vector<const Matrix*>& inputs, Matrix& out,
                                     Rng& rng) {
  const Index r = setup_.shape.rows, c = setup_.shape.cols;
  const GradientAt gradient = [&](const Matrix& at) { return probe_->run(at, inputs, rng); };
  auto improper = [&](const char* what) {
    throw ed::invalid_argument("complete_conditional: " + setup_.latent +
                               ": the conditional is improper (" + what +
                               "); the children pull the wrong way for a conjugate update");
  };
  auto param = [&](std::size_t k) { return broadcast(*prior[k], r, c); };
  switch (setup_.form) {
    case ConditionalForm::categorical: {
      out.resize(r, setup_.categories);
      for (Index k = 0; k < setup_.categories; ++k) {
        out.col(k) = gradient(Matrix::Constant(r, c, static_cast<double>(k)));
      }
      return;
    }
    case ConditionalForm::bernoulli: {
      const Matrix one = gradient(Matrix::Ones(r, c));
      out = one - gradient(Matrix::Zero(r, c));
      return;
    }
    case ConditionalForm::normal_full: {
      const auto fit = fit_quadratic(setup_.shape, gradient);
      if (!fit) not_conjugate(form_of(setup_.form), inputs, rng);
      const Matrix loc = param(0), scale = param(1);
      const Index d = r * c;
      const Eigen::VectorXd prior_precision =
          Eigen::Map<const Eigen::VectorXd>(scale.data(), d).cwiseAbs2().cwiseInverse();
      Matrix precision = -fit->second;
      precision.diagonal() += prior_precision;
      const Eigen::VectorXd shift =
          prior_precision.cwiseProduct(Eigen::Map<const Eigen::VectorXd>(loc.data(), d)) +
          fit->first;
      const Eigen::LLT<Matrix> llt(precision);
      if (llt.info() != Eigen::Success) improper("the precision is not positive definite");
      const Matrix covariance = llt.solve(Matrix::Identity(d, d));
      out.resize(1 + d, d);
      out.row(0) = (covariance * shift).transpose();
      out.bottomRows(d) = 0.5 * (covariance + covariance.transpose());
      return;
    }
    default:
      break;
  }
  const auto eta = fit_elementwise(setup_.form, setup_.shape, gradient);
  if (!eta) not_conjugate(form_of(setup_.form), inputs, rng);
  switch (setup_.form) {
    case ConditionalForm::normal: {
      const Matrix loc = param(0), scale = param(1);
      const Matrix prior_precision = scale.cwiseAbs2().cwiseInverse();
      const Matrix precision = prior_precision - eta->second;
      if (!(precision.array() > 0.0).all()) improper("the precision is not positive");
      out.resize(2 * r, c);
      out.topRows(r) = (prior_precision.cwiseProduct(loc) + eta->first).cwiseQuotient(precision);
      out.bottomRows(r) = precision.cwiseSqrt().cwiseInverse();
      return;
    }
    case ConditionalForm::gamma:
    case ConditionalForm::beta: {
      const bool gamma = setup_.form == ConditionalForm::gamma;
      out.resize(2 * r, c);
      out.topRows(r) = param(0) + eta->first;
      // Gamma's rate falls with the coefficient of z; Beta's second concentration rises with it.
      out.bottomRows(r) = gamma ? Matrix(param(1) - eta->second) : Matrix(param(1) + eta->second);
      if (!(out.array() > 0.0).all()) improper("a parameter is not positive");
      return;
    }
    case ConditionalForm::inverse_gamma: {
      out.resize(2 * r, c);
      out.topRows(r) = param(0) - eta->first;
      out.bottomRows(r) = param(1) - eta->second;
      if (!(out.array() > 0.0).all()) improper("a parameter is not positive");
      return;
    }
    case ConditionalForm::dirichlet: {
      out = param(0) + eta->first;
      if (!(out.array() > 0.0).all()) improper("a concentration is not positive");
      return;
    }
    default:
      throw ed::invalid_argument("complete_conditional: unknown form");
  }
}

void ConjugateUpdate::not_conjugate(const std::string& form, const std::vector<const Matrix*>& in,
                                    Rng& rng) {
  // Name the first child that is not of the form alone.
  for (std::size_t i = 0; i < setup_.children.size(); ++i) {
    Probe alone({setup_.children[i]}, Tensor(), setup_, /*rowwise=*/false);
    const GradientAt gradient = [&](const Matrix& at) { return alone.run(at, in, rng); };
    const bool fits = setup_.form == ConditionalForm::normal_full
                          ? fit_quadratic(setup_.shape, gradient).has_value()
                          : fit_elementwise(setup_.form, setup_.shape, gradient).has_value();
    if (!fits) {
      throw ed::invalid_argument("complete_conditional: " + setup_.latent + ": its child " +
                                 setup_.child_names[i] +
                                 " is not conjugate to it: that factor's log density is not " +
                                 form + " in " + setup_.latent +
                                 "; use a proposal for it "
                                 "(Metropolis-within-Gibbs) or another inference");
    }
  }
  throw ed::invalid_argument(
      "complete_conditional: " + setup_.latent +
      ": its elements are not conditionally independent (each child is conjugate, but "
      "together they couple the elements): split it into separate random variables");
}

}  // namespace ed::detail
