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

TEST_CASE("a row range of a CSV file: only its rows are parsed, errors keep the file's lines") {
  const std::string path = temp_path("rows.csv");
  // Blank lines do not count as rows; the bad field sits in row 3 (line 6).
  write_text(path, "x,y\n0,0\n\n1,10\n2,20\n3,oops\n4,40\n");
  CHECK(ed::count_csv_rows(path) == 5);
  const ed::CsvTable middle = ed::read_csv(path, {1, 3});
  CHECK(middle.columns == std::vector<std::string>{"x", "y"});
  CHECK(middle.data == (Matrix(2, 2) << 1, 10, 2, 20).finished());
  CHECK(ed::read_csv(path, {4, 9}).data == (Matrix(1, 2) << 4, 40).finished());
  const ed::CsvTable none = ed::read_csv(path, {5, 5});  // an empty shard keeps the width
  CHECK(none.data.rows() == 0);
  CHECK(none.data.cols() == 2);
  CHECK_THROWS_WITH_AS(
      ed::read_csv(path, {2, 4}),
      ("read_csv: " + path + ", line 6: column 2 ('oops') is not a number").c_str(),
      ed::invalid_argument);
  CHECK_THROWS_WITH_AS(
      ed::read_csv(path, {6, 8}),
      ("read_csv: '" + path + "' has 5 data rows; rows from 6 were asked for").c_str(),
      ed::invalid_argument);
  CHECK_THROWS_AS(ed::read_csv(path, {3, 2}), ed::invalid_argument);
  std::filesystem::remove(path);
}

TEST_CASE("shard_rows splits rows into contiguous blocks, the first ones a row longer") {
  CHECK(ed::shard_rows(7, 0, 2).begin == 0);
  CHECK(ed::shard_rows(7, 0, 2).end == 4);
  CHECK(ed::shard_rows(7, 1, 2).begin == 4);
  CHECK(ed::shard_rows(7, 1, 2).end == 7);
  for (int size : {1, 3, 4, 9}) {
    ed::Index covered = 0;
    for (int r = 0; r < size; ++r) {
      const ed::CsvRows rows = ed::shard_rows(7, r, size);
      CHECK(rows.begin == covered);
      CHECK(rows.end - rows.begin >= 7 / size);
      CHECK(rows.end - rows.begin <= 7 / size + 1);
      covered = rows.end;
    }
    CHECK(covered == 7);
  }
  CHECK_THROWS_AS(ed::shard_rows(7, 2, 2), ed::invalid_argument);
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

TEST_CASE("hostile CSV files get a clear error within bounded memory") {
  const std::string path = temp_path("hostile.csv");
  // A header of more than a million columns is refused before its fields are kept.
  write_text(path, std::string(1'500'000, ',') + "\n");
  CHECK_THROWS_WITH_AS(
      ed::read_csv(path),
      ("read_csv: " + path + ", line 1: has 1500001 fields, more than the 1000000 read_csv accepts")
          .c_str(),
      ed::invalid_argument);
  // A line past 64 MiB is refused as it is read, not after.
  write_text(path, "1,2\n" + std::string((std::size_t{64} << 20) + 10, '7') + "\n");
  CHECK_THROWS_WITH_AS(ed::read_csv(path),
                       ("read_csv: " + path + ", line 2: is longer than 64 MiB").c_str(),
                       ed::invalid_argument);
  // Embedded NULs and control bytes are shown as '?', long fields cut, in the message.
  write_text(path, std::string("1,2\n3,a\0b\x01\n", 12));
  CHECK_THROWS_WITH_AS(
      ed::read_csv(path),
      ("read_csv: " + path + ", line 2: column 2 ('a?b?') is not a number").c_str(),
      ed::invalid_argument);
  write_text(path, "1,2\n3," + std::string(100, 'x') + "\n");
  CHECK_THROWS_WITH_AS(ed::read_csv(path),
                       ("read_csv: " + path + ", line 2: column 2 ('" + std::string(40, 'x') +
                        "...') is not a number")
                           .c_str(),
                       ed::invalid_argument);
  // A number of 10^5 digits is parsed in linear time and named as out of range.
  write_text(path, "1," + std::string(100'000, '9') + "\n0.5,2\n");
  CHECK_THROWS_WITH_AS(ed::read_csv(path),
                       ("read_csv: " + path + ", line 1: column 2 ('" + std::string(40, '9') +
                        "...') is out of the range of a double")
                           .c_str(),
                       ed::invalid_argument);
  write_text(path, "1,0." + std::string(100'000, '0') + "5\n");
  CHECK(ed::read_csv(path).data(0, 1) == 0.0);
  // The last line may lack its newline; CRLF line ends are accepted.
  write_text(path, "a,b\r\n1,2\r\n3,4");
  const ed::CsvTable crlf = ed::read_csv(path);
  CHECK(crlf.columns == std::vector<std::string>{"a", "b"});
  CHECK(crlf.data == (Matrix(2, 2) << 1, 2, 3, 4).finished());
  std::filesystem::remove(path);
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
