// Scratch files for fuzz inputs.
#include "tests/fuzz/fuzz_input.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace ed::fuzz {

const std::string& write_input(const std::uint8_t* data, std::size_t size) {
  static const std::string path = [] {
    const std::filesystem::path dir = std::filesystem::is_directory("/dev/shm")
                                          ? "/dev/shm"
                                          : std::filesystem::temp_directory_path();
    return (dir / ("edpp-fuzz-" + std::to_string(::getpid()))).string();
  }();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) broken("cannot write the scratch file");
  return path;
}

void broken(const char* what) {
  std::fprintf(stderr, "fuzz harness: %s\n", what);
  std::abort();
}

}  // namespace ed::fuzz
