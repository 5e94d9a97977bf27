// Shared by the fuzz harnesses: the loaders read files, so each input is written to one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ed::fuzz {

/// Writes `size` bytes to this process's scratch file (in /dev/shm when it exists, for speed)
/// and returns its path; the same path every call.
const std::string& write_input(const std::uint8_t* data, std::size_t size);

/// Aborts with `what` on stderr: a harness's way of reporting a broken promise to the fuzzer.
[[noreturn]] void broken(const char* what);

}  // namespace ed::fuzz
