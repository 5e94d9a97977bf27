// A program that knows edpp only as an installed package: builds a graph and checks a gradient.
#include <edpp/edpp.hpp>

#include <cmath>
#include <iostream>

int main() {
  const ed::Tensor x = ed::variable(ed::Matrix::Constant(2, 1, 3.0), "x");
  const auto g = ed::grad(ed::sum(ed::square(x)), {x});
  const bool ok = std::abs(g[0](0, 0) - 6.0) < 1e-12;
  std::cout << (ok ? "consumer: ok" : "consumer: wrong gradient") << "\n";
  return ok ? 0 : 1;
}
