// TrainingLog: a CSV row per update, flushed as written, renamed into place when closed.
#include "edpp/inference/training_log.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "edpp/core/errors.hpp"

namespace ed {

TrainingLog::TrainingLog(const std::string& folder)
    : final_((std::filesystem::path(folder) / "scalars.csv").string()),
      partial_(final_ + ".partial"),
      start_(std::chrono::steady_clock::now()) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) {
    throw ed::invalid_argument("training log: cannot create the folder '" + folder +
                               "': " + error.message());
  }
  file_ = std::fopen(partial_.c_str(), "w");
  if (!file_) {
    throw ed::invalid_argument("training log: cannot write '" + partial_ +
                               "': " + std::strerror(errno));
  }
}

TrainingLog::~TrainingLog() {
  if (!file_) return;
  const bool ok = std::fclose(file_) == 0;
  // A log with no row (a run stopped before its first update) leaves nothing behind.
  std::error_code ignored;
  if (!ok || !header_written_) {
    std::filesystem::remove(partial_, ignored);
    return;
  }
  std::filesystem::rename(partial_, final_, ignored);
}

std::size_t TrainingLog::column_of(const char* name) const {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name || std::strcmp(names_[i], name) == 0) return i;
  }
  return names_.size();
}

void TrainingLog::set(const char* name, double value) {
  if (const std::size_t i = column_of(name); i < names_.size()) {
    values_[i] = value;
    is_set_[i] = true;
    return;
  }
  if (header_written_) {
    throw std::logic_error(std::string("training log: '") + name +
                           "' was not set in the first row, so it has no column");
  }
  names_.push_back(name);
  values_.push_back(value);
  is_set_.push_back(true);
}

void TrainingLog::add_column(const char* name) {
  if (column_of(name) < names_.size()) return;
  set(name, 0.0);
  is_set_.back() = false;
}

void TrainingLog::write_row(long iteration) {
  if (!header_written_) {
    std::fputs("iteration,seconds", file_);
    for (const char* name : names_) std::fprintf(file_, ",%s", name);
    std::fputc('\n', file_);
    header_written_ = true;
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
  std::fprintf(file_, "%ld,%.6g", iteration, elapsed.count());
  for (std::size_t i = 0; i < values_.size(); ++i) {
    // Empty when not set in this row; a non-finite value is written as what it is (nan, -inf).
    if (is_set_[i]) {
      std::fprintf(file_, ",%.17g", values_[i]);
    } else {
      std::fputc(',', file_);
    }
    is_set_[i] = false;
  }
  std::fputc('\n', file_);
  std::fflush(file_);
}

}  // namespace ed
