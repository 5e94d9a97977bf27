// Saving and restoring variables: a checksummed text file, written atomically.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "edpp/core/tensor.hpp"

namespace ed {

/// Writes every variable's name, shape and value (17 significant digits) followed by an FNV-1a
/// checksum (format version 2; version 1 files, whose checksum had a wrong seed, are still read),
/// to a temporary file that is then renamed over `path`: an old checkpoint is replaced whole or
/// not at all. @throws ed::invalid_argument for a non-variable, two variables with one name, or a
/// file that cannot be written.
void save_variables(const std::string& path, const std::vector<Tensor>& variables);

/// Reads a file written by save_variables and assigns each of `variables` the value stored under
/// its name. Everything is checked before anything is assigned, so on error nothing changes.
/// @throws ed::invalid_argument naming the problem: a file that cannot be read, is truncated or
/// corrupt (bad header, unparsable line, checksum mismatch, a shape its values line cannot hold,
/// too few or too many values, a name twice), of an unknown version, larger than 16 GiB, lacks
/// one of the variables, or stores it with another shape.
void load_variables(const std::string& path, const std::vector<Tensor>& variables);

namespace detail {
/// The line that closes a checkpoint whose bytes before it are `body`: "checksum " and the
/// FNV-1a 64 hash of `body` in 16 hex digits (with version 1's seed when `body` announces
/// version 1). For tests and the fuzz harness, which make files that pass the checksum.
std::string checkpoint_checksum_line(std::string_view body);
}  // namespace detail

}  // namespace ed
