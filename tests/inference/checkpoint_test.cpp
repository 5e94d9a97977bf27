// Checkpoints: round trip, and every way a file can be wrong leaves the model unchanged.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

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
