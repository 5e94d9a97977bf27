// Note [SIMD dispatch]: every level's kernels against the baseline's (and against plain
// formulas) on random inputs, leading dimensions and extreme values; forcing a level; and the
// level the environment asks for (EDPP_SIMD, run by tests/CMakeLists.txt).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "edpp/core/simd/kernels.hpp"
#include "edpp/models.hpp"
#include "tests/support/gradient_check.hpp"

using ed::Index;
using ed::Matrix;
namespace simd = ed::simd;

namespace {

std::vector<simd::Target> supported_levels() {
  std::vector<simd::Target> out;
  for (simd::Target t : {simd::Target::baseline, simd::Target::x86_64_v3, simd::Target::x86_64_v4})
    if (simd::supported(t)) out.push_back(t);
  return out;
}

// The mixture kernels' outputs, for one level.
struct MixtureResult {
  Matrix z, w, r, out, g_L, g_M, g_S, g_log_S, g_x;
};
// `scale_from_log`: the scales given as their logarithms alone (S = e^log_S, never formed).
MixtureResult mixture(const simd::Kernels& k, const std::vector<Matrix>& in, Index rows, Index cols,
                      bool scale_from_log = false) {
  MixtureResult m{Matrix(rows, cols),       Matrix(rows, cols),       Matrix(rows, cols),
                  Matrix(rows, 1),          Matrix::Zero(rows, cols), Matrix::Zero(rows, cols),
                  Matrix::Zero(rows, cols), Matrix::Zero(rows, cols), Matrix::Zero(rows, 1)};
  const Matrix S = in[2].array().exp(), log_S = in[2];
  Matrix inverse_S(rows, cols);
  k.normal_mixture_forward(rows, cols, in[0].data(), in[1].data(),
                           scale_from_log ? nullptr : S.data(), log_S.data(), in[3].data(), rows,
                           m.z.data(), inverse_S.data(), m.w.data(), m.r.data(), m.out.data());
  const Matrix dout = in[4];
  k.normal_mixture_backward(rows, cols, dout.data(), rows, inverse_S.data(), m.z.data(), m.w.data(),
                            m.r.data(), scale_from_log, 0, m.g_L.data(), m.g_M.data(),
                            scale_from_log ? nullptr : m.g_S.data(), m.g_log_S.data(),
                            m.g_x.data());
  return m;
}

}  // namespace

