// Criticism by predictive scores: Edward's ed.evaluate and its metrics.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "edpp/core/feed.hpp"
#include "edpp/inference/inference.hpp"

namespace ed {

/// The metrics as functions of fixed truth and predictions (Edward's ed.criticisms metrics;
/// Keras's definitions). Shapes must agree unless stated; each throws ed::invalid_argument
/// naming the metric and both shapes, or the first entry of y_true a metric cannot take.
namespace metrics {
/// Share of entries where y_true (0 or 1) equals y_pred rounded at 0.5 (y_pred: labels or P(1)).
double binary_accuracy(const Matrix& y_true, const Matrix& y_pred);
/// Share of rows where argmax of y_true (one-hot, n × K) equals the prediction: argmax of
/// y_pred (n × K) or y_pred itself (n × 1 labels).
double categorical_accuracy(const Matrix& y_true, const Matrix& y_pred);
/// Share of rows where the label y_true (n × 1, in 0..K−1) equals the prediction: argmax of
/// y_pred (n × K) or y_pred itself (n × 1 labels).
double sparse_categorical_accuracy(const Matrix& y_true, const Matrix& y_pred);
/// −mean(y log p + (1 − y) log(1 − p)) with p = y_pred clipped to [1e−8, 1 − 1e−8].
double binary_crossentropy(const Matrix& y_true, const Matrix& y_pred);
/// −mean over rows of Σ_k y_k log p_k, y_true one-hot or probabilities (n × K), p = y_pred
/// normalised per row and clipped below at 1e−8.
double categorical_crossentropy(const Matrix& y_true, const Matrix& y_pred);
/// −mean log p[row, y_true] with labels y_true (n × 1) and probabilities y_pred (n × K).
double sparse_categorical_crossentropy(const Matrix& y_true, const Matrix& y_pred);
/// mean (y_pred − y_true)².
double mean_squared_error(const Matrix& y_true, const Matrix& y_pred);
/// mean |y_pred − y_true|.
double mean_absolute_error(const Matrix& y_true, const Matrix& y_pred);
/// 100 · mean |(y_true − y_pred) / max(|y_true|, 1e−8)|.
double mean_absolute_percentage_error(const Matrix& y_true, const Matrix& y_pred);
/// mean (log(max(y_pred, 1e−8) + 1) − log(max(y_true, 1e−8) + 1))².
double mean_squared_logarithmic_error(const Matrix& y_true, const Matrix& y_pred);
/// mean (y_pred − y_true log(y_pred + 1e−8)): the Poisson deviance up to a constant.
double poisson(const Matrix& y_true, const Matrix& y_pred);
/// mean max(1 − y_true · y_pred, 0), labels y_true in {−1, 1}.
double hinge(const Matrix& y_true, const Matrix& y_pred);
/// mean max(1 − y_true · y_pred, 0)².
double squared_hinge(const Matrix& y_true, const Matrix& y_pred);
/// Σ y log(y / p) over all entries, both clipped to [1e−8, 1] (Edward sums, it does not average).
double kl_divergence(const Matrix& y_true, const Matrix& y_pred);
/// Σ over rows of the cosine of the angle between y_true's and y_pred's rows (Edward's sum of
/// the products of the rows normalised to unit length).
double cosine_proximity(const Matrix& y_true, const Matrix& y_pred);
}  // namespace metrics

/// A user metric: any function of the truth and the predictions.
using MetricFunction = std::function<double(const Matrix& y_true, const Matrix& y_pred)>;

/// A metric for ed::evaluate: one of Edward's names (those of ed::metrics, plus "accuracy" and
/// "crossentropy" — binary for a Bernoulli predictive, sparse categorical for a Categorical one,
/// otherwise binary when no label exceeds 1 — and "log_likelihood" or "log_lik"), or a named
/// user function of (y_true, prediction).
struct Metric {
  Metric(const char* name) : name(name) {}             // NOLINT(google-explicit-constructor)
  Metric(std::string name) : name(std::move(name)) {}  // NOLINT(google-explicit-constructor)
  Metric(std::string name, MetricFunction function)
      : name(std::move(name)), function(std::move(function)) {}
  std::string name;
  MetricFunction function;  ///< empty for Edward's named metrics
};

/// Settings of ed::evaluate.
struct EvaluateOptions {
  int n_samples = 500;                               ///< draws of the posterior predictive
  std::optional<std::uint64_t> seed = std::nullopt;  ///< unset: ed::set_seed's sequence
  Feed feed = {};  ///< values of placeholders the predictive depends on (the test inputs)
};

/// Edward's ed.evaluate: scores the posterior predictive `data`'s one random variable (made by
/// ed::copy with the fitted approximations or draws) against the data bound to it.
/// Predictions are the mean of `n_samples` draws; for a Bernoulli or Categorical predictive,
/// the mean class probabilities are the prediction of the crossentropies, and the rounded
/// (Bernoulli, ties at 0.5 broken at random) or most probable (Categorical) class that of the
/// other metrics. "log_likelihood" is Edward's: the mean over draws of the mean over data
/// points of log p(y_true | θ_s).
///
///   const auto y_post = ed::copy(y, {{w, qw}, {b, qb}});
///   const auto scores = ed::evaluate({"mean_squared_error", "mean_absolute_error"},
///                                    {{y_post, y_test}}, {.feed = {{X, X_test}}});
///
/// @throws ed::invalid_argument for an unknown metric name (listing the known ones), data that
/// is not one binding, n_samples < 1, or data a metric cannot take (naming both).
std::vector<double> evaluate(const std::vector<Metric>& metrics, const Data& data,
                             const EvaluateOptions& options = {});
/// One metric, as ed.evaluate('mean_squared_error', …).
double evaluate(const Metric& metric, const Data& data, const EvaluateOptions& options = {});

}  // namespace ed
