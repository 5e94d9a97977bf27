// GANInference, WGANInference and BiGANInference on a generator whose best fit is known: real
// data x ~ N(1, 0.5²), a location-scale generator x = a ε + b, and discriminators on quadratic
// features (dense layers), which see exactly the first two moments. So each game's equilibrium
// has the generator's mean and standard deviation equal to the data's (and, for BiGAN, the
// encoder inverting the generator); a sign error in any loss drives them elsewhere.
#include <doctest/doctest.h>

#include <cmath>
#include <edpp/edpp.hpp>

using ed::Matrix;

namespace {

constexpr ed::Index kRows = 256;

Matrix real_data() {
  ed::Normal x(Matrix::Constant(kRows, 1, 1.0), 0.5);
  ed::Session session(11);
  return session.run({x.value()}).front();
}

double value(const ed::Tensor& t) { return ed::eval(t)(0, 0); }

// x = a ε + b with ε ~ N(0, 1) drawn anew on every evaluation.
struct Generator {
  ed::Tensor a = ed::variable(Matrix::Ones(1, 1), "gen/a");
  ed::Tensor b = ed::variable(Matrix::Zero(1, 1), "gen/b");
  ed::Normal noise{Matrix::Zero(kRows, 1), 1.0};
  ed::Tensor x = a * noise.value() + b;
};

ed::Tensor quadratic_logits(const ed::Tensor& x) {
  return ed::dense(ed::concat({x, x * x}, 1), 1, ed::identity, "disc");
}

// Sample mean and standard deviation.
std::pair<double, double> moments(const Matrix& x) {
  const double m = x.mean();
  return {m, std::sqrt((x.array() - m).square().sum() / static_cast<double>(x.size() - 1))};
}

}  // namespace

TEST_CASE("GANInference: the generator learns the data's mean and standard deviation") {
  ed::set_seed(41);  // dense()'s initial weights come from the seed sequence
  const Matrix data = real_data();
  const auto [mean, sd] = moments(data);
  Generator g;
  ed::GANInference inference({{g.x, data}}, quadratic_logits);
  // A discriminator near its optimum (five steps at a larger rate) against a slower generator:
  // with one step each at one rate the game cycles (Mescheder et al. 2018).
  inference.initialize({.optimizer = ed::Adam(0.002),
                        .optimizer_d = ed::Adam(0.01),
                        .seed = 3,
                        .discriminator_steps = 5});
  CHECK(inference.generator_variables().size() == 2);
  CHECK(inference.discriminator_variables().size() == 2);
  double b = 0, a = 0, loss = 0, loss_d = 0;
  const int steps = 4000, averaged = 1000;
  for (int t = 0; t < steps; ++t) {
    const ed::Info info = inference.update();
    if (t >= steps - averaged) {
      b += value(g.b) / averaged;
      a += std::abs(value(g.a)) / averaged;
      loss += info.loss / averaged;
      loss_d += info.loss_d / averaged;
    }
  }
  INFO("b " << b << " (mean " << mean << "), |a| " << a << " (sd " << sd << "), losses " << loss
            << ", " << loss_d);
  CHECK(std::abs(b - mean) < 0.02);
  CHECK(std::abs(a - sd) / sd < 0.05);
  // At the equilibrium the discriminator cannot tell: σ(d) = ½, so the generator's loss is
  // log 2 and the discriminator's 2 log 2.
  CHECK(std::abs(loss - std::log(2.0)) < 0.01);
  CHECK(std::abs(loss_d - 2 * std::log(2.0)) < 0.01);
}

TEST_CASE("WGANInference: the clipped critic leads the generator to the data's moments") {
  ed::set_seed(42);  // dense()'s initial weights come from the seed sequence
  const Matrix data = real_data();
  const auto [mean, sd] = moments(data);
  Generator g;
  ed::WGANInference inference({{g.x, data}}, quadratic_logits);
  inference.initialize({.optimizer = ed::Adam(0.005),
                        .optimizer_d = ed::Adam(0.005),
                        .seed = 4,
                        .discriminator_steps = 5,
                        .clip = 0.1});
  double b = 0, a = 0;
  const int steps = 3000, averaged = 1000;
  for (int t = 0; t < steps; ++t) {
    inference.update();
    if (t >= steps - averaged) {
      b += value(g.b) / averaged;
      a += std::abs(value(g.a)) / averaged;
    }
    // Every critic weight stays in [−clip, clip].
    for (const ed::Tensor& v : inference.discriminator_variables()) {
      REQUIRE(ed::eval(v).cwiseAbs().maxCoeff() <= 0.1);
    }
  }
  INFO("b " << b << " (mean " << mean << "), |a| " << a << " (sd " << sd << ")");
  CHECK(std::abs(b - mean) < 0.03);
  CHECK(std::abs(a - sd) / sd < 0.1);
}

