// Output folders and gnuplot for the examples.
#include "examples/common.hpp"

#include <boost/random/normal_distribution.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>

#include "edpp/core/errors.hpp"
#include "edpp/core/rng.hpp"
#include "edpp/core/session.hpp"
#include "edpp/criticism/ppc.hpp"
#include "edpp/inference/mcmc/diagnostics.hpp"

namespace ed::examples {

void make_output_dir(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error || !std::filesystem::is_directory(dir)) {
    throw ed::invalid_argument("cannot create the output folder '" + dir + "'");
  }
}

namespace {
// Single quotes for the shell, with embedded quotes escaped.
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}
}  // namespace

bool run_gnuplot(const std::string& script, const std::string& outdir) {
  const std::string path = std::string(EDPP_PLOTS_DIR) + "/" + script;
  // gnuplot string literal inside a shell single-quoted argument.
  const std::string command =
      "gnuplot -e " + quoted("outdir=\"" + outdir + "\"") + " " + quoted(path) + " 2>&1";
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0) {
    std::fprintf(stderr,
                 "gnuplot not found: the CSV files are written; for the figures install it "
                 "(apt-get install gnuplot-nox) and run: %s\n",
                 command.c_str());
    return false;
  }
  if (std::system(command.c_str()) != 0) {
    std::fprintf(stderr, "gnuplot failed on %s\n", path.c_str());
    return false;
  }
  return true;
}

int run(CLI::App& app, Flags& flags, int argc, char** argv, const std::function<void()>& body) {
  app.add_option("--seed", flags.seed, "seed of the simulated data and the initial values");
  app.add_option("--out", flags.out, "output folder for CSV files and figures");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  try {
    make_output_dir(flags.out);
    body();
    return 0;
  } catch (const ed::invalid_argument& e) {
    std::fprintf(stderr, "%s: %s\n", app.get_name().c_str(), e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", app.get_name().c_str(), e.what());
    return 1;
  }
}

ToyRegression toy_regression(Index n, const Matrix& w, double noise, Rng& rng) {
  boost::random::normal_distribution<double> normal;
  ToyRegression toy{Matrix(n, w.rows()), Matrix(n, 1)};
  for (Index k = 0; k < toy.X.size(); ++k) toy.X.data()[k] = normal(rng.engine());
  toy.y = toy.X * w;
  for (Index i = 0; i < n; ++i) toy.y(i, 0) += noise * normal(rng.engine());
  return toy;
}

namespace {
// "name" for a scalar, "name[i, j]" for element k (column-major) of a matrix like `shape`.
std::string element_label(const std::string& name, const Matrix& shape, Index k) {
  if (shape.size() == 1) return name;
  return name + "[" + std::to_string(k % shape.rows()) + ", " + std::to_string(k / shape.rows()) +
         "]";
}
}  // namespace

double predictive_check(const Matrix& observed, const std::vector<Matrix>& replicates,
                        const std::string& png, const std::string& statistic_name,
                        const std::function<double(const Matrix&)>& statistic) {
  if (!statistic) {
    ppc_density_plot(observed, replicates, png);
    std::printf("  posterior predictive check: densities of %zu replicated data sets, %s\n",
                replicates.size(), png.c_str());
    return std::numeric_limits<double>::quiet_NaN();
  }
  const PpcResult check = ppc_of_replicates(statistic, observed, replicates);
  ppc_stat_hist_plot(check, png, statistic_name);
  std::printf(
      "  posterior predictive check of %s: observed %.4f, replicated %.4f ± %.4f, p = %.3f\n",
      statistic_name.c_str(), check.observed(0), check.replicated.mean(),
      std::sqrt((check.replicated.array() - check.replicated.mean()).square().mean()),
      check.p_value);
  return check.p_value;
}

int print_posterior(const std::string& name, const Matrix& truth, const Matrix& draws) {
  int covered = 0;
  for (Index k = 0; k < truth.size(); ++k) {
    const std::string label = element_label(name, truth, k);
    const Matrix column = draws.col(k);
    const double lo = quantile(column, 0.05), hi = quantile(column, 0.95), t = truth.data()[k];
    covered += lo <= t && t <= hi ? 1 : 0;
    std::printf("  %-16s truth %9.4f   posterior %9.4f  [%9.4f, %9.4f]%s\n", label.c_str(), t,
                column.mean(), lo, hi, lo <= t && t <= hi ? "" : "  (outside)");
  }
  return covered;
}

void print_estimates(const std::string& name, const Matrix& truth, const Matrix& estimate) {
  for (Index k = 0; k < truth.size(); ++k) {
    const std::string label = element_label(name, truth, k);
    std::printf("  %-16s truth %9.4f   MAP %9.4f\n", label.c_str(), truth.data()[k],
                estimate.data()[k]);
  }
}

}  // namespace ed::examples
