// Checkpoint format (version 2):
//   edpp-checkpoint 2
//   variables <count>
//   <name> <rows> <cols>          (a name has no whitespace)
//   <value> <value> ...           (column-major, one line per variable; nan and inf allowed)
//   ...
//   checksum <16 hex digits>      (FNV-1a 64 of every byte before this line)
// Version 1 had the same layout but a checksum seeded with 1469598103934665603, a digit short of
// FNV-1a's offset basis; its files are still read, with that seed.
#include "edpp/core/checkpoint.hpp"

#include <charconv>
#include <cstdint>
#include <fstream>
#include <iomanip>
#include <limits>
#include <map>
#include <sstream>

#include "edpp/core/csv.hpp"
#include "edpp/core/errors.hpp"

namespace ed {

namespace {

constexpr std::string_view kMagicPrefix = "edpp-checkpoint ";
constexpr int kVersion = 2;
constexpr std::uint64_t kFnvOffsetBasis = 14695981039346656037ULL;  // FNV-1a 64
constexpr std::uint64_t kVersion1Basis = 1469598103934665603ULL;    // version 1's seed
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;
// A checkpoint is read whole; past this size it is refused before any memory is spent on it.
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{1} << 34;  // 16 GiB

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t basis) {
  std::uint64_t h = basis;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}

std::string hex(std::uint64_t v) {
  std::ostringstream out;
  out << std::hex << std::setw(16) << std::setfill('0') << v;
  return out.str();
}

// The version a body's first line announces (1 or 2), or 0.
int version_of(std::string_view body) {
  if (body.substr(0, kMagicPrefix.size()) != kMagicPrefix) return 0;
  const std::string_view rest = body.substr(kMagicPrefix.size(), 2);
  if (rest == "1\n") return 1;
  if (rest == "2\n") return 2;
  return 0;
}

[[noreturn]] void corrupt(const std::string& path, const std::string& why) {
  throw ed::invalid_argument("load_variables: '" + path + "' is truncated or corrupt (" + why +
                             ")");
}

// At most the first 60 bytes of a file's text, made printable, for messages.
std::string excerpt(std::string_view text) { return detail::excerpt(text, 60); }

// Lines of a string without copying: next() returns false at the end.
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {}
  bool next(std::string_view& line) {
    if (position_ >= text_.size()) return false;
    const auto end = text_.find('\n', position_);
    line = text_.substr(position_, end == std::string_view::npos ? end : end - position_);
    position_ = end == std::string_view::npos ? text_.size() : end + 1;
    return true;
  }

 private:
  std::string_view text_;
  std::size_t position_ = 0;
};

// Splits on runs of spaces; returns false if a token is not a whole number of the type asked.
template <typename T>
bool parse_whole(std::string_view token, T& value) {
  const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
  return error == std::errc() && end == token.data() + token.size();
}

std::string_view next_token(std::string_view& rest) {
  const auto start = rest.find_first_not_of(' ');
  if (start == std::string_view::npos) {
    rest = {};
    return {};
  }
  rest.remove_prefix(start);
  const auto end = rest.find(' ');
  const std::string_view token = rest.substr(0, end);
  rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
  return token;
}

// Reads one variable's header and values line; `name`, `m` receive them.
void read_variable(const std::string& path, Lines& lines, std::string& name, Matrix& m) {
  std::string_view header;
  if (!lines.next(header)) corrupt(path, "fewer variables than announced");
  std::string_view rest = header;
  const std::string_view name_token = next_token(rest);
  long long rows = -1, cols = -1;
  if (name_token.empty() || !parse_whole(next_token(rest), rows) ||
      !parse_whole(next_token(rest), cols) || !next_token(rest).empty() || rows < 0 || cols < 0) {
    corrupt(path, "bad header line '" + excerpt(header) + "'");
  }
  name = std::string(name_token);
  std::string_view values;
  if (!lines.next(values)) corrupt(path, "variable '" + excerpt(name) + "' has no values");
  // Every value takes at least one byte and a separator: a shape the line cannot hold is
  // refused before any memory is spent on it.
  const long long capacity = static_cast<long long>(values.size() / 2 + 1);
  if ((rows > 0 && cols > capacity / rows) || rows * cols > capacity) {
    corrupt(path, "variable '" + excerpt(name) + "' announces " + std::to_string(rows) + " x " +
                      std::to_string(cols) + " values but its line has " +
                      std::to_string(values.size()) + " bytes");
  }
  m.resize(static_cast<Index>(rows), static_cast<Index>(cols));
  for (Index k = 0; k < m.size(); ++k) {
    const std::string_view token = next_token(values);
    if (token.empty()) corrupt(path, "variable '" + excerpt(name) + "' has too few values");
    if (!parse_whole(token, m.data()[k])) {
      corrupt(path, "variable '" + excerpt(name) + "' has a value that is not a number: '" +
                        excerpt(token) + "'");
    }
  }
  if (!next_token(values).empty()) {
    corrupt(path, "variable '" + excerpt(name) + "' has too many values");
  }
}

}  // namespace