TEST_CASE("each SIMD level's products equal the baseline's, with leading dimensions") {
  const simd::Kernels& base = simd::kernels_for(simd::Target::baseline);
  for (simd::Target t : supported_levels()) {
    const std::string level = simd::name(t);
    CAPTURE(level);
    const simd::Kernels& k = simd::kernels_for(t);
    // Note [Small products]: the direct kernels' shapes with every remainder of rows and
    // column blocks, their limits (64) and past them (Eigen's GEMM).
    for (const auto& [m, n, kk] : {std::tuple{37, 15, 15},
                                   {3750, 20, 15},
                                   {1, 1, 1},
                                   {5, 3, 0},
                                   {3751, 13, 7},
                                   {16, 64, 64},
                                   {23, 1, 64},
                                   {64, 64, 200},
                                   {100, 65, 3},
                                   {17, 3, 65},
                                   {9, 2, 8},
                                   {11, 11, 1},
                                   {11, 1, 11},
                                   {16, 16, 16}}) {
      for (bool ta : {false, true}) {
        for (bool tb : {false, true}) {
          // Matrices larger than the operands: the leading dimensions are the padded rows.
          const auto inputs = ed::test::random_inputs(
              {{(ta ? kk : m) + 3, ta ? m : kk}, {(tb ? n : kk) + 2, tb ? kk : n}, {m + 1, n}},
              static_cast<std::uint64_t>(m + 7 * n + 11 * kk + ta + 2 * tb));
          const Matrix& a = inputs[0];
          const Matrix& b = inputs[1];
          Matrix expected = inputs[2], actual = inputs[2];
          base.gemm(ta, tb, m, n, kk, 0.5, a.data(), a.rows(), b.data(), b.rows(), 2.0,
                    expected.data(), expected.rows());
          k.gemm(ta, tb, m, n, kk, 0.5, a.data(), a.rows(), b.data(), b.rows(), 2.0, actual.data(),
                 actual.rows());
          // Against the formula, on the top m × n block; the padding row is untouched.
          const Matrix A = ta ? Matrix(a.topRows(kk).leftCols(m).transpose())
                              : Matrix(a.topRows(m).leftCols(kk));
          const Matrix B = tb ? Matrix(b.topRows(n).leftCols(kk).transpose())
                              : Matrix(b.topRows(kk).leftCols(n));
          const Matrix formula = 0.5 * A * B + 2.0 * inputs[2].topRows(m);
          CHECK(ed::test::all_close(actual.topRows(m), formula, 1e-12, 1e-12));
          CHECK(ed::test::all_close(actual, expected, 1e-13, 1e-13));
          CHECK(actual.row(m) == inputs[2].row(m));
          // β = 0 never reads C: a NaN there does not reach the result.
          Matrix overwritten = Matrix::Constant(m + 1, n, std::numeric_limits<double>::quiet_NaN());
          k.gemm(ta, tb, m, n, kk, 0.5, a.data(), a.rows(), b.data(), b.rows(), 0.0,
                 overwritten.data(), overwritten.rows());
          CHECK(ed::test::all_close(overwritten.topRows(m), 0.5 * A * B, 1e-12, 1e-12));
        }
      }
      // The affine kernel: a bias row, then relu or not, over C's whole leading dimension.
      const auto inputs = ed::test::random_inputs({{m + 3, kk}, {kk + 2, n}, {1, n}},
                                                  static_cast<std::uint64_t>(m + n + kk));
      const Matrix pre =
          (inputs[0].topRows(m) * inputs[1].topRows(kk)).rowwise() + inputs[2].row(0);
      for (bool relu : {false, true}) {
        Matrix actual = Matrix::Constant(m + 1, n, 7.0), expected = actual;
        k.affine(m, n, kk, inputs[0].data(), inputs[0].rows(), inputs[1].data(), inputs[1].rows(),
                 inputs[2].data(), relu, actual.data(), actual.rows());
        base.affine(m, n, kk, inputs[0].data(), inputs[0].rows(), inputs[1].data(),
                    inputs[1].rows(), inputs[2].data(), relu, expected.data(), expected.rows());
        CHECK(ed::test::all_close(actual.topRows(m), relu ? Matrix(pre.cwiseMax(0.0)) : pre, 1e-12,
                                  1e-12));
        CHECK(ed::test::all_close(actual, expected, 1e-13, 1e-13));
        CHECK(actual.row(m) == Matrix::Constant(1, n, 7.0));
      }
    }
  }
}

// Note [Block exp]: within 2 ulp of libm everywhere, subnormal results and the overflow edge
// included, and the IEEE special values as libm gives them.
TEST_CASE("each SIMD level's exp is within 2 ulp of libm over the whole double range") {
  std::vector<double> x;
  std::mt19937_64 random(11);
  std::uniform_real_distribution<double> wide(-750.0, 712.0), narrow(-2.0, 2.0);
  for (int i = 0; i < 20000; ++i) x.push_back(i % 2 ? wide(random) : narrow(random));
  const double inf = std::numeric_limits<double>::infinity();
  for (double edge : {709.782712893384,
                      709.7827128933841,
                      709.78,
                      710.0,
                      1e3,
                      -708.3964185322641,
                      -708.4,
                      -744.44,
                      -745.1332191019411,
                      -745.14,
                      -746.0,
                      -1e3,
                      0.0,
                      -0.0,
                      1e-300,
                      -1e-300,
                      0.5 * std::numbers::ln2,
                      -0.5 * std::numbers::ln2,
                      inf,
                      -inf})
    x.push_back(edge);
  x.push_back(std::numeric_limits<double>::quiet_NaN());
  const Index n = static_cast<Index>(x.size());
  for (simd::Target t : supported_levels()) {
    const std::string level = simd::name(t);
    CAPTURE(level);
    std::vector<double> y(x.size());
    simd::kernels_for(t).exp(n, x.data(), y.data());
    double worst_ulps = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double expected = std::exp(x[i]);
      if (std::isnan(expected)) {
        CHECK(std::isnan(y[i]));
      } else if (std::isinf(expected) || expected == 0.0) {
        CHECK_MESSAGE(y[i] == expected, "exp(" << x[i] << ") = " << y[i]);
      } else {
        // One ulp at the result's magnitude (the smallest subnormal for subnormal results).
        const double ulp = std::nextafter(expected, inf) - expected;
        worst_ulps = std::max(worst_ulps, std::abs(y[i] - expected) / ulp);
      }
    }
    CHECK(worst_ulps <= 2.0);
  }
}

