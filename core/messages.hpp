// Where the library's warnings and progress reports go: stderr by default, or any function the
// user installs.
#pragma once

#include <cstdio>
#include <functional>
#include <limits>
#include <string>
#include <string_view>

namespace ed {

/// Receives each warning as one line without its newline ("NUTS: 3 of 4000 transitions …").
using WarningSink = std::function<void(std::string_view)>;

/// Installs `sink` for every warning the library prints from now on (from any thread; calls
/// are serialised) and returns the one it replaces. An empty sink restores the default, which
/// writes the line and a newline to stderr. A test captures warnings with it; a GUI shows them.
WarningSink set_warning_sink(WarningSink sink);

/// One progress report of inference.run() (and of anything else that uses a ProgressBar).
struct Progress {
  long t = 0;                    ///< updates done
  long total = 0;                ///< updates in the run
  double loss = 0.0;             ///< the loss of update t (for Monte Carlo, −log density)
  double elapsed_seconds = 0.0;  ///< since the run began
  /// Adversarial algorithms: the discriminator's loss (`loss` is the generator's); NaN otherwise.
  double loss_d = std::numeric_limits<double>::quiet_NaN();
};

/// Receives each progress report, at the run's cadence (every n_print updates and the last).
using ProgressSink = std::function<void(const Progress&)>;

/// Installs `sink` for every progress report from now on and returns the one it replaces. An
/// empty sink restores the default: Edward's progress bar on stderr, redrawn in place on a
/// terminal and a line per report otherwise. `[](const ed::Progress&) {}` silences it.
ProgressSink set_progress_sink(ProgressSink sink);

/// Edward's progress line for `p`, without carriage return or newline:
/// "1000/1000 [100%] ██████████████████████████████ Elapsed: 2s | Loss: 3426.041"; with a
/// discriminator's loss, "… | Gen Loss: 0.693 | Disc Loss: 1.386" as Edward's GANInference.
std::string format_progress(const Progress& p);

namespace detail {
/// Sends one progress report to the installed sink.
void report_progress(const Progress& p);
/// Sends one warning line to the installed sink.
void warn(const std::string& message);
/// printf into a std::string.
template <class... Args>
std::string format(const char* format, Args... args) {
  const int size = std::snprintf(nullptr, 0, format, args...);
  std::string line(static_cast<std::size_t>(size > 0 ? size : 0), '\0');
  std::snprintf(line.data(), line.size() + 1, format, args...);
  return line;
}
/// A warning formatted as printf (the line without its newline).
template <class... Args>
void warn_format(const char* format, Args... args) {
  warn(detail::format(format, args...));
}
}  // namespace detail

}  // namespace ed
