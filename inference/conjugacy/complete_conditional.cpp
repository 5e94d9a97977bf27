// complete_conditional: which family the conditional is in, what it depends on, and the op that
// computes its parameters (ConjugateUpdate) wrapped as a random variable.
#include "edpp/inference/conjugacy/complete_conditional.hpp"

#include <algorithm>
#include <memory>
#include <unordered_set>

#include "edpp/core/errors.hpp"
#include "edpp/core/node.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/bounded.hpp"
#include "edpp/distributions/categorical.hpp"
#include "edpp/distributions/discrete.hpp"
#include "edpp/distributions/graph.hpp"
#include "edpp/distributions/multivariate.hpp"
#include "edpp/distributions/normal.hpp"
#include "edpp/distributions/positive.hpp"
#include "edpp/inference/conjugacy/conjugate_update.hpp"

namespace ed {

namespace {

using detail::ConditionalForm;
using detail::ConjugateUpdate;

/// The conditional's packed parameters: inputs are the prior's parameters, then the
/// conditioning values. No gradient: the conditional is drawn from, not differentiated.
class ConditionalOp final : public Op {
 public:
  explicit ConditionalOp(std::shared_ptr<ConjugateUpdate> update) : update_(std::move(update)) {}
  std::string_view name() const override { return "complete_conditional"; }
  Shape shape(Shapes) const override { return update_->packed_shape(); }
  void forward(Inputs in, Matrix& out, OpContext& ctx) const override {
    const std::size_t p = update_->setup().prior_params;
    std::vector<const Matrix*> prior, inputs;
    for (std::size_t i = 0; i < in.size(); ++i) (i < p ? prior : inputs).push_back(&in[i]);
    update_->compute(prior, inputs, out, ctx.rng);
  }

