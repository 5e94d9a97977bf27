// The two exception types every edpp error is raised as.
#pragma once

#include <stdexcept>
#include <string>

namespace ed {

/// Bad input from the caller: shapes that do not combine, a missing feed, an invalid parameter,
/// a malformed file. The message names the op, distribution or file and the offending value.
class invalid_argument : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// A computation that became non-finite (NaN or ±inf) where a finite value was required.
class numerical_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace ed
