// Probabilistic PCA by MAP: the fitted principal subspace against the SVD's.
#include <edpp/edpp.hpp>
#include <edpp/models.hpp>

#include <Eigen/Dense>

#include "examples/common.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Probabilistic PCA: x = W z + noise (MAP over W, z and the noise)", "ppca"};
  ed::examples::Flags flags{.seed = 1, .out = "out/ppca"};
  long n = 300, dims = 5;
  app.add_option("--points", n, "data points")->check(CLI::Range(3, 1000000));
  app.add_option("--dims", dims, "observed dimensions")->check(CLI::Range(3, 1000));
  return ed::examples::run(app, flags, argc, argv, [&] {
    const auto d = ed::models::simulate_subspace(n, dims, 2, 0.3, flags.seed);
    const auto m = ed::models::ppca(n, dims, 2);
    ed::MAP inference({m.W, m.Z, m.sigma}, {{m.x, d.X}});
    inference.initialize({.optimizer = ed::LBFGS(), .seed = flags.seed});
    for (int i = 0; i < 300; ++i) inference.update();
    const ed::Matrix W = inference.value(m.W), Z = inference.value(m.Z);
    // Principal angles between span(W) and the top-2 right singular vectors of the data.
    const Eigen::JacobiSVD<ed::Matrix> svd(d.X, Eigen::ComputeThinV);
    const ed::Matrix pcs = svd.matrixV().leftCols(2);
    const ed::Matrix q =
        Eigen::HouseholderQR<ed::Matrix>(W).householderQ() * ed::Matrix::Identity(dims, 2);
    const Eigen::VectorXd cosines =
        Eigen::JacobiSVD<ed::Matrix>(q.transpose() * pcs).singularValues();
    std::printf("Probabilistic PCA, %ld points in %ld dimensions, 2 latent\n", n, dims);
    std::printf("  principal angles to the SVD subspace: %.4f and %.4f degrees\n",
                std::acos(std::min(1.0, cosines(0))) * 180 / M_PI,
                std::acos(std::min(1.0, cosines(1))) * 180 / M_PI);
    ed::examples::print_estimates("noise", ed::Matrix::Constant(1, 1, 0.3),
                                  inference.value(m.sigma));
    // The data projected on the top two principal components, beside the fitted latent z.
    ed::Matrix scores(n, 4);
    scores << d.X * pcs, Z;
    ed::write_csv(flags.out + "/scores.csv", scores, {"pc1", "pc2", "z1", "z2"});
    ed::examples::run_gnuplot("ppca.gp", flags.out);

    // The posterior by KLqp with a mean-field guide (W is identified only up to a rotation,
    // so the noise and the data's spread are what to check). The guide's q factorises, so
    // independent draws of each latent are draws of the joint q.
    ed::KLqp klqp({m.W, m.Z, m.sigma}, {{m.x, d.X}});
    klqp.initialize({.n_iter = 2000, .n_samples = 2, .seed = flags.seed});
    klqp.run();
    std::printf("Posterior (KLqp, mean-field guide): mean and 90%% interval\n");
    const long draws = 500;
    ed::examples::print_posterior("noise", ed::Matrix::Constant(1, 1, 0.3),
                                  klqp.posterior_draws(m.sigma, draws));
    std::vector<ed::Matrix> first;
    for (const ed::Matrix& r : ed::replicate(m.x,
                                             {{m.W, klqp.posterior_draws(m.W, draws)},
                                              {m.Z, klqp.posterior_draws(m.Z, draws)},
                                              {m.sigma, klqp.posterior_draws(m.sigma, draws)}},
                                             50, flags.seed)) {
      first.push_back(r.col(0));
    }
    ed::examples::predictive_check(d.X.col(0), first, flags.out + "/ppca_ppc.png");
  });
}
