// Saving and restoring variables: a checksummed text file, written atomically.
#pragma once

#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace ed {

/// Writes every variable's name, shape and value (17 significant digits) followed by a checksum,
/// to a temporary file that is then renamed over `path`: an old checkpoint is replaced whole or
/// not at all. @throws ed::invalid_argument for a non-variable, two variables with one name, or a
/// file that cannot be written.
void save_variables(const std::string& path, const std::vector<Tensor>& variables);

/// Reads a file written by save_variables and assigns each of `variables` the value stored under
/// its name. Everything is checked before anything is assigned, so on error nothing changes.
/// @throws ed::invalid_argument naming the problem: a file that cannot be read, is truncated or
/// corrupt (bad header, unparsable line, checksum mismatch), lacks one of the variables, or
/// stores it with another shape.
void load_variables(const std::string& path, const std::vector<Tensor>& variables);

}  // namespace ed
