// ed::ppc: replicated data sets, their statistics, and gnuplot figures of both.
#include "edpp/criticism/ppc.hpp"

#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "edpp/core/errors.hpp"
#include "edpp/core/seed.hpp"
#include "edpp/core/session.hpp"
#include "edpp/distributions/copy.hpp"
#include "edpp/inference/draw_feed.hpp"

namespace ed {

namespace {

// The posterior predictive p-value: the share of replicates whose statistic reaches the
// observed one.
double p_value(const Eigen::VectorXd& replicated, const Eigen::VectorXd& observed) {
  return (replicated.array() >= observed.array()).cast<double>().mean();
}

PpcResult run_checks(const Tensor& t_rep, const Tensor& t_obs, const PpcOptions& options) {
  if (options.n_samples < 1) {
    throw ed::invalid_argument("ppc: n_samples must be at least 1, got " +
                               std::to_string(options.n_samples));
  }
  for (const Tensor* t : {&t_rep, &t_obs}) {
    const Shape s = t->shape();
    if (s.rows != 1 || s.cols != 1) {
      throw ed::invalid_argument("ppc: the statistic must be 1 × 1, got " + to_string(s));
    }
  }
  Session session(detail::seed_or_next(options.seed));
  const auto program = session.compile({t_rep, t_obs});
  PpcResult out{Eigen::VectorXd(options.n_samples), Eigen::VectorXd(options.n_samples), 0.0};
  for (int s = 0; s < options.n_samples; ++s) {
    const std::vector<Matrix> v = session.run(*program, options.feed);
    out.replicated(s) = v[0](0, 0);
    out.observed(s) = v[1](0, 0);
  }
  out.p_value = p_value(out.replicated, out.observed);
  return out;
}

// A fresh folder for one figure's data and script.
std::filesystem::path scratch_dir() {
  static std::atomic<long> counter{0};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("edpp-plot-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::create_directories(dir);
  return dir;
}

// Where gnuplot writes the figure: a hidden temporary beside `png_path` (so the final rename
// stays on one file system and a reader never sees half a PNG).
std::filesystem::path temporary_beside(const std::string& png_path) {
  const std::filesystem::path target(png_path);
  return target.parent_path() /
         ("." + target.filename().string() + ".tmp." + std::to_string(::getpid()));
}

// A path as a gnuplot single-quoted string.
std::string gnuplot_string(const std::filesystem::path& p) {
  std::string out = "'";
  for (char c : p.string()) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// Runs `script` (which writes `output`) and renames the figure over `png_path`.
void render(const std::filesystem::path& dir, const std::string& script,
            const std::filesystem::path& output, const std::string& png_path, const char* who) {
  const auto script_path = dir / "plot.gp";
  std::ofstream(script_path) << script;
  const std::string command = "gnuplot " + gnuplot_string(script_path) + " > " +
                              gnuplot_string(dir / "gnuplot.log") + " 2>&1";
  const bool have = std::system("command -v gnuplot >/dev/null 2>&1") == 0;
  const bool ok = have && std::system(command.c_str()) == 0 && std::filesystem::exists(output);
  std::error_code error;
  if (ok) std::filesystem::rename(output, png_path, error);
  std::error_code ignored;
  std::filesystem::remove(output, ignored);
  std::filesystem::remove_all(dir, ignored);
  if (!have) {
    throw ed::invalid_argument(std::string(who) +
                               ": gnuplot is not installed (apt-get install "
                               "gnuplot-nox); '" +
                               png_path + "' was not written");
  }
  if (!ok || error) {
    throw ed::invalid_argument(std::string(who) + ": gnuplot could not write '" + png_path + "'");
  }
}

// Gaussian kernel density on `grid` with Silverman's rule-of-thumb bandwidth.
Eigen::VectorXd density(const Matrix& data, const Eigen::VectorXd& grid) {
  const Eigen::Map<const Eigen::VectorXd> x(data.data(), data.size());
  const double n = static_cast<double>(x.size());
  const double sd = n > 1 ? std::sqrt((x.array() - x.mean()).square().sum() / (n - 1)) : 1.0;
  const double h = std::max(1.06 * sd * std::pow(n, -0.2), 1e-12);
  Eigen::VectorXd out(grid.size());
  for (Index g = 0; g < grid.size(); ++g) {
    out(g) =
        (-0.5 * ((grid(g) - x.array()) / h).square()).exp().sum() / (n * h * std::sqrt(2.0 * M_PI));
  }
  return out;
}

}  // namespace

PpcResult ppc(const Statistic& T, const Data& data, const PpcOptions& options) {
  const DataBinding& binding = detail::predictive_binding(data, "ppc");
  return run_checks(T(binding.variable.value()), T(binding.value), options);
}

PpcResult ppc(const Discrepancy& T, const Data& data, const Swap& latent_vars,
              const PpcOptions& options) {
  const DataBinding& binding = detail::predictive_binding(data, "ppc");
  std::vector<Tensor> z;
  for (const auto& [latent, approximation] : latent_vars) z.push_back(approximation);
  return run_checks(T(binding.variable.value(), z), T(binding.value, z), options);
}

PpcResult ppc(const Discrepancy& T, const Data& data, const Swap& latent_vars, int n_samples) {
  return ppc(T, data, latent_vars, PpcOptions{.n_samples = n_samples});
}

PpcResult ppc_of_replicates(const std::function<double(const Matrix&)>& T, const Matrix& observed,
                            const std::vector<Matrix>& replicates) {
  if (replicates.empty()) throw ed::invalid_argument("ppc_of_replicates: there are no replicates");
  const auto n = static_cast<Index>(replicates.size());
  PpcResult out{Eigen::VectorXd(n), Eigen::VectorXd::Constant(n, T(observed)), 0.0};
  for (Index k = 0; k < n; ++k) out.replicated(k) = T(replicates[static_cast<std::size_t>(k)]);
  out.p_value = p_value(out.replicated, out.observed);
  return out;
}

Matrix simulate(const RandomVariable& x,
                const std::vector<std::pair<RandomVariable, Matrix>>& fixed,
                std::optional<std::uint64_t> seed, const Feed& feed) {
  Swap swap;
  for (const auto& [variable, value] : fixed) {
    const Shape shape = variable.value().shape();
    if (!shape.admits(value.rows(), value.cols())) {
      throw ed::invalid_argument("simulate: the value fixed for " + variable.describe() +
                                 " has shape " + to_string(shape_of(value)));
    }
    swap.push_back({variable.value(), constant(value)});
  }
  const Tensor draw = swap.empty() ? x.value() : detail::copy_quietly(x, swap).value();
  Session session(detail::seed_or_next(seed));
  return session.run({draw}, feed)[0];
}

std::vector<Matrix> replicate(const RandomVariable& x_post, int n,
                              std::optional<std::uint64_t> seed, const Feed& feed) {
  if (n < 1)
    throw ed::invalid_argument("replicate: n must be at least 1, got " + std::to_string(n));
  Session session(detail::seed_or_next(seed));
  const auto program = session.compile({x_post.value()});
  std::vector<Matrix> out;
  for (int k = 0; k < n; ++k) out.push_back(session.run(*program, feed)[0]);
  return out;
}

std::vector<Matrix> replicate(const RandomVariable& x,
                              std::vector<std::pair<RandomVariable, Matrix>> draws, int n,
                              std::optional<std::uint64_t> seed, const Feed& feed) {
  if (n < 1)
    throw ed::invalid_argument("replicate: n must be at least 1, got " + std::to_string(n));
  detail::DrawFeed fed(std::move(draws), feed);
  if (fed.num_draws() == 0) throw ed::invalid_argument("replicate: there are no draws");
  const Tensor x_rep = detail::copy_quietly(x, fed.swap()).value();
  Session session(detail::seed_or_next(seed));
  const auto program = session.compile({x_rep});
  std::vector<Matrix> out;
  for (int k = 0; k < n; ++k) {
    const Index s = fed.num_draws() * k / n;  // evenly spread over the stored draws
    out.push_back(session.run(*program, fed.at(s))[0]);
  }
  return out;
}

std::vector<Matrix> replicate(const MonteCarlo& inference, const RandomVariable& x, int n,
                              std::optional<std::uint64_t> seed, const Feed& feed) {
  return replicate(x, detail::draws_of(inference), n, seed, feed);
}

void ppc_stat_hist_plot(const PpcResult& check, const std::string& png_path,
                        const std::string& statistic_name) {
  if (check.replicated.size() == 0) {
    throw ed::invalid_argument("ppc_stat_hist_plot: the check has no replicated statistics");
  }
  const auto dir = scratch_dir();
  std::ofstream data(dir / "replicated.dat");
  data.precision(17);
  for (Index s = 0; s < check.replicated.size(); ++s) data << check.replicated(s) << "\n";
  data.close();
  const double lo = std::min(check.replicated.minCoeff(), check.observed.minCoeff());
  const double hi = std::max(check.replicated.maxCoeff(), check.observed.maxCoeff());
  const double width = hi > lo ? (hi - lo) / 30.0 : 1.0;
  char p_text[32];
  std::snprintf(p_text, sizeof p_text, "%.3f", check.p_value);
  const auto output = temporary_beside(png_path);
  std::ostringstream gp;
  gp.precision(17);
  gp << "set terminal pngcairo size 800,500 font ',11'\n"
     << "set output " << gnuplot_string(output) << "\n"
     << "set title 'Posterior predictive check: " << statistic_name << " (p = " << p_text
     << ")' noenhanced\n"
     << "set xrange [" << lo - 2.0 * width << ":" << hi + 2.0 * width << "]\n"
     << "set xlabel '" << statistic_name << "' noenhanced\nset ylabel 'replicated data sets'\n"
     << "set grid\nset style fill solid 0.6 border -1\nset key top right\n"
     << "width = " << width << "\nbin(x) = width * floor(x / width) + width / 2\n"
     << "set arrow from " << check.observed.mean() << ", graph 0 to " << check.observed.mean()
     << ", graph 1 nohead lw 3 lc rgb '#c44e52'\n"
     << "plot " << gnuplot_string(dir / "replicated.dat")
     << " using (bin($1)):(1.0) smooth freq with boxes lc rgb '#4c72b0' title 'T(x_{rep})', "
        "NaN with lines lw 3 lc rgb '#c44e52' title 'T(x_{obs})'\n";
  render(dir, gp.str(), output, png_path, "ppc_stat_hist_plot");
}

void ppc_density_plot(const Matrix& observed, const std::vector<Matrix>& replicated,
                      const std::string& png_path) {
  if (observed.size() == 0 || replicated.empty()) {
    throw ed::invalid_argument("ppc_density_plot: needs observed data and replicated data sets");
  }
  double lo = observed.minCoeff(), hi = observed.maxCoeff();
  for (const Matrix& r : replicated) {
    if (r.size() == 0)
      throw ed::invalid_argument("ppc_density_plot: a replicated data set is empty");
    lo = std::min(lo, r.minCoeff());
    hi = std::max(hi, r.maxCoeff());
  }
  const double pad = hi > lo ? 0.1 * (hi - lo) : 1.0;
  const Eigen::VectorXd grid = Eigen::VectorXd::LinSpaced(200, lo - pad, hi + pad);
  const auto dir = scratch_dir();
  std::ofstream data(dir / "density.dat");
  data.precision(10);
  Matrix columns(grid.size(), static_cast<Index>(replicated.size()) + 2);
  columns.col(0) = grid;
  columns.col(1) = density(observed, grid);
  for (std::size_t k = 0; k < replicated.size(); ++k) {
    columns.col(static_cast<Index>(k) + 2) = density(replicated[k], grid);
  }
  for (Index g = 0; g < columns.rows(); ++g) {
    for (Index c = 0; c < columns.cols(); ++c) data << (c ? " " : "") << columns(g, c);
    data << "\n";
  }
  data.close();
  const auto output = temporary_beside(png_path);
  std::ostringstream gp;
  gp << "set terminal pngcairo size 800,500 font ',11'\n"
     << "set output " << gnuplot_string(output) << "\n"
     << "set title 'Posterior predictive check: densities'\nset xlabel 'x'\nset ylabel 'density'\n"
     << "set grid\nset key top right\n"
     << "plot for [k=3:" << columns.cols() << "] " << gnuplot_string(dir / "density.dat")
     << " using 1:k with lines lw 1 lc rgb '#a6bddb' notitle, "
     << "NaN with lines lw 1 lc rgb '#a6bddb' title 'replicated', "
     << gnuplot_string(dir / "density.dat")
     << " using 1:2 with lines lw 3 lc rgb '#c44e52' title 'observed'\n";
  render(dir, gp.str(), output, png_path, "ppc_density_plot");
}

}  // namespace ed
