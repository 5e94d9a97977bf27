// Collective operations on whole matrices, over any ProcessGroup.
#include "edpp/parallel/process_group.hpp"

#include <Eigen/Core>

#include <algorithm>

namespace ed {

void pack_matrices(const std::vector<Matrix*>& matrices, double* to) {
  for (const Matrix* m : matrices) to = std::copy(m->data(), m->data() + m->size(), to);
}

void unpack_matrices(const double* from, const std::vector<Matrix*>& matrices) {
  for (Matrix* m : matrices) {
    std::copy(from, from + m->size(), m->data());
    from += m->size();
  }
}

void broadcast_matrices(ProcessGroup& group, const std::vector<Matrix*>& matrices,
                        const std::string& error) {
  std::size_t n = 0;
  for (const Matrix* m : matrices) n += static_cast<std::size_t>(m->size());
  std::vector<double> buffer(n);
  pack_matrices(matrices, buffer.data());
  group.broadcast(buffer, error);
  unpack_matrices(buffer.data(), matrices);
}

}  // namespace ed
