// dense() with TF1's initialisation, and CSV reading and writing.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

TEST_CASE("dense builds Glorot-uniform weights and zero biases, named after the layer") {
  ed::set_seed(11);
  const Tensor x = ed::placeholder({ed::Dynamic, 3}, "x");
  const Tensor out = ed::dense(x, 50, ed::relu, "hidden");
  ed::Program program({out});
  const auto vars = program.variables();
  REQUIRE(vars.size() == 2);
  CHECK(vars[0].name() == "hidden/kernel");
  CHECK(vars[1].name() == "hidden/bias");
  const Matrix& kernel = vars[0].value();
  CHECK(kernel.rows() == 3);
  CHECK(kernel.cols() == 50);
  const double limit = std::sqrt(6.0 / 53.0);
  CHECK(kernel.cwiseAbs().maxCoeff() <= limit);
  CHECK(kernel.cwiseAbs().maxCoeff() > 0.9 * limit);  // 150 draws fill the range
  CHECK(vars[1].value() == Matrix::Zero(1, 50));
  CHECK(ed::eval(out, {{x, Matrix::Ones(4, 3)}}).minCoeff() >= 0.0);
  CHECK_THROWS_WITH_AS(ed::dense(ed::placeholder({2, ed::Dynamic}, "p"), 3, ed::identity, "d"),
                       "dense 'd': the input's column count must be known when the layer is built",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::dense(x, 0, ed::identity, "d"),
                       "dense 'd': units must be at least 1, got 0", ed::invalid_argument);
}

namespace {
std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("edpp_test_" + name)).string();
}
void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }
}  // namespace

TEST_CASE("CSV round-trips matrices exactly, with or without a header") {
  const std::string path = temp_path("roundtrip.csv");
  const Matrix m = ed::test::random_inputs({{5, 3}}, 50, -1e6, 1e6)[0];
  ed::write_csv(path, m, {"a", "b", "c"});
  const ed::CsvTable table = ed::read_csv(path);
  CHECK(table.columns == std::vector<std::string>{"a", "b", "c"});
  CHECK(table.data == m);
  ed::write_csv(path, m);
  CHECK(ed::read_csv(path).columns.empty());
  CHECK(ed::read_csv(path).data == m);
  write_text(path, "x, y\r\n1, 2\r\n\r\n+3,-4e-2\r\nnan, inf\r\n");
  const Matrix parsed = ed::read_csv(path).data;
  CHECK(parsed.rows() == 3);
  CHECK(parsed(1, 1) == -0.04);
  CHECK(std::isnan(parsed(2, 0)));
  std::filesystem::remove(path);
}

TEST_CASE("malformed CSV files are rejected naming the file, line and column") {
  const std::string path = temp_path("bad.csv");
  write_text(path, "x,y\n1,2\n3,abc\n");
  CHECK_THROWS_WITH_AS(ed::read_csv(path),
                       ("read_csv: " + path + ", line 3: column 2 ('abc') is not a number").c_str(),
                       ed::invalid_argument);
  write_text(path, "x,y\n1,2\n3\n");
  CHECK_THROWS_WITH_AS(ed::read_csv(path),
                       ("read_csv: " + path + ", line 3: has 1 fields, expected 2").c_str(),
                       ed::invalid_argument);
  write_text(path, "x,y\n");
  CHECK_THROWS_WITH_AS(ed::read_csv(path), ("read_csv: '" + path + "' has no data rows").c_str(),
                       ed::invalid_argument);
  write_text(path, "1,2\n3,\n");
  CHECK_THROWS_WITH_AS(ed::read_csv(path),
                       ("read_csv: " + path + ", line 2: column 2 ('') is not a number").c_str(),
                       ed::invalid_argument);
  std::filesystem::remove(path);
  CHECK_THROWS_WITH_AS(ed::read_csv("/nonexistent/file.csv"),
                       "read_csv: cannot open '/nonexistent/file.csv'", ed::invalid_argument);
}

TEST_CASE("a failed CSV write leaves the old file intact and no temporary behind") {
  const std::string dir = temp_path("atomic_dir");
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/data.csv";
  ed::write_csv(path, Matrix::Ones(2, 2));
  CHECK_THROWS_AS(ed::write_csv(path, Matrix::Ones(2, 2), {"only_one"}), ed::invalid_argument);
  CHECK(ed::read_csv(path).data == Matrix::Ones(2, 2));
  // A path that is a directory cannot be replaced: the error names it, nothing is left behind.
  std::filesystem::create_directories(dir + "/sub.csv");
  CHECK_THROWS_WITH_AS(ed::write_csv(dir + "/sub.csv", Matrix::Ones(1, 1)),
                       ("cannot write '" + dir + "/sub.csv': rename failed").c_str(),
                       ed::invalid_argument);
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
  CHECK(files == 2);  // data.csv and the sub.csv directory
  std::filesystem::remove_all(dir);
}
