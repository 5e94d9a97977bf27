// libFuzzer harness for read_json_data: any bytes give named matrices or ed::invalid_argument.
#include <cstddef>
#include <cstdint>

#include "edpp/core/errors.hpp"
#include "edpp/models/posteriordb.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = ed::fuzz::write_input(data, size);
  try {
    const ed::models::JsonData fields = ed::models::read_json_data(path);
    for (const auto& [name, value] : fields) {
      if (!value.allFinite()) ed::fuzz::broken("a field holds a non-finite number");
    }
  } catch (const ed::invalid_argument&) {
  }
  return 0;
}