TEST_CASE("each SIMD level's elementwise kernels equal the baseline's, extremes included") {
  const Index n = 1001;  // not a multiple of any vector width
  Matrix x = ed::test::random_inputs({{n, 1}}, 3, -30.0, 30.0)[0];
  const double inf = std::numeric_limits<double>::infinity();
  x(0, 0) = 700.0;   // near exp's overflow
  x(1, 0) = -745.0;  // exp underflows to a subnormal
  x(2, 0) = -inf;
  x(3, 0) = 0.0;
  x(4, 0) = 1e-300;
  for (simd::Target t : supported_levels()) {
    const std::string level = simd::name(t);
    CAPTURE(level);
    const simd::Kernels& k = simd::kernels_for(t);
    Matrix y(n, 1);
    k.exp(n, x.data(), y.data());
    Matrix reference(n, 1);
    for (Index i = 0; i < n; ++i) reference(i, 0) = std::exp(x(i, 0));
    CHECK(ed::test::all_close(y, reference, 1e-15, 0.0));  // a few ulp from libm
    CHECK(y(2, 0) == 0.0);
    k.relu(n, x.data(), y.data());
    CHECK(y == x.cwiseMax(0.0));
    const Matrix dout = ed::test::random_inputs({{n, 1}}, 4)[0];
    Matrix g = Matrix::Ones(n, 1);
    k.relu_backward(n, x.data(), dout.data(), g.data());
    CHECK(g == (1.0 + (x.array() > 0.0).select(dout.array(), 0.0)).matrix());
    Matrix block = ed::test::random_inputs({{7, 3}}, 5)[0], sums = Matrix::Ones(1, 3);
    k.add_column_sums(7, 3, block.data(), sums.data());
    CHECK(ed::test::all_close(sums, (1.0 + block.colwise().sum().array()).matrix(), 1e-14));
    // relu_mask: dout where the layer's output is positive, and the masked column sums.
    const Matrix upstream = ed::test::random_inputs({{7, 3}}, 7)[0];
    const Matrix expected_mask = (block.array() > 0.0).select(upstream, 0.0);
    Matrix masked(7, 3), bias_grad = Matrix::Ones(1, 3);
    k.relu_mask(7, 3, block.data(), upstream.data(), masked.data(), bias_grad.data());
    CHECK(masked == expected_mask);
    CHECK(ed::test::all_close(bias_grad, (1.0 + expected_mask.colwise().sum().array()).matrix(),
                              1e-14));
    k.relu_mask(7, 3, block.data(), upstream.data(), masked.data(), nullptr);
    CHECK(masked == expected_mask);
    // Bernoulli at labels 0/1 and logits up to ±1e3 (and ±∞), against the baseline.
    Matrix labels = (dout.array() > 0.0).cast<double>().matrix(), logits = x * 30.0;
    logits(5, 0) = 1e3;
    logits(6, 0) = -1e3;
    logits(7, 0) = inf;
    labels(7, 0) = 1.0;
    labels(2, 0) = 0.0;  // the logit there is −∞: label 0 has probability 1
    Matrix lp(n, 1), base_lp(n, 1), gx = Matrix::Zero(n, 1), gl = Matrix::Zero(n, 1), base_gx = gx,
                                    base_gl = gl;
    const simd::Kernels& base = simd::kernels_for(simd::Target::baseline);
    k.bernoulli_log_prob(n, labels.data(), logits.data(), lp.data());
    base.bernoulli_log_prob(n, labels.data(), logits.data(), base_lp.data());
    CHECK(lp.allFinite());
    CHECK(lp(7, 0) == 0.0);
    CHECK(lp(5, 0) == doctest::Approx(labels(5, 0) == 1.0 ? 0.0 : -1e3));
    CHECK(ed::test::all_close(lp, base_lp, 1e-14, 1e-300));
    k.bernoulli_log_prob_backward(n, labels.data(), logits.data(), dout.data(), gx.data(),
                                  gl.data());
    base.bernoulli_log_prob_backward(n, labels.data(), logits.data(), dout.data(), base_gx.data(),
                                     base_gl.data());
    CHECK(ed::test::all_close(gx.topRows(7), base_gx.topRows(7), 1e-15));
    CHECK(ed::test::all_close(gl, base_gl, 1e-14, 1e-300));
    // The Normal log density: full operands, a broadcast scale, the log scale given or not.
    const Matrix mu = ed::test::random_inputs({{n, 1}}, 9)[0], s = (0.5 * mu).array().exp();
    const Matrix log_s = 0.5 * mu, xs = 3.0 * dout;
    for (bool broadcast : {false, true}) {
      for (bool given_log : {false, true}) {
        CAPTURE(broadcast);
        CAPTURE(given_log);
        const simd::Operand x_op{xs.data(), false}, mu_op{mu.data(), false},
            s_op{s.data(), broadcast}, log_op{given_log ? log_s.data() : nullptr, broadcast};
        Matrix out(n, 1), base_out(n, 1);
        k.normal_log_prob(n, x_op, mu_op, s_op, log_op, out.data());
        base.normal_log_prob(n, x_op, mu_op, s_op, log_op, base_out.data());
        const double s0 = s(0, 0);
        const Eigen::ArrayXd sigma =
            broadcast ? Eigen::ArrayXd::Constant(n, s0) : Eigen::ArrayXd(s.array());
        const Eigen::ArrayXd z = (xs.array() - mu.array()) / sigma;
        CHECK(ed::test::all_close(
            out,
            (-0.5 * z.square() - sigma.log() - 0.5 * std::log(2.0 * std::numbers::pi)).matrix(),
            1e-13, 1e-14));
        CHECK(ed::test::all_close(out, base_out, 1e-14, 1e-15));
        Matrix gx = Matrix::Zero(n, 1), gm = gx, gs = Matrix::Zero(broadcast ? 1 : n, 1), gls = gs;
        Matrix bgx = gx, bgm = gm, bgs = gs, bgls = gls;
        auto acc = [](Matrix& g) { return simd::Accumulator{g.data(), g.rows() == 1}; };
        k.normal_log_prob_backward(n, x_op, mu_op, s_op, dout.data(), given_log, acc(gx), acc(gm),
                                   acc(gs), acc(gls));
        base.normal_log_prob_backward(n, x_op, mu_op, s_op, dout.data(), given_log, acc(bgx),
                                      acc(bgm), acc(bgs), acc(bgls));
        CHECK(ed::test::all_close(gx, bgx, 1e-14, 1e-15));
        CHECK(ed::test::all_close(gs, bgs, 1e-13, 1e-13));
        CHECK(ed::test::all_close(gx, (-dout.array() * z / sigma).matrix(), 1e-13, 1e-14));
        CHECK(ed::test::all_close(gm, -gx, 1e-15));
      }
    }
  }
}

