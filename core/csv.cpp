// CSV parsing with line/column errors, and atomic writing.
#include "core/csv.hpp"

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <unistd.h>

#include "core/errors.hpp"

namespace ed {

namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    fields.push_back(trim(line.substr(start, comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return fields;
}

bool parse_number(std::string_view field, double& value) {
  if (!field.empty() && field.front() == '+') field.remove_prefix(1);
  if (field.empty()) return false;
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  return error == std::errc() && end == field.data() + field.size();
}

[[noreturn]] void fail(const std::string& path, std::size_t line, const std::string& what) {
  throw ed::invalid_argument("read_csv: " + path + ", line " + std::to_string(line) + ": " + what);
}

}  // namespace

CsvTable read_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ed::invalid_argument("read_csv: cannot open '" + path + "'");
  CsvTable table;
  std::vector<double> values;
  std::size_t width = 0, rows = 0, line_number = 0;
  std::string line;
  while (std::getline(in, line)) {
    ++line_number;
    if (trim(line).empty()) continue;
    const auto fields = split(line);
    const bool first = width == 0;
    if (first) width = fields.size();
    if (fields.size() != width) {
      fail(path, line_number,
           "has " + std::to_string(fields.size()) + " fields, expected " + std::to_string(width));
    }
    double value = 0.0;
    bool numeric = true;
    for (std::string_view f : fields) numeric = numeric && parse_number(f, value);
    if (first && !numeric) {
      for (std::string_view f : fields) table.columns.emplace_back(f);
      continue;
    }
    for (std::size_t c = 0; c < fields.size(); ++c) {
      if (!parse_number(fields[c], value)) {
        fail(path, line_number,
             "column " + std::to_string(c + 1) + " ('" + std::string(fields[c]) +
                 "') is not a number");
      }
      values.push_back(value);
    }
    ++rows;
  }
  if (in.bad()) throw ed::invalid_argument("read_csv: error while reading '" + path + "'");
  if (rows == 0) throw ed::invalid_argument("read_csv: '" + path + "' has no data rows");
  table.data =
      Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
          values.data(), static_cast<Index>(rows), static_cast<Index>(width));
  return table;
}

void write_csv(const std::string& path, const Matrix& data,
               const std::vector<std::string>& columns) {
  if (!columns.empty() && static_cast<Index>(columns.size()) != data.cols()) {
    throw ed::invalid_argument("write_csv: " + std::to_string(columns.size()) +
                               " column names for a matrix with " + std::to_string(data.cols()) +
                               " columns");
  }
  std::ostringstream out;
  out.precision(17);
  for (std::size_t c = 0; c < columns.size(); ++c) out << (c ? "," : "") << columns[c];
  if (!columns.empty()) out << '\n';
  for (Index i = 0; i < data.rows(); ++i) {
    for (Index j = 0; j < data.cols(); ++j) out << (j ? "," : "") << data(i, j);
    out << '\n';
  }
  detail::write_file_atomically(path, out.str());
}

namespace detail {
void write_file_atomically(const std::string& path, const std::string& contents) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path temporary = target.parent_path() / ("." + target.filename().string() + ".tmp." +
                                                     std::to_string(::getpid()));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << contents;
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(temporary, ignored);
      throw ed::invalid_argument("cannot write '" + path + "'");
    }
  }
  std::error_code error;
  fs::rename(temporary, target, error);
  if (error) {
    fs::remove(temporary, error);
    throw ed::invalid_argument("cannot write '" + path + "': rename failed");
  }
}
}  // namespace detail

}  // namespace ed
