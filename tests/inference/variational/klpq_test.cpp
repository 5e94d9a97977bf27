// KLpq: the closed-form posterior of a normal mean, and mass-covering on a bimodal target.
#include <doctest/doctest.h>

#include <cmath>
#include <edpp/edpp.hpp>
#include <string>

using ed::Matrix;

namespace {

ed::Normal normal_q(const std::string& name, double loc, double raw_scale) {
  return ed::Normal(ed::variable(Matrix::Constant(1, 1, loc), name + "/loc"),
                    ed::softplus(ed::variable(Matrix::Constant(1, 1, raw_scale), name + "/s")));
}

/// The mean and sd of q averaged over the last iterations of a run (the stochastic steps
/// scatter the final value around the optimum).
std::pair<double, double> averaged_fit(ed::VariationalInference& inference, const ed::Normal& q,
                                       long steps, long averaged) {
  double mean = 0.0, sd = 0.0;
  for (long t = 0; t < steps; ++t) {
    inference.update();
    if (t >= steps - averaged) {
      mean += ed::eval(q.mean())(0, 0) / static_cast<double>(averaged);
      sd += ed::eval(q.stddev())(0, 0) / static_cast<double>(averaged);
    }
  }
  return {mean, sd};
}

}  // namespace

TEST_CASE("KLpq recovers the closed-form posterior of a normal mean") {
  const Matrix x_data = (Matrix(20, 1) << 0.8, 1.9, 0.2, 1.4, 2.6, 0.9, 1.1, -0.3, 1.7, 1.2, 0.5,
                         2.1, 1.0, 1.5, 0.7, 1.8, 0.4, 1.3, 2.2, 0.6)
                            .finished();
  ed::Normal mu(0.0, 1.0);
  ed::Normal x(mu + Matrix::Zero(20, 1), 1.0);
  const ed::Normal qmu = normal_q("qmu", 0.0, 0.0);
  ed::KLpq inference({{mu, qmu}}, {{x, x_data}});
  inference.initialize({.optimizer = ed::Adam(0.02), .n_samples = 20, .seed = 7});
  const auto [mean, sd] = averaged_fit(inference, qmu, 3000, 1000);
  const double exact_mean = x_data.sum() / 21.0, exact_sd = 1.0 / std::sqrt(21.0);
  INFO("q: " << mean << " ± " << sd << ", exact " << exact_mean << " ± " << exact_sd);
  CHECK(std::abs(mean - exact_mean) < 0.1 * exact_sd);
  CHECK(sd == doctest::Approx(exact_sd).epsilon(0.03).scale(0));
  // The loss estimates −log p(x): −log N(x | 0, I + 11ᵀ).
  const double n = 20.0, s = x_data.sum(), ss = x_data.squaredNorm();
  const double log_evidence =
      -0.5 * n * std::log(2 * M_PI) - 0.5 * std::log(1 + n) - 0.5 * (ss - s * s / (1 + n));
  CHECK(inference.loss() == doctest::Approx(-log_evidence).epsilon(0.01));
}

TEST_CASE("KLpq covers both modes of a bimodal target where KLqp picks one") {
  // p(z) ∝ N(z | 0, 10) (N(z | −3, 0.5) + N(z | 3, 0.5)): its mean is 0 and its variance
  // (by quadrature) about 9.2. The inclusive KL's best Normal matches those moments.
  double total = 0.0, second = 0.0;
  for (double z = -15; z <= 15; z += 1e-3) {
    const double w = std::exp(-z * z / 200) *
                     (std::exp(-2 * (z + 3) * (z + 3)) + std::exp(-2 * (z - 3) * (z - 3)));
    total += w;
    second += w * z * z;
  }
  const double exact_sd = std::sqrt(second / total);
  auto target = [] {
    ed::clear_factors();
    auto z = std::make_shared<ed::Normal>(0.0, 10.0);
    const ed::Tensor modes =
        ed::concat({-2.0 * ed::square(*z + 3.0), -2.0 * ed::square(*z - 3.0)}, 1);
    ed::factor(ed::logsumexp(modes));
    return z;
  };
  {
    const auto z = target();
    const ed::Normal qz = normal_q("klpq_qz", 0.5, 0.0);
    ed::KLpq klpq({{*z, qz}});
    klpq.initialize({.optimizer = ed::Adam(0.02), .n_samples = 50, .seed = 3});
    const auto [mean, sd] = averaged_fit(klpq, qz, 3000, 1000);
    INFO("KLpq q: " << mean << " ± " << sd << ", p's sd " << exact_sd);
    CHECK(std::abs(mean) < 0.3);
    CHECK(sd == doctest::Approx(exact_sd).epsilon(0.05).scale(0));
  }
  {
    const auto z = target();
    const ed::Normal qz = normal_q("klqp_qz", 0.5, 0.0);
    ed::KLqp klqp({{*z, qz}});
    klqp.initialize({.optimizer = ed::Adam(0.02), .n_samples = 10, .seed = 3});
    const auto [mean, sd] = averaged_fit(klqp, qz, 3000, 1000);
    INFO("KLqp q: " << mean << " ± " << sd);
    CHECK(std::abs(std::abs(mean) - 3.0) < 0.2);  // one mode
    CHECK(sd < 0.7);
  }
  ed::clear_factors();
}

TEST_CASE("KLpq refuses what it cannot do") {
  ed::Gamma rate(2.0, 1.0);
  const ed::Normal q = normal_q("q_wrong", 0.0, 0.0);
  ed::KLpq wrong_support({{rate, q}});
  CHECK_THROWS_WITH_AS(wrong_support.initialize(),
                       doctest::Contains("use a q on the latent's support"), ed::invalid_argument);
  ed::Normal mu(0.0, 1.0);
  ed::KLpq no_q(std::vector<ed::LatentPair>{{mu, std::nullopt}});
  CHECK_THROWS_WITH_AS(no_q.initialize(), doctest::Contains("needs a variational family"),
                       ed::invalid_argument);
  const ed::Normal qmu = normal_q("q_threads", 0.0, 0.0);
  ed::KLpq threaded({{mu, qmu}});
  CHECK_THROWS_WITH_AS(threaded.initialize({.n_samples = 0}), doctest::Contains("n_samples"),
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(threaded.initialize({.threads = 2}), doctest::Contains("threads must be 1"),
                       ed::invalid_argument);
}
