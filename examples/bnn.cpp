// A Bayesian neural network for regression: N(0, 1) priors on every weight, fitted by MAP
// (which is weight decay).
#include <edpp/edpp.hpp>
#include <edpp/models.hpp>

#include "examples/common.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Bayesian neural network regression (MAP with Adam)", "bnn"};
  ed::examples::Flags flags{.seed = 1, .out = "out/bnn"};
  long n = 300, steps = 2000;
  app.add_option("--points", n, "training points")->check(CLI::Range(2, 10000000));
  app.add_option("--steps", steps, "Adam steps")->check(CLI::PositiveNumber);
  return ed::examples::run(app, flags, argc, argv, [&] {
    const auto train = ed::models::simulate_curve(n, 0.2, flags.seed);
    const auto x = ed::placeholder({ed::Dynamic, 1}, "x");
    const auto m = ed::models::bayesian_network(x, {20, 20});
    std::vector<ed::RandomVariable> latent(m.weights.begin(), m.weights.end());
    latent.push_back(m.sigma);
    ed::MAP inference(latent, {{m.y, train.y}});
    inference.initialize({.optimizer = ed::Adam(0.01), .n_iter = steps, .seed = flags.seed});
    inference.run({{x, train.x}});
    const ed::Matrix grid = Eigen::VectorXd::LinSpaced(200, -3.0, 3.0);
    const ed::Matrix f = inference.session().run({m.f}, {{x, grid}})[0];
    const ed::Matrix truth = (2.0 * grid.array()).sin() + 0.5 * grid.array();
    std::printf("Bayesian neural network (1-20-20-1, tanh), %ld points\n", n);
    std::printf("  RMSE against the true curve on [-3, 3]: %.4f\n",
                std::sqrt((f - truth).squaredNorm() / 200));
    ed::examples::print_estimates("noise", ed::Matrix::Constant(1, 1, 0.2),
                                  inference.value(m.sigma));
    ed::Matrix data(n, 2), curve(200, 3);
    data << train.x, train.y;
    curve << grid, f, truth;
    ed::write_csv(flags.out + "/data.csv", data, {"x", "y"});
    ed::write_csv(flags.out + "/curve.csv", curve, {"x", "map", "truth"});
    ed::examples::run_gnuplot("bnn.gp", flags.out);

    // The posterior by KLqp: a Normal q on every weight and a LogNormal q on the noise, started
    // at the MAP fit with small scales (started from N(0, 1) scales the ELBO's gradient noise
    // keeps the network near a constant for thousands of steps; see the BNN tutorial).
    std::vector<ed::LatentPair> pairs;
    ed::Swap posterior;
    for (std::size_t k = 0; k < m.weights.size(); ++k) {
      const ed::Matrix start = inference.value(m.weights[k]);
      const ed::Normal q(
          ed::variable(start),
          ed::softplus(ed::variable(ed::Matrix::Constant(start.rows(), start.cols(), -4.0))));
      pairs.push_back({m.weights[k], q});
      posterior.push_back({m.weights[k], q});
    }
    const ed::LogNormal q_sigma(ed::variable(ed::Matrix(inference.value(m.sigma).array().log())),
                                ed::softplus(ed::variable(ed::Matrix::Constant(1, 1, -3.0))));
    pairs.push_back({m.sigma, q_sigma});
    posterior.push_back({m.sigma, q_sigma});
    ed::KLqp klqp(pairs, {{m.y, train.y}});
    klqp.initialize({.optimizer = ed::Adam(0.01), .n_iter = steps, .seed = flags.seed});
    klqp.run({{x, train.x}});
    ed::Session& q_session = klqp.session();
    const auto sigma_program = q_session.compile({q_sigma.value()});
    ed::Matrix sigma_draws(500, 1);
    for (int s = 0; s < 500; ++s) sigma_draws(s, 0) = q_session.run(*sigma_program)[0](0, 0);
    std::printf("Posterior (KLqp from the MAP): mean and 90%% interval\n");
    ed::examples::print_posterior("noise", ed::Matrix::Constant(1, 1, 0.2), sigma_draws);
    const ed::RandomVariable y_post = ed::copy(m.y, posterior);
    ed::examples::predictive_check(train.y, ed::replicate(y_post, 50, flags.seed, {{x, train.x}}),
                                   flags.out + "/bnn_ppc.png");
  });
}
