// Reading and writing matrices as CSV files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "edpp/core/fwd.hpp"

namespace ed {

/// A CSV file's contents: its column names (empty when the file has no header) and its numbers.
struct CsvTable {
  std::vector<std::string> columns;
  Matrix data;
};

/// Reads a comma-separated file of numbers. The first line is a header when any of its fields is
/// not a number. Blank lines and comment lines (starting with '#', as in CmdStan's output) are
/// skipped, as is a UTF-8 byte-order mark; fields may be padded with spaces; "nan" and "inf" parse;
/// numbers below double's range read as 0. Memory stays proportional to the file: lines are
/// read in blocks and limited to 64 MiB, lines to 1,000,000 fields.
/// @throws ed::invalid_argument naming the file, line and column of a field that is not a number
/// or is beyond double's range, a line with the wrong number of fields or over the limits, a
/// file that cannot be opened or holds no rows.
CsvTable read_csv(const std::string& path);

/// Data rows [begin, end) of a CSV file, counted from 0 after any header (blank lines do not
/// count): the share of one process (ed::read_csv_shard). `end` past the last row reads to it.
struct CsvRows {
  Index begin = 0;
  Index end = 0;
};
/// Reads only `rows` of the file: the lines before and after are scanned for their newlines, not
/// parsed or checked (the process that holds them checks them). Errors name the line's number in
/// the whole file. An empty range gives a table of no rows and the file's width.
/// @throws ed::invalid_argument as read_csv, for an invalid range, or a range starting past the
/// last row.
CsvTable read_csv(const std::string& path, CsvRows rows);
/// The number of data rows (non-blank lines after any header), without parsing them.
/// @throws ed::invalid_argument for a file that cannot be opened or read.
Index count_csv_rows(const std::string& path);

/// Writes `data` with an optional header line, every number with 17 significant digits (exact
/// round trip). The file is written to a temporary beside `path` and renamed over it, so a
/// reader never sees half a file and a failure leaves any old file intact.
/// @throws ed::invalid_argument when the header's length differs from data.cols() or the file
/// cannot be written.
void write_csv(const std::string& path, const Matrix& data,
               const std::vector<std::string>& columns = {});

namespace detail {
/// Writes `contents` to `path` atomically (temporary file in the same folder, then rename).
void write_file_atomically(const std::string& path, const std::string& contents);
/// Text read from a file, made safe for an error message: at most `max_bytes` bytes (then
/// "..."), control bytes (NUL included) shown as '?'.
std::string excerpt(std::string_view text, std::size_t max_bytes);
}  // namespace detail

}  // namespace ed
