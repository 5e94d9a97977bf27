// Edward's latent space model tutorial (Hoff, Raftery and Handcock 2002): each node of a
// network has a position z_i in ℝ^K, and the count of edges between nodes i and j is
// Poisson with rate 1 / ‖z_i − z_j‖. Positions are fitted by MAP and by KLqp.
#include <edpp/edpp.hpp>

#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "examples/common.hpp"

namespace {

// The rate matrix of the tutorial: 1 / sqrt(‖z_i − z_j‖² + 1e3 δ_ij), the large diagonal term
// keeping a node's rate with itself near zero.
ed::Tensor rates(const ed::Tensor& z, ed::Index n) {
  const ed::Matrix diagonal = 1e3 * ed::Matrix::Identity(n, n);
  return 1.0 / ed::sqrt(ed::squared_distances(z, z) + ed::constant(diagonal));
}

ed::Matrix pairwise_distances(const ed::Matrix& z) {
  const ed::Index n = z.rows();
  ed::Matrix d(n, n);
  for (ed::Index i = 0; i < n; ++i) {
    for (ed::Index j = 0; j < n; ++j) d(i, j) = (z.row(i) - z.row(j)).norm();
  }
  return d;
}

// The correlation of two matrices' off-diagonal entries.
double off_diagonal_correlation(const ed::Matrix& a, const ed::Matrix& b) {
  const ed::Index n = a.rows();
  Eigen::VectorXd u(n * (n - 1)), v(n * (n - 1));
  ed::Index k = 0;
  for (ed::Index j = 0; j < n; ++j) {
    for (ed::Index i = 0; i < n; ++i) {
      if (i == j) continue;
      u(k) = a(i, j);
      v(k) = b(i, j);
      ++k;
    }
  }
  const Eigen::ArrayXd du = u.array() - u.mean(), dv = v.array() - v.mean();
  return (du * dv).sum() / std::sqrt(du.square().sum() * dv.square().sum());
}

// A network drawn from the model itself: z ~ N(0, I), x_ij ~ Poisson(1 / ‖z_i − z_j‖) for i ≠ j
// (symmetric, as an undirected network's counts are).
struct Network {
  ed::Matrix counts, positions;
};
Network simulate(ed::Index n, ed::Index k, ed::Rng& rng) {
  boost::random::normal_distribution<double> normal;
  Network net{ed::Matrix::Zero(n, n), ed::Matrix(n, k)};
  for (ed::Index i = 0; i < net.positions.size(); ++i)
    net.positions.data()[i] = normal(rng.engine());
  for (ed::Index i = 0; i < n; ++i) {
    for (ed::Index j = i + 1; j < n; ++j) {
      const double rate = 1.0 / (net.positions.row(i) - net.positions.row(j)).norm();
      boost::random::poisson_distribution<long, double> poisson(rate);
      net.counts(i, j) = net.counts(j, i) = static_cast<double>(poisson(rng.engine()));
    }
  }
  return net;
}

// An undirected network from a CSV edge list "source,target,count" with 0-based node indices.
ed::Matrix read_edges(const std::string& path) {
  const ed::CsvTable table = ed::read_csv(path);
  if (table.data.cols() != 3) {
    throw ed::invalid_argument("edges file '" + path + "' has " +
                               std::to_string(table.data.cols()) +
                               " columns; it needs three: source, target, count");
  }
  auto is_count = [](double v) { return v >= 0.0 && v < 1e9 && v == std::floor(v); };
  ed::Index n = 0;
  for (ed::Index r = 0; r < table.data.rows(); ++r) {
    for (ed::Index c = 0; c < 3; ++c) {
      if (!is_count(table.data(r, c))) {
        throw ed::invalid_argument("edges file '" + path + "': data row " + std::to_string(r + 1) +
                                   ", column " + std::to_string(c + 1) + " is " +
                                   std::to_string(table.data(r, c)) +
                                   ", but must be a non-negative integer");
      }
    }
    n = std::max(n, static_cast<ed::Index>(std::max(table.data(r, 0), table.data(r, 1))) + 1);
  }
  if (n > 5000) {
    throw ed::invalid_argument("edges file '" + path + "' names node " + std::to_string(n - 1) +
                               "; this example holds the N × N count matrix, so N ≤ 5000");
  }
  ed::Matrix counts = ed::Matrix::Zero(n, n);
  for (ed::Index r = 0; r < table.data.rows(); ++r) {
    const auto i = static_cast<ed::Index>(table.data(r, 0));
    const auto j = static_cast<ed::Index>(table.data(r, 1));
    if (i == j) continue;  // the model has no self-edges
    counts(i, j) += table.data(r, 2);
    counts(j, i) = counts(i, j);
  }
  return counts;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Latent space models for networks (Edward's tutorial): MAP and KLqp",
               "latent_space_models"};
  ed::examples::Flags flags{.seed = 1, .out = "out/latent_space_models"};
  ed::Index n_nodes = 100, K = 3;
  long n_iter = 2500;
  int n_samples = 1;
  std::string edges;
  app.add_option("--nodes", n_nodes, "nodes of the simulated network")->check(CLI::Range(3, 5000));
  app.add_option("--dimensions", K, "K, the dimension of the latent space")
      ->check(CLI::Range(1, 100));
  app.add_option("--iterations", n_iter, "iterations of MAP and of KLqp")
      ->check(CLI::Range(1, 10000000));
  app.add_option("--samples", n_samples, "draws of q per KLqp iteration")
      ->check(CLI::Range(1, 1000));
  app.add_option("--edges", edges,
                 "a CSV edge list (source,target,count; 0-based) to fit instead of a simulated "
                 "network");
  return ed::examples::run(app, flags, argc, argv, [&] {
    ed::set_seed(flags.seed);
    ed::Rng rng(flags.seed);
    Network net;
    if (edges.empty()) {
      net = simulate(n_nodes, K, rng);
    } else {
      net.counts = read_edges(edges);
    }
    const ed::Index N = net.counts.rows();
    const bool known = net.positions.size() > 0;

    // The model, as the tutorial writes it.
    const ed::Normal z(ed::Matrix::Zero(N, K), 1.0);
    const ed::Poisson x(rates(z, N));

    // MAP, Edward's default optimizer: Adam(0.1) decayed by 0.9 every 100 steps.
    ed::Adam adam(0.1);
    adam.set_exponential_decay(0.9, 100);
    ed::MAP map({z}, {{x, net.counts}});
    map.initialize({.optimizer = adam, .n_iter = n_iter, .seed = flags.seed});
    map.run();
    const ed::Matrix z_map = map.value(z);

    // The tutorial's alternative: KLqp with a mean-field Normal q (free locations, softplus
    // scales starting near 0.13), from its own initial values.
    const ed::Normal qz(ed::variable(ed::glorot_uniform(N, K), "qz/loc"),
                        ed::softplus(ed::variable(ed::Matrix::Constant(N, K, -2.0), "qz/scale")));
    ed::KLqp klqp({{z, qz}}, {{x, net.counts}});
    klqp.initialize(
        {.optimizer = adam, .n_iter = n_iter, .n_samples = n_samples, .seed = flags.seed});
    klqp.run();
    const ed::Matrix z_q = ed::eval(qz.mean()), z_sd = ed::eval(qz.stddev());

    const ed::Matrix d_map = pairwise_distances(z_map), d_q = pairwise_distances(z_q);
    std::printf("Latent space model: N = %ld nodes, K = %ld, %s, %.0f edges in all\n",
                static_cast<long>(N), static_cast<long>(K),
                known ? "a network simulated from the model" : edges.c_str(),
                net.counts.sum() / 2.0);
    std::printf("  MAP:  negative log joint %.2f\n", map.loss());
    std::printf("  KLqp: negative ELBO %.2f, posterior sd of the positions %.3f (mean)\n",
                klqp.loss(), z_sd.mean());
    std::printf("  correlation of MAP and KLqp distances: %.4f\n",
                off_diagonal_correlation(d_map, d_q));
    ed::Matrix scatter(N * (N - 1) / 2, known ? 3 : 2);
    ed::Index row = 0;
    for (ed::Index j = 0; j < N; ++j) {
      for (ed::Index i = 0; i < j; ++i) {
        scatter(row, 0) = d_map(i, j);
        scatter(row, 1) = d_q(i, j);
        if (known) scatter(row, 2) = (net.positions.row(i) - net.positions.row(j)).norm();
        ++row;
      }
    }
    if (known) {
      const ed::Matrix d_true = pairwise_distances(net.positions);
      std::printf("  correlation with the true distances: MAP %.4f, KLqp %.4f\n",
                  off_diagonal_correlation(d_map, d_true), off_diagonal_correlation(d_q, d_true));
      ed::write_csv(flags.out + "/distances.csv", scatter, {"map", "klqp", "truth"});
    } else {
      ed::write_csv(flags.out + "/distances.csv", scatter, {"map", "klqp"});
    }
    // The count matrix with the nodes ordered by their first MAP coordinate, so that nodes
    // placed near each other sit near each other in the picture.
    std::vector<ed::Index> order(static_cast<std::size_t>(N));
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](ed::Index a, ed::Index b) { return z_map(a, 0) < z_map(b, 0); });
    ed::Matrix ordered(N, N);
    for (ed::Index i = 0; i < N; ++i) {
      for (ed::Index j = 0; j < N; ++j) {
        ordered(i, j) =
            net.counts(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(j)]);
      }
    }
    ed::write_csv(flags.out + "/counts.csv", ordered);
    ed::write_csv(flags.out + "/positions.csv", z_map);
    ed::examples::run_gnuplot(known ? "latent_space_models.gp" : "latent_space_models_data.gp",
                              flags.out);
  });
}
