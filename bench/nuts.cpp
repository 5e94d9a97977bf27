// NUTS speed: gradient evaluations per second and bulk ESS per second (the minimum over
// parameters) for eight schools (non-centred), a Bayesian linear regression, and posteriors of
// ../shared/posteriordb or data/posteriordb (sblri-blr and kidiq by default; the minimum over
// the reference's parameters, as scripts/crosscheck/stan_side_by_side.R takes Stan's), 4
// chains of 1000 draws after 1000 warm-up. ESS per CPU-second is comparable to Stan run one chain
// after another on one core (../shared/posteriordb/README.md has Stan's figures measured here).
#include <edpp/edpp.hpp>
#include <edpp/models.hpp>

#include <CLI/CLI.hpp>

#include <boost/random/normal_distribution.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace {

struct Result {
  double wall_s, cpu_s, min_ess;
  long gradients;
};

// The draws whose bulk ESS is reported, each iterations × chains: every element of the latents,
// or for a posteriordb posterior the reference's own parameters (as Stan's side reports them).
using Parameters = std::function<std::vector<ed::Matrix>(const ed::MonteCarlo&)>;

Parameters every_element(const std::vector<ed::RandomVariable>& latents) {
  return [latents](const ed::MonteCarlo& mc) {
    std::vector<ed::Matrix> out;
    for (const auto& z : latents) {
      const ed::Index size = z.value().shape().rows * z.value().shape().cols;
      for (ed::Index e = 0; e < size; ++e) out.push_back(mc.draws_by_chain(z, e));
    }
    return out;
  };
}

using Init = std::vector<std::pair<ed::RandomVariable, ed::Matrix>>;

// The reference's posterior means as starting values, for a posterior whose reference lists
// the latents' elements in order (the HMMs, the ODEs): means stay inside a simplex, an ordered
// vector and the positive reals, which medians need not. Where Stan does not find the
// posterior from random starts, both samplers start here instead.
Init reference_means(const std::string& csv, const std::vector<ed::RandomVariable>& latents) {
  std::vector<double> means;
  for (const auto& row : ed::models::read_reference(csv)) means.push_back(row.mean);
  Init init;
  std::size_t next = 0;
  for (const ed::RandomVariable& z : latents) {
    const ed::Shape shape = z.value().shape();
    const auto size = static_cast<std::size_t>(shape.rows * shape.cols);
    if (next + size > means.size()) break;
    ed::Matrix start = Eigen::Map<const ed::Matrix>(means.data() + next, shape.rows, shape.cols);
    // A simplex's means sum to 1 only to the CSV's eight digits.
    if (std::abs(start.sum() - 1.0) < 1e-6) start /= start.sum();
    init.emplace_back(z, start);
    next += size;
  }
  if (next != means.size()) {
    throw ed::invalid_argument(csv + ": its " + std::to_string(means.size()) +
                               " parameters are not the latents' elements in order");
  }
  return init;
}

// With `sequential`, the chains run one after another on this thread, each its own run of one
// chain (seeds 100·seed, 100·seed + 1, ..., so that runs of different seeds share no chain), as
// Stan's were timed; else together, one thread each.
Result measure(ed::NUTS& nuts, const Parameters& parameters, int chains, long draws, long warmup,
               std::uint64_t seed, bool sequential, const Init& init = {}) {
  const int runs = sequential ? chains : 1;
  std::vector<ed::Matrix> draws_by_chain;  // per parameter, iterations × chains
  double cpu = 0.0, wall = 0.0;
  long gradients = 0;
  for (int run = 0; run < runs; ++run) {
    nuts.initialize({.n_iter = draws,
                     .n_warmup = warmup,
                     .chains = sequential ? 1 : chains,
                     .seed = sequential ? 100 * seed + static_cast<std::uint64_t>(run) : seed,
                     .init = init});
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    nuts.run();
    cpu += static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    gradients += nuts.diagnostics().leapfrog_steps;
    const std::vector<ed::Matrix> these = parameters(nuts);
    if (draws_by_chain.empty()) {
      for (const ed::Matrix& d : these) draws_by_chain.emplace_back(d.rows(), runs * d.cols());
    }
    for (std::size_t k = 0; k < these.size(); ++k) {
      draws_by_chain[k].middleCols(run * these[k].cols(), these[k].cols()) = these[k];
    }
  }
  double min_ess = 1e300;
  for (const ed::Matrix& d : draws_by_chain) min_ess = std::min(min_ess, ed::ess_bulk(d));
  return {wall, cpu, min_ess, gradients};
}

