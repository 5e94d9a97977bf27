// ProgressBar: the cadence and the clock; the sink draws.
#include "edpp/inference/progress.hpp"

#include "edpp/core/messages.hpp"

namespace ed {

ProgressBar::ProgressBar(long total, long every, std::FILE* out)
    : total_(total),
      every_(every < 1 ? 1 : every),
      out_(out),
      start_(std::chrono::steady_clock::now()) {}

void ProgressBar::update(long t, double loss, double loss_d) {
  if (t < total_ && t % every_ != 0) return;
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
  const Progress report{
      .t = t, .total = total_, .loss = loss, .elapsed_seconds = elapsed.count(), .loss_d = loss_d};
  if (!out_) {
    detail::report_progress(report);
    return;
  }
  std::fprintf(out_, "%s\n", format_progress(report).c_str());
  std::fflush(out_);
}

}  // namespace ed
