// ProgressBar.
#include "inference/progress.hpp"

#include <string>

#include <unistd.h>

namespace ed {

ProgressBar::ProgressBar(long total, long every, std::FILE* out)
    : total_(total),
      every_(every < 1 ? 1 : every),
      out_(out),
      terminal_(::isatty(::fileno(out)) == 1),
      start_(std::chrono::steady_clock::now()) {}

void ProgressBar::update(long t, double loss) {
  const bool last = t >= total_;
  if (!last && t % every_ != 0) return;
  const long width = 30;
  const long filled = total_ > 0 ? width * t / total_ : width;
  std::string bar;
  for (long i = 0; i < width; ++i) bar += i < filled ? "█" : " ";
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start_)
          .count();
  const long percent = total_ > 0 ? 100 * t / total_ : 100;
  std::fprintf(out_, "%s%ld/%ld [%3ld%%] %s Elapsed: %llds | Loss: %.3f%s", terminal_ ? "\r" : "",
               t, total_, percent, bar.c_str(), static_cast<long long>(elapsed), loss,
               terminal_ && !last ? "" : "\n");
  std::fflush(out_);
}

}  // namespace ed
