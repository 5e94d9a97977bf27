// R̂, ESS and MCSE against the R package posterior (1.4.0, Debian's r-cran-posterior) on the
// same draws. The reference numbers came from
//   library(posterior); x <- as.matrix(read.csv(f, header = FALSE))
//   c(rhat(x), ess_bulk(x), ess_tail(x), mcse_mean(x))
// on CSV files of the draws below (written with ed::write_csv, 17 significant digits).
#include <doctest/doctest.h>

#include <boost/random/normal_distribution.hpp>

#include <cmath>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;

namespace {

// AR(1) chains x_t = φ x_{t−1} + e_t (e_t normal, or its cube for heavy tails), chain c
// shifted by c · shift.
Matrix ar_chains(ed::Index n, ed::Index chains, double phi, double shift, bool cube,
                 std::uint64_t seed) {
  ed::Rng rng(seed);
  boost::random::normal_distribution<double> normal;
  Matrix x(n, chains);
  for (ed::Index c = 0; c < chains; ++c) {
    double v = 0.0;
    for (ed::Index t = 0; t < n; ++t) {
      double e = normal(rng.engine());
      if (cube) e = e * e * e;
      v = phi * v + e;
      x(t, c) = v + shift * static_cast<double>(c);
    }
  }
  return x;
}

struct Reference {
  double rhat, ess_bulk, ess_tail, mcse_mean;
};

void check_against(const Matrix& x, const Reference& r) {
  CHECK(ed::rhat(x) == doctest::Approx(r.rhat).epsilon(1e-10));
  CHECK(ed::ess_bulk(x) == doctest::Approx(r.ess_bulk).epsilon(1e-10));
  CHECK(ed::ess_tail(x) == doctest::Approx(r.ess_tail).epsilon(1e-10));
  CHECK(ed::mcse_mean(x) == doctest::Approx(r.mcse_mean).epsilon(1e-10));
}

}  // namespace

TEST_CASE("diagnostics match the R package posterior: four well-mixed chains") {
  check_against(ar_chains(1000, 4, 0.5, 0.05, false, 1),
                {1.00081167949195, 1408.14336771561, 2290.60742285381, 0.0302614732962657});
}

TEST_CASE("diagnostics match posterior: an odd chain length, sticky chains, heavy tails") {
  check_against(ar_chains(301, 4, 0.9, 0.0, true, 2),
                {1.07181918578147, 75.1067173457456, 140.122826548963, 0.947243327614326});
}

TEST_CASE("diagnostics match posterior: two chains that disagree have a large R-hat") {
  const Matrix x = ar_chains(100, 2, 0.3, 1.0, false, 3);
  check_against(x, {1.13114455275343, 13.9553683517731, 219.413748508694, 0.284099200875547});
  CHECK(ed::rhat(x) > 1.01);
}

TEST_CASE("diagnostics are NaN for constant or non-finite draws, as posterior's NA") {
  CHECK(std::isnan(ed::rhat(Matrix::Ones(50, 4))));
  CHECK(std::isnan(ed::ess_bulk(Matrix::Ones(50, 4))));
  Matrix x = ar_chains(50, 2, 0.1, 0.0, false, 4);
  x(3, 1) = std::numeric_limits<double>::infinity();
  CHECK(std::isnan(ed::ess_tail(x)));
  CHECK(std::isnan(ed::mcse_mean(x)));
}
