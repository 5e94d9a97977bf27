// libFuzzer harness for read_csv: any bytes give a table or an ed::invalid_argument, and a
// table has as many numbers as its rows times its header's (or first line's) width.
#include <cstddef>
#include <cstdint>

#include "edpp/core/csv.hpp"
#include "edpp/core/errors.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = ed::fuzz::write_input(data, size);
  try {
    const ed::CsvTable table = ed::read_csv(path);
    if (table.data.rows() < 1 || table.data.cols() < 1) ed::fuzz::broken("an empty table");
    if (!table.columns.empty() && static_cast<ed::Index>(table.columns.size()) != table.data.cols())
      ed::fuzz::broken("a header whose width differs from the data's");
  } catch (const ed::invalid_argument&) {
    // A clear refusal is the expected answer to a malformed file.
  }
  return 0;
}
