// Edward's inference networks tutorial: a variational autoencoder. The model draws a 2-D code
// z ~ N(0, I) per image and decodes it through a dense network to Bernoulli pixel logits; the
// variational q(z | x) is an amortised Normal whose location and scale an encoder network
// computes from the image. KLqp trains both networks together on minibatches.
#include <edpp/edpp.hpp>

#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "examples/common.hpp"

namespace {

constexpr ed::Index kSide = 16, kPixels = kSide * kSide;
constexpr int kClasses = 4;
const char* const kClassNames[kClasses] = {"disc", "square", "bar", "diagonal"};

// A binary image data set made here: 16 × 16 pictures of one of four shapes (a filled disc, a
// square outline, a horizontal or vertical bar, a diagonal stroke) at random sizes and places,
// with 1% of the pixels flipped. Rows are images (pixel (r, c) in column r·16 + c).
struct Images {
  ed::Matrix pixels;  // n × 256 of 0/1
  ed::Matrix labels;  // n × 1 shape index
};
Images make_shapes(ed::Index n, ed::Rng& rng) {
  boost::random::uniform_01<double> u01;
  auto uniform = [&](double lo, double hi) { return lo + (hi - lo) * u01(rng.engine()); };
  boost::random::uniform_int_distribution<int> kind(0, kClasses - 1);
  boost::random::bernoulli_distribution<double> flip(0.01);
  Images out{ed::Matrix::Zero(n, kPixels), ed::Matrix(n, 1)};
  for (ed::Index i = 0; i < n; ++i) {
    const int k = kind(rng.engine());
    out.labels(i, 0) = k;
    // Shape parameters: centre (cx, cy), size, and for the bar its orientation.
    const double size = k == 0 ? uniform(2.5, 5.0) : k == 1 ? uniform(3.0, 6.0) : uniform(4.0, 7.0);
    const double margin = k == 2 ? 2.0 : size + 0.5;
    const double cx = uniform(margin, kSide - margin), cy = uniform(margin, kSide - margin);
    const bool vertical = u01(rng.engine()) < 0.5;
    const double slope = u01(rng.engine()) < 0.5 ? 1.0 : -1.0;
    for (ed::Index r = 0; r < kSide; ++r) {
      for (ed::Index c = 0; c < kSide; ++c) {
        const double x = static_cast<double>(c) + 0.5 - cx, y = static_cast<double>(r) + 0.5 - cy;
        bool ink = false;
        if (k == 0) {
          ink = x * x + y * y <= size * size;
        } else if (k == 1) {
          const double m = std::max(std::abs(x), std::abs(y));
          ink = m <= size && m >= size - 1.2;
        } else if (k == 2) {
          const double along = vertical ? y : x, across = vertical ? x : y;
          ink = std::abs(along) <= size && std::abs(across) <= 1.2;
        } else {
          ink = std::abs(y - slope * x) <= 1.1 && std::abs(x) <= size;
        }
        if (flip(rng.engine())) ink = !ink;
        out.pixels(i, r * kSide + c) = ink ? 1.0 : 0.0;
      }
    }
  }
  return out;
}

// Images from a CSV file, one image of 256 pixels (0 or 1) per row.
Images read_images(const std::string& path) {
  const ed::CsvTable table = ed::read_csv(path);
  if (table.data.cols() != kPixels) {
    throw ed::invalid_argument("images file '" + path + "' has " +
                               std::to_string(table.data.cols()) + " columns; it needs " +
                               std::to_string(kPixels) + " (16 × 16 pixels, 0 or 1)");
  }
  for (ed::Index r = 0; r < table.data.rows(); ++r) {
    for (ed::Index c = 0; c < kPixels; ++c) {
      const double v = table.data(r, c);
      if (v != 0.0 && v != 1.0) {
        throw ed::invalid_argument("images file '" + path + "': data row " + std::to_string(r + 1) +
                                   ", column " + std::to_string(c + 1) + " is " +
                                   std::to_string(v) + ", but must be 0 or 1");
      }
    }
  }
  return {table.data, ed::Matrix::Zero(table.data.rows(), 1)};
}

// Tiles 16 × 16 images (rows of `images`) into a grid `columns` wide, for gnuplot's image plot.
ed::Matrix mosaic(const ed::Matrix& images, ed::Index columns) {
  const ed::Index n = images.rows(), rows = (n + columns - 1) / columns;
  ed::Matrix out = ed::Matrix::Constant(rows * (kSide + 1), columns * (kSide + 1), 0.5);
  for (ed::Index i = 0; i < n; ++i) {
    const ed::Index top = (i / columns) * (kSide + 1), left = (i % columns) * (kSide + 1);
    for (ed::Index r = 0; r < kSide; ++r) {
      for (ed::Index c = 0; c < kSide; ++c) out(top + r, left + c) = images(i, r * kSide + c);
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Inference networks (Edward's tutorial): a variational autoencoder by KLqp",
               "inference_networks"};
  ed::examples::Flags flags{.seed = 1, .out = "out/inference_networks"};
  long epochs = 20;
  ed::Index n_train = 5000, hidden = 256;
  std::string images_file;
  app.add_option("--epochs", epochs, "passes over the training images")
      ->check(CLI::Range(1, 100000));
  app.add_option("--images", n_train, "training images to make")->check(CLI::Range(200, 10000000));
  app.add_option("--hidden", hidden, "units of each network's hidden layer")
      ->check(CLI::Range(1, 100000));
  app.add_option("--data", images_file,
                 "a CSV of 16 x 16 binary images (256 columns of 0/1 per row) to use instead; "
                 "the last fifth is held out");
  return ed::examples::run(app, flags, argc, argv, [&] {
    ed::set_seed(flags.seed);
    ed::Rng rng(flags.seed);
    Images train, test;
    if (images_file.empty()) {
      train = make_shapes(n_train, rng);
      test = make_shapes(1000, rng);
    } else {
      const Images all = read_images(images_file);
      const ed::Index held = std::max<ed::Index>(all.pixels.rows() / 5, 1);
      if (all.pixels.rows() - held < 100) {
        throw ed::invalid_argument(
            "images file '" + images_file + "' has " + std::to_string(all.pixels.rows()) +
            " images; it needs at least 125 (a batch of 100 and a test set)");
      }
      train = {all.pixels.topRows(all.pixels.rows() - held),
               all.labels.topRows(all.pixels.rows() - held)};
      test = {all.pixels.bottomRows(held), all.labels.bottomRows(held)};
    }
    const ed::Index M = 100, d = 2;

    // The model (decoder): z ~ N(0, I), x ~ Bernoulli(logits = dense(dense(z, relu))).
    const ed::Normal z(ed::Matrix::Zero(M, d), 1.0);
    const ed::Tensor decoded = ed::dense(z, hidden, ed::relu, "decoder/hidden");
    const ed::Tensor logits = ed::dense(decoded, kPixels, ed::identity, "decoder/logits");
    const ed::Bernoulli x(logits);

    // The inference network (encoder): q(z | x) = N(loc(x), scale(x)).
    const ed::Tensor x_ph = ed::placeholder({M, kPixels}, "x");
    const ed::Tensor encoded = ed::dense(x_ph, hidden, ed::relu, "encoder/hidden");
    const ed::Normal qz(ed::dense(encoded, d, ed::identity, "encoder/loc"),
                        ed::dense(encoded, d, ed::softplus, "encoder/scale"));

    ed::KLqp inference({{z, qz}}, {{x, x_ph}});
    inference.initialize({.optimizer = ed::RMSProp(0.01, 0.9, 1.0), .seed = flags.seed});

    // Training: the tutorial's loop, printing a bound on −log p(x) per image each epoch.
    ed::Minibatches batches({train.pixels}, M, flags.seed);
    const long per_epoch = static_cast<long>(train.pixels.rows() / M);
    ed::Matrix epoch_losses(epochs, 3);
    auto test_bound = [&] {
      // The negative ELBO per image on the held-out images, one draw of q per image.
      double total = 0.0;
      ed::Index seen = 0;
      for (ed::Index start = 0; start + M <= test.pixels.rows(); start += M) {
        total += inference.loss({{x_ph, test.pixels.middleRows(start, M)}});
        seen += M;
      }
      return total / static_cast<double>(seen);
    };
    std::printf(
        "Variational autoencoder: %ld training and %ld test images (%s), d = %ld, %ld hidden "
        "units\n",
        static_cast<long>(train.pixels.rows()), static_cast<long>(test.pixels.rows()),
        images_file.empty() ? "shapes made by the program" : images_file.c_str(),
        static_cast<long>(d), static_cast<long>(hidden));
    const auto start = std::chrono::steady_clock::now();
    for (long epoch = 1; epoch <= epochs; ++epoch) {
      double total = 0.0;
      for (long t = 0; t < per_epoch; ++t) {
        const std::vector<ed::Matrix>* next = &batches.next();
        while ((*next)[0].rows() < M) next = &batches.next();
        total += inference.update({{x_ph, (*next)[0]}}).loss;
      }
      const double train_bound = total / static_cast<double>(per_epoch * M);
      const double held_out = test_bound();
      epoch_losses.row(epoch - 1) << static_cast<double>(epoch), train_bound, held_out;
      std::printf("  epoch %3ld   -log p(x) <= %8.3f (training)   %8.3f (test)\n", epoch,
                  train_bound, held_out);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("  %.2f ms per update\n", 1e3 * seconds / static_cast<double>(epochs * per_epoch));

    // A baseline nobody has to fit: every pixel an independent Bernoulli with its training
    // frequency. The autoencoder's bound must beat its exact −log p(x).
    const Eigen::ArrayXd frequency = ((train.pixels.colwise().sum().array() + 0.5) /
                                      (static_cast<double>(train.pixels.rows()) + 1.0))
                                         .transpose();
    const ed::Matrix base_logits = (frequency.log() - (1.0 - frequency).log())
                                       .matrix()
                                       .transpose()
                                       .replicate(test.pixels.rows(), 1);
    // Its exact −log p(x) per image: the Bernoulli log mass summed over each image's pixels.
    const double baseline =
        -ed::eval(ed::sum(ed::Bernoulli(base_logits).log_prob(test.pixels), 1)).mean();
    std::printf("  independent-pixel Bernoulli baseline on the test images: -log p(x) = %.3f\n",
                baseline);

    // Criticism: reconstructions at q's mean, the test codes, and images decoded over a grid
    // of codes (the learnt manifold), as the tutorial's generated images.
    ed::Session& session = inference.session();
    const ed::Tensor code_mean = qz.mean();
    ed::Matrix codes(test.pixels.rows() / M * M, d);
    for (ed::Index s = 0; s + M <= test.pixels.rows(); s += M) {
      codes.middleRows(s, M) = session.run({code_mean}, {{x_ph, test.pixels.middleRows(s, M)}})[0];
    }
    auto decode = [&](const ed::Matrix& code) {
      const ed::Tensor l = ed::copy(logits, {{z, ed::constant(code)}});
      return ed::Matrix(ed::eval(ed::sigmoid(l)));
    };
    const ed::Matrix shown = test.pixels.topRows(20);
    const ed::Matrix reconstructed = decode(codes.topRows(20));
    ed::Matrix pairs(40, kPixels);
    pairs << shown.topRows(10), reconstructed.topRows(10), shown.bottomRows(10),
        reconstructed.bottomRows(10);
    const ed::Index g = 12;
    ed::Matrix grid(g * g, d);
    for (ed::Index i = 0; i < g; ++i) {
      for (ed::Index j = 0; j < g; ++j) {
        grid(i * g + j, 0) = -2.5 + 5.0 * static_cast<double>(j) / static_cast<double>(g - 1);
        grid(i * g + j, 1) = 2.5 - 5.0 * static_cast<double>(i) / static_cast<double>(g - 1);
      }
    }
    ed::Matrix code_table(codes.rows(), 3);
    code_table << codes, test.labels.topRows(codes.rows());
    ed::write_csv(flags.out + "/losses.csv", epoch_losses, {"epoch", "train", "test"});
    ed::write_csv(flags.out + "/reconstructions.csv", mosaic(pairs, 10));
    ed::write_csv(flags.out + "/manifold.csv", mosaic(decode(grid), g));
    ed::write_csv(flags.out + "/codes.csv", code_table, {"z1", "z2", "label"});
    if (images_file.empty()) {
      std::printf("  mean code per shape:");
      for (int k = 0; k < kClasses; ++k) {
        Eigen::RowVector2d sum = Eigen::RowVector2d::Zero();
        double count = 0.0;
        for (ed::Index i = 0; i < codes.rows(); ++i) {
          if (code_table(i, 2) == k) {
            sum += codes.row(i);
            count += 1.0;
          }
        }
        std::printf("  %s (%.2f, %.2f)", kClassNames[k], sum(0) / count, sum(1) / count);
      }
      std::printf("\n");
    }
    ed::examples::run_gnuplot("inference_networks.gp", flags.out);
  });
}
