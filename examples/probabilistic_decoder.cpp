// Edward's probabilistic decoder tutorial: a model of latent codes. Each image x has a code
// z ~ N(0, I) of d numbers, and the decoder is a distribution p(x | z): Bernoulli pixels whose
// logits a network computes from the code. Read as coding theory, the decoder turns a code into
// a distribution over messages; with an encoder q(z | x) (an inference network) the negative
// ELBO is the length of a bits-back code for x: the rate KL(q(z | x) ‖ p(z)) spent on the code
// plus the distortion −E_q log p(x | z) spent on the image given it. This program fits the
// decoder with KLqp for several code sizes and measures both, in bits per image, on held-out
// digits.
#include <edpp/edpp.hpp>

#include <chrono>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "examples/common.hpp"
#include "examples/digits.hpp"

namespace {

constexpr ed::Index kPixels = ed::examples::kDigitPixels;
const double kBitsPerNat = 1.0 / std::log(2.0);

std::vector<long> parse_sizes(const std::string& list) {
  std::vector<long> sizes;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    std::size_t used = 0;
    long d = 0;
    try {
      d = std::stol(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || d < 1 || d > 64) {
      throw ed::invalid_argument("--codes: '" + item +
                                 "' is not a code size (an integer from 1 to 64)");
    }
    sizes.push_back(d);
  }
  if (sizes.empty()) throw ed::invalid_argument("--codes: no code size given");
  return sizes;
}

// One fitted decoder and encoder for codes of size d.
struct Fit {
  double rate = 0, distortion = 0;  // bits per held-out image
  ed::Matrix codes;                 // q's means of the held-out images
  ed::Matrix fantasies;             // images decoded from prior draws of z (pixel means)
  ed::Matrix manifold;              // d = 2: images decoded over a grid of codes
};

Fit fit_decoder(long d, const ed::Matrix& train, const ed::Matrix& test, long epochs,
                ed::Index hidden, std::uint32_t seed) {
  const ed::Index M = 100;
  const std::string tag = "d" + std::to_string(d);
  // The model: z ~ N(0, I_d); x ~ Bernoulli(logits = dense(relu(dense(z)))).
  const ed::Normal z(ed::Matrix::Zero(M, d), 1.0);
  const ed::Tensor h = ed::dense(z, hidden, ed::relu, "decoder_" + tag + "/hidden");
  const ed::Tensor logits = ed::dense(h, kPixels, ed::identity, "decoder_" + tag + "/logits");
  const ed::Bernoulli x(logits);
  // The encoder: q(z | x) = N(loc(x), scale(x)).
  const ed::Tensor x_ph = ed::placeholder({M, kPixels}, "x");
  const ed::Tensor e = ed::dense(x_ph, hidden, ed::relu, "encoder_" + tag + "/hidden");
  const ed::Normal qz(ed::dense(e, d, ed::identity, "encoder_" + tag + "/loc"),
                      ed::dense(e, d, ed::softplus, "encoder_" + tag + "/scale"));
  ed::KLqp inference({{z, qz}}, {{x, x_ph}});
  inference.initialize({.optimizer = ed::Adam(3e-3), .seed = seed});
  ed::Minibatches batches({train}, M, seed);
  const long per_epoch = static_cast<long>(train.rows() / M);
  for (long t = 0; t < epochs * per_epoch; ++t) {
    const std::vector<ed::Matrix>* next = &batches.next();
    while ((*next)[0].rows() < M) next = &batches.next();
    inference.update({{x_ph, (*next)[0]}});
  }
  // Rate and distortion per image, on the held-out digits (one draw of q per image).
  ed::Session& session = inference.session();
  const ed::Tensor rate = ed::sum(*ed::kl_divergence(qz, z)) / static_cast<double>(M);
  const ed::Tensor distortion =
      -ed::sum(ed::copy(x, {{z.value(), qz.value()}}).log_prob(x_ph)) / static_cast<double>(M);
  Fit fit;
  fit.codes.resize(test.rows() / M * M, d);
  ed::Index seen = 0;
  for (ed::Index s = 0; s + M <= test.rows(); s += M) {
    const ed::Feed feed = {{x_ph, test.middleRows(s, M)}};
    const std::vector<ed::Matrix> out = session.run({rate, distortion, qz.mean()}, feed);
    fit.rate += out[0](0, 0);
    fit.distortion += out[1](0, 0);
    fit.codes.middleRows(s, M) = out[2];
    ++seen;
  }
  fit.rate *= kBitsPerNat / static_cast<double>(seen);
  fit.distortion *= kBitsPerNat / static_cast<double>(seen);
  // The decoder alone: pixel means at prior draws of the code (its fantasies), and for d = 2
  // over a grid of codes.
  const ed::Tensor means = ed::sigmoid(logits);
  fit.fantasies = ed::eval(means).topRows(16);  // outside the session: z from its prior
  if (d == 2) {
    const ed::Index g = 10;
    ed::Matrix grid(M, 2);
    for (ed::Index i = 0; i < M; ++i) {
      grid(i, 0) = -2.0 + 4.0 * static_cast<double>(i % g) / static_cast<double>(g - 1);
      grid(i, 1) = 2.0 - 4.0 * static_cast<double>(i / g) / static_cast<double>(g - 1);
    }
    fit.manifold = ed::eval(ed::copy(means, {{z.value(), ed::constant(grid)}}));
  }
  return fit;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Probabilistic decoder (Edward's tutorial): codes, rate and distortion",
               "probabilistic_decoder"};
  ed::examples::Flags flags{.seed = 1, .out = "out/probabilistic_decoder"};
  long epochs = 60;
  ed::Index n_made = 3000, hidden = 128;
  std::string digits_file, codes = "1,2,4,8";
  app.add_option("--epochs", epochs, "passes over the training digits")
      ->check(CLI::Range(1, 100000));
  app.add_option("--digits", n_made, "digits to make when no --data is given")
      ->check(CLI::Range(500, 10000000));
  app.add_option("--hidden", hidden, "units of each network's hidden layer")
      ->check(CLI::Range(1, 100000));
  app.add_option("--codes", codes, "code sizes d to fit, comma-separated");
  app.add_option("--data", digits_file,
                 "a CSV of 8 x 8 digits (64 columns in [0, 1]; binarised at 0.5), as "
                 "scripts/data/export_digits.py writes; the last fifth is held out");
  return ed::examples::run(app, flags, argc, argv, [&] {
    const std::vector<long> sizes = parse_sizes(codes);
    ed::set_seed(flags.seed);
    ed::Rng rng(flags.seed);
    ed::Matrix labels;
    const ed::Matrix intensities = digits_file.empty()
                                       ? ed::examples::make_digits(n_made, rng, &labels)
                                       : ed::examples::read_digits(digits_file);
    if (labels.size() == 0) labels = ed::Matrix::Constant(intensities.rows(), 1, -1.0);
    // Binary images, as the tutorial's binarised MNIST: a pixel is on above half intensity.
    const ed::Matrix pixels = (intensities.array() > 0.5).cast<double>().matrix();
    const ed::Index held = pixels.rows() / 5, kept = pixels.rows() - held;
    if (held < 100) {
      throw ed::invalid_argument("digits file '" + digits_file + "' has " +
                                 std::to_string(pixels.rows()) +
                                 " rows; it needs at least 500 (a fifth held out in batches of "
                                 "100)");
    }
    const ed::Matrix train = pixels.topRows(kept), test = pixels.bottomRows(held);

    // The code length without a code: every pixel an independent Bernoulli at its training
    // frequency (exact, in bits per image).
    const Eigen::ArrayXd p =
        ((train.colwise().sum().array() + 0.5) / (static_cast<double>(kept) + 1.0)).transpose();
    double baseline = 0.0;
    for (ed::Index i = 0; i < test.rows(); ++i) {
      for (ed::Index j = 0; j < kPixels; ++j) {
        baseline -= std::log2(test(i, j) > 0.5 ? p(j) : 1.0 - p(j));
      }
    }
    baseline /= static_cast<double>(test.rows());
    std::printf("Probabilistic decoder on %ld binarised digits (%s), %ld held out\n",
                static_cast<long>(pixels.rows()),
                digits_file.empty() ? "drawn by the program" : digits_file.c_str(),
                static_cast<long>(held));
    std::printf("  independent pixels (no code): %.2f bits per image\n", baseline);
    std::printf("  %4s %10s %12s %12s   (bits per held-out image)\n", "d", "rate", "distortion",
                "rate+dist.");
    ed::Matrix table(static_cast<ed::Index>(sizes.size()), 4);
    ed::Matrix fantasies(16 * static_cast<ed::Index>(sizes.size()), kPixels);
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t k = 0; k < sizes.size(); ++k) {
      const long d = sizes[k];
      const Fit fit = fit_decoder(d, train, test, epochs, hidden, flags.seed);
      const auto row = static_cast<ed::Index>(k);
      table.row(row) << static_cast<double>(d), fit.rate, fit.distortion, fit.rate + fit.distortion;
      std::printf("  %4ld %10.2f %12.2f %12.2f\n", d, fit.rate, fit.distortion,
                  fit.rate + fit.distortion);
      fantasies.middleRows(16 * row, 16) = fit.fantasies;
      if (d == 2) {
        ed::Matrix coded(fit.codes.rows(), 3);
        coded << fit.codes, labels.bottomRows(held).topRows(fit.codes.rows());
        ed::write_csv(flags.out + "/codes.csv", coded, {"z1", "z2", "digit"});
        ed::write_csv(flags.out + "/manifold.csv", ed::examples::digit_mosaic(fit.manifold, 10));
      }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("  %.1f s for %zu fits\n", seconds, sizes.size());
    ed::write_csv(flags.out + "/rate_distortion.csv", table, {"d", "rate", "distortion", "total"});
    ed::write_csv(flags.out + "/fantasies.csv", ed::examples::digit_mosaic(fantasies, 16));
    ed::write_csv(flags.out + "/baseline.csv", ed::Matrix::Constant(1, 1, baseline), {"bits"});
    ed::examples::run_gnuplot("probabilistic_decoder.gp", flags.out);
  });
}
