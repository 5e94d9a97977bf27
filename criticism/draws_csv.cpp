#include "edpp/criticism/draws_csv.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "edpp/core/csv.hpp"
#include "edpp/core/errors.hpp"
#include "edpp/inference/mcmc/monte_carlo.hpp"

namespace ed {

namespace {

// Stan's names of a latent's scalars, column-major: "mu"; "z.1", …; "W.1.1", "W.2.1", ….
void append_names(const std::string& base, Shape shape, std::vector<std::string>& out) {
  const Index size = shape.rows * shape.cols;
  if (size == 1) {
    out.push_back(base);
    return;
  }
  for (Index e = 0; e < size; ++e) {
    if (shape.rows == 1 || shape.cols == 1) {
      out.push_back(base + "." + std::to_string(e + 1));
    } else {
      out.push_back(base + "." + std::to_string(e % shape.rows + 1) + "." +
                    std::to_string(e / shape.rows + 1));
    }
  }
}

// "fit.csv" → "fit_3.csv" for chain index 2.
std::string chain_path(const std::string& path, int chain) {
  const std::filesystem::path p(path);
  std::filesystem::path out = p.parent_path() / p.stem();
  out += "_" + std::to_string(chain + 1);
  out += p.has_extension() ? p.extension().string() : std::string(".csv");
  return out.string();
}

}  // namespace

std::vector<std::string> write_draws_csv(const std::string& path, const MonteCarlo& fit,
                                         const std::vector<std::string>& names) {
  const std::vector<LatentPair>& latent = fit.latent();
  if (names.size() > latent.size()) {
    throw ed::invalid_argument("write_draws_csv: " + std::to_string(names.size()) + " names for " +
                               std::to_string(latent.size()) + " latents");
  }
  if (fit.num_chains() == 0 || fit.sampler_params(0).rows() == 0) {
    throw ed::invalid_argument("write_draws_csv: " + fit.algorithm() +
                               " has no kept draws yet; call run() first");
  }
  std::vector<std::string> columns = fit.sampler_param_names();
  for (std::size_t i = 0; i < latent.size(); ++i) {
    append_names(i < names.size() ? names[i] : "z" + std::to_string(i),
                 latent[i].latent.value().shape(), columns);
  }
  for (std::size_t i = 0; i < fit.deterministic_names().size(); ++i) {
    append_names(fit.deterministic_names()[i], fit.deterministic_shape(i), columns);
  }
  std::vector<std::string> written;
  char number[32];
  for (int k = 0; k < fit.num_chains(); ++k) {
    std::vector<Matrix> blocks = {fit.sampler_params(k)};
    for (const LatentPair& pair : latent) blocks.push_back(fit.draws(pair.latent, k));
    for (const std::string& name : fit.deterministic_names()) blocks.push_back(fit.draws(name, k));
    std::string text = "# model = edpp\n";
    for (const std::string& line : fit.csv_settings()) text += "# " + line + "\n";
    text += "# id = " + std::to_string(k + 1) + "\n";
    for (std::size_t c = 0; c < columns.size(); ++c) text += (c ? "," : "") + columns[c];
    text += "\n";
    for (const std::string& line : fit.csv_adaptation(k)) text += "# " + line + "\n";
    const Index rows = blocks.front().rows();
    for (Index r = 0; r < rows; ++r) {
      bool first = true;
      for (const Matrix& b : blocks) {
        for (Index c = 0; c < b.cols(); ++c) {
          std::snprintf(number, sizeof number, "%s%.17g", first ? "" : ",", b(r, c));
          text += number;
          first = false;
        }
      }
      text += "\n";
    }
    // CmdStan's closing lines (rstan's read_stan_csv looks for them); chains run by another
    // process have no times here, and CmdStan's format has no "unknown": 0 stands for it.
    auto [warmup, sampling] = fit.elapsed_seconds(k);
    if (std::isnan(warmup)) warmup = sampling = 0.0;
    std::snprintf(number, sizeof number, "%.3f", warmup);
    text += std::string("# \n#  Elapsed Time: ") + number + " seconds (Warm-up)\n";
    std::snprintf(number, sizeof number, "%.3f", sampling);
    text += std::string("#                ") + number + " seconds (Sampling)\n";
    std::snprintf(number, sizeof number, "%.3f", warmup + sampling);
    text += std::string("#                ") + number + " seconds (Total)\n# \n";
    const std::string file = chain_path(path, k);
    detail::write_file_atomically(file, text);
    written.push_back(file);
  }
  return written;
}

}  // namespace ed
