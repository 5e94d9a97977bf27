// Checkpoints: round trip, and every way a file can be wrong leaves the model unchanged.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>

#include "edpp/models.hpp"
#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

namespace {
std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("edpp_ckpt_" + name)).string();
}
std::string read(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}
void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }
}  // namespace

TEST_CASE("MAP checkpoints round-trip every variable exactly") {
  ed::set_seed(1);
  const auto X = ed::placeholder({ed::Dynamic, 1}, "X");
  const auto model = ed::models::mdn(X, 3, {4});
  ed::MAP inference({}, {{model.y, Matrix::Zero(5, 1)}});
  inference.initialize();
  const std::string path = temp_path("roundtrip.txt");
  inference.save(path);
  std::vector<Matrix> before;
  for (const Tensor& v : inference.variables()) before.push_back(v.value());
  for (const Tensor& v : inference.variables())
    v.assign(Matrix::Zero(v.shape().rows, v.shape().cols));
  inference.load(path);
  const auto vars = inference.variables();
  for (std::size_t i = 0; i < vars.size(); ++i) CHECK(vars[i].value() == before[i]);
  std::filesystem::remove(path);
}

TEST_CASE("a bad checkpoint is rejected with a reason, and nothing is assigned") {
  const Tensor a = ed::variable(Matrix::Constant(2, 1, 1.5), "a");
  const Tensor b = ed::variable(Matrix::Constant(1, 3, -2.0), "b");
  const std::string path = temp_path("bad.txt");
  ed::save_variables(path, {a, b});
  const std::string good = read(path);
  a.assign(Matrix::Constant(2, 1, 9.0));

  auto rejects = [&](const std::string& text, const std::string& message) {
    write(path, text);
    CHECK_THROWS_WITH_AS(ed::load_variables(path, {a, b}), message.c_str(), ed::invalid_argument);
    CHECK(a.value() == Matrix::Constant(2, 1, 9.0));  // unchanged
  };
  rejects(good.substr(0, good.size() / 2),
          "load_variables: '" + path + "' is truncated or corrupt (no checksum line)");
  std::string flipped = good;
  flipped[good.find("1.5")] = '7';
  rejects(flipped, "load_variables: '" + path + "' is truncated or corrupt (checksum mismatch)");

  ed::save_variables(path, {a});
  CHECK_THROWS_WITH_AS(ed::load_variables(path, {a, b}),
                       ("load_variables: '" + path + "' has no variable 'b'").c_str(),
                       ed::invalid_argument);
  const Tensor wide = ed::variable(Matrix::Zero(2, 2), "a");
  CHECK_THROWS_WITH_AS(
      ed::load_variables(path, {wide}),
      ("load_variables: variable 'a' has shape [2, 1] in '" + path + "' but [2, 2] in the model")
          .c_str(),
      ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::save_variables(path, {a, ed::variable(Matrix::Zero(1, 1), "a")}),
                       "save_variables: two variables are named 'a'; names identify variables in a "
                       "checkpoint",
                       ed::invalid_argument);
  ed::load_variables(path, {a});
  CHECK(a.value() == Matrix::Constant(2, 1, 9.0));
  std::filesystem::remove(path);
}

namespace {
// FNV-1a 64 written out here, independently of the library.
std::string fnv1a_hex(const std::string& bytes, std::uint64_t basis) {
  std::uint64_t h = basis;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}
}  // namespace

TEST_CASE("the checkpoint checksum is FNV-1a 64 with its real offset basis") {
  // Published test vector: FNV-1a 64 of "a" is af63dc4c8601ec8c.
  CHECK(ed::detail::checkpoint_checksum_line("a") == "checksum af63dc4c8601ec8c\n");
  const Tensor a = ed::variable(Matrix::Constant(2, 1, 1.5), "a");
  const std::string path = temp_path("fnv.txt");
  ed::save_variables(path, {a});
  const std::string text = read(path);
  const auto pos = text.rfind("checksum ");
  CHECK(text.substr(0, 18) == "edpp-checkpoint 2\n");
  CHECK(text.substr(pos) ==
        "checksum " + fnv1a_hex(text.substr(0, pos), 14695981039346656037ULL) + "\n");
  std::filesystem::remove(path);
}

TEST_CASE("version 1 checkpoints are still read; unknown versions are refused by name") {
  const Tensor a = ed::variable(Matrix::Zero(2, 1), "a");
  const std::string path = temp_path("v1.txt");
  const std::string body = "edpp-checkpoint 1\nvariables 1\na 2 1\n1.5 -2.25\n";
  write(path, body + "checksum " + fnv1a_hex(body, 1469598103934665603ULL) + "\n");
  ed::load_variables(path, {a});
  CHECK(a.value() == (Matrix(2, 1) << 1.5, -2.25).finished());
  // Version 1's seed does not pass as version 2's, or the other way round.
  const std::string body2 = "edpp-checkpoint 2\nvariables 1\na 2 1\n1.5 -2.25\n";
  write(path, body2 + "checksum " + fnv1a_hex(body2, 1469598103934665603ULL) + "\n");
  CHECK_THROWS_WITH_AS(
      ed::load_variables(path, {a}),
      ("load_variables: '" + path + "' is truncated or corrupt (checksum mismatch)").c_str(),
      ed::invalid_argument);
  const std::string body3 = "edpp-checkpoint 3\nvariables 0\n";
  write(path, body3 + "checksum " + fnv1a_hex(body3, 14695981039346656037ULL) + "\n");
  CHECK_THROWS_WITH_AS(ed::load_variables(path, {a}),
                       ("load_variables: '" + path +
                        "' is 'edpp-checkpoint 3'; this edpp reads checkpoint versions 1 and 2")
                           .c_str(),
                       ed::invalid_argument);
  std::filesystem::remove(path);
}

