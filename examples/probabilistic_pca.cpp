// Edward's probabilistic PCA tutorial: x_n ~ N(W z_n, I) with W ~ N(0, 2²) and z_n ~ N(0, I),
// both latent, fitted by KLqp; the principal axes beside the truth and Tipping and Bishop's
// closed-form maximum-likelihood W, and data regenerated from the posterior predictive.
#include <edpp/edpp.hpp>

#include <Eigen/Eigenvalues>
#include <boost/random/normal_distribution.hpp>

#include <cmath>

#include "examples/common.hpp"

namespace {

// The tutorial's build_toy_dataset: W ~ N(0, 2²) (D × K), z ~ N(0, 1) (K × N), x = W z + N(0, σ²),
// stored D × N as the tutorial does.
struct Data {
  ed::Matrix x, w;
};
Data toy_data(ed::Index n, ed::Index d, ed::Index k, double sigma, ed::Rng& rng) {
  boost::random::normal_distribution<double> normal;
  auto draws = [&](ed::Index r, ed::Index c, double scale) {
    ed::Matrix m(r, c);
    for (ed::Index i = 0; i < m.size(); ++i) m.data()[i] = scale * normal(rng.engine());
    return m;
  };
  Data out;
  out.w = draws(d, k, 2.0);
  out.x = out.w * draws(k, n, 1.0) + draws(d, n, sigma);
  return out;
}

// Tipping and Bishop (1999): with the noise variance σ² known, the maximum-likelihood W is
// U_K (Λ_K − σ² I)^½ (up to rotation; its sign for K = 1), from the top K eigenpairs of the
// sample covariance of the (uncentred, mean-zero-model) data.
ed::Matrix ppca_maximum_likelihood(const ed::Matrix& x, ed::Index k, double sigma) {
  const ed::Matrix covariance = x * x.transpose() / static_cast<double>(x.cols());
  const Eigen::SelfAdjointEigenSolver<ed::Matrix> eigen(covariance);
  const ed::Index d = x.rows();
  ed::Matrix w(d, k);
  for (ed::Index j = 0; j < k; ++j) {
    const ed::Index top = d - 1 - j;  // eigenvalues come in increasing order
    w.col(j) = eigen.eigenvectors().col(top) *
               std::sqrt(std::max(0.0, eigen.eigenvalues()(top) - sigma * sigma));
  }
  return w;
}

// The sign that aligns a one-column `estimate` with `reference` (W is identified up to it).
double alignment(const ed::Matrix& estimate, const ed::Matrix& reference) {
  return estimate.col(0).dot(reference.col(0)) < 0.0 ? -1.0 : 1.0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Probabilistic PCA (Edward's tutorial): W and z by KLqp", "probabilistic_pca"};
  ed::examples::Flags flags{.seed = 1, .out = "out/probabilistic_pca"};
  long n_iter = 500;
  int n_samples = 10;
  ed::Index N = 5000;
  app.add_option("--iterations", n_iter, "KLqp iterations")->check(CLI::Range(1, 10000000));
  app.add_option("--samples", n_samples, "draws of q per iteration")->check(CLI::Range(1, 1000));
  app.add_option("--points", N, "N, the number of data points")->check(CLI::Range(10, 10000000));
  return ed::examples::run(app, flags, argc, argv, [&] {
    ed::set_seed(flags.seed);
    ed::Rng rng(flags.seed);
    const ed::Index D = 2, K = 1;
    const double sigma = 1.0;
    const Data train = toy_data(N, D, K, sigma, rng);

    // The model, as the tutorial writes it: x is D × N.
    const ed::Normal w(ed::Matrix::Zero(D, K), 2.0);
    const ed::Normal z(ed::Matrix::Zero(N, K), 1.0);
    const ed::Normal x(ed::matmul(w, ed::transpose(z)), sigma);

    // Mean-field q for both, with free locations and softplus scales.
    const ed::Normal qw(ed::variable(ed::glorot_uniform(D, K), "qw/loc"),
                        ed::softplus(ed::variable(ed::glorot_uniform(D, K), "qw/scale")));
    const ed::Normal qz(ed::variable(ed::glorot_uniform(N, K), "qz/loc"),
                        ed::softplus(ed::variable(ed::glorot_uniform(N, K), "qz/scale")));

    ed::KLqp inference({{w, qw}, {z, qz}}, {{x, train.x}});
    // Edward's default optimizer: Adam(0.1) with the rate decayed by 0.9 every 100 steps.
    ed::Adam adam(0.1);
    adam.set_exponential_decay(0.9, 100);
    inference.initialize(
        {.optimizer = adam, .n_iter = n_iter, .n_samples = n_samples, .seed = flags.seed});
    inference.run();

    const ed::Matrix axes = ed::eval(qw.mean()), axes_sd = ed::eval(qw.stddev());
    const ed::Matrix w_ml = ppca_maximum_likelihood(train.x, K, sigma);
    const double sign_truth = alignment(axes, train.w), sign_ml = alignment(w_ml, train.w);
    std::printf(
        "Probabilistic PCA: N = %ld, D = %ld, K = %ld, KLqp with %d samples, %ld iterations\n",
        static_cast<long>(N), static_cast<long>(D), static_cast<long>(K), n_samples, n_iter);
    std::printf("Principal axes (W is identified up to its sign; shown aligned with the truth):\n");
    for (ed::Index d = 0; d < D; ++d) {
      std::printf("  W[%ld]   truth %8.4f   closed-form ML %8.4f   KLqp %8.4f ± %.4f\n",
                  static_cast<long>(d), train.w(d, 0), sign_ml * w_ml(d, 0),
                  sign_truth * axes(d, 0), axes_sd(d, 0));
    }
    const double relative = (sign_truth * axes - sign_ml * w_ml).norm() / w_ml.norm();
    std::printf("  |W_KLqp - W_ML| / |W_ML| = %.4f\n", relative);

    // Criticism: a data set regenerated from the posterior predictive, copy(x, {w: qw, z: qz}).
    const ed::RandomVariable x_post = ed::copy(x, {{w, qw}, {z, qz}});
    const ed::Matrix x_gen = inference.session().run({x_post})[0];
    const ed::Matrix cov_data = train.x * train.x.transpose() / static_cast<double>(N);
    const ed::Matrix cov_gen = x_gen * x_gen.transpose() / static_cast<double>(N);
    std::printf("Second moments of the data and of a posterior predictive replicate:\n");
    std::printf("  data      [%8.3f %8.3f; %8.3f %8.3f]\n", cov_data(0, 0), cov_data(0, 1),
                cov_data(1, 0), cov_data(1, 1));
    std::printf("  replicate [%8.3f %8.3f; %8.3f %8.3f]\n", cov_gen(0, 0), cov_gen(0, 1),
                cov_gen(1, 0), cov_gen(1, 1));

    ed::write_csv(flags.out + "/data.csv", ed::Matrix(train.x.transpose()), {"x1", "x2"});
    ed::write_csv(flags.out + "/replicate.csv", ed::Matrix(x_gen.transpose()), {"x1", "x2"});
    ed::examples::run_gnuplot("probabilistic_pca.gp", flags.out);
  });
}
