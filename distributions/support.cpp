// Printing supports.
#include "distributions/support.hpp"

#include <sstream>

namespace ed {

std::string to_string(const Support& support) {
  std::ostringstream out;
  switch (support.kind) {
    case Support::Kind::real:
      return "real";
    case Support::Kind::positive:
      return "positive";
    case Support::Kind::unit_interval:
      return "unit_interval";
    case Support::Kind::simplex:
      return "simplex";
    case Support::Kind::nonnegative_integer:
      return "nonnegative_integer";
    case Support::Kind::lower_cholesky:
      return "lower_cholesky";
    case Support::Kind::interval:
      out << "interval(" << support.low << ", " << support.high << ")";
      break;
    case Support::Kind::integer_interval:
      out << "integer_interval(" << support.low << ", " << support.high << ")";
      break;
  }
  return out.str();
}

}  // namespace ed