TEST_CASE("checkpoints round-trip nan and infinities, and refuse shapes their line cannot hold") {
  const double inf = std::numeric_limits<double>::infinity();
  const Tensor a = ed::variable((Matrix(1, 3) << std::nan(""), inf, -inf).finished(), "a");
  const std::string path = temp_path("special.txt");
  ed::save_variables(path, {a});
  a.assign(Matrix::Zero(1, 3));
  ed::load_variables(path, {a});
  CHECK(std::isnan(a.value()(0, 0)));
  CHECK(a.value()(0, 1) == inf);
  CHECK(a.value()(0, 2) == -inf);
  // A header announcing 10^18 values on a short line is refused before anything is allocated.
  const std::string body = "edpp-checkpoint 2\nvariables 1\na 1000000000 1000000000\n1 2 3\n";
  write(path, body + ed::detail::checkpoint_checksum_line(body));
  CHECK_THROWS_WITH_AS(ed::load_variables(path, {a}),
                       ("load_variables: '" + path +
                        "' is truncated or corrupt (variable 'a' announces 1000000000 x 1000000000 "
                        "values but its line has 5 bytes)")
                           .c_str(),
                       ed::invalid_argument);
  const std::string extra = "edpp-checkpoint 2\nvariables 1\na 1 3\n1 2 3 4\n";
  write(path, extra + ed::detail::checkpoint_checksum_line(extra));
  CHECK_THROWS_WITH_AS(
      ed::load_variables(path, {a}),
      ("load_variables: '" + path + "' is truncated or corrupt (variable 'a' has too many values)")
          .c_str(),
      ed::invalid_argument);
  std::filesystem::remove(path);
}

TEST_CASE("a checkpoint cut at any byte is refused and leaves every variable as it was") {
  ed::set_seed(2);
  const auto X = ed::placeholder({ed::Dynamic, 1}, "X");
  const auto model = ed::models::mdn(X, 2, {3});
  ed::MAP inference({}, {{model.y, Matrix::Zero(4, 1)}});
  inference.initialize();
  const std::string path = temp_path("cut.txt");
  inference.save(path);
  const std::string good = read(path);
  std::vector<Matrix> saved, current;
  for (const Tensor& v : inference.variables()) {
    saved.push_back(v.value());
    v.assign(Matrix::Constant(v.shape().rows, v.shape().cols, 0.25));
    current.push_back(v.value());
  }
  long refused = 0;
  // Every cut but the last byte (the final newline, without which the file is still whole).
  for (std::size_t cut = 0; cut + 1 < good.size(); ++cut) {
    write(path, good.substr(0, cut));
    bool threw = false;
    try {
      inference.load(path);
    } catch (const ed::invalid_argument&) {
      threw = true;
    }
    CAPTURE(cut);
    CHECK(threw);
    refused += threw ? 1 : 0;
    const auto vars = inference.variables();
    for (std::size_t i = 0; i < vars.size(); ++i) REQUIRE(vars[i].value() == current[i]);
  }
  CHECK(refused == static_cast<long>(good.size()) - 1);
  write(path, good.substr(0, good.size() - 1));
  inference.load(path);
  const auto vars = inference.variables();
  for (std::size_t i = 0; i < vars.size(); ++i) CHECK(vars[i].value() == saved[i]);
  std::filesystem::remove(path);
}

TEST_CASE("unnamed variables in a checkpoint: the message says how to name them") {
  const Tensor a = ed::variable(Matrix::Zero(1, 1)), b = ed::variable(Matrix::Zero(1, 1));
  CHECK_THROWS_WITH_AS(ed::save_variables("/tmp/edpp_unnamed.ckpt", {a, b}),
                       doctest::Contains("the default name of variables made without one"),
                       ed::invalid_argument);
}

TEST_CASE("Monte Carlo save() and load() refuse clearly instead of writing an empty checkpoint") {
  ed::Normal mu(0.0, 1.0);
  ed::Normal x(mu * Matrix::Ones(3, 1), 1.0);
  ed::NUTS nuts({mu}, {{x, Matrix::Ones(3, 1)}});
  nuts.initialize({.n_iter = 10, .n_warmup = 10, .chains = 1, .seed = 1});
  nuts.run();
  const std::string path = temp_path("nuts.txt");
  std::filesystem::remove(path);
  CHECK_THROWS_WITH_AS(nuts.save(path),
                       doctest::Contains("NUTS: save() cannot write this algorithm's state: a "
                                         "Monte Carlo run's state is its chains"),
                       ed::invalid_argument);
  CHECK(!std::filesystem::exists(path));
  CHECK_THROWS_WITH_AS(nuts.load(path), doctest::Contains("ed::write_draws_csv"),
                       ed::invalid_argument);
}