namespace detail {
std::string checkpoint_checksum_line(std::string_view body) {
  const std::uint64_t basis = version_of(body) == 1 ? kVersion1Basis : kFnvOffsetBasis;
  return "checksum " + hex(fnv1a(body, basis)) + "\n";
}
}  // namespace detail

void save_variables(const std::string& path, const std::vector<Tensor>& variables) {
  std::map<std::string, int> seen;
  std::ostringstream body;
  body.precision(17);
  body << kMagicPrefix << kVersion << "\nvariables " << variables.size() << "\n";
  for (const Tensor& v : variables) {
    if (!v || !v.is_variable())
      throw ed::invalid_argument("save_variables: a tensor is not a variable");
    const std::string& name = v.name();
    if (name.empty() || name.find_first_of(" \t\r\n") != std::string::npos) {
      throw ed::invalid_argument("save_variables: variable name '" + name +
                                 "' is empty or contains whitespace");
    }
    if (seen[name]++) {
      // Unnamed variables all get the default name: say so, and how to name them.
      const std::string why = name == "variable" || name == "placeholder"
                                  ? "' (the default name of variables made without one: name "
                                    "each, ed::variable(init, \"w\"))"
                                  : "'";
      throw ed::invalid_argument("save_variables: two variables are named '" + name + why +
                                 "; names identify variables in a checkpoint");
    }
    const Matrix& m = v.value();
    body << name << " " << m.rows() << " " << m.cols() << "\n";
    for (Index k = 0; k < m.size(); ++k) body << (k ? " " : "") << m.data()[k];
    body << "\n";
  }
  const std::string text = body.str();
  detail::write_file_atomically(path, text + detail::checkpoint_checksum_line(text));
}

void load_variables(const std::string& path, const std::vector<Tensor>& variables) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw ed::invalid_argument("load_variables: cannot open '" + path + "'");
  const std::streamoff size = in.tellg();
  if (size < 0 || static_cast<std::uintmax_t>(size) > kMaxFileBytes) {
    throw ed::invalid_argument("load_variables: '" + path + "' is not a readable file of at most " +
                               std::to_string(kMaxFileBytes >> 30) + " GiB");
  }
  std::string text(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(text.data(), size)) {
    throw ed::invalid_argument("load_variables: error while reading '" + path + "'");
  }

  // The checksum line closes the file; everything before it is covered by the checksum.
  const auto pos = text.rfind("checksum ");
  if (pos == std::string::npos) corrupt(path, "no checksum line");
  const std::string_view body = std::string_view(text).substr(0, pos);
  if (version_of(body) == 0) {
    if (body.substr(0, kMagicPrefix.size()) == kMagicPrefix) {
      const std::string_view first = body.substr(0, body.find('\n'));
      throw ed::invalid_argument("load_variables: '" + path + "' is '" + excerpt(first) +
                                 "'; this edpp reads checkpoint versions 1 and 2");
    }
    corrupt(path, "not an edpp checkpoint");
  }
  std::string_view stored = std::string_view(text).substr(pos);
  while (!stored.empty() && (stored.back() == '\n' || stored.back() == '\r'))
    stored.remove_suffix(1);
  const std::string expected = detail::checkpoint_checksum_line(body);
  if (stored != std::string_view(expected).substr(0, expected.size() - 1)) {
    corrupt(path, "checksum mismatch");
  }

  Lines lines(body);
  std::string_view line;
  lines.next(line);  // the version line, checked above
  std::string_view rest;
  std::size_t count = 0;
  if (!lines.next(rest) || next_token(rest) != "variables" ||
      !parse_whole(next_token(rest), count) || !next_token(rest).empty()) {
    corrupt(path, "no variable count");
  }
  std::map<std::string, Matrix> stored_values;
  for (std::size_t i = 0; i < count; ++i) {
    std::string name;
    Matrix m;
    read_variable(path, lines, name, m);
    if (!stored_values.emplace(name, std::move(m)).second) {
      corrupt(path, "variable '" + excerpt(name) + "' appears twice");
    }
  }
  if (lines.next(line))
    corrupt(path, "more lines than its " + std::to_string(count) + " variables");
  // Check everything first; assign only when all variables fit.
  for (const Tensor& v : variables) {
    auto it = stored_values.find(v.name());
    if (it == stored_values.end()) {
      throw ed::invalid_argument("load_variables: '" + path + "' has no variable '" + v.name() +
                                 "'");
    }
    if (shape_of(it->second) != v.shape()) {
      throw ed::invalid_argument("load_variables: variable '" + v.name() + "' has shape " +
                                 to_string(shape_of(it->second)) + " in '" + path + "' but " +
                                 to_string(v.shape()) + " in the model");
    }
  }
  for (const Tensor& v : variables) v.assign(stored_values.at(v.name()));
}

}  // namespace ed
