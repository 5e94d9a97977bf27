// Records flattened into one buffer of doubles for a collective call (ProcessGroup::all_gather
// sends doubles only), and read back in the order they were written.
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <vector>

namespace ed::detail {

/// Appends numbers, and runs of numbers prefixed by their length, to one buffer.
class Packer {
 public:
  void number(double x) { buffer_.push_back(x); }
  void numbers(std::span<const double> xs) {
    buffer_.push_back(static_cast<double>(xs.size()));
    buffer_.insert(buffer_.end(), xs.begin(), xs.end());
  }
  const std::vector<double>& buffer() const { return buffer_; }

 private:
  std::vector<double> buffer_;
};

/// Reads what a Packer wrote, in the same order.
class Unpacker {
 public:
  explicit Unpacker(std::span<const double> buffer) : buffer_(buffer) {}
  bool done() const { return at_ >= buffer_.size(); }
  double number() { return take(1)[0]; }
  std::vector<double> numbers() {
    const auto n = static_cast<std::size_t>(number());
    const std::span<const double> run = take(n);
    return {run.begin(), run.end()};
  }

 private:
  std::span<const double> take(std::size_t n) {
    // A short buffer is a bug of the writer, never of the user's input.
    if (at_ + n > buffer_.size()) throw std::logic_error("Unpacker: read past the buffer");
    const std::span<const double> run = buffer_.subspan(at_, n);
    at_ += n;
    return run;
  }
  std::span<const double> buffer_;
  std::size_t at_ = 0;
};

}  // namespace ed::detail
