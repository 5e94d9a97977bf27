#include "edpp/criticism/sbc.hpp"

#include <boost/math/distributions/chi_squared.hpp>

#include "edpp/core/errors.hpp"
#include "edpp/core/session.hpp"

namespace ed {

namespace {

void check_options(const SBCOptions& o) {
  auto fail = [](const std::string& what) { throw ed::invalid_argument("sbc: " + what); };
  if (o.replications < 1) {
    fail("replications must be at least 1, got " + std::to_string(o.replications));
  }
  if (o.draws_per_rank < 1) {
    fail("draws_per_rank must be at least 1, got " + std::to_string(o.draws_per_rank));
  }
  if (o.bins < 2 || (o.draws_per_rank + 1) % o.bins != 0) {
    fail("bins must be at least 2 and divide draws_per_rank + 1 = " +
         std::to_string(o.draws_per_rank + 1) + ", got " + std::to_string(o.bins));
  }
}

std::string scalar_name(const std::string& base, Shape shape, Index e) {
  if (shape.rows * shape.cols == 1) return base;
  if (shape.rows == 1 || shape.cols == 1) return base + "[" + std::to_string(e) + "]";
  return base + "[" + std::to_string(e % shape.rows) + ", " + std::to_string(e / shape.rows) + "]";
}

}  // namespace

Eigen::VectorXi SBCResult::histogram(int scalar) const {
  Eigen::VectorXi counts = Eigen::VectorXi::Zero(bins);
  const int width = (draws_per_rank + 1) / bins;
  for (Index r = 0; r < ranks.rows(); ++r) ++counts(ranks(r, scalar) / width);
  return counts;
}

SBCResult sbc(const std::vector<RandomVariable>& latents,
              const std::vector<RandomVariable>& observed, const SBCFit& fit, SBCOptions options,
              const std::vector<std::string>& names) {
  check_options(options);
  if (latents.empty() || observed.empty()) {
    throw ed::invalid_argument("sbc: give at least one latent and one observed variable");
  }
  SBCResult result;
  result.draws_per_rank = options.draws_per_rank;
  result.bins = options.bins;
  std::vector<Tensor> fetches;
  std::vector<Index> offsets;
  Index scalars = 0;
  for (std::size_t i = 0; i < latents.size(); ++i) {
    const Shape shape = latents[i].value().shape();
    offsets.push_back(scalars);
    for (Index e = 0; e < shape.rows * shape.cols; ++e) {
      result.names.push_back(
          scalar_name(i < names.size() ? names[i] : "z" + std::to_string(i), shape, e));
    }
    scalars += shape.rows * shape.cols;
    fetches.push_back(latents[i].value());
  }
  for (const RandomVariable& y : observed) fetches.push_back(y.value());
  result.ranks.resize(options.replications, scalars);

  // One session draws every replication's truth and data, jointly (ancestral sampling).
  Session simulator(options.seed);
  const int l = options.draws_per_rank;
  for (int r = 0; r < options.replications; ++r) {
    const std::vector<Matrix> joint = simulator.run(fetches);
    Data data;
    for (std::size_t k = 0; k < observed.size(); ++k) {
      data.emplace_back(observed[k], joint[latents.size() + k]);
    }
    const std::unique_ptr<MonteCarlo> fitted =
        fit(data, options.seed * 1000003ULL + static_cast<std::uint64_t>(r));
    for (std::size_t i = 0; i < latents.size(); ++i) {
      const Matrix draws = fitted->draws(latents[i]);
      const Index n = draws.rows();
      if (n < l) {
        throw ed::invalid_argument("sbc: the fit has " + std::to_string(n) + " draws of " +
                                   latents[i].describe() +
                                   ", fewer than draws_per_rank = " + std::to_string(l));
      }
      const Matrix& truth = joint[i];
      for (Index e = 0; e < draws.cols(); ++e) {
        int rank = 0;
        for (int k = 0; k < l; ++k) {
          // Evenly spread over all draws (chains included): draw ⌊(k + ½)·n / L⌋.
          const auto at = static_cast<Index>((static_cast<double>(k) + 0.5) *
                                             static_cast<double>(n) / static_cast<double>(l));
          if (draws(at, e) < truth.data()[e]) ++rank;
        }
        result.ranks(r, offsets[i] + e) = rank;
      }
    }
    if (options.on_replication) options.on_replication(r);
  }
  const double expected =
      static_cast<double>(options.replications) / static_cast<double>(options.bins);
  const boost::math::chi_squared_distribution<> chi2(options.bins - 1);
  for (Index s = 0; s < scalars; ++s) {
    const Eigen::VectorXi counts = result.histogram(static_cast<int>(s));
    const double statistic = (counts.cast<double>().array() - expected).square().sum() / expected;
    result.chi_squared.push_back(statistic);
    result.p_value.push_back(boost::math::cdf(boost::math::complement(chi2, statistic)));
  }
  return result;
}

}  // namespace ed
