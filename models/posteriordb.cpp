// Reading posteriordb's JSON data, and its models written with edpp.
#include "edpp/models/posteriordb.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>

#include "edpp/core/csv.hpp"
#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/distributions.hpp"
#include "edpp/distributions/improper.hpp"

namespace ed::models {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw ed::invalid_argument("posteriordb data '" + path + "': " + what);
}

// Limits on a data file: its size, and how deeply its arrays and objects nest (posteriordb's
// data are at most a matrix, two deep; a document nested a million deep is refused before the
// parser builds it).
constexpr std::uintmax_t kMaxJsonBytes = std::uintmax_t{1} << 30;  // 1 GiB
constexpr int kMaxJsonDepth = 64;

// One pass over the text, skipping strings: the line of the first bracket nested past the limit.
void check_nesting(const std::string& path, const std::string& text) {
  int depth = 0;
  std::size_t line = 1;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (c == '\n') ++line;
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) {
        fail(path, "line " + std::to_string(line) + ": arrays and objects nest more than " +
                       std::to_string(kMaxJsonDepth) + " deep");
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
}

Matrix field_matrix(const std::string& path, const std::string& name, const nlohmann::json& v) {
  auto number = [&](const nlohmann::json& x) {
    if (!x.is_number()) fail(path, "field '" + name + "' holds a value that is not a number");
    const double value = x.get<double>();
    // JSON has no infinity: a number that reads as one was beyond double's range.
    if (!std::isfinite(value)) {
      fail(path, "field '" + name + "' holds a number beyond the range of a double");
    }
    return value;
  };
  if (v.is_number()) return Matrix::Constant(1, 1, number(v));
  if (!v.is_array()) fail(path, "field '" + name + "' is neither a number nor an array");
  if (v.empty() || !v.front().is_array()) {
    Matrix m(static_cast<Index>(v.size()), 1);
    for (std::size_t i = 0; i < v.size(); ++i) m(static_cast<Index>(i), 0) = number(v[i]);
    return m;
  }
  const std::size_t cols = v.front().size();
  Matrix m(static_cast<Index>(v.size()), static_cast<Index>(cols));
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_array() || v[i].size() != cols) {
      fail(path, "field '" + name + "' is a ragged matrix (row " + std::to_string(i) + ")");
    }
    for (std::size_t j = 0; j < cols; ++j) {
      m(static_cast<Index>(i), static_cast<Index>(j)) = number(v[i][j]);
    }
  }
  return m;
}

using detail::field;

Matrix indicator(const Matrix& x, double value) {
  return (x.array() == value).cast<double>().matrix();
}

enum class Prior { flat, normal10 };
enum class ScalePrior { flat, half_normal10, half_cauchy2_5 };

// y ~ Normal(X β, σ) with the given priors: most of the set is this model.
Posterior linear_regression(const Matrix& X, const Matrix& y, Prior beta_prior,
                            ScalePrior sigma_prior) {
  const Index d = X.cols();
  RandomVariable beta = beta_prior == Prior::flat
                            ? RandomVariable(Flat(d, 1))
                            : RandomVariable(Normal(Matrix::Zero(d, 1), 10.0));
  RandomVariable sigma = sigma_prior == ScalePrior::flat ? RandomVariable(HalfFlat(1, 1))
                         : sigma_prior == ScalePrior::half_normal10
                             ? RandomVariable(HalfNormal(10.0))
                             : RandomVariable(HalfCauchy(2.5));
  const Normal obs(matmul(X, beta), sigma);
  Posterior p;
  p.latents = {beta, sigma};
  p.data = {{obs, y}};
  for (Index k = 0; k < d; ++k) p.names.push_back("beta[" + std::to_string(k + 1) + "]");
  p.names.push_back("sigma");
  p.parameters = [beta, sigma, d](const MonteCarlo& mc) {
    std::vector<Matrix> out;
    for (Index k = 0; k < d; ++k) out.push_back(mc.draws_by_chain(beta, k));
    out.push_back(mc.draws_by_chain(sigma, 0));
    return out;
  };
  return p;
}

// x − mean(x), and that divided by twice the sample sd (divisor N − 1), as Gelman and Hill
// centre and scale inputs.
Matrix centred(const Matrix& x) { return (x.array() - x.mean()).matrix(); }
Matrix two_sd_scaled(const Matrix& x) {
  const Matrix c = centred(x);
  const double sd = std::sqrt(c.squaredNorm() / static_cast<double>(x.rows() - 1));
  return c / (2.0 * sd);
}
Matrix log_of(const Matrix& x) { return x.array().log().matrix(); }

Matrix columns(std::initializer_list<Matrix> cols) {
  Matrix X(cols.begin()->rows(), static_cast<Index>(cols.size()));
  Index j = 0;
  for (const Matrix& c : cols) X.col(j++) = c;
  return X;
}

}  // namespace

