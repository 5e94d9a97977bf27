// libFuzzer harness for load_variables and MAP::load: any bytes either load (and then every
// variable holds what the file says, with its shape) or are refused with ed::invalid_argument
// leaving every variable exactly as it was.
//
// Most random bytes fail the checksum, which would stop the fuzzer at the door. So the first
// byte chooses: odd, the rest is taken as a checkpoint's body and given the right checksum line
// (of the version it announces), so the parser behind the checksum is explored too; even, the
// rest is the whole file.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "edpp/core/checkpoint.hpp"
#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/core/tensor.hpp"
#include "edpp/distributions/normal.hpp"
#include "edpp/inference/variational/map.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace {

struct Model {
  // Variables named as a saved model's would be, and a MAP whose state is a point mass.
  std::vector<ed::Tensor> variables = {
      ed::variable(ed::Matrix::Constant(2, 3, 0.5), "a"),
      ed::variable(ed::Matrix::Constant(1, 1, -1.0), "b"),
      ed::variable(ed::Matrix::Constant(3, 1, 2.0), "layer/kernel")};
  ed::Normal z{0.0, 1.0};
  ed::Normal x{z * ed::Matrix(ed::Matrix::Ones(3, 1)), 1.0};
  ed::MAP map{{z}, {{x, ed::Matrix::Ones(3, 1)}}};
  Model() { map.initialize({.seed = 1}); }
};

std::vector<ed::Matrix> values(const std::vector<ed::Tensor>& variables) {
  std::vector<ed::Matrix> out;
  for (const ed::Tensor& v : variables) out.push_back(v.value());
  return out;
}

bool same(const std::vector<ed::Matrix>& a, const std::vector<ed::Matrix>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].rows() != b[i].rows() || a[i].cols() != b[i].cols()) return false;
    // Bitwise, so that a NaN equals itself.
    for (ed::Index k = 0; k < a[i].size(); ++k) {
      const double x = a[i].data()[k], y = b[i].data()[k];
      if (std::memcmp(&x, &y, sizeof x) != 0) return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Model model;
  if (size == 0) return 0;
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] & 1) text += ed::detail::checkpoint_checksum_line(text);
  const std::string& path =
      ed::fuzz::write_input(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());

  const std::vector<ed::Matrix> before = values(model.variables);
  try {
    ed::load_variables(path, model.variables);
    for (std::size_t i = 0; i < before.size(); ++i) {
      if (model.variables[i].value().rows() != before[i].rows() ||
          model.variables[i].value().cols() != before[i].cols())
        ed::fuzz::broken("a load changed a variable's shape");
    }
  } catch (const ed::invalid_argument&) {
    if (!same(before, values(model.variables)))
      ed::fuzz::broken("a failed load changed a variable");
  }

  const std::vector<ed::Matrix> map_before = {model.map.value(model.z)};
  try {
    model.map.load(path);
  } catch (const ed::invalid_argument&) {
    if (!same(map_before, {model.map.value(model.z)}))
      ed::fuzz::broken("a failed MAP::load changed the state");
  }
  return 0;
}
