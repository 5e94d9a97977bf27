// Checkpoint format:
//   edpp-checkpoint 1
//   variables <count>
//   <name> <rows> <cols>          (a name has no whitespace)
//   <value> <value> ...           (column-major, one line per variable)
//   ...
//   checksum <16 hex digits>      (FNV-1a 64 of every byte before this line)
#include "core/checkpoint.hpp"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>

#include "core/csv.hpp"
#include "core/errors.hpp"

namespace ed {

namespace {

constexpr const char* kMagic = "edpp-checkpoint 1";

std::uint64_t fnv1a(const std::string& bytes) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string hex(std::uint64_t v) {
  std::ostringstream out;
  out << std::hex << std::setw(16) << std::setfill('0') << v;
  return out.str();
}

[[noreturn]] void corrupt(const std::string& path, const std::string& why) {
  throw ed::invalid_argument("load_variables: '" + path + "' is truncated or corrupt (" + why +
                             ")");
}

}  // namespace

void save_variables(const std::string& path, const std::vector<Tensor>& variables) {
  std::map<std::string, int> seen;
  std::ostringstream body;
  body.precision(17);
  body << kMagic << "\nvariables " << variables.size() << "\n";
  for (const Tensor& v : variables) {
    if (!v || !v.is_variable())
      throw ed::invalid_argument("save_variables: a tensor is not a variable");
    const std::string& name = v.name();
    if (name.find_first_of(" \t\n") != std::string::npos) {
      throw ed::invalid_argument("save_variables: variable name '" + name +
                                 "' contains whitespace");
    }
    if (seen[name]++) {
      throw ed::invalid_argument("save_variables: two variables are named '" + name +
                                 "'; names identify variables in a checkpoint");
    }
    const Matrix& m = v.value();
    body << name << " " << m.rows() << " " << m.cols() << "\n";
    for (Index k = 0; k < m.size(); ++k) body << (k ? " " : "") << m.data()[k];
    body << "\n";
  }
  const std::string text = body.str();
  detail::write_file_atomically(path, text + "checksum " + hex(fnv1a(text)) + "\n");
}

void load_variables(const std::string& path, const std::vector<Tensor>& variables) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ed::invalid_argument("load_variables: cannot open '" + path + "'");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();

  // The checksum line closes the file; everything before it is covered by the checksum.
  const auto pos = text.rfind("checksum ");
  if (pos == std::string::npos) corrupt(path, "no checksum line");
  const std::string body = text.substr(0, pos);
  std::string stored = text.substr(pos + 9);
  while (!stored.empty() && (stored.back() == '\n' || stored.back() == '\r')) stored.pop_back();
  if (stored != hex(fnv1a(body))) corrupt(path, "checksum mismatch");

  std::istringstream lines(body);
  std::string line;
  if (!std::getline(lines, line) || line != kMagic) corrupt(path, "not an edpp checkpoint");
  std::size_t count = 0;
  if (!std::getline(lines, line) || std::sscanf(line.c_str(), "variables %zu", &count) != 1) {
    corrupt(path, "no variable count");
  }
  std::map<std::string, Matrix> stored_values;
  for (std::size_t i = 0; i < count; ++i) {
    std::string name;
    Index rows = -1, cols = -1;
    if (!std::getline(lines, line)) corrupt(path, "fewer variables than announced");
    std::istringstream header(line);
    if (!(header >> name >> rows >> cols) || rows < 0 || cols < 0)
      corrupt(path, "bad header line '" + line + "'");
    if (!std::getline(lines, line)) corrupt(path, "variable '" + name + "' has no values");
    std::istringstream values(line);
    Matrix m(rows, cols);
    for (Index k = 0; k < m.size(); ++k) {
      if (!(values >> m.data()[k])) corrupt(path, "variable '" + name + "' has too few values");
    }
    stored_values[name] = std::move(m);
  }
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
