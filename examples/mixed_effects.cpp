// A linear mixed-effects model: random intercepts per group (Edward's tutorial in spirit).
#include <edpp/edpp.hpp>
#include <edpp/models.hpp>

#include "examples/common.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Linear mixed-effects model with random intercepts (MAP with L-BFGS)",
               "mixed_effects"};
  ed::examples::Flags flags{.seed = 1, .out = "out/mixed_effects"};
  long groups = 12, per_group = 30;
  app.add_option("--groups", groups, "groups")->check(CLI::Range(2, 100000));
  app.add_option("--per-group", per_group, "points per group")->check(CLI::Range(1, 100000));
  return ed::examples::run(app, flags, argc, argv, [&] {
    const auto d = ed::models::simulate_groups(groups, per_group, flags.seed);
    const auto m = ed::models::mixed_effects(d.x, d.group, groups);
    ed::MAP inference({m.beta, m.group_scale, m.intercepts, m.sigma}, {{m.y, d.y}});
    inference.initialize({.optimizer = ed::LBFGS(), .seed = flags.seed});
    for (int i = 0; i < 200; ++i) inference.update();
    const ed::Matrix beta = inference.value(m.beta), u = inference.value(m.intercepts);
    std::printf("Linear mixed effects, %ld groups of %ld\n", groups, per_group);
    ed::examples::print_estimates("slope", d.beta.row(1), beta.row(1));
    // β₀ and the intercepts share a constant: report the group levels β₀ + u_j.
    ed::examples::print_estimates("level", d.intercepts.array() + d.beta(0, 0),
                                  u.array() + beta(0, 0));
    ed::examples::print_estimates("group scale", ed::Matrix::Constant(1, 1, d.group_scale),
                                  inference.value(m.group_scale));
    ed::examples::print_estimates("noise", ed::Matrix::Constant(1, 1, d.noise),
                                  inference.value(m.sigma));
    ed::Matrix data(d.x.rows(), 3), levels(groups, 3);
    data << d.x, d.y, d.group;
    for (long j = 0; j < groups; ++j)
      levels.row(j) << double(j), d.intercepts(j, 0) + d.beta(0, 0), u(j, 0) + beta(0, 0);
    ed::write_csv(flags.out + "/data.csv", data, {"x", "y", "group"});
    ed::write_csv(flags.out + "/levels.csv", levels, {"group", "truth", "map"});
    ed::examples::run_gnuplot("mixed_effects.gp", flags.out);

    // The posterior by NUTS: the group levels β₀ + u_j, the slope and both scales.
    ed::NUTS nuts({m.beta, m.group_scale, m.intercepts, m.sigma}, {{m.y, d.y}});
    nuts.initialize({.n_iter = 500, .n_warmup = 500, .seed = flags.seed});
    nuts.run();
    std::printf("Posterior (NUTS, 4 chains x 500 draws): mean and 90%% interval\n");
    const ed::Matrix beta_draws = nuts.draws(m.beta);
    ed::examples::print_posterior("slope", d.beta.row(1), beta_draws.col(1));
    const ed::Matrix level_draws = nuts.draws(m.intercepts).colwise() + beta_draws.col(0);
    const int covered =
        ed::examples::print_posterior("level", d.intercepts.array() + d.beta(0, 0), level_draws);
    std::printf("  %d of %ld group levels inside their 90%% intervals\n", covered, groups);
    ed::examples::print_posterior("group scale", ed::Matrix::Constant(1, 1, d.group_scale),
                                  nuts.draws(m.group_scale));
    ed::examples::print_posterior("noise", ed::Matrix::Constant(1, 1, d.noise),
                                  nuts.draws(m.sigma));
    ed::examples::predictive_check(d.y, ed::replicate(nuts, m.y, 50, flags.seed),
                                   flags.out + "/mixed_effects_ppc.png");
  });
}
