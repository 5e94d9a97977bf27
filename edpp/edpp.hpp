// The one header users include: the public API of edpp (namespace ed). Library internals (the
// SIMD kernels, worker threads, sharded losses, the NUTS metric) are not part of it, nor are the
// gallery's model builders (<edpp/models.hpp>) or the MPI component (<edpp/mpi.hpp>).
#pragma once

// The graph: tensors, ops, programs, sessions, files.
#include "edpp/core/checkpoint.hpp"
#include "edpp/core/copy.hpp"
#include "edpp/core/csv.hpp"
#include "edpp/core/errors.hpp"
#include "edpp/core/feed.hpp"
#include "edpp/core/fwd.hpp"
#include "edpp/core/layers.hpp"
#include "edpp/core/messages.hpp"
#include "edpp/core/minibatches.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/core/program.hpp"
#include "edpp/core/rng.hpp"
#include "edpp/core/session.hpp"
#include "edpp/core/tensor.hpp"

// Random variables.
#include "edpp/distributions/distributions.hpp"

// Optimisers and parallelism.
#include "edpp/optim/lbfgs.hpp"
#include "edpp/optim/optimizers.hpp"
#include "edpp/parallel/process_group.hpp"
#include "edpp/parallel/shards.hpp"

// Inference: the base, Monte Carlo, variational.
#include "edpp/inference/adversarial/bigan_inference.hpp"
#include "edpp/inference/adversarial/gan_inference.hpp"
#include "edpp/inference/adversarial/implicit_klqp.hpp"
#include "edpp/inference/adversarial/wgan_inference.hpp"
#include "edpp/inference/conjugacy/complete_conditional.hpp"
#include "edpp/inference/inference.hpp"
#include "edpp/inference/mcmc/gibbs.hpp"
#include "edpp/inference/mcmc/hmc.hpp"
#include "edpp/inference/mcmc/metropolis_hastings.hpp"
#include "edpp/inference/mcmc/monte_carlo.hpp"
#include "edpp/inference/mcmc/nuts.hpp"
#include "edpp/inference/mcmc/replica_exchange.hpp"
#include "edpp/inference/mcmc/sghmc.hpp"
#include "edpp/inference/mcmc/sgld.hpp"
#include "edpp/inference/progress.hpp"
#include "edpp/inference/training_log.hpp"
#include "edpp/inference/variational/klpq.hpp"
#include "edpp/inference/variational/klqp.hpp"
#include "edpp/inference/variational/laplace.hpp"
#include "edpp/inference/variational/map.hpp"
#include "edpp/inference/variational/variational.hpp"
#include "edpp/inference/variational/wake_sleep.hpp"

// Criticism.
#include "edpp/criticism/draws_csv.hpp"
#include "edpp/criticism/evaluate.hpp"
#include "edpp/criticism/model_comparison.hpp"
#include "edpp/criticism/ppc.hpp"
#include "edpp/criticism/sbc.hpp"
#include "edpp/criticism/summary.hpp"
#include "edpp/inference/mcmc/diagnostics.hpp"

// Data sets (the tutorial's toy_mdn). The gallery's model builders are in <edpp/models.hpp>.
#include "edpp/models/datasets.hpp"