void report(const char* name, const Result& r) {
  std::printf(
      "%s: wall %.3f s, cpu %.3f s, gradients %ld (%.2f us each, %.0f per cpu-second), min bulk "
      "ESS %.0f, ESS per cpu-second %.0f, per wall-second %.0f\n",
      name, r.wall_s, r.cpu_s, r.gradients, 1e6 * r.cpu_s / static_cast<double>(r.gradients),
      static_cast<double>(r.gradients) / r.cpu_s, r.min_ess, r.min_ess / r.cpu_s,
      r.min_ess / r.wall_s);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"NUTS speed: gradients and bulk ESS per second"};
  int chains = 4;
  long draws = 1000, warmup = 1000;
  std::uint64_t seed = 1;
  app.add_option("--chains", chains, "chains (run on threads)")->check(CLI::Range(1, 64));
  app.add_option("--draws", draws, "draws kept per chain")->check(CLI::PositiveNumber);
  app.add_option("--warmup", warmup, "warm-up iterations per chain")->check(CLI::NonNegativeNumber);
  app.add_option("--seed", seed, "seed");
  bool sequential = false;
  app.add_flag("--sequential", sequential,
               "run the chains one after another on one thread, as Stan's are timed");
  std::string posteriordb = EDPP_POSTERIORDB_DIR;
  std::vector<std::string> names = {"sblri-blr", "kidiq-kidscore_momiq"};
  app.add_option("--posteriordb", posteriordb, "the posteriordb folder");
  app.add_option("--posterior", names, "posteriors of that folder to time as well");
  bool at_reference = false;
  app.add_flag("--init-at-reference-mean", at_reference,
               "start the posteriors' chains at the reference's means (for a reference that "
               "lists the latents' elements in order)");
  CLI11_PARSE(app, argc, argv);

  {  // Eight schools, non-centred (posteriordb eight_schools-eight_schools_noncentered).
    const ed::Matrix y = (ed::Matrix(8, 1) << 28, 8, -3, 7, -1, 1, 18, 12).finished();
    const ed::Matrix sigma = (ed::Matrix(8, 1) << 15, 10, 16, 11, 9, 11, 10, 18).finished();
    const ed::Normal theta_trans(ed::Matrix::Zero(8, 1), 1.0);
    const ed::Normal mu(0.0, 5.0);
    const ed::HalfCauchy tau(5.0);
    const ed::Normal obs(mu + tau * theta_trans, sigma);
    ed::NUTS nuts({theta_trans, mu, tau}, {{obs, y}});
    report("eight_schools_noncentered", measure(nuts, every_element({theta_trans, mu, tau}), chains,
                                                draws, warmup, seed, sequential));
  }
  {  // A Bayesian linear regression: 100 points, 5 predictors, unknown noise.
    ed::Rng rng(seed);
    boost::random::normal_distribution<double> normal;
    ed::Matrix X(100, 5), y(100, 1);
    for (ed::Index k = 0; k < X.size(); ++k) X.data()[k] = normal(rng.engine());
    y = X * ed::Matrix::Ones(5, 1);
    for (ed::Index i = 0; i < 100; ++i) y(i, 0) += 0.5 * normal(rng.engine());
    const ed::Normal w(ed::Matrix::Zero(5, 1), 10.0);
    const ed::Normal b(0.0, 10.0);
    const ed::HalfNormal sigma_y(5.0);
    const ed::Normal obs(ed::matmul(X, w) + b, sigma_y);
    ed::NUTS nuts({w, b, sigma_y}, {{obs, y}});
    report("linear_regression_100x5",
           measure(nuts, every_element({w, b, sigma_y}), chains, draws, warmup, seed, sequential));
  }
  for (const std::string& name : names) {  // posteriors of the reference set
    // The shared folder's 24, else the seven on HMMs, GPs and ODEs in data/posteriordb.
    const std::string dir = std::filesystem::exists(posteriordb + "/" + name)
                                ? posteriordb
                                : std::string(EDPP_REPO_POSTERIORDB_DIR);
    ed::clear_factors();  // each posterior's own ed::factor terms only
    const auto data = ed::models::read_json_data(dir + "/" + name + "/data.json");
    const ed::models::Posterior posterior = ed::models::posteriordb_model(name, data);
    ed::NUTS nuts(posterior.latents, posterior.data);
    const Init init = at_reference
                          ? reference_means(dir + "/" + name + "/reference.csv", posterior.latents)
                          : Init{};
    report(name.c_str(),
           measure(nuts, posterior.parameters, chains, draws, warmup, seed, sequential, init));
  }
  return 0;
}