TEST_CASE("each SIMD level's normal mixture equals the baseline's, at logits of ±1e3") {
  const Index rows = 203, cols = 7;
  std::vector<Matrix> in = ed::test::random_inputs(
      {{rows, cols}, {rows, cols}, {rows, cols}, {rows, 1}, {rows, 1}}, 8, -2.0, 2.0);
  in[0](0, 0) = 1e3;  // one component takes all the weight
  in[0](1, 2) = -1e3;
  const MixtureResult base = mixture(simd::kernels_for(simd::Target::baseline), in, rows, cols);
  CHECK(base.out.allFinite());
  CHECK(base.g_L.allFinite());
  for (simd::Target t : supported_levels()) {
    const std::string level = simd::name(t);
    CAPTURE(level);
    const MixtureResult m = mixture(simd::kernels_for(t), in, rows, cols);
    CHECK(ed::test::all_close(m.out, base.out, 1e-13, 1e-13));
    CHECK(ed::test::all_close(m.g_L, base.g_L, 1e-12, 1e-13));
    CHECK(ed::test::all_close(m.g_M, base.g_M, 1e-12, 1e-13));
    CHECK(ed::test::all_close(m.g_S, base.g_S, 1e-12, 1e-13));
    CHECK(ed::test::all_close(m.g_log_S, base.g_log_S, 1e-12, 1e-13));
    CHECK(ed::test::all_close(m.g_x, base.g_x, 1e-12, 1e-13));
    // Scales given by their logarithms: the same values, and the gradient through σ = e^u
    // (σ ∂/∂σ) joins the one of log σ.
    const MixtureResult from_log = mixture(simd::kernels_for(t), in, rows, cols, true);
    CHECK(ed::test::all_close(from_log.out, base.out, 1e-13, 1e-13));
    CHECK(ed::test::all_close(from_log.g_L, base.g_L, 1e-12, 1e-13));
    CHECK(ed::test::all_close(from_log.g_M, base.g_M, 1e-12, 1e-13));
    const Matrix through_sigma = base.g_S.cwiseProduct(in[2].array().exp().matrix());
    CHECK(ed::test::all_close(from_log.g_log_S, base.g_log_S + through_sigma, 1e-12, 1e-13));
    CHECK(ed::test::all_close(from_log.g_x, base.g_x, 1e-12, 1e-13));
    // Note [Assigned gradients]: with every assign bit, buffers full of garbage are overwritten
    // with what accumulating into zeros gives.
    const simd::Kernels& k = simd::kernels_for(t);
    Matrix z(rows, cols), inverse_S(rows, cols), w(rows, cols), r(rows, cols), out(rows, 1);
    const Matrix S = in[2].array().exp();
    k.normal_mixture_forward(rows, cols, in[0].data(), in[1].data(), S.data(), in[2].data(),
                             in[3].data(), rows, z.data(), inverse_S.data(), w.data(), r.data(),
                             out.data());
    const double garbage = std::numeric_limits<double>::quiet_NaN();
    Matrix g_L = Matrix::Constant(rows, cols, garbage), g_M = g_L, g_S = g_L, g_log_S = g_L,
           g_x = Matrix::Constant(rows, 1, garbage);
    k.normal_mixture_backward(
        rows, cols, in[4].data(), rows, inverse_S.data(), z.data(), w.data(), r.data(), false,
        simd::kAssignL | simd::kAssignM | simd::kAssignS | simd::kAssignLogS | simd::kAssignX,
        g_L.data(), g_M.data(), g_S.data(), g_log_S.data(), g_x.data());
    const MixtureResult accumulated = mixture(k, in, rows, cols);
    CHECK(g_L == accumulated.g_L);
    CHECK(g_M == accumulated.g_M);
    CHECK(g_S == accumulated.g_S);
    CHECK(g_log_S == accumulated.g_log_S);
    CHECK(ed::test::all_close(g_x, accumulated.g_x, 1e-15, 1e-15));
  }
}

