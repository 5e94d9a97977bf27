// Session (with its bounded program cache), eval and grad.
#include "edpp/core/session.hpp"

#include "edpp/core/node.hpp"

namespace ed {

Session::Session() : rng_(detail::next_seed()) {}
Session::Session(std::uint64_t seed) : rng_(seed) {}
Session::~Session() = default;

std::shared_ptr<Program> Session::compile(const std::vector<Tensor>& fetches) {
  Key key;
  key.reserve(fetches.size());
  for (const Tensor& t : fetches) key.push_back(t.node().get());
  if (auto it = index_.find(key); it != index_.end()) {
    cache_.splice(cache_.begin(), cache_, it->second);  // now the most recently used
    return it->second->program;
  }
  auto program = std::make_shared<Program>(fetches, std::vector<Tensor>{}, substitutions_);
  if (capacity_ == 0) return program;
  evict_to(capacity_ - 1);
  // The program holds the fetched nodes, so the pointers in its key stay valid while cached.
  cache_.push_front(Entry{key, program});
  index_.emplace(std::move(key), cache_.begin());
  return program;
}

void Session::evict_to(std::size_t size) {
  while (cache_.size() > size) {
    index_.erase(cache_.back().key);
    cache_.pop_back();
  }
}

void Session::set_cache_capacity(std::size_t capacity) {
  capacity_ = capacity;
  evict_to(capacity);
}

void Session::set_substitutions(Substitutions substitutions) {
  substitutions_ = std::move(substitutions);
  evict_to(0);
}

std::vector<Matrix> Session::run(Program& program, const Feed& feed) {
  program.forward(feed, rng_);
  std::vector<Matrix> values;
  values.reserve(program.num_outputs());
  for (std::size_t i = 0; i < program.num_outputs(); ++i) values.push_back(program.output(i));
  return values;
}

std::vector<Matrix> Session::run(const std::vector<Tensor>& fetches, const Feed& feed) {
  const std::shared_ptr<Program> program = compile(fetches);
  return run(*program, feed);
}

Matrix eval(const Tensor& t, const Feed& feed) {
  Session session;
  return session.run({t}, feed)[0];
}

std::vector<Matrix> grad(const Tensor& loss, const std::vector<Tensor>& wrt, const Feed& feed) {
  Program p({loss}, wrt);
  Rng rng(detail::next_seed());
  p.forward(feed, rng);
  p.backward();
  std::vector<Matrix> grads;
  grads.reserve(wrt.size());
  for (std::size_t i = 0; i < wrt.size(); ++i) grads.push_back(p.gradient(i));
  return grads;
}

}  // namespace ed
