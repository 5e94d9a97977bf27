// TrainingLog: the scalars of every update written to a folder as CSV, the role TensorBoard's
// summaries play in Edward (its logdir option); scripts/plot_log draws them.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace ed {

/// Note [Training logs]: with options.logdir set, an algorithm writes one CSV file,
/// `<folder>/scalars.csv`, with a row per update: `iteration`, `seconds` (since the log was opened)
/// and the algorithm's scalars ("loss", "accept_rate", "stepsize", …), in the order they were first
/// set. The columns are fixed by the first row; a scalar not set in a row is left empty (a quantity
/// computed only now and then, as the ESS so far). Rows are flushed as they are written, so a long
/// run can be watched (and plotted) while it goes.
///
/// A log belongs to one run: opening a folder replaces the scalars.csv in it (the folder and its
/// other files stay). It is written to `scalars.csv.partial` and renamed when closed, so a run
/// that ends early leaves its rows there and never a half-written scalars.csv over an older one.
class TrainingLog {
 public:
  /// Creates `folder` (and its parents) when missing.
  /// @throws ed::invalid_argument naming the folder or file when it cannot be created.
  explicit TrainingLog(const std::string& folder);
  ~TrainingLog();
  TrainingLog(const TrainingLog&) = delete;
  TrainingLog& operator=(const TrainingLog&) = delete;

  /// Sets a scalar of the row being built. `name` must be a string that outlives the log (a
  /// literal): rows compare names by pointer first, so setting one costs no allocation.
  /// @throws std::logic_error for a name that is not a column (after the first row).
  void set(const char* name, double value);
  /// Adds a column (before the first row) without setting it: to fix the columns' order.
  void add_column(const char* name);
  /// Writes the row for `iteration` and starts an empty one.
  void write_row(long iteration);

  /// The file the rows go to while the log is open.
  const std::string& path() const { return partial_; }

 private:
  // The column of `name`, or names_.size() when it has none.
  std::size_t column_of(const char* name) const;
  std::string final_, partial_;
  std::FILE* file_ = nullptr;
  std::vector<const char*> names_;
  std::vector<double> values_;
  std::vector<bool> is_set_;  // in the row being built
  bool header_written_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace ed
