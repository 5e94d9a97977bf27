// Collective operations on whole matrices, over any ProcessGroup.
#include "inference/process_group.hpp"

#include <Eigen/Core>

namespace ed {

void broadcast_matrices(ProcessGroup& group, const std::vector<Matrix*>& matrices,
                        const std::string& error) {
  std::size_t n = 0;
  for (const Matrix* m : matrices) n += static_cast<std::size_t>(m->size());
  std::vector<double> buffer(n);
  std::size_t at = 0;
  for (const Matrix* m : matrices) {
    std::copy(m->data(), m->data() + m->size(), buffer.data() + at);
    at += static_cast<std::size_t>(m->size());
  }
  group.broadcast(buffer, error);
  at = 0;
  for (Matrix* m : matrices) {
    std::copy(buffer.data() + at, buffer.data() + at + m->size(), m->data());
    at += static_cast<std::size_t>(m->size());
  }
}

}  // namespace ed
