// Boost.Random draws into matrices.
#include "edpp/models/simulate.hpp"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/student_t_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_real_distribution.hpp>

namespace ed::models {

namespace {
template <class Draw>
Matrix fill(Index rows, Index cols, Draw&& draw) {
  Matrix m(rows, cols);
  for (Index j = 0; j < cols; ++j) {
    for (Index i = 0; i < rows; ++i) m(i, j) = draw(i, j);
  }
  return m;
}
}  // namespace

Matrix normal_matrix(Index rows, Index cols, Rng& rng, double mean, double sd) {
  boost::random::normal_distribution<double> d(mean, sd);
  return fill(rows, cols, [&](Index, Index) { return d(rng.engine()); });
}

Matrix uniform_matrix(Index rows, Index cols, Rng& rng, double low, double high) {
  boost::random::uniform_real_distribution<double> d(low, high);
  return fill(rows, cols, [&](Index, Index) { return d(rng.engine()); });
}

Matrix categorical_draws(const Matrix& probs, Rng& rng) {
  boost::random::uniform_01<double> u;
  return fill(probs.rows(), 1, [&](Index i, Index) {
    double r = u(rng.engine()) * probs.row(i).sum(), acc = 0.0;
    for (Index k = 0; k < probs.cols(); ++k) {
      acc += probs(i, k);
      if (r < acc) return double(k);
    }
    return double(probs.cols() - 1);
  });
}

Matrix student_t_matrix(Index rows, Index cols, double df, Rng& rng) {
  boost::random::student_t_distribution<double> d(df);
  return fill(rows, cols, [&](Index, Index) { return d(rng.engine()); });
}

}  // namespace ed::models
