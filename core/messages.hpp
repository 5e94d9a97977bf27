// Where the library's warnings go: stderr by default, or any function the user installs.
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

namespace ed {

/// Receives each warning as one line without its newline ("NUTS: 3 of 4000 transitions …").
using WarningSink = std::function<void(std::string_view)>;

/// Installs `sink` for every warning the library prints from now on (from any thread; calls
/// are serialised) and returns the one it replaces. An empty sink restores the default, which
/// writes the line and a newline to stderr. A test captures warnings with it; a GUI shows them.
WarningSink set_warning_sink(WarningSink sink);

namespace detail {
/// Sends one warning line to the installed sink.
void warn(const std::string& message);
/// The same, formatted as printf (the line without its newline).
template <class... Args>
void warn_format(const char* format, Args... args) {
  const int size = std::snprintf(nullptr, 0, format, args...);
  std::string line(static_cast<std::size_t>(size > 0 ? size : 0), '\0');
  std::snprintf(line.data(), line.size() + 1, format, args...);
  warn(line);
}
}  // namespace detail

}  // namespace ed
