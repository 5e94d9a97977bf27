// Edward's GAN tutorial: a generator network turns noise into images, a discriminator network
// learns to tell them from real ones, and GANInference (or WGANInference) trains the two
// against each other. Edward's page uses MNIST; here the 8 × 8 handwritten digits that
// scikit-learn ships (exported by scripts/data/export_digits) or, by default, 8 × 8 digits drawn
// by this program from a small font with random strokes, shifts and noise.
#include <edpp/edpp.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "examples/common.hpp"
#include "examples/digits.hpp"

namespace {
constexpr ed::Index kPixels = ed::examples::kDigitPixels;
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Generative adversarial networks (Edward's tutorial) on 8 x 8 digits", "gan"};
  ed::examples::Flags flags{.seed = 1, .out = "out/gan"};
  long epochs = 100;
  ed::Index n_made = 2000, hidden = 128, noise_dim = 10;
  std::string digits_file, loss = "gan";
  app.add_option("--epochs", epochs, "passes over the training digits")
      ->check(CLI::Range(1, 100000));
  app.add_option("--digits", n_made, "digits to make when no --data is given")
      ->check(CLI::Range(100, 10000000));
  app.add_option("--hidden", hidden, "units of each network's hidden layer")
      ->check(CLI::Range(1, 100000));
  app.add_option("--noise", noise_dim, "dimension of the generator's noise")
      ->check(CLI::Range(1, 10000));
  app.add_option("--data", digits_file,
                 "a CSV of 8 x 8 digits (64 columns in [0, 1] per row), as "
                 "scripts/data/export_digits writes from scikit-learn's");
  app.add_option("--loss", loss, "gan (GANInference) or wgan (WGANInference, clipped critic)")
      ->check(CLI::IsMember({"gan", "wgan"}));
  return ed::examples::run(app, flags, argc, argv, [&] {
    ed::set_seed(flags.seed);
    ed::Rng rng(flags.seed);
    const ed::Matrix digits = digits_file.empty() ? ed::examples::make_digits(n_made, rng)
                                                  : ed::examples::read_digits(digits_file);
    const ed::Index M = 64;
    if (digits.rows() < M) {
      throw ed::invalid_argument("digits file '" + digits_file + "' has " +
                                 std::to_string(digits.rows()) + " rows; a batch needs " +
                                 std::to_string(M));
    }

    // The generator: ε ~ N(0, I), x = sigmoid(dense(relu(dense(ε)))), pixel intensities.
    const ed::Normal eps(ed::Matrix::Zero(M, noise_dim), 1.0);
    const ed::Tensor hidden_g = ed::dense(eps, hidden, ed::relu, "generator/hidden");
    const ed::Tensor x = ed::dense(hidden_g, kPixels, ed::sigmoid, "generator/pixels");
    // The discriminator: one logit per image, from a hidden layer.
    auto discriminator = [&](const ed::Tensor& images) {
      const ed::Tensor h = ed::dense(images, hidden, ed::relu, "discriminator/hidden");
      return ed::dense(h, 1, ed::identity, "discriminator/logit");
    };
    const ed::Tensor x_ph = ed::placeholder({M, kPixels}, "x");
    const std::string log = flags.out + "/log";
    std::unique_ptr<ed::GANInference> inference;
    if (loss == "gan") {
      inference = std::make_unique<ed::GANInference>(
          std::vector<std::pair<ed::Tensor, ed::Tensor>>{{x, x_ph}}, discriminator);
      inference->initialize({.optimizer = ed::Adam(1e-3, 0.5),
                             .optimizer_d = ed::Adam(1e-3, 0.5),
                             .seed = flags.seed,
                             .logdir = log});
    } else {
      auto wgan = std::make_unique<ed::WGANInference>(
          std::vector<std::pair<ed::Tensor, ed::Tensor>>{{x, x_ph}}, discriminator);
      wgan->initialize({.optimizer = ed::RMSProp(5e-4),
                        .optimizer_d = ed::RMSProp(5e-4),
                        .seed = flags.seed,
                        .discriminator_steps = 5,
                        .clip = 0.05,
                        .logdir = log});
      inference = std::move(wgan);
    }

    std::printf("%s on %ld digits (%s), noise of dimension %ld, %ld hidden units\n",
                loss == "gan" ? "GANInference" : "WGANInference", static_cast<long>(digits.rows()),
                digits_file.empty() ? "drawn by the program" : digits_file.c_str(),
                static_cast<long>(noise_dim), static_cast<long>(hidden));
    ed::Minibatches batches({digits}, M, flags.seed);
    const long per_epoch = std::max<long>(1, static_cast<long>(digits.rows() / M));
    // Generated digits after each epoch: 16 per epoch, a row of the figure each (at most 10
    // rows, evenly spread over the epochs).
    ed::Session& session = inference->session();
    const long shown_rows = std::min<long>(epochs, 10);
    ed::Matrix per_epoch_samples(shown_rows * 16, kPixels);
    long shown = 0;
    ed::Matrix epoch_losses(epochs, 3);
    const auto start = std::chrono::steady_clock::now();
    for (long epoch = 1; epoch <= epochs; ++epoch) {
      double gen = 0.0, disc = 0.0;
      for (long t = 0; t < per_epoch; ++t) {
        const std::vector<ed::Matrix>* next = &batches.next();
        while ((*next)[0].rows() < M) next = &batches.next();
        const ed::Info info = inference->update({{x_ph, (*next)[0]}});
        gen += info.loss / static_cast<double>(per_epoch);
        disc += info.loss_d / static_cast<double>(per_epoch);
      }
      epoch_losses.row(epoch - 1) << static_cast<double>(epoch), gen, disc;
      std::printf("  epoch %4ld   generator loss %8.4f   discriminator loss %8.4f\n", epoch, gen,
                  disc);
      const long due = (shown + 1) * epochs / shown_rows;  // the epoch of the next shown row
      if (epoch == due && shown < shown_rows) {
        per_epoch_samples.middleRows(shown * 16, 16) = session.run({x})[0].topRows(16);
        ++shown;
      }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("  %.3f ms per update (%ld updates)\n",
                1e3 * seconds / static_cast<double>(epochs * per_epoch), epochs * per_epoch);

    // Criticism: the mean image and the mean pixel intensity of generated and real digits.
    ed::Matrix generated(10 * M, kPixels);
    for (int b = 0; b < 10; ++b) generated.middleRows(b * M, M) = session.run({x})[0];
    const double real_ink = digits.mean(), fake_ink = generated.mean();
    const double mean_image_gap =
        (generated.colwise().mean() - digits.colwise().mean()).cwiseAbs().maxCoeff();
    std::printf(
        "  mean intensity: real %.3f, generated %.3f; largest gap of the mean images %.3f\n",
        real_ink, fake_ink, mean_image_gap);
    ed::write_csv(flags.out + "/losses.csv", epoch_losses, {"epoch", "generator", "discriminator"});
    ed::write_csv(flags.out + "/samples_per_epoch.csv",
                  ed::examples::digit_mosaic(per_epoch_samples, 16));
    ed::write_csv(flags.out + "/real.csv", ed::examples::digit_mosaic(digits.topRows(32), 16));
    ed::examples::run_gnuplot("gan.gp", flags.out);
  });
}