const Matrix& detail::field(const JsonData& data, const std::string& name) {
  auto it = data.find(name);
  if (it == data.end()) {
    throw ed::invalid_argument("posteriordb: the data has no field '" + name + "'");
  }
  return it->second;
}

JsonData read_json_data(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) fail(path, "cannot be opened");
  const std::streamoff size = in.tellg();
  if (size < 0 || static_cast<std::uintmax_t>(size) > kMaxJsonBytes) {
    fail(path, "is not a readable file of at most " + std::to_string(kMaxJsonBytes >> 20) + " MiB");
  }
  std::string text(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(text.data(), size)) fail(path, "could not be read");
  check_nesting(path, text);
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // The byte offset as a line and column.
    const std::size_t at = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < at; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    fail(path, "line " + std::to_string(line) + ", column " + std::to_string(column) +
                   ": not valid JSON");
  } catch (const nlohmann::json::out_of_range&) {
    // nlohmann's message quotes the whole number, which may be megabytes long.
    fail(path, "holds a number beyond the range of a double");
  } catch (const nlohmann::json::exception&) {
    fail(path, "is not valid JSON");
  }
  if (!doc.is_object()) fail(path, "the document is not an object of named fields");
  JsonData data;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    data[it.key()] = field_matrix(path, it.key(), it.value());
  }
  return data;
}

std::vector<ReferenceSummary> read_reference(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ed::invalid_argument("posteriordb reference '" + path + "': cannot be opened");
  std::vector<ReferenceSummary> out;
  std::string line;
  std::getline(in, line);  // param,mean,sd,q05,q50,q95,mcse_mean
  for (int number = 2; std::getline(in, line); ++number) {
    auto bad = [&](const std::string& what) {
      return ed::invalid_argument("posteriordb reference '" + path + "': line " +
                                  std::to_string(number) + " " + what);
    };
    std::stringstream row(line);
    std::string cell;
    std::vector<std::string> cells;
    while (std::getline(row, cell, ',')) cells.push_back(cell);
    if (cells.size() != 7) {
      throw bad("has " + std::to_string(cells.size()) + " fields, not 7");
    }
    std::array<double, 6> numbers{};
    for (std::size_t k = 0; k < numbers.size(); ++k) {
      const std::string& text = cells[k + 1];
      std::size_t used = 0;
      try {
        numbers[k] = std::stod(text, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != text.size()) {
        throw bad("has '" + ed::detail::excerpt(text, 60) + "', not a number");
      }
    }
    out.push_back(
        {cells[0], numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5]});
  }
  return out;
}

std::vector<std::string> posteriordb_models() {
  std::vector<std::string> names = {"eight_schools-eight_schools_noncentered",
                                    "arK-arK",
                                    "arma-arma11",
                                    "low_dim_gauss_mix-low_dim_gauss_mix",
                                    "sblri-blr",
                                    "kidiq-kidscore_momiq",
                                    "kidiq-kidscore_momhs",
                                    "kidiq_with_mom_work-kidscore_mom_work",
                                    "kidiq_with_mom_work-kidscore_interaction_c",
                                    "kidiq_with_mom_work-kidscore_interaction_z",
                                    "earnings-logearn_interaction_z",
                                    "earnings-log10earn_height",
                                    "earnings-logearn_height",
                                    "earnings-logearn_height_male",
                                    "earnings-logearn_interaction",
                                    "mesquite-logmesquite_logvolume",
                                    "mesquite-logmesquite",
                                    "mesquite-logmesquite_logvas",
                                    "nes1972-nes",
                                    "nes1976-nes",
                                    "nes1984-nes",
                                    "nes1988-nes",
                                    "nes1992-nes",
                                    "nes1996-nes"};
  for (const std::string& name : detail::dynamics_models()) names.push_back(name);
  return names;
}

