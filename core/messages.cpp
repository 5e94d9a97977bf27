#include "core/messages.hpp"

#include <cstdio>
#include <mutex>

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

}  // namespace

WarningSink set_warning_sink(WarningSink sink) {
  const std::lock_guard lock(sink_mutex());
  WarningSink previous = std::move(installed_sink());
  installed_sink() = std::move(sink);
  return previous;
}

namespace detail {

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
