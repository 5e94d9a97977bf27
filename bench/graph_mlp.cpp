// Graph overhead: forward + backward of a 1→15→15→60 relu/tanh MLP on a 3750-row batch, through
// edpp's Program against the same computation written by hand in plain Eigen.
#include <CLI/CLI.hpp>
#include <Eigen/Dense>
#include <edpp/edpp.hpp>

#include <cstdio>

#include "bench/timing.hpp"

namespace {

using ed::Matrix;

struct Weights {
  Matrix w1, b1, w2, b2, w3, b3;
};

// The hand-written reference: loss = ½ Σ out², gradients of all six parameters.
class HandMlp {
 public:
  HandMlp(const Weights& w, const Matrix& x) : w_(w), x_(x) {}
  double step() {
    a1_.noalias() = x_ * w_.w1;
    h1_ = (a1_.rowwise() + w_.b1.row(0)).cwiseMax(0.0);
    a2_.noalias() = h1_ * w_.w2;
    h2_ = (a2_.rowwise() + w_.b2.row(0)).array().tanh();
    out_.noalias() = h2_ * w_.w3;
    out_.rowwise() += w_.b3.row(0);
    const double loss = 0.5 * out_.squaredNorm();
    // d loss / d out = out.
    g_w3_.noalias() = h2_.transpose() * out_;
    g_b3_ = out_.colwise().sum();
    d2_.noalias() = out_ * w_.w3.transpose();
    d2_.array() *= 1.0 - h2_.array().square();
    g_w2_.noalias() = h1_.transpose() * d2_;
    g_b2_ = d2_.colwise().sum();
    d1_.noalias() = d2_ * w_.w2.transpose();
    d1_ = (h1_.array() > 0.0).select(d1_, 0.0);
    g_w1_.noalias() = x_.transpose() * d1_;
    g_b1_ = d1_.colwise().sum();
    return loss;
  }
  const Matrix& grad_w1() const { return g_w1_; }

 private:
  const Weights& w_;
  const Matrix& x_;
  Matrix a1_, h1_, a2_, h2_, out_, d1_, d2_, g_w1_, g_b1_, g_w2_, g_b2_, g_w3_, g_b3_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Graph overhead of edpp against hand-written Eigen (MLP 1-15-15-60)"};
  int rows = 3750, repeats = 300, warmup = 30;
  app.add_option("--rows", rows, "batch size")->check(CLI::PositiveNumber);
  app.add_option("--repeats", repeats, "timed steps")->check(CLI::PositiveNumber);
  app.add_option("--warmup", warmup, "untimed steps")->check(CLI::NonNegativeNumber);
  CLI11_PARSE(app, argc, argv);

  ed::set_seed(1);
  const Matrix x = Matrix::Random(rows, 1);
  const ed::Tensor x_ph = ed::placeholder({ed::Dynamic, 1}, "x");
  const ed::Tensor h1 = ed::dense(x_ph, 15, ed::relu, "l1");
  const ed::Tensor h2 = ed::dense(h1, 15, ed::tanh, "l2");
  const ed::Tensor out = ed::dense(h2, 60, ed::identity, "l3");
  const ed::Tensor loss = 0.5 * ed::sum(ed::square(out));

  ed::Program program({loss}, ed::Program({loss}).variables());
  const auto vars = ed::Program({loss}).variables();
  const Weights weights{vars[0].value(), vars[1].value(), vars[2].value(),
                        vars[3].value(), vars[4].value(), vars[5].value()};
  HandMlp hand(weights, x);
  const ed::Feed feed = {{x_ph, x}};
  ed::Rng rng;

  auto graph_step = [&] {
    program.forward(feed, rng);
    program.backward();
  };
  graph_step();
  const double hand_loss = hand.step();
  const double diff = (program.gradient(0) - hand.grad_w1()).cwiseAbs().maxCoeff();
  std::printf("check: loss graph %.12g hand %.12g, max |dW1 difference| %.3g\n",
              program.output(0)(0, 0), hand_loss, diff);

  const double graph_ms = ed::bench::median_ms(graph_step, warmup, repeats);
  const double hand_ms = ed::bench::median_ms([&] { hand.step(); }, warmup, repeats);
  std::printf("rows=%d graph_ms_median=%.4f hand_ms_median=%.4f ratio=%.3f\n", rows, graph_ms,
              hand_ms, graph_ms / hand_ms);
  return 0;
}
