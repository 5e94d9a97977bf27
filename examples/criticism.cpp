// Edward's criticism tutorial, on a question it is built for: are these counts Poisson? Two
// regressions of overdispersed counts, Poisson and negative binomial, fitted by NUTS and
// criticised three ways: point-based evaluation on held-out data (ed::evaluate), posterior
// predictive checks (ed::ppc with its plots), and PSIS-LOO model comparison.
#include <edpp/edpp.hpp>

#include <boost/random/gamma_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "examples/common.hpp"

namespace {

// Counts whose mean is exp(1 + 0.8 x) and whose variance is larger than Poisson's: a Gamma
// rate with shape r (variance μ + μ² / r), x uniform on [−1, 1].
struct Counts {
  ed::Matrix x, y;
};
Counts simulate(ed::Index n, double r, ed::Rng& rng) {
  boost::random::uniform_real_distribution<double> uniform(-1.0, 1.0);
  Counts c{ed::Matrix(n, 1), ed::Matrix(n, 1)};
  for (ed::Index i = 0; i < n; ++i) {
    c.x(i, 0) = uniform(rng.engine());
    const double mean = std::exp(1.0 + 0.8 * c.x(i, 0));
    boost::random::gamma_distribution<double> gamma(r, mean / r);
    boost::random::poisson_distribution<long, double> poisson(gamma(rng.engine()));
    c.y(i, 0) = static_cast<double>(poisson(rng.engine()));
  }
  return c;
}

// The dispersion index var(y) / mean(y): 1 for Poisson counts.
ed::Tensor dispersion(const ed::Tensor& y) {
  const ed::Tensor m = ed::mean(y);
  return ed::mean(ed::square(y - m)) / m;
}

// One model fitted and criticised: its name, the regression, the fit, and the numbers.
struct Fit {
  std::string name;
  std::vector<double> scores;  // mean absolute error, log-likelihood on held-out data
  ed::PpcResult check;
  ed::LooResult loo;
  std::string summary;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Criticism (Edward's tutorial): evaluate, posterior predictive checks, LOO",
               "criticism"};
  ed::examples::Flags flags{.seed = 1, .out = "out/criticism"};
  long draws = 1000;
  app.add_option("--draws", draws, "NUTS draws per chain (after as many warm-up iterations)")
      ->check(CLI::Range(50, 1000000));
  return ed::examples::run(app, flags, argc, argv, [&] {
    ed::set_seed(flags.seed);
    ed::Rng rng(flags.seed);
    const Counts train = simulate(200, 2.0, rng), test = simulate(100, 2.0, rng);
    const auto x = ed::placeholder({ed::Dynamic, 1}, "x");

    auto fit = [&](bool negative_binomial) {
      // Both models: log μ = a + b x with a, b ~ N(0, 2); the second adds a shape r ~ Gamma(2,
      // 0.2).
      const ed::Normal a(0.0, 2.0), b(0.0, 2.0);
      const ed::Gamma r(2.0, 0.2);
      const ed::Tensor log_mean = a + b * x;
      const ed::RandomVariable y =
          negative_binomial ? ed::RandomVariable(ed::NegativeBinomial(r, ed::log(r) - log_mean))
                            : ed::RandomVariable(ed::Poisson(ed::exp(log_mean)));
      const long kept = 4 * draws;
      const ed::Empirical qa(ed::variable(ed::Matrix::Zero(kept, 1))),
          qb(ed::variable(ed::Matrix::Zero(kept, 1))), qr(ed::variable(ed::Matrix::Zero(kept, 1)));
      std::vector<ed::LatentPair> latent = {{a, qa}, {b, qb}};
      if (negative_binomial) latent.push_back({r, qr});
      ed::NUTS nuts(latent, {{y, train.y}});
      nuts.initialize({.n_iter = draws, .n_warmup = draws, .seed = flags.seed});
      nuts.run({{x, train.x}});

      Fit out;
      out.name = negative_binomial ? "negative binomial" : "Poisson";
      out.summary = ed::summary(nuts, negative_binomial ? std::vector<std::string>{"a", "b", "r"}
                                                        : std::vector<std::string>{"a", "b"});
      // The posterior predictive: the model with its latents swapped for their draws.
      ed::Swap posterior = {{a, qa}, {b, qb}};
      if (negative_binomial) posterior.push_back({r, qr});
      const ed::RandomVariable y_post = ed::copy(y, posterior);
      out.scores = ed::evaluate({"mean_absolute_error", "log_likelihood"}, {{y_post, test.y}},
                                {.seed = flags.seed, .feed = {{x, test.x}}});
      out.check = ed::ppc(dispersion, {{y_post, train.y}},
                          {.n_samples = 1000, .seed = flags.seed, .feed = {{x, train.x}}});
      const std::string file = negative_binomial ? "negative_binomial" : "poisson";
      ed::ppc_stat_hist_plot(out.check, flags.out + "/ppc_dispersion_" + file + ".png",
                             "var(y) / mean(y), " + out.name);
      ed::ppc_density_plot(train.y, ed::replicate(y_post, 50, flags.seed, {{x, train.x}}),
                           flags.out + "/ppc_density_" + file + ".png");
      out.loo = ed::loo(ed::log_likelihood_matrix(nuts, y, train.y, {{x, train.x}}));
      return out;
    };
    const Fit poisson = fit(false), negative_binomial = fit(true);

    std::printf(
        "Counts: 200 training and 100 test points, mean exp(1 + 0.8 x), var = mu + mu^2/2\n");
    for (const Fit* f : {&poisson, &negative_binomial}) {
      std::printf("\n%s regression, NUTS 4 chains x %ld draws\n%s", f->name.c_str(), draws,
                  f->summary.c_str());
      std::printf("  held-out mean absolute error %.3f, log-likelihood per point %.3f\n",
                  f->scores[0], f->scores[1]);
      std::printf("  PPC of var(y)/mean(y): observed %.3f, replicated mean %.3f, p = %.3f\n",
                  f->check.observed(0), f->check.replicated.mean(), f->check.p_value);
      std::printf("  PSIS-LOO: elpd_loo %.1f (se %.1f), p_loo %.1f, %ld Pareto k > 0.7\n",
                  f->loo.elpd_loo, f->loo.se_elpd_loo, f->loo.p_loo, f->loo.num_high_pareto_k);
    }
    const auto table =
        ed::loo_compare({{"Poisson", poisson.loo}, {"negative binomial", negative_binomial.loo}});
    std::printf("\nloo_compare:\n%s", ed::to_string(table).c_str());
    ed::Matrix data(200, 2);
    data << train.x, train.y;
    ed::write_csv(flags.out + "/data.csv", data, {"x", "y"});
  });
}
