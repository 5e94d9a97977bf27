#include "edpp/core/messages.hpp"

#include <cmath>

#include <cstdio>
#include <mutex>

#include <unistd.h>

namespace ed {

namespace {

std::mutex& sink_mutex() {
  static std::mutex m;
  return m;
}

WarningSink& installed_sink() {
  static WarningSink sink;
  return sink;
}

ProgressSink& installed_progress_sink() {
  static ProgressSink sink;
  return sink;
}

// The default: a bar redrawn in place on a terminal, a line per report otherwise.
void print_progress_bar(const Progress& p) {
  static const bool terminal = ::isatty(::fileno(stderr)) == 1;
  const bool last = p.t >= p.total;
  std::fprintf(stderr, "%s%s%s", terminal ? "\r" : "", format_progress(p).c_str(),
               terminal && !last ? "" : "\n");
  std::fflush(stderr);
}

}  // namespace

std::string format_progress(const Progress& p) {
  const long width = 30;
  const long filled = p.total > 0 ? width * p.t / p.total : width;
  std::string bar;
  for (long i = 0; i < width; ++i) bar += i < filled ? "█" : " ";
  const long percent = p.total > 0 ? 100 * p.t / p.total : 100;
  const std::string head =
      detail::format("%ld/%ld [%3ld%%] %s Elapsed: %llds", p.t, p.total, percent, bar.c_str(),
                     static_cast<long long>(p.elapsed_seconds));
  if (!std::isnan(p.loss_d)) {
    return head + detail::format(" | Gen Loss: %.3f | Disc Loss: %.3f", p.loss, p.loss_d);
  }
  return head + detail::format(" | Loss: %.3f", p.loss);
}

ProgressSink set_progress_sink(ProgressSink sink) {
  const std::lock_guard lock(sink_mutex());
  ProgressSink previous = std::move(installed_progress_sink());
  installed_progress_sink() = std::move(sink);
  return previous;
}

WarningSink set_warning_sink(WarningSink sink) {
  const std::lock_guard lock(sink_mutex());
  WarningSink previous = std::move(installed_sink());
  installed_sink() = std::move(sink);
  return previous;
}

namespace detail {

void report_progress(const Progress& p) {
  const std::lock_guard lock(sink_mutex());
  if (const ProgressSink& sink = installed_progress_sink()) {
    sink(p);
  } else {
    print_progress_bar(p);
  }
}

void warn(const std::string& message) {
  const std::lock_guard lock(sink_mutex());
  if (const WarningSink& sink = installed_sink()) {
    sink(message);
  } else {
    std::fprintf(stderr, "%s\n", message.c_str());
  }
}

}  // namespace detail

}  // namespace ed
