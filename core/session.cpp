// Session, eval and grad.
#include "core/session.hpp"

#include "core/node.hpp"

namespace ed {

Session::Session(std::uint64_t seed) : rng_(seed) {}
Session::~Session() = default;

Program& Session::program(const std::vector<Tensor>& fetches) {
  std::vector<const void*> key;
  key.reserve(fetches.size());
  for (const Tensor& t : fetches) key.push_back(t.node().get());
  auto& slot = cache_[key];
  // The cached Program holds the fetched nodes, so the pointers in its key stay valid.
  if (!slot) slot = std::make_unique<Program>(fetches, std::vector<Tensor>{}, substitutions_);
  return *slot;
}

void Session::set_substitutions(Substitutions substitutions) {
  substitutions_ = std::move(substitutions);
  cache_.clear();
}

std::vector<Matrix> Session::run(const std::vector<Tensor>& fetches, const Feed& feed) {
  Program& p = program(fetches);
  p.forward(feed, rng_);
  std::vector<Matrix> values;
  values.reserve(fetches.size());
  for (std::size_t i = 0; i < fetches.size(); ++i) values.push_back(p.output(i));
  return values;
}

Matrix eval(const Tensor& t, const Feed& feed) {
  Session session;
  return session.run({t}, feed)[0];
}

std::vector<Matrix> grad(const Tensor& loss, const std::vector<Tensor>& wrt, const Feed& feed) {
  Program p({loss}, wrt);
  Rng rng;
  p.forward(feed, rng);
  p.backward();
  std::vector<Matrix> grads;
  grads.reserve(wrt.size());
  for (std::size_t i = 0; i < wrt.size(); ++i) grads.push_back(p.gradient(i));
  return grads;
}

}  // namespace ed