TEST_CASE("BiGANInference: the encoder learns to invert the generator") {
  ed::set_seed(43);  // dense()'s initial weights come from the seed sequence
  const Matrix data = real_data();
  const auto [mean, sd] = moments(data);
  Generator g;
  const ed::Tensor c = ed::variable(Matrix::Ones(1, 1), "enc/c");
  const ed::Tensor d = ed::variable(Matrix::Zero(1, 1), "enc/d");
  const ed::Tensor x_real(data);
  const ed::Tensor encoded = c * x_real + d;
  auto discriminator = [](const ed::Tensor& x, const ed::Tensor& z) {
    return ed::dense(ed::concat({x, z, x * x, z * z, x * z}, 1), 1, ed::identity, "disc");
  };
  ed::BiGANInference inference({{g.noise, encoded}}, {{g.x, x_real}}, discriminator);
  inference.initialize({.optimizer = ed::Adam(0.005), .optimizer_d = ed::Adam(0.01), .seed = 5});
  CHECK(inference.generator_variables().size() == 4);
  double a = 0, b = 0, ca = 0, offset = 0;
  // The encoder follows slowly (c·a is 0.84–0.91 after 6,000 updates, 0.94 after 15,000, over
  // seeds 1–3); five discriminator steps per update settle c·a sooner but leave the generator's
  // moments 50% off.
  const int steps = 15000, averaged = 5000;
  for (int t = 0; t < steps; ++t) {
    inference.update();
    if (t >= steps - averaged) {
      a += std::abs(value(g.a)) / averaged;
      b += value(g.b) / averaged;
      ca += value(c * g.a) / averaged;
      offset += value(c * g.b + d) / averaged;
    }
  }
  INFO("b " << b << " (mean " << mean << "), |a| " << a << " (sd " << sd << "), c·a " << ca
            << ", c·b + d " << offset);
  CHECK(std::abs(b - mean) < 0.03);
  CHECK(std::abs(a - sd) / sd < 0.1);
  // E(G(z)) = c (a z + b) + d = z: c·a = 1 and c·b + d = 0.
  CHECK(std::abs(ca - 1.0) < 0.1);
  CHECK(std::abs(offset) < 0.1);
}

TEST_CASE("Adversarial inference refuses bindings it cannot use, naming them") {
  ed::set_seed(44);  // dense()'s initial weights come from the seed sequence
  Generator g;
  const Matrix data = real_data();
  SUBCASE("shapes") {
    ed::GANInference inference({{g.x, Matrix::Zero(10, 2)}}, quadratic_logits);
    CHECK_THROWS_WITH_AS(inference.initialize(),
                         "GANInference: the generated data has shape [256, 1] but the real data "
                         "[10, 2]",
                         ed::invalid_argument);
  }
  SUBCASE("a discriminator without variables") {
    ed::GANInference inference({{g.x, data}}, [](const ed::Tensor& x) { return x; });
    CHECK_THROWS_WITH_AS(
        inference.initialize(),
        "GANInference: the discriminator has no variables to train (write it with ed::dense)",
        ed::invalid_argument);
  }
  SUBCASE("a discriminator that mixes rows") {
    ed::GANInference inference({{g.x, data}}, [](const ed::Tensor& x) {
      return ed::dense(ed::sum(x, 0), 1, ed::identity, "pooled");
    });
    CHECK_THROWS_WITH_AS(inference.initialize(),
                         "GANInference: the discriminator must give one row of logits per input "
                         "row (512), got [1, 1]",
                         ed::invalid_argument);
  }
  SUBCASE("two bindings, a bad clip, discriminator steps") {
    ed::GANInference two({{g.x, data}, {g.x, data}}, quadratic_logits);
    CHECK_THROWS_WITH_AS(two.initialize(),
                         "GANInference: data must bind one generated tensor to its real data: "
                         "{{x_generated, x_real}}, got 2 bindings",
                         ed::invalid_argument);
    ed::WGANInference wgan({{g.x, data}}, quadratic_logits);
    CHECK_THROWS_WITH_AS(wgan.initialize({.clip = 0.0}),
                         "WGANInference: clip must be positive and finite, got 0.000000",
                         ed::invalid_argument);
    ed::GANInference gan({{g.x, data}}, quadratic_logits);
    CHECK_THROWS_WITH_AS(gan.initialize({.discriminator_steps = 0}),
                         "GANInference: discriminator_steps must be at least 1, got 0",
                         ed::invalid_argument);
  }
  SUBCASE("var_list naming the discriminator's variable") {
    ed::GANInference probe({{g.x, data}}, quadratic_logits);
    probe.initialize();
    const ed::Tensor theirs = probe.discriminator_variables().front();
    ed::GANInference inference({{g.x, data}}, [&](const ed::Tensor& x) {
      return ed::matmul(ed::concat({x, x * x}, 1), theirs);
    });
    CHECK_THROWS_WITH_AS(inference.initialize({.var_list = {theirs}}),
                         "GANInference: var_list names variable 'disc/kernel', which is the "
                         "discriminator's",
                         ed::invalid_argument);
  }
}

TEST_CASE("GANInference: progress prints both losses") {
  ed::set_seed(45);  // dense()'s initial weights come from the seed sequence
  const Matrix data = real_data();
  Generator g;
  ed::GANInference inference({{g.x, data}}, quadratic_logits);
  inference.initialize({.n_iter = 5, .seed = 1});
  std::vector<std::string> lines;
  const auto previous = ed::set_progress_sink(
      [&](const ed::Progress& p) { lines.push_back(ed::format_progress(p)); });
  inference.run();
  ed::set_progress_sink(previous);
  REQUIRE(!lines.empty());
  CHECK(lines.back().find(" | Gen Loss: ") != std::string::npos);
  CHECK(lines.back().find(" | Disc Loss: ") != std::string::npos);
}
