// Output folders and gnuplot for the examples.
#include "examples/common.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "core/errors.hpp"

namespace ed::examples {

void make_output_dir(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error || !std::filesystem::is_directory(dir)) {
    throw ed::invalid_argument("cannot create the output folder '" + dir + "'");
  }
}

namespace {
// Single quotes for the shell, with embedded quotes escaped.
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}
}  // namespace

bool run_gnuplot(const std::string& script, const std::string& outdir) {
  const std::string path = std::string(EDPP_PLOTS_DIR) + "/" + script;
  // gnuplot string literal inside a shell single-quoted argument.
  const std::string command =
      "gnuplot -e " + quoted("outdir=\"" + outdir + "\"") + " " + quoted(path) + " 2>&1";
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0) {
    std::fprintf(stderr,
                 "gnuplot not found: the CSV files are written; for the figures install it "
                 "(apt-get install gnuplot-nox) and run: %s\n",
                 command.c_str());
    return false;
  }
  if (std::system(command.c_str()) != 0) {
    std::fprintf(stderr, "gnuplot failed on %s\n", path.c_str());
    return false;
  }
  return true;
}

}  // namespace ed::examples
