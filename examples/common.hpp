// Shared by the example programs: output folders and running gnuplot scripts.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "edpp/core/feed.hpp"
#include "edpp/core/fwd.hpp"

namespace ed::examples {

/// The flags every gallery program takes.
struct Flags {
  std::uint32_t seed = 1;
  std::string out;
};

/// Adds --seed and --out to `app`, parses, and runs `body`. Returns the exit code: 0 on success,
/// 2 for bad flags or bad input (ed::invalid_argument, with the message on stderr), 1 otherwise.
int run(CLI::App& app, Flags& flags, int argc, char** argv, const std::function<void()>& body);

/// Prints "name  truth  estimate" rows, one per element.
/// Edward's build_toy_dataset for the regression tutorials: x ~ N(0, I) (n × rows of w),
/// y = x·w + N(0, noise²), drawn from `rng`.
struct ToyRegression {
  Matrix X, y;
};
ToyRegression toy_regression(Index n, const Matrix& w, double noise, Rng& rng);

void print_estimates(const std::string& name, const Matrix& truth, const Matrix& estimate);

/// Prints "name  truth  mean  [5%, 95%]" per element, from `draws` (rows are draws of a latent,
/// flattened column-major as MonteCarlo::draws); returns how many 90% intervals hold the truth.
int print_posterior(const std::string& name, const Matrix& truth, const Matrix& draws);

/// Writes a posterior predictive check figure to `png` and prints its line: with `statistic`,
/// its histogram over the replicated data sets against its value on the data (and the p-value);
/// without, the data's density against the replicates' (ed::ppc_density_plot). Returns the
/// p-value (NaN without a statistic).
double predictive_check(const Matrix& observed, const std::vector<Matrix>& replicates,
                        const std::string& png, const std::string& statistic_name = "",
                        const std::function<double(const Matrix&)>& statistic = {});

/// Creates `dir` (and parents). @throws ed::invalid_argument naming it when that fails.
void make_output_dir(const std::string& dir);

/// Runs examples/plots/<script> with gnuplot, passing `outdir` as the variable `outdir`.
/// Returns false (after printing how to get the figures) when gnuplot is missing or fails.
bool run_gnuplot(const std::string& script, const std::string& outdir);

}  // namespace ed::examples
