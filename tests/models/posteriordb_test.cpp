// posteriordb's JSON data and reference summaries: fields as matrices, rows as summaries, and
// clear errors for broken files.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#include "edpp/models.hpp"
#include "tests/support/gradient_check.hpp"

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = "/tmp/edpp_test_" + name + ".json";
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("read_json_data reads scalars, vectors and matrices of rows") {
  const auto path =
      write_temp("ok", R"({"N": 3, "y": [1, 2.5, -3], "X": [[1, 2], [3, 4], [5, 6]]})");
  const auto data = ed::models::read_json_data(path);
  CHECK(data.at("N")(0, 0) == 3.0);
  CHECK(data.at("y").rows() == 3);
  CHECK(data.at("y")(1, 0) == 2.5);
  CHECK(data.at("X")(2, 1) == 6.0);
  std::remove(path.c_str());
}

TEST_CASE("read_json_data names the file, the line and the field of what is wrong") {
  const auto broken = write_temp("broken", "{\n  \"N\": 3,\n  \"y\": [1, 2,,]\n}");
  CHECK_THROWS_WITH_AS(ed::models::read_json_data(broken),
                       doctest::Contains("edpp_test_broken.json': line 3, column"),
                       ed::invalid_argument);
  const auto text = write_temp("text", R"({"y": [1, "two"]})");
  CHECK_THROWS_WITH_AS(ed::models::read_json_data(text),
                       doctest::Contains("field 'y' holds a value that is not a number"),
                       ed::invalid_argument);
  const auto ragged = write_temp("ragged", R"({"X": [[1, 2], [3]]})");
  CHECK_THROWS_WITH_AS(ed::models::read_json_data(ragged),
                       doctest::Contains("field 'X' is a ragged matrix (row 1)"),
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::models::read_json_data("/nonexistent/data.json"),
                       "posteriordb data '/nonexistent/data.json': cannot be opened",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::models::posteriordb_model("no-such", {}),
                       doctest::Contains("no edpp model for 'no-such'"), ed::invalid_argument);
  for (const char* p : {broken.c_str(), text.c_str(), ragged.c_str()}) std::remove(p);
}

TEST_CASE("read_json_data refuses deep nesting and numbers beyond double's range") {
  const auto deep = write_temp(
      "deep", "{\"x\":\n" + std::string(1'000'000, '[') + std::string(1'000'000, ']') + "}");
  CHECK_THROWS_WITH_AS(ed::models::read_json_data(deep),
                       doctest::Contains("edpp_test_deep.json': line 2: arrays and objects nest "
                                         "more than 64 deep"),
                       ed::invalid_argument);
  // Brackets inside strings (escaped quotes included) are not nesting.
  const auto quoted =
      write_temp("quoted", "{\"y\": [1], \"note\": \"\\\"" + std::string(100, '[') + "\"}");
  CHECK_THROWS_WITH_AS(ed::models::read_json_data(quoted),
                       doctest::Contains("field 'note' is neither a number nor an array"),
                       ed::invalid_argument);
  const auto huge = write_temp("huge", "{\"y\": [1, " + std::string(100'000, '9') + "]}");
  CHECK_THROWS_WITH_AS(
      ed::models::read_json_data(huge),
      doctest::Contains("edpp_test_huge.json': holds a number beyond the range of a double"),
      ed::invalid_argument);
  const auto cube = write_temp("cube", R"({"X": [[[1]]]})");
  CHECK_THROWS_WITH_AS(ed::models::read_json_data(cube),
                       doctest::Contains("field 'X' holds a value that is not a number"),
                       ed::invalid_argument);
  for (const char* p : {deep.c_str(), quoted.c_str(), huge.c_str(), cube.c_str()}) std::remove(p);
}

TEST_CASE("read_reference reads reference.csv's rows and names the line of a bad one") {
  const auto good = write_temp("reference",
                               "param,mean,sd,q05,q50,q95,mcse_mean\n"
                               "alpha,-0.5,0.25,-0.9,-0.5,-0.1,0.003\n"
                               "beta[1],1e-3,2,3,4,5,6\n");
  const auto rows = ed::models::read_reference(good);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].param == "alpha");
  CHECK(rows[0].mean == -0.5);
  CHECK(rows[0].mcse_mean == 0.003);
  CHECK(rows[1].param == "beta[1]");
  CHECK(rows[1].mean == 1e-3);
  CHECK(rows[1].q95 == 5.0);
  const auto short_row = write_temp("reference_short",
                                    "param,mean,sd,q05,q50,q95,mcse_mean\n"
                                    "alpha,1,2,3,4,5,6\n"
                                    "beta,1,2\n");
  CHECK_THROWS_WITH_AS(ed::models::read_reference(short_row),
                       doctest::Contains("reference_short.json': line 3 has 3 fields, not 7"),
                       ed::invalid_argument);
  const auto text = write_temp("reference_text",
                               "param,mean,sd,q05,q50,q95,mcse_mean\n"
                               "alpha,1,2,3,4x,5,6\n");
  CHECK_THROWS_WITH_AS(ed::models::read_reference(text),
                       doctest::Contains("line 2 has '4x', not a number"), ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::models::read_reference("/nonexistent/reference.csv"),
                       "posteriordb reference '/nonexistent/reference.csv': cannot be opened",
                       ed::invalid_argument);
  for (const auto& p : {good, short_row, text}) std::remove(p.c_str());
}