TEST_CASE("forcing a SIMD level: the MDN loss and gradient agree across levels to rounding") {
  const simd::Target chosen = simd::active();
  ed::set_seed(3);
  const auto data = ed::datasets::toy_mdn(500, 3);
  const auto X = ed::placeholder({ed::Dynamic, 1}, "X");
  const auto model = ed::models::mdn(X, 5, {8, 8});
  const ed::Tensor loss = -ed::sum(model.y.log_prob(ed::constant(data.y_train)));
  ed::Program program({loss}, ed::Program({loss}).variables());
  ed::Rng rng(1);
  std::vector<double> losses;
  std::vector<Matrix> first_gradients;
  for (simd::Target t : supported_levels()) {
    simd::force(t);
    CHECK(simd::active() == t);
    program.forward({{X, data.X_train}}, rng);
    program.backward();
    losses.push_back(program.output(0)(0, 0));
    first_gradients.push_back(program.gradient(0));
  }
  simd::force(chosen);
  for (std::size_t i = 1; i < losses.size(); ++i) {
    CHECK(losses[i] == doctest::Approx(losses[0]).epsilon(1e-12));
    CHECK(ed::test::all_close(first_gradients[i], first_gradients[0], 1e-10, 1e-12));
  }
  CHECK_THROWS_AS(simd::force(static_cast<simd::Target>(7)), ed::invalid_argument);
}

// Run by CTest with EDPP_SIMD set (tests/CMakeLists.txt): the process uses that level.
TEST_CASE("EDPP_SIMD selects the level" * doctest::skip(std::getenv("EDPP_SIMD") == nullptr)) {
  const std::string requested = std::getenv("EDPP_SIMD");
  CHECK(std::string(simd::name(simd::active())) == requested);
}

