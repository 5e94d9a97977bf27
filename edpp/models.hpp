// The gallery's model builders (ed::models): the MDN, mixtures, regressions, classifiers, latent
// variable models, posteriordb's posteriors, and data simulated from them. Apart from the
// umbrella header, which holds the user's API only.
#pragma once

#include "edpp/edpp.hpp"
#include "edpp/models/change_point.hpp"
#include "edpp/models/classification.hpp"
#include "edpp/models/datasets.hpp"
#include "edpp/models/gmm.hpp"
#include "edpp/models/latent.hpp"
#include "edpp/models/mdn.hpp"
#include "edpp/models/numpy_random.hpp"
#include "edpp/models/posteriordb.hpp"
#include "edpp/models/regression.hpp"
#include "edpp/models/simulate.hpp"
