// Shared by the example programs: output folders and running gnuplot scripts.
#pragma once

#include <string>

namespace ed::examples {

/// Creates `dir` (and parents). @throws ed::invalid_argument naming it when that fails.
void make_output_dir(const std::string& dir);

/// Runs examples/plots/<script> with gnuplot, passing `outdir` as the variable `outdir`.
/// Returns false (after printing how to get the figures) when gnuplot is missing or fails.
bool run_gnuplot(const std::string& script, const std::string& outdir);

}  // namespace ed::examples
