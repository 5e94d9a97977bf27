// ed::evaluate: posterior predictive draws scored by Edward's metrics.
#include "edpp/criticism/evaluate.hpp"

#include <boost/random/uniform_01.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/core/seed.hpp"
#include "edpp/core/session.hpp"

namespace ed {

namespace metrics {
namespace {

constexpr double kClip = 1e-8;

std::string shape_text(const Matrix& m) {
  return "[" + std::to_string(m.rows()) + ", " + std::to_string(m.cols()) + "]";
}

std::string number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

void same_shape(const char* metric, const Matrix& y_true, const Matrix& y_pred) {
  if (y_true.rows() != y_pred.rows() || y_true.cols() != y_pred.cols() || y_true.size() == 0) {
    throw ed::invalid_argument(std::string(metric) + ": y_true has shape " + shape_text(y_true) +
                               " but y_pred " + shape_text(y_pred) +
                               "; they must be equal and non-empty");
  }
}

// y_true must be 0s and 1s.
void binary_labels(const char* metric, const Matrix& y_true) {
  for (Index j = 0; j < y_true.cols(); ++j) {
    for (Index i = 0; i < y_true.rows(); ++i) {
      const double v = y_true(i, j);
      if (v != 0.0 && v != 1.0) {
        throw ed::invalid_argument(std::string(metric) + ": y_true[" + std::to_string(i) + ", " +
                                   std::to_string(j) + "] is " + number(v) +
                                   ", but must be 0 or 1");
      }
    }
  }
}

// y_true must be one column of labels in [0, classes − 1] (classes 0: any non-negative integer).
void class_labels(const char* metric, const Matrix& y_true, Index classes) {
  if (y_true.cols() != 1 || y_true.rows() == 0) {
    throw ed::invalid_argument(std::string(metric) + ": y_true has shape " + shape_text(y_true) +
                               "; it must be one column of class labels");
  }
  for (Index i = 0; i < y_true.rows(); ++i) {
    const double v = y_true(i, 0);
    const bool ok =
        v >= 0.0 && v == std::floor(v) && (classes == 0 || v < static_cast<double>(classes));
    if (!ok) {
      throw ed::invalid_argument(std::string(metric) + ": y_true[" + std::to_string(i) +
                                 ", 0] is " + number(v) + ", but must be a class label in [0, " +
                                 (classes == 0 ? std::string("∞") : std::to_string(classes - 1)) +
                                 "]");
    }
  }
}

// The predicted class per row: y_pred itself when it is one column of labels, else its argmax.
Eigen::VectorXd predicted_classes(const char* metric, const Matrix& y_pred, Index rows) {
  if (y_pred.rows() != rows) {
    throw ed::invalid_argument(std::string(metric) + ": y_pred has " +
                               std::to_string(y_pred.rows()) + " rows but y_true " +
                               std::to_string(rows));
  }
  Eigen::VectorXd out(rows);
  for (Index i = 0; i < rows; ++i) {
    Index k = 0;
    if (y_pred.cols() == 1) {
      out(i) = y_pred(i, 0);
      continue;
    }
    y_pred.row(i).maxCoeff(&k);
    out(i) = static_cast<double>(k);
  }
  return out;
}

}  // namespace

double binary_accuracy(const Matrix& y_true, const Matrix& y_pred) {
  same_shape("binary_accuracy", y_true, y_pred);
  binary_labels("binary_accuracy", y_true);
  const Eigen::ArrayXXd predicted = (y_pred.array() >= 0.5).cast<double>();
  return (predicted == y_true.array()).cast<double>().mean();
}

double categorical_accuracy(const Matrix& y_true, const Matrix& y_pred) {
  if (y_true.cols() < 2 || y_true.rows() == 0) {
    throw ed::invalid_argument("categorical_accuracy: y_true has shape " + shape_text(y_true) +
                               "; it must be one-hot rows (n × K, K ≥ 2); for labels use "
                               "sparse_categorical_accuracy");
  }
  const Eigen::VectorXd truth = predicted_classes("categorical_accuracy", y_true, y_true.rows());
  const Eigen::VectorXd predicted =
      predicted_classes("categorical_accuracy", y_pred, y_true.rows());
  return (truth.array() == predicted.array()).cast<double>().mean();
}

double sparse_categorical_accuracy(const Matrix& y_true, const Matrix& y_pred) {
  class_labels("sparse_categorical_accuracy", y_true, y_pred.cols() > 1 ? y_pred.cols() : 0);
  const Eigen::VectorXd predicted =
      predicted_classes("sparse_categorical_accuracy", y_pred, y_true.rows());
  return (y_true.col(0).array() == predicted.array()).cast<double>().mean();
}

double binary_crossentropy(const Matrix& y_true, const Matrix& y_pred) {
  same_shape("binary_crossentropy", y_true, y_pred);
  binary_labels("binary_crossentropy", y_true);
  const Eigen::ArrayXXd p = y_pred.array().max(kClip).min(1.0 - kClip);
  return -(y_true.array() * p.log() + (1.0 - y_true.array()) * (1.0 - p).log()).mean();
}

double categorical_crossentropy(const Matrix& y_true, const Matrix& y_pred) {
  same_shape("categorical_crossentropy", y_true, y_pred);
  const Eigen::ArrayXXd p = y_pred.array().colwise() / y_pred.array().rowwise().sum();
  return -(y_true.array() * p.max(kClip).log()).rowwise().sum().mean();
}

double sparse_categorical_crossentropy(const Matrix& y_true, const Matrix& y_pred) {
  class_labels("sparse_categorical_crossentropy", y_true, y_pred.cols());
  if (y_pred.rows() != y_true.rows()) {
    throw ed::invalid_argument("sparse_categorical_crossentropy: y_pred has shape " +
                               shape_text(y_pred) + " but y_true " + shape_text(y_true) +
                               "; y_pred must be n × K probabilities");
  }
  double total = 0.0;
  for (Index i = 0; i < y_true.rows(); ++i) {
    const double p = y_pred(i, static_cast<Index>(y_true(i, 0))) / y_pred.row(i).sum();
    total -= std::log(std::max(p, kClip));
  }
  return total / static_cast<double>(y_true.rows());
}

double mean_squared_error(const Matrix& y_true, const Matrix& y_pred) {
  same_shape("mean_squared_error", y_true, y_pred);
  return (y_pred - y_true).array().square().mean();
}

double mean_absolute_error(const Matrix& y_true, const Matrix& y_pred) {
  same_shape("mean_absolute_error", y_true, y_pred);
  return (y_pred - y_true).array().abs().mean();
}

double mean_absolute_percentage_error(const Matrix& y_true, const Matrix& y_pred) {
  same_shape("mean_absolute_percentage_error", y_true, y_pred);
  return 100.0 * ((y_true - y_pred).array() / y_true.array().abs().max(kClip)).abs().mean();
}

double mean_squared_logarithmic_error(const Matrix& y_true, const Matrix& y_pred) {
  same_shape("mean_squared_logarithmic_error", y_true, y_pred);
  return ((y_pred.array().max(kClip) + 1.0).log() - (y_true.array().max(kClip) + 1.0).log())
      .square()
      .mean();
}

double poisson(const Matrix& y_true, const Matrix& y_pred) {
  same_shape("poisson", y_true, y_pred);
  return (y_pred.array() - y_true.array() * (y_pred.array() + kClip).log()).mean();
}

double hinge(const Matrix& y_true, const Matrix& y_pred) {
  same_shape("hinge", y_true, y_pred);
  return (1.0 - y_true.array() * y_pred.array()).max(0.0).mean();
}

double squared_hinge(const Matrix& y_true, const Matrix& y_pred) {
  same_shape("squared_hinge", y_true, y_pred);
  return (1.0 - y_true.array() * y_pred.array()).max(0.0).square().mean();
}

double kl_divergence(const Matrix& y_true, const Matrix& y_pred) {
  same_shape("kl_divergence", y_true, y_pred);
  const Eigen::ArrayXXd t = y_true.array().max(kClip).min(1.0),
                        p = y_pred.array().max(kClip).min(1.0);
  return (t * (t / p).log()).sum();
}

double cosine_proximity(const Matrix& y_true, const Matrix& y_pred) {
  same_shape("cosine_proximity", y_true, y_pred);
  // tf.nn.l2_normalize divides by max(‖row‖, 1e−6): a zero row stays zero.
  const Eigen::ArrayXd t_norm = y_true.rowwise().norm().array().max(1e-6);
  const Eigen::ArrayXd p_norm = y_pred.rowwise().norm().array().max(1e-6);
  return ((y_true.array() * y_pred.array()).rowwise().sum() / (t_norm * p_norm)).sum();
}

}  // namespace metrics

namespace {

enum class Uses { labels, probabilities, mean, log_likelihood };

struct Known {
  MetricFunction function;
  Uses uses;
};

const std::map<std::string, Known>& known_metrics() {
  static const std::map<std::string, Known> table = {
      {"binary_accuracy", {metrics::binary_accuracy, Uses::labels}},
      {"categorical_accuracy", {metrics::categorical_accuracy, Uses::labels}},
      {"sparse_categorical_accuracy", {metrics::sparse_categorical_accuracy, Uses::labels}},
      {"binary_crossentropy", {metrics::binary_crossentropy, Uses::probabilities}},
      {"categorical_crossentropy", {metrics::categorical_crossentropy, Uses::probabilities}},
      {"sparse_categorical_crossentropy",
       {metrics::sparse_categorical_crossentropy, Uses::probabilities}},
      {"mean_squared_error", {metrics::mean_squared_error, Uses::mean}},
      {"mean_absolute_error", {metrics::mean_absolute_error, Uses::mean}},
      {"mean_absolute_percentage_error", {metrics::mean_absolute_percentage_error, Uses::mean}},
      {"mean_squared_logarithmic_error", {metrics::mean_squared_logarithmic_error, Uses::mean}},
      {"poisson", {metrics::poisson, Uses::mean}},
      {"hinge", {metrics::hinge, Uses::mean}},
      {"squared_hinge", {metrics::squared_hinge, Uses::mean}},
      {"kl_divergence", {metrics::kl_divergence, Uses::mean}},
      {"cosine_proximity", {metrics::cosine_proximity, Uses::mean}},
      {"log_likelihood", {nullptr, Uses::log_likelihood}},
  };
  return table;
}

std::string known_names() {
  std::string out = "accuracy, crossentropy, log_lik";
  for (const auto& [name, known] : known_metrics()) out += ", " + name;
  return out;
}

// The outcome probabilities of a classifier's predictive: Bernoulli's P(x = 1), shaped as x
// (`binary`); Categorical's n × K, P(x = k) per row. Nothing for other families.
struct ClassProbabilities {
  Tensor probs;
  bool binary = false;
};
std::optional<ClassProbabilities> class_probabilities(const Distribution& d) {
  if (auto p = d.params_of("Bernoulli")) return ClassProbabilities{sigmoid((*p)[0]), true};
  if (auto p = d.params_of("Categorical")) return ClassProbabilities{softmax((*p)[0]), false};
  return std::nullopt;
}

// The metric a name means: "log_lik" is "log_likelihood"; "accuracy" and "crossentropy" are
// binary for a Bernoulli predictive, sparse categorical for a Categorical one, and otherwise
// chosen from the labels as Edward does (binary when none exceeds 1).
std::string resolved_name(const std::string& name, const Matrix& y_true,
                          const std::optional<ClassProbabilities>& classes) {
  if (name == "log_lik") return "log_likelihood";
  if (name == "accuracy" || name == "crossentropy") {
    const bool binary = classes ? classes->binary : y_true.maxCoeff() <= 1.0;
    return (binary ? "binary_" : "sparse_categorical_") + name;
  }
  return name;
}

}  // namespace

std::vector<double> evaluate(const std::vector<Metric>& metrics, const Data& data,
                             const EvaluateOptions& options) {
  const DataBinding& binding = detail::predictive_binding(data, "evaluate");
  if (options.n_samples < 1) {
    throw ed::invalid_argument("evaluate: n_samples must be at least 1, got " +
                               std::to_string(options.n_samples));
  }
  if (metrics.empty()) throw ed::invalid_argument("evaluate: no metrics given");
  const RandomVariable& y_post = binding.variable;
  const Tensor& y_true_tensor = binding.value;
  // An error deep inside (a missing feed, an op's shapes) is said with what evaluate was doing.
  auto in_context = [&](const char* doing, auto&& work) {
    try {
      return work();
    } catch (const ed::invalid_argument& e) {
      throw ed::invalid_argument("evaluate: " + std::string(doing) + " the predictive " +
                                 y_post.describe() + ": " + e.what());
    }
  };
  Session session(detail::seed_or_next(options.seed));
  const Matrix y_true = in_context("reading y_true for",
                                   [&] { return session.run({y_true_tensor}, options.feed)[0]; });
  // y_true in another shape than the predictive's draws (a transposed column) would be
  // broadcast against them and scored silently wrong. A 1×1 predictive broadcasts by design.
  const Shape drawn = y_post.value().shape();
  if (!(drawn.rows == 1 && drawn.cols == 1) && !drawn.admits(y_true.rows(), y_true.cols())) {
    throw ed::invalid_argument("evaluate: y_true has shape " + to_string(shape_of(y_true)) +
                               ", but the predictive " + y_post.describe() +
                               " draws that shape only: pass y_true in it (transposed?)");
  }
  const std::optional<ClassProbabilities> classes = class_probabilities(y_post.distribution());

  // Each named metric resolved once (nullptr for a user function), and what the metrics
  // need: predictions (labels or the mean), probabilities, log-likelihoods.
  std::vector<const Known*> known;
  std::vector<Uses> uses;
  for (const Metric& m : metrics) {
    if (m.function) {
      known.push_back(nullptr);
      uses.push_back(Uses::mean);
      continue;
    }
    const std::string resolved = resolved_name(m.name, y_true, classes);
    const auto it = known_metrics().find(resolved);
    if (it == known_metrics().end()) {
      throw ed::invalid_argument("evaluate: unknown metric '" + m.name +
                                 "'; known: " + known_names() + ", or a named function");
    }
    // A classifier's metric on the draws of a continuous family would compare real numbers
    // with labels (and report a perfect or meaningless score).
    const bool classifies = resolved.find("accuracy") != std::string::npos ||
                            resolved.find("crossentropy") != std::string::npos;
    if (classifies && !classes) {
      throw ed::invalid_argument("evaluate: '" + m.name +
                                 "' needs a Bernoulli or Categorical "
                                 "predictive, but y_post is a " +
                                 std::string(y_post.distribution().name()));
    }
    known.push_back(&it->second);
    uses.push_back(it->second.uses);
  }
  const bool wants_log_likelihood =
      std::find(uses.begin(), uses.end(), Uses::log_likelihood) != uses.end();
  const bool wants_predictions =
      std::any_of(uses.begin(), uses.end(), [](Uses u) { return u != Uses::log_likelihood; });

  // One program: each run draws the latent values once, so the prediction and the
  // log-likelihood of a run belong to the same draw.
  std::vector<Tensor> fetches;
  if (wants_predictions) fetches.push_back(classes ? classes->probs : y_post.value());
  if (wants_log_likelihood) {
    fetches.push_back(in_context("building the log-likelihood of",
                                 [&] { return mean(y_post.log_prob(y_true_tensor)); }));
  }
  const auto program = in_context("compiling", [&] { return session.compile(fetches); });
  Matrix prediction_sum;
  double log_likelihood_sum = 0.0;
  for (int s = 0; s < options.n_samples; ++s) {
    const std::vector<Matrix> values =
        in_context("drawing from", [&] { return session.run(*program, options.feed); });
    if (wants_predictions) {
      if (s == 0) {
        prediction_sum = values[0];
      } else {
        prediction_sum += values[0];
      }
    }
    if (wants_log_likelihood) log_likelihood_sum += values.back()(0, 0);
  }
  const double n = static_cast<double>(options.n_samples);
  const Matrix mean_prediction = wants_predictions ? Matrix(prediction_sum / n) : Matrix();
  Matrix labels = mean_prediction;
  if (classes && classes->binary) {
    // Edward's rounding, with a fair coin at exactly 0.5.
    boost::random::uniform_01<double> coin;
    for (Index k = 0; k < labels.size(); ++k) {
      const double p = mean_prediction.data()[k];
      labels.data()[k] =
          p == 0.5 ? (coin(session.rng().engine()) < 0.5 ? 0.0 : 1.0) : (p > 0.5 ? 1.0 : 0.0);
    }
  } else if (classes) {
    labels.resize(mean_prediction.rows(), 1);
    for (Index i = 0; i < mean_prediction.rows(); ++i) {
      Index k = 0;
      mean_prediction.row(i).maxCoeff(&k);
      labels(i, 0) = static_cast<double>(k);
    }
  }

  std::vector<double> out;
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    const Metric& metric = metrics[m];
    if (metric.function) {
      out.push_back(metric.function(y_true, labels));
      continue;
    }
    try {
      switch (uses[m]) {
        case Uses::log_likelihood:
          out.push_back(log_likelihood_sum / n);
          break;
        case Uses::labels:
          out.push_back(known[m]->function(y_true, labels));
          break;
        case Uses::probabilities:
        case Uses::mean:
          out.push_back(known[m]->function(y_true, mean_prediction));
          break;
      }
    } catch (const ed::invalid_argument& e) {
      throw ed::invalid_argument("evaluate: metric '" + metric.name + "' on the predictive " +
                                 y_post.describe() + ": " + e.what());
    }
  }
  return out;
}

double evaluate(const Metric& metric, const Data& data, const EvaluateOptions& options) {
  return evaluate(std::vector<Metric>{metric}, data, options).front();
}

}  // namespace ed