Posterior posteriordb_model(const std::string& name, const JsonData& data) {
  if (name == "eight_schools-eight_schools_noncentered") {
    const Normal theta_trans(Matrix::Zero(8, 1), 1.0);
    const Normal mu(0.0, 5.0);
    const HalfCauchy tau(5.0);
    const Normal obs(mu + tau * theta_trans, field(data, "sigma"));
    Posterior p;
    p.latents = {theta_trans, mu, tau};
    p.data = {{obs, field(data, "y")}};
    for (int j = 1; j <= 8; ++j) p.names.push_back("theta[" + std::to_string(j) + "]");
    p.names.insert(p.names.end(), {"mu", "tau"});
    p.parameters = [theta_trans, mu, tau](const MonteCarlo& mc) {
      const Matrix m = mc.draws_by_chain(mu, 0), t = mc.draws_by_chain(tau, 0);
      std::vector<Matrix> out;
      for (Index j = 0; j < 8; ++j) {
        out.push_back((m.array() + t.array() * mc.draws_by_chain(theta_trans, j).array()).matrix());
      }
      out.push_back(m);
      out.push_back(t);
      return out;
    };
    return p;
  }
  if (name == "arK-arK") {
    // y_t on its K lags, the first K values conditioned on.
    const Matrix& series = field(data, "y");
    const auto K = static_cast<Index>(field(data, "K")(0, 0));
    const Index T = series.rows();
    if (K < 1 || K >= T) throw ed::invalid_argument("posteriordb arK: K must be in [1, T)");
    Matrix lags(T - K, K);
    for (Index k = 0; k < K; ++k) lags.col(k) = series.middleRows(K - 1 - k, T - K);
    const Normal alpha(0.0, 10.0);
    const Normal beta(Matrix::Zero(K, 1), 10.0);
    const HalfCauchy sigma(2.5);
    const Normal obs(alpha + matmul(lags, beta), sigma);
    Posterior p;
    p.latents = {alpha, beta, sigma};
    p.data = {{obs, Matrix(series.bottomRows(T - K))}};
    p.names.push_back("alpha");
    for (Index k = 0; k < K; ++k) p.names.push_back("beta[" + std::to_string(k + 1) + "]");
    p.names.push_back("sigma");
    p.parameters = [alpha, beta, sigma, K](const MonteCarlo& mc) {
      std::vector<Matrix> out = {mc.draws_by_chain(alpha, 0)};
      for (Index k = 0; k < K; ++k) out.push_back(mc.draws_by_chain(beta, k));
      out.push_back(mc.draws_by_chain(sigma, 0));
      return out;
    };
    return p;
  }
  if (name == "arma-arma11") {
    // One-step errors e_t = y_t − (μ + φ y_{t−1} + θ e_{t−1}) solve (I + θS) e = r, S the
    // sub-diagonal shift: the recurrence e_t = r_t − θ e_{t−1}, one O(T) op (a dense
    // triangular solve was O(T²)). log N(y | y − e, σ) = log N(e | 0, σ).
    const Matrix& y = field(data, "y");
    const Index T = y.rows();
    Matrix y_prev = Matrix::Zero(T, 1), first = Matrix::Zero(T, 1);
    y_prev.bottomRows(T - 1) = y.topRows(T - 1);
    first(0, 0) = 1.0;
    const Normal mu(0.0, 10.0), phi(0.0, 2.0), theta(0.0, 2.0);
    const HalfCauchy sigma(2.5);
    const Tensor r = y - mu - phi * (y_prev + mu * first);
    const Tensor e = linear_recurrence(r, -theta);
    const Normal obs(y - e, sigma);
    Posterior p;
    p.latents = {mu, phi, theta, sigma};
    p.data = {{obs, y}};
    p.names = {"mu", "phi", "theta", "sigma"};
    p.parameters = [mu, phi, theta, sigma](const MonteCarlo& mc) {
      return std::vector<Matrix>{mc.draws_by_chain(mu, 0), mc.draws_by_chain(phi, 0),
                                 mc.draws_by_chain(theta, 0), mc.draws_by_chain(sigma, 0)};
    };
    return p;
  }
  if (name == "low_dim_gauss_mix-low_dim_gauss_mix") {
    // Two normal components with ordered means (no label switching). The N(0, 2) prior on each
    // ordered mean enters as a Normal centred on mu observed at 0: log N(0 | mu, 2) equals
    // log N(mu | 0, 2).
    const Flat mu(1, 2, Support::ordered());
    const HalfNormal sigma(Matrix::Constant(1, 2, 2.0));
    const Beta theta(5.0, 5.0);
    const Normal mu_prior(mu, 2.0);
    const Mixture obs(Categorical::from_probs(concat({theta, 1.0 - theta}, 1)), Normal(mu, sigma));
    Posterior p;
    p.latents = {mu, sigma, theta};
    p.data = {{obs, field(data, "y")}, {mu_prior, Matrix::Zero(1, 2)}};
    p.names = {"mu[1]", "mu[2]", "sigma[1]", "sigma[2]", "theta"};
    p.parameters = [mu, sigma, theta](const MonteCarlo& mc) {
      return std::vector<Matrix>{mc.draws_by_chain(mu, 0), mc.draws_by_chain(mu, 1),
                                 mc.draws_by_chain(sigma, 0), mc.draws_by_chain(sigma, 1),
                                 mc.draws_by_chain(theta, 0)};
    };
    return p;
  }
  if (name == "sblri-blr") {
    return linear_regression(field(data, "X"), field(data, "y"), Prior::normal10,
                             ScalePrior::half_normal10);
  }
  // The regressions: a design matrix and a response from the data, flat coefficients (Normal(0,
  // 10) for sblri above), a flat or half-Cauchy scale, as each folder's model.md says.
  const auto ones = [&](const Matrix& like) { return Matrix(Matrix::Ones(like.rows(), 1)); };
  if (name == "kidiq-kidscore_momiq" || name == "kidiq-kidscore_momhs") {
    const Matrix& x = field(data, name == "kidiq-kidscore_momiq" ? "mom_iq" : "mom_hs");
    return linear_regression(columns({ones(x), x}), field(data, "kid_score"), Prior::flat,
                             ScalePrior::half_cauchy2_5);
  }
  if (name == "kidiq_with_mom_work-kidscore_mom_work") {
    const Matrix& work = field(data, "mom_work");
    return linear_regression(
        columns({ones(work), indicator(work, 2), indicator(work, 3), indicator(work, 4)}),
        field(data, "kid_score"), Prior::flat, ScalePrior::flat);
  }
  if (name == "kidiq_with_mom_work-kidscore_interaction_c" ||
      name == "kidiq_with_mom_work-kidscore_interaction_z") {
    const bool z = name == "kidiq_with_mom_work-kidscore_interaction_z";
    const Matrix& hs = field(data, "mom_hs");
    const Matrix& iq = field(data, "mom_iq");
    const Matrix a = z ? two_sd_scaled(hs) : centred(hs), b = z ? two_sd_scaled(iq) : centred(iq);
    return linear_regression(columns({ones(a), a, b, a.cwiseProduct(b)}), field(data, "kid_score"),
                             Prior::flat, ScalePrior::flat);
  }
  if (name.rfind("earnings-", 0) == 0) {
    const Matrix& height = field(data, "height");
    const Matrix& male = field(data, "male");
    const Matrix& earn = field(data, "earn");
    Matrix X, y = log_of(earn);
    if (name == "earnings-logearn_interaction_z") {
      const double mean = height.mean();
      const double sd = std::sqrt((height.array() - mean).square().sum() /
                                  static_cast<double>(height.rows() - 1));
      const Matrix z = ((height.array() - mean) / sd).matrix();
      X = columns({ones(z), z, male, z.cwiseProduct(male)});
    } else if (name == "earnings-log10earn_height") {
      X = columns({ones(height), height});
      y = (earn.array().log10()).matrix();
    } else if (name == "earnings-logearn_height") {
      X = columns({ones(height), height});
    } else if (name == "earnings-logearn_height_male") {
      X = columns({ones(height), height, male});
    } else if (name == "earnings-logearn_interaction") {
      X = columns({ones(height), height, male, height.cwiseProduct(male)});
    }
    if (X.size() > 0) return linear_regression(X, y, Prior::flat, ScalePrior::flat);
  }
  if (name.rfind("mesquite-", 0) == 0) {
    const Matrix &d1 = field(data, "diam1"), &d2 = field(data, "diam2"),
                 &canopy = field(data, "canopy_height");
    const Matrix y = log_of(field(data, "weight"));
    const Matrix volume = log_of(d1.cwiseProduct(d2).cwiseProduct(canopy));
    Matrix X;
    if (name == "mesquite-logmesquite_logvolume") {
      X = columns({ones(y), volume});
    } else if (name == "mesquite-logmesquite") {
      X = columns({ones(y), log_of(d1), log_of(d2), log_of(canopy),
                   log_of(field(data, "total_height")), log_of(field(data, "density")),
                   field(data, "group")});
    } else if (name == "mesquite-logmesquite_logvas") {
      X = columns({ones(y), volume, log_of(d1.cwiseProduct(d2)), log_of(d1.cwiseQuotient(d2)),
                   log_of(field(data, "total_height")), log_of(field(data, "density")),
                   field(data, "group")});
    }
    if (X.size() > 0) return linear_regression(X, y, Prior::flat, ScalePrior::flat);
  }
  if (name.size() == 11 && name.rfind("nes19", 0) == 0 && name.substr(7) == "-nes") {
    const Matrix& age = field(data, "age_discrete");
    return linear_regression(
        columns({ones(age), field(data, "real_ideo"), field(data, "race_adj"), indicator(age, 2),
                 indicator(age, 3), indicator(age, 4), field(data, "educ1"), field(data, "gender"),
                 field(data, "income")}),
        field(data, "partyid7"), Prior::flat, ScalePrior::flat);
  }
  if (std::optional<Posterior> p = detail::dynamics_model(name, data)) return *p;
  throw ed::invalid_argument("posteriordb: no edpp model for '" + name +
                             "' (posteriordb_models() lists the known ones)");
}

}  // namespace ed::models