// Note [Address-independent kernels]: the same values at another address give the same bits
// (else a seed would not reproduce a run whose buffers land elsewhere).
TEST_CASE("each SIMD level's kernels give the same bits wherever their buffers are") {
  const Index rows = 203, cols = 5;
  const std::vector<Matrix> in = ed::test::random_inputs(
      {{rows, cols}, {rows, cols}, {rows, cols}, {rows, 1}, {rows, 1}, {cols, 7}}, 12);
  for (simd::Target t : supported_levels()) {
    const std::string level = simd::name(t);
    CAPTURE(level);
    const simd::Kernels& k = simd::kernels_for(t);
    std::vector<std::vector<double>> results;
    for (Index offset = 0; offset < 8; ++offset) {
      CAPTURE(offset);
      // Every operand copied `offset` doubles into a buffer of its own.
      std::vector<std::vector<double>> buffers;
      auto place = [&](const Matrix& m) {
        buffers.emplace_back(static_cast<std::size_t>(m.size() + offset), 0.0);
        std::copy(m.data(), m.data() + m.size(), buffers.back().data() + offset);
        return buffers.back().data() + offset;
      };
      buffers.reserve(32);  // no reallocation: the pointers handed out stay valid
      const double* L = place(in[0]);
      const double* M = place(in[1]);
      const double* S = place(in[2].array().exp().matrix());
      const double* log_S = place(in[2]);
      const double* x = place(in[3]);
      const double* dout = place(in[4]);
      const double* B = place(in[5]);
      double* z = place(Matrix::Zero(rows, cols));
      double* w = place(Matrix::Zero(rows, cols));
      double* r = place(Matrix::Zero(rows, cols));
      double* out = place(Matrix::Zero(rows, 1));
      double* g = place(Matrix::Zero(rows, cols));
      double* product = place(Matrix::Zero(rows, 7));
      double* e = place(Matrix::Zero(rows, cols));
      double* sums = place(Matrix::Zero(1, cols));
      double* cross = place(Matrix::Zero(cols, 7));
      double* mv = place(Matrix::Zero(rows, 1));
      double* tmv = place(Matrix::Zero(cols, 1));
      double* inverse_S = place(Matrix::Zero(rows, cols));
      double* layer = place(Matrix::Zero(rows, 7));
      double* masked = place(Matrix::Zero(rows, 7));
      double* bias_grad = place(Matrix::Zero(1, 7));
      k.normal_mixture_forward(rows, cols, L, M, S, log_S, x, rows, z, inverse_S, w, r, out);
      k.normal_mixture_backward(rows, cols, dout, rows, inverse_S, z, w, r, false, 0, g, g, g, g,
                                out);
      k.gemm(false, false, rows, 7, cols, 1.0, L, rows, B, cols, 0.0, product, rows);
      k.gemm(true, false, cols, 7, rows, 1.0, r, rows, product, rows, 1.0, cross, cols);
      k.gemm(false, false, rows, 1, cols, 1.0, L, rows, B, cols, 0.0, mv, rows);     // X·β
      k.gemm(true, false, cols, 1, rows, 1.0, L, rows, dout, rows, 0.0, tmv, cols);  // Xᵀ·d
      k.exp(rows * cols, M, e);
      k.add_column_sums(rows, cols, e, sums);
      k.affine(rows, 7, cols, L, rows, B, cols, B, true, layer, rows);  // a relu layer
      k.relu_mask(rows, 7, layer, product, masked, bias_grad);
      std::vector<double> all;
      auto keep = [&](const double* p, Index n) { all.insert(all.end(), p, p + n); };
      keep(out, rows);
      keep(g, rows * cols);
      keep(product, rows * 7);
      keep(cross, cols * 7);
      keep(e, rows * cols);
      keep(sums, cols);
      keep(mv, rows);
      keep(tmv, cols);
      keep(layer, rows * 7);
      keep(masked, rows * 7);
      keep(bias_grad, 7);
      results.push_back(all);
    }
    for (std::size_t o = 1; o < results.size(); ++o) {
      CAPTURE(o);
      CHECK(results[o] == results[0]);
    }
  }
}
