// A Poisson change-point model with the discrete change point summed out through ed::factor
// (Stan's `target += log_sum_exp(lp)`): early rate e, late rate l, change at s uniform on
// {0, …, T−1}. NUTS samples (e, l); p(s | data) comes from the draws.
#include <edpp/edpp.hpp>
#include <edpp/models.hpp>

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
    const ed::Matrix counts =
        ed::models::simulate_change_point(years, change, early_rate, late_rate, flags.seed);
    // The builder adds log Σ_s p(D, s | e, l) with ed::factor: NUTS needs no data bindings.
    const ed::models::ChangePoint m = ed::models::change_point(counts);
    ed::NUTS nuts({m.early, m.late}, {});
    nuts.initialize({.n_iter = draws, .n_warmup = draws, .chains = 4, .seed = flags.seed});
    nuts.run();
    std::printf("Change point (true: year %ld, early rate %.1f, late rate %.1f), NUTS 4 x %ld:\n%s",
                static_cast<long>(change), early_rate, late_rate, draws,
                ed::summary(nuts, {"early_rate", "late_rate"}).c_str());

    const ed::Matrix posterior =
        ed::models::change_point_posterior(counts, nuts.draws(m.early), nuts.draws(m.late));
    ed::Index mode = 0;
    posterior.col(0).maxCoeff(&mode);
    std::printf("most probable change: before year %ld (p = %.2f)\n", static_cast<long>(mode),
                posterior(mode, 0));
    ed::Matrix table(years, 3);
    table << ed::Matrix(Eigen::VectorXd::LinSpaced(years, 0.0, double(years - 1))), counts,
        posterior;
    ed::write_csv(flags.out + "/change_point.csv", table, {"year", "count", "p_change"});
    ed::clear_factors();
    ed::examples::run_gnuplot("change_point.gp", flags.out);
  });
}
