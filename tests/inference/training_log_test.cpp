// Training logs (options.logdir): a CSV row per update with the algorithm's scalars, flushed as
// written and renamed into place when the inference is done.
#include <doctest/doctest.h>

#include <edpp/edpp.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using ed::Matrix;

namespace {

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

std::string fresh_folder(const std::string& name) {
  const std::string dir = (std::filesystem::temp_directory_path() / name).string();
  std::filesystem::remove_all(dir);
  return dir;
}

}  // namespace

TEST_CASE("Training log: KLqp writes its loss, KL and gradient norm per update") {
  const std::string dir = fresh_folder("edpp_log_klqp");
  {
    ed::Normal z(0.0, 1.0);
    ed::Normal x(z * Matrix::Ones(4, 1), 1.0);
    ed::Normal qz(ed::variable(Matrix::Zero(1, 1)), ed::softplus(ed::variable(Matrix::Zero(1, 1))));
    ed::KLqp inference({{z, qz}}, {{x, Matrix::Ones(4, 1)}});
    inference.initialize({.n_iter = 30, .seed = 1, .logdir = dir});
    ed::set_progress_sink([](const ed::Progress&) {});
    inference.run();
    ed::set_progress_sink({});
    // While the inference lives the rows are in scalars.csv.partial, one per update so far.
    const auto partial = lines_of(dir + "/scalars.csv.partial");
    REQUIRE(partial.size() == 31);
    CHECK(partial[0] == "iteration,seconds,loss,kl,gradient_norm");
    CHECK(cells(partial[30])[0] == "30");
    CHECK(!std::filesystem::exists(dir + "/scalars.csv"));
  }
  const auto lines = lines_of(dir + "/scalars.csv");
  REQUIRE(lines.size() == 31);
  CHECK(!std::filesystem::exists(dir + "/scalars.csv.partial"));
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto row = cells(lines[i]);
    REQUIRE(row.size() == 5);
    CHECK(std::stol(row[0]) == static_cast<long>(i));
    CHECK(std::stod(row[3]) >= 0.0);  // KL(q ‖ p), in closed form for two normals
    CHECK(std::stod(row[4]) >= 0.0);
  }
}

TEST_CASE("Training log: NUTS writes chain 0's draws with step size, tree depth and ESS so far") {
  const std::string dir = fresh_folder("edpp_log_nuts");
  {
    ed::Normal z(0.0, 1.0);
    ed::Normal x(z * Matrix::Ones(4, 1), 1.0);
    ed::NUTS inference({z}, {{x, Matrix::Ones(4, 1)}});
    inference.initialize({.n_iter = 300, .n_warmup = 100, .chains = 2, .seed = 2, .logdir = dir});
    ed::set_progress_sink([](const ed::Progress&) {});
    inference.run();
    ed::set_progress_sink({});
  }
  const auto lines = lines_of(dir + "/scalars.csv");
  REQUIRE(lines.size() == 401);  // warm-up included, chain 0 only
  const auto header = cells(lines[0]);
  const std::vector<std::string> expected = {"iteration", "seconds",  "loss",       "accept_stat",
                                             "warmup",    "stepsize", "treedepth",  "n_leapfrog",
                                             "divergent", "energy",   "ess_bulk_lp"};
  CHECK(header == expected);
  CHECK(cells(lines[100])[4] == "1");  // the last warm-up draw
  CHECK(cells(lines[101])[4] == "0");
  // The ESS of lp__ so far, every hundredth of the run's updates once 20 draws are kept.
  int with_ess = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto row = cells(lines[i]);
    REQUIRE(row.size() == expected.size());
    if (!row.back().empty()) {
      ++with_ess;
      CHECK(std::stod(row.back()) > 0.0);
    }
  }
  CHECK(with_ess > 50);
}

TEST_CASE("Training log: a folder that cannot be made is named") {
  ed::Normal z(0.0, 1.0);
  ed::MAP inference({z});
  const std::string file = fresh_folder("edpp_log_file");
  { std::ofstream(file) << "x"; }
  CHECK_THROWS_WITH_AS(
      inference.initialize({.logdir = file + "/sub"}),
      doctest::Contains(("training log: cannot create the folder '" + file).c_str()),
      ed::invalid_argument);
  std::filesystem::remove(file);
}

TEST_CASE("Training log: logging changes nothing of the run (same seed, same result)") {
  auto fit = [](const std::string& logdir) {
    ed::Normal z(0.0, 1.0);
    ed::Normal x(z * Matrix::Ones(4, 1), 1.0);
    const ed::Tensor loc = ed::variable(Matrix::Zero(1, 1));
    ed::Normal qz(loc, ed::softplus(ed::variable(Matrix::Zero(1, 1))));
    ed::ReparameterizationKLqp inference({{z, qz}}, {{x, Matrix::Ones(4, 1)}});
    inference.initialize({.n_iter = 50, .seed = 7, .logdir = logdir});
    for (int t = 0; t < 50; ++t) inference.update();
    return ed::eval(loc)(0, 0);
  };
  const std::string dir = fresh_folder("edpp_log_same");
  CHECK(fit("") == fit(dir));
}
