// CSV parsing with line/column errors, and atomic writing.
#include "edpp/core/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>
#include <vector>

#include <unistd.h>

#include "edpp/core/errors.hpp"

namespace ed {

namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

// Limits that keep a hostile file from costing more than it holds: a line is read in 64 KiB blocks
// and refused once it passes kMaxLineBytes, and a line's fields are counted before any are kept.
constexpr std::size_t kMaxLineBytes = std::size_t{64} << 20;  // 64 MiB
constexpr std::size_t kMaxFields = 1'000'000;

[[noreturn]] void fail(const std::string& path, std::size_t line, const std::string& what) {
  throw ed::invalid_argument("read_csv: " + path + ", line " + std::to_string(line) + ": " + what);
}

void split(std::string_view line, std::vector<std::string_view>& fields) {
  fields.clear();
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    fields.push_back(trim(line.substr(start, comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
}

enum class Parsed { number, not_a_number, out_of_range };

// A whole field as a double. A number too large for a double is out_of_range (it still looks
// like a number, so a line of them is data, not a header).
Parsed parse_number(std::string_view field, double& value) {
  if (!field.empty() && field.front() == '+') field.remove_prefix(1);
  if (field.empty()) return Parsed::not_a_number;
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (end != field.data() + field.size()) return Parsed::not_a_number;
  if (error == std::errc::result_out_of_range) {
    // Underflow reads as the nearest double (0 or a subnormal), as strtod and numpy read it;
    // overflow is refused rather than read as infinity.
    value = std::strtod(std::string(field).c_str(), nullptr);
    return std::isinf(value) ? Parsed::out_of_range : Parsed::number;
  }
  return error == std::errc() ? Parsed::number : Parsed::not_a_number;
}

// Lines of a stream read in blocks, each at most kMaxLineBytes long.
class LineReader {
 public:
  LineReader(std::istream& in, const std::string& path) : in_(in), path_(path) {}
  /// The next line (without its '\n') in `line`; false at the end of the stream.
  bool next(std::string& line) {
    line.clear();
    while (true) {
      if (position_ == size_ && !fill()) {
        if (line.empty() && !pending_) return false;
        pending_ = false;
        ++number_;
        return true;
      }
      pending_ = true;
      const char* begin = block_.data() + position_;
      const void* newline = std::memchr(begin, '\n', size_ - position_);
      const std::size_t take =
          newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - begin)
                  : size_ - position_;
      if (line.size() + take > kMaxLineBytes) {
        fail(path_, number_ + 1, "is longer than " + std::to_string(kMaxLineBytes >> 20) + " MiB");
      }
      line.append(begin, take);
      position_ += take;
      if (newline) {
        ++position_;
        pending_ = false;
        ++number_;
        return true;
      }
    }
  }
  std::size_t number() const { return number_; }

 private:
  bool fill() {
    if (!in_) return false;
    in_.read(block_.data(), static_cast<std::streamsize>(block_.size()));
    size_ = static_cast<std::size_t>(in_.gcount());
    position_ = 0;
    if (in_.bad()) throw ed::invalid_argument("read_csv: error while reading '" + path_ + "'");
    return size_ > 0;
  }
  std::istream& in_;
  const std::string& path_;
  std::vector<char> block_ = std::vector<char>(std::size_t{64} << 10);
  std::size_t size_ = 0, position_ = 0, number_ = 0;
  bool pending_ = false;  // bytes of an unfinished last line were read
};

}  // namespace

namespace {

// What read_csv and its row-range and counting forms share: the header is decided by the first
// non-blank line; data rows outside [begin, end) are counted, not parsed.
struct Scan {
  CsvTable table;
  Index total_rows = 0;  // data rows in the whole file
};

Scan scan_csv(const std::string& path, Index begin, Index end, const char* who) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ed::invalid_argument(std::string(who) + ": cannot open '" + path + "'");
  Scan scan;
  CsvTable& table = scan.table;
  std::vector<double> values;
  std::vector<std::string_view> fields;
  std::size_t width = 0, rows = 0;
  std::string line;
  LineReader reader(in, path);
  while (reader.next(line)) {
    const std::size_t line_number = reader.number();
    // Excel starts a UTF-8 file with a byte-order mark: not part of the first column's name.
    if (line_number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    const std::string_view content = trim(line);
    // Blank lines, and comments as CmdStan writes them (a line starting with '#'), are skipped.
    if (content.empty() || content.front() == '#') continue;
    const bool first = width == 0;
    if (!first) {
      const Index row = scan.total_rows;
      if (row < begin || row >= end) {  // another process's row
        ++scan.total_rows;
        continue;
      }
    }
    const std::size_t count =
        1 + static_cast<std::size_t>(std::count(line.begin(), line.end(), ','));
    if (count > kMaxFields) {
      fail(path, line_number,
           "has " + std::to_string(count) + " fields, more than the " + std::to_string(kMaxFields) +
               " read_csv accepts");
    }
    if (first) width = count;
    if (count != width) {
      fail(path, line_number,
           "has " + std::to_string(count) + " fields, expected " + std::to_string(width));
    }
    split(line, fields);
    double value = 0.0;
    bool numeric = true;
    for (std::string_view f : fields) {
      numeric = numeric && parse_number(f, value) != Parsed::not_a_number;
    }
    if (first && !numeric) {
      for (std::string_view f : fields) table.columns.emplace_back(f);
      continue;
    }
    const Index row = scan.total_rows++;
    if (row < begin || row >= end) continue;  // the first data line, outside the range
    for (std::size_t c = 0; c < fields.size(); ++c) {
      const Parsed parsed = parse_number(fields[c], value);
      if (parsed != Parsed::number) {
        fail(
            path, line_number,
            "column " + std::to_string(c + 1) + " ('" + detail::excerpt(fields[c], 40) + "') is " +
                (parsed == Parsed::out_of_range ? "out of the range of a double" : "not a number"));
      }
      values.push_back(value);
    }
    ++rows;
  }
  table.data =
      Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
          values.data(), static_cast<Index>(rows), static_cast<Index>(width));
  return scan;
}

}  // namespace

CsvTable read_csv(const std::string& path) {
  Scan scan = scan_csv(path, 0, std::numeric_limits<Index>::max(), "read_csv");
  if (scan.total_rows == 0) throw ed::invalid_argument("read_csv: '" + path + "' has no data rows");
  return std::move(scan.table);
}

CsvTable read_csv(const std::string& path, CsvRows rows) {
  if (rows.begin < 0 || rows.end < rows.begin) {
    throw ed::invalid_argument("read_csv: '" + path + "': invalid row range [" +
                               std::to_string(rows.begin) + ", " + std::to_string(rows.end) + ")");
  }
  Scan scan = scan_csv(path, rows.begin, rows.end, "read_csv");
  if (rows.begin > scan.total_rows) {
    throw ed::invalid_argument("read_csv: '" + path + "' has " + std::to_string(scan.total_rows) +
                               " data rows; rows from " + std::to_string(rows.begin) +
                               " were asked for");
  }
  return std::move(scan.table);
}

Index count_csv_rows(const std::string& path) {
  return scan_csv(path, 0, 0, "count_csv_rows").total_rows;
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
std::string excerpt(std::string_view text, std::size_t max_bytes) {
  std::string out(text.substr(0, max_bytes));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return text.size() > max_bytes ? out + "..." : out;
}

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
