// The set a random variable's values live in, as inference needs to know it.
#pragma once

#include <string>

namespace ed {

/// Where a distribution's values live. Continuous supports have a bijector from the real line
/// (distributions/bijectors.hpp) that MAP optimises through.
struct Support {
  enum class Kind {
    real,                 ///< ℝ
    positive,             ///< (0, ∞)
    unit_interval,        ///< (0, 1)
    interval,             ///< (low, high)
    simplex,              ///< rows on the probability simplex
    nonnegative_integer,  ///< 0, 1, 2, …
    integer_interval,     ///< low, …, high (labels, counts with a total)
    lower_cholesky,       ///< lower-triangular with a positive diagonal
  };
  Kind kind = Kind::real;
  double low = 0.0;
  double high = 0.0;

  static Support real() { return {Kind::real}; }
  static Support positive() { return {Kind::positive}; }
  static Support unit_interval() { return {Kind::unit_interval, 0.0, 1.0}; }
  static Support interval(double low, double high) { return {Kind::interval, low, high}; }
  static Support simplex() { return {Kind::simplex}; }
  static Support nonnegative_integer() { return {Kind::nonnegative_integer}; }
  static Support integer_interval(double low, double high) {
    return {Kind::integer_interval, low, high};
  }
  bool is_discrete() const {
    return kind == Kind::nonnegative_integer || kind == Kind::integer_interval;
  }
};

/// "positive", "interval(0, 1)", …
std::string to_string(const Support& support);

}  // namespace ed