 private:
  std::shared_ptr<ConjugateUpdate> update_;
};

/// The prior's form and its parameters in the conditional family's terms (an Exponential
/// prior is a Gamma with concentration 1, a Chi2 a Gamma(df/2, 1/2)).
struct Prior {
  ConditionalForm form;
  std::vector<Tensor> params;
};

Prior prior_of(const RandomVariable& rv, const std::string& who) {
  const Distribution& d = rv.distribution();
  if (auto p = d.params_of("Normal")) return {ConditionalForm::normal, *p};
  if (auto p = d.params_of("Gamma")) return {ConditionalForm::gamma, *p};
  if (auto p = d.params_of("Exponential")) return {ConditionalForm::gamma, {Tensor(1.0), (*p)[0]}};
  if (auto p = d.params_of("Chi2")) return {ConditionalForm::gamma, {0.5 * (*p)[0], Tensor(0.5)}};
  if (auto p = d.params_of("InverseGamma")) return {ConditionalForm::inverse_gamma, *p};
  if (auto p = d.params_of("Beta")) return {ConditionalForm::beta, *p};
  if (auto p = d.params_of("Dirichlet")) return {ConditionalForm::dirichlet, *p};
  if (auto p = d.params_of("Categorical")) return {ConditionalForm::categorical, *p};
  if (auto p = d.params_of("Bernoulli")) return {ConditionalForm::bernoulli, *p};
  throw ed::invalid_argument("complete_conditional: " + who + ": no conjugate update for a " +
                             std::string(d.name()) +
                             " prior (supported: Normal, Gamma, Exponential, Chi2, InverseGamma, "
                             "Beta, Dirichlet, Categorical, Bernoulli)");
}

/// What the terms depend on besides z: random variables' values and placeholders, which the
/// conditional takes as inputs (so that substituting them reaches it). Throws for a draw that
/// belongs to no random variable (it would change between probes).
std::vector<Tensor> conditioning_inputs(const std::vector<Tensor>& terms, const Tensor& z,
                                        const std::string& who) {
  std::vector<Tensor> inputs;
  std::unordered_set<const detail::Node*> seen;
  std::vector<std::shared_ptr<detail::Node>> stack;
  for (const Tensor& t : terms) stack.push_back(t.node());
  while (!stack.empty()) {
    std::shared_ptr<detail::Node> node = std::move(stack.back());
    stack.pop_back();
    if (!seen.insert(node.get()).second || node == z.node()) continue;
    if (!node->random_variable.empty() || node->kind == detail::NodeKind::placeholder) {
      inputs.emplace_back(node);
      continue;
    }
    if (node->kind != detail::NodeKind::op) continue;
    if (node->op->is_random()) {
      throw ed::invalid_argument("complete_conditional: " + who + ": a child uses a random draw (" +
                                 detail::describe(*node) +
                                 ") that is not a random variable's value");
    }
    for (const auto& input : node->inputs) stack.push_back(input);
  }
  return inputs;
}

/// Whether the terms' rows follow z's rows one to one, so that the conditional factorises over
/// rows: Note [Row sharding]'s analysis with every node of z's row count split alike (data and
/// parameters given per row, such as a mixture's per-row weights, are aligned with z; what
/// does not depend on z only needs to keep rows apart). `obstacle` names what mixes them.
bool rows_follow(const std::vector<Tensor>& terms, const Tensor& z,
                 const std::vector<Tensor>& inputs, std::string& obstacle) {
  const Index n = z.shape().rows;
  for (const Tensor& t : terms) {
    if (t.shape().rows != n) {
      obstacle = "a child's log density of shape " + to_string(t.shape());
      return false;
    }
  }
  const Tensor z_ph = placeholder(z.shape(), "z");
  Substitutions substitutions{{z, z_ph}};
  std::vector<Tensor> sharded{z_ph};
  for (const Tensor& input : inputs) {
    substitutions.emplace_back(input, placeholder(input.shape()));
    if (input.shape().rows == n) sharded.push_back(substitutions.back().second);
  }
  // Every other node of n rows reached before z or an input.
  std::unordered_set<const detail::Node*> seen, stops;
  for (const auto& [from, to] : substitutions) stops.insert(from.node().get());
  std::vector<std::shared_ptr<detail::Node>> stack;
  for (const Tensor& t : terms) stack.push_back(t.node());
  while (!stack.empty()) {
    std::shared_ptr<detail::Node> node = std::move(stack.back());
    stack.pop_back();
    if (stops.count(node.get()) || !seen.insert(node.get()).second) continue;
    if (node->shape.rows == n) sharded.emplace_back(node);
    for (const auto& input : node->inputs) stack.push_back(input);
  }
  const Program program(terms, {}, substitutions);
  if (auto o = program.row_sharding_obstacle(sharded)) {
    obstacle = *o;
    return false;
  }
  return true;
}

/// The conditional as a random variable of its family, from the packed parameters.
RandomVariable wrap(ConditionalForm form, const Tensor& packed, Shape shape) {
  const Index r = shape.rows, d = shape.rows * shape.cols;
  auto first = [&] { return slice_rows(packed, 0, r); };
  auto second = [&] { return slice_rows(packed, r, r); };
  switch (form) {
    case ConditionalForm::normal:
      return Normal(first(), second());
    case ConditionalForm::normal_full:
      return MultivariateNormalFullCovariance(slice_rows(packed, 0, 1), slice_rows(packed, 1, d));
    case ConditionalForm::gamma:
      return Gamma(first(), second());
    case ConditionalForm::inverse_gamma:
      return InverseGamma(first(), second());
    case ConditionalForm::beta:
      return Beta(first(), second());
    case ConditionalForm::dirichlet:
      return Dirichlet(packed);
    case ConditionalForm::categorical:
      return Categorical(packed);
    case ConditionalForm::bernoulli:
      return Bernoulli(packed);
    default:
      throw ed::invalid_argument("complete_conditional: unknown form");
  }
}

/// Elements of a Normal latent above this count are not given a joint conditional (its
/// covariance would be dense): the model should split them.
constexpr Index kMaxJointNormal = 1000;

}  // namespace

RandomVariable complete_conditional(const RandomVariable& rv,
                                    const std::vector<RandomVariable>& blanket) {
  const std::string who = rv.describe();
  if (!rv.value_is_sample()) {
    throw ed::invalid_argument("complete_conditional: " + who +
                               " has a given value; it must be a random variable's own draw");
  }
  const Shape shape = rv.value().shape();
  if (!shape.is_known()) {
    throw ed::invalid_argument("complete_conditional: " + who + " must have a known shape");
  }
  Prior prior = prior_of(rv, who);

  ConjugateUpdate::Setup setup;
  setup.latent = who;
  setup.shape = shape;
  setup.z = rv.value();
  for (const RandomVariable& child : get_children(rv)) {
    if (!blanket.empty() && std::find(blanket.begin(), blanket.end(), child) == blanket.end()) {
      continue;
    }
    setup.children.push_back(child.log_prob(child.value()));
    setup.child_names.push_back(child.describe());
  }
  std::vector<Tensor> terms = setup.children;
  const bool discrete =
      prior.form == ConditionalForm::categorical || prior.form == ConditionalForm::bernoulli;
  if (discrete) {
    setup.prior_term = rv.log_prob(rv.value());
    terms.push_back(setup.prior_term);
    if (prior.form == ConditionalForm::categorical) {
      setup.categories = prior.params[0].shape().cols;
      if (setup.categories == Dynamic) {
        throw ed::invalid_argument("complete_conditional: " + who +
                                   ": the number of categories must be known");
      }
    }
    prior.params.clear();  // the prior enters through its term
  }
  setup.inputs = conditioning_inputs(terms, setup.z, who);
  setup.prior_params = prior.params.size();

  const Index size = shape.rows * shape.cols;
  std::string obstacle;
  if (discrete && size > 1 &&
      (shape.cols != 1 || !rows_follow(terms, setup.z, setup.inputs, obstacle))) {
    throw ed::invalid_argument(
        "complete_conditional: " + who +
        ": a discrete latent of more than one element needs one column and children whose rows "
        "follow its rows" +
        (obstacle.empty() ? std::string() : " (" + obstacle + " mixes them)"));
  }
  if (prior.form == ConditionalForm::normal && size > 1 &&
      (shape.cols != 1 || !rows_follow(setup.children, setup.z, setup.inputs, obstacle))) {
    if (size > kMaxJointNormal) {
      throw ed::invalid_argument("complete_conditional: " + who + ": its " + std::to_string(size) +
                                 " elements interact (" + obstacle +
                                 "); a joint normal conditional is limited to " +
                                 std::to_string(kMaxJointNormal) + ": split it into blocks");
    }
    prior.form = ConditionalForm::normal_full;
  }
  setup.form = prior.form;

  std::vector<Tensor> op_inputs = prior.params;
  op_inputs.insert(op_inputs.end(), setup.inputs.begin(), setup.inputs.end());
  if (op_inputs.empty()) op_inputs.push_back(Tensor(0.0));  // an op needs an input
  const ConditionalForm form = setup.form;
  auto update = std::make_shared<ConjugateUpdate>(std::move(setup));
  const Tensor packed = make_op(std::make_shared<ConditionalOp>(update), op_inputs);
  RandomVariable conditional = wrap(form, packed, shape);
  // Not a variable of the model: it must not become a child of the variables it conditions on
  // (the next complete_conditional would count its density as theirs).
  detail::hide_from_graph(conditional);
  return conditional;
}

}  // namespace ed
