#include "tests/longrun/exact_check.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace ed::test {

namespace {

bool within(const std::string& label, const std::string& what, double estimate, double exact,
            double mcse, double z) {
  if (std::isnan(exact)) return true;
  INFO(label << " " << what << ": " << estimate << " against exact " << exact << ", MCSE " << mcse
             << " (" << (estimate - exact) / mcse << " MCSE)");
  const bool ok = std::abs(estimate - exact) <= z * mcse;
  // EDPP_LONGRUN_VERBOSE=1 prints every comparison (the figures in the notes come from it).
  if (std::getenv("EDPP_LONGRUN_VERBOSE")) {
    std::printf("%-28s %-13s %10.5f exact %10.5f  MCSE %.5f  z %+5.2f\n", label.c_str(),
                what.c_str(), estimate, exact, mcse, (estimate - exact) / mcse);
  }
  CHECK(ok);
  return ok;
}

}  // namespace

bool check_exact(const std::string& label, const Matrix& draws, const Exact& exact, double z) {
  bool ok = within(label, "mean", draws.mean(), exact.mean, ed::mcse_mean(draws), z);
  if (!std::isnan(exact.variance)) {
    const Matrix squared = (draws.array() - exact.mean).square().matrix();
    ok &= within(label, "variance", squared.mean(), exact.variance, ed::mcse_mean(squared), z);
  }
  if (!std::isnan(exact.q05)) {
    ok &= within(label, "5% quantile", ed::quantile(draws, 0.05), exact.q05,
                 ed::mcse_quantile(draws, 0.05), z);
  }
  if (!std::isnan(exact.q95)) {
    ok &= within(label, "95% quantile", ed::quantile(draws, 0.95), exact.q95,
                 ed::mcse_quantile(draws, 0.95), z);
  }
  return ok;
}

}  // namespace ed::test
