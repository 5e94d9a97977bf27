// Fits a posterior of ../shared/posteriordb by name with NUTS and prints it beside the
// reference, with the criterion: |mean − reference| ≤ 4 × √(MCSE² + reference MCSE²), sd within
// 10% of the reference's, R̂ < 1.01. A heavy-tailed parameter (the reference's sd above half its
// 90% interval, as when the variance is infinite and the sample sd never settles) is held to
// its 5%, 50% and 95% quantiles instead of its sd, each within 4 × √(MCSE² + reference MCSE²).
// Exits 1 when a parameter fails it.
#include <edpp/edpp.hpp>
#include <edpp/models.hpp>

#include <chrono>
#include <cmath>
#include <fstream>
#include <stdexcept>

#include "examples/common.hpp"

namespace {

// Whether x's quantiles q05, q50, q95 agree with the reference's within 4 × √(MCSE² + the
// reference's MCSE²). The reference's quantile MCSE is ours scaled by the square root of the
// ESS ratio (its ESS from its mean's MCSE: (sd / mcse)²).
bool quantiles_agree(const ed::Matrix& x, const ed::models::ReferenceSummary& ref) {
  const double ess_ref = (ref.sd / ref.mcse_mean) * (ref.sd / ref.mcse_mean);
  bool ok = true;
  for (auto [p, q_ref] : {std::pair{0.05, ref.q05}, {0.5, ref.q50}, {0.95, ref.q95}}) {
    const double mcse = ed::mcse_quantile(x, p);
    const double ess = p == 0.5 ? ed::ess_bulk(x) : ed::ess_tail(x);
    const double mcse_ref = mcse * std::sqrt(ess / ess_ref);
    const double z = (ed::quantile(x, p) - q_ref) / std::hypot(mcse, mcse_ref);
    std::printf("             q%02.0f %11.4g %11.4g  z %6.2f\n", 100 * p, q_ref, ed::quantile(x, p),
                z);
    ok = ok && std::abs(z) <= 4.0;
  }
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"posteriordb: fit a reference posterior with NUTS and compare", "posteriordb"};
  ed::examples::Flags flags{.seed = 1, .out = "out/posteriordb"};
  std::string name = "eight_schools-eight_schools_noncentered";
  std::string dir = EDPP_POSTERIORDB_DIR;
  long draws = 1000, warmup = 1000;
  int chains = 4;
  app.add_option("--name", name, "the posterior (a folder of --dir)");
  app.add_option("--dir", dir, "the posteriordb folder");
  app.add_option("--draws", draws, "draws kept per chain")->check(CLI::Range(10, 10000000));
  app.add_option("--warmup", warmup, "warm-up iterations per chain")
      ->check(CLI::Range(0, 10000000));
  app.add_option("--chains", chains, "chains")->check(CLI::Range(1, 64));
  bool dense = false;
  app.add_flag("--dense", dense, "adapt a dense metric (Stan's dense_e) instead of a diagonal one");
  return ed::examples::run(app, flags, argc, argv, [&] {
    ed::set_seed(flags.seed);
    // The shared folder holds 24 posteriors; the repository's data/posteriordb the seven on
    // HMMs, GPs and ODEs.
    std::ifstream probe(dir + "/" + name + "/data.json");
    if (!probe) dir = EDPP_REPO_POSTERIORDB_DIR;
    const auto data = ed::models::read_json_data(dir + "/" + name + "/data.json");
    const auto reference = ed::models::read_reference(dir + "/" + name + "/reference.csv");
    const ed::models::Posterior posterior = ed::models::posteriordb_model(name, data);
    ed::NUTS nuts(posterior.latents, posterior.data);
    nuts.initialize({.n_iter = draws,
                     .n_warmup = warmup,
                     .chains = chains,
                     .seed = flags.seed,
                     .metric = dense ? ed::MassMatrix::dense : ed::MassMatrix::diagonal});
    const auto start = std::chrono::steady_clock::now();
    nuts.run();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::vector<ed::Matrix> values = posterior.parameters(nuts);

    std::printf("%s: NUTS, %d chains x %ld draws after %ld warm-up, %.2f s, %ld divergences\n",
                name.c_str(), chains, draws, warmup, seconds, nuts.diagnostics().divergences);
    std::printf("%-10s %11s %11s %11s %11s %9s %7s %8s %7s  %s\n", "param", "ref mean", "mean",
                "ref sd", "sd", "mcse", "z", "ess_bulk", "rhat", "ok");
    ed::Matrix table(static_cast<ed::Index>(values.size()), 2);
    bool all_ok = true;
    for (std::size_t k = 0; k < values.size(); ++k) {
      const ed::Matrix& x = values[k];
      const ed::models::ReferenceSummary* ref = nullptr;
      for (const auto& r : reference) {
        if (r.param == posterior.names[k]) ref = &r;
      }
      if (!ref) throw ed::invalid_argument("the reference has no " + posterior.names[k]);
      const double mean = x.mean();
      const double sd = std::sqrt((x.array() - mean).square().sum() / double(x.size() - 1));
      const double mcse = ed::mcse_mean(x);
      const double z = (mean - ref->mean) / std::hypot(mcse, ref->mcse_mean);
      const double rhat = ed::rhat(x);
      // A heavy tail (an sd beyond half the 90% interval: one_comp's K_m and V_m) is judged by
      // its quantiles alone: there the sd, and with it the mean's MCSE, is no error scale (the
      // mean's CLT needs a finite variance), and a mean z of -4 says little a quantile's would not.
      const bool heavy_tail = ref->sd > 0.5 * (ref->q95 - ref->q05);
      const bool sd_ok = heavy_tail || std::abs(sd / ref->sd - 1.0) <= 0.1;
      const bool ok_so_far = (heavy_tail || std::abs(z) <= 4.0) && sd_ok && rhat < 1.01;
      std::printf("%-10s %11.4g %11.4g %11.4g %11.4g %9.3g %7.2f %8.0f %7.4f  %s\n",
                  posterior.names[k].c_str(), ref->mean, mean, ref->sd, sd, mcse, z,
                  ed::ess_bulk(x), rhat,
                  heavy_tail ? "heavy tail: quantiles, not sd" : (ok_so_far ? "yes" : "NO"));
      const bool quantiles_ok = !heavy_tail || quantiles_agree(x, *ref);  // printed either way
      const bool ok = ok_so_far && quantiles_ok;
      if (heavy_tail) std::printf("%-10s %s\n", "", ok ? "yes" : "NO");
      all_ok = all_ok && ok;
      table(static_cast<ed::Index>(k), 0) = static_cast<double>(k + 1);
      table(static_cast<ed::Index>(k), 1) = z;
    }
    ed::write_csv(flags.out + "/z_scores.csv", table, {"parameter", "z"});
    ed::examples::run_gnuplot("posteriordb.gp", flags.out);
    if (!all_ok) throw std::runtime_error("a parameter fails the criterion");
  });
}
