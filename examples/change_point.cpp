// A Poisson change-point model with the discrete change point summed out through ed::factor
// (Stan's `target += log_sum_exp(lp)`): early rate e, late rate l, change at s uniform on
// {1, …, T}. NUTS samples (e, l); p(s | data) comes from the draws.
#include <edpp/edpp.hpp>

#include <boost/random/poisson_distribution.hpp>

#include <cmath>
#include <cstdio>

#include "examples/common.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Poisson change point, the change point marginalised with ed::factor",
               "change_point"};
  ed::examples::Flags flags{.seed = 1, .out = "out/change_point"};
  long draws = 1000;
  app.add_option("--draws", draws, "draws per chain (as many warm-up)")
      ->check(CLI::Range(10, 1000000));
  return ed::examples::run(app, flags, argc, argv, [&] {
    ed::set_seed(flags.seed);
    // Counts per year: rate 4 before year 40, 1 after.
    const ed::Index years = 100, change = 40;
    const double early_rate = 4.0, late_rate = 1.0;
    ed::Rng rng(flags.seed);
    ed::Matrix counts(years, 1);
    for (ed::Index t = 0; t < years; ++t) {
      counts(t, 0) = boost::random::poisson_distribution<int, double>(
          t < change ? early_rate : late_rate)(rng.engine());
    }
    const ed::Exponential e(1.0), l(1.0);
    // lp[s] = log p(s) + Σ_{t<s} log Poisson(D_t | e) + Σ_{t≥s} log Poisson(D_t | l), for a
    // change before year s (s = 0, …, T−1), from running sums of the counts: with
    // A_s = Σ_{t<s} D_t and B_s = Σ_{t≥s} D_t, it is A_s log e − s e + B_s log l − (T − s) l,
    // less Σ log D_t! and log T, which do not depend on s.
    ed::Matrix before(years, 1), after(years, 1), steps(years, 1), remaining(years, 1);
    double seen = 0.0;
    for (ed::Index s = 0; s < years; ++s) {
      before(s, 0) = seen;
      after(s, 0) = counts.sum() - seen;
      steps(s, 0) = static_cast<double>(s);
      remaining(s, 0) = static_cast<double>(years - s);
      seen += counts(s, 0);
    }
    const ed::Tensor lp = before * ed::log(e) - steps * e + after * ed::log(l) - remaining * l;
    ed::factor(ed::logsumexp(lp, 0));
    ed::NUTS nuts({e, l}, {});
    nuts.initialize({.n_iter = draws, .n_warmup = draws, .chains = 4, .seed = flags.seed});
    nuts.run();
    std::printf("Change point (true: year %ld, early rate %.1f, late rate %.1f), NUTS 4 x %ld:\n%s",
                static_cast<long>(change), early_rate, late_rate, draws,
                ed::summary(nuts, {"early_rate", "late_rate"}).c_str());

    // p(s | D) = E[softmax(lp) | D]: the change point's posterior, averaged over the draws.
    const ed::Matrix e_draws = nuts.draws(e), l_draws = nuts.draws(l);
    ed::Matrix posterior = ed::Matrix::Zero(years, 1);
    for (ed::Index k = 0; k < e_draws.rows(); ++k) {
      const ed::Matrix lp_k =
          (before.array() * std::log(e_draws(k, 0)) - steps.array() * e_draws(k, 0) +
           after.array() * std::log(l_draws(k, 0)) - remaining.array() * l_draws(k, 0))
              .matrix();
      const double top = lp_k.maxCoeff();
      const ed::Matrix w = (lp_k.array() - top).exp().matrix();
      posterior += w / w.sum();
    }
    posterior /= static_cast<double>(e_draws.rows());
    ed::Index mode = 0;
    posterior.col(0).maxCoeff(&mode);
    std::printf("most probable change: before year %ld (p = %.2f)\n", static_cast<long>(mode),
                posterior(mode, 0));
    ed::Matrix table(years, 3);
    table << steps, counts, posterior;
    ed::write_csv(flags.out + "/change_point.csv", table, {"year", "count", "p_change"});
    ed::clear_factors();
    ed::examples::run_gnuplot("change_point.gp", flags.out);
  });
}
