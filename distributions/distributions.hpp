// Every distribution family, in one include.
#pragma once

#include "edpp/distributions/bijectors.hpp"
#include "edpp/distributions/bounded.hpp"
#include "edpp/distributions/categorical.hpp"
#include "edpp/distributions/copy.hpp"
#include "edpp/distributions/discrete.hpp"
#include "edpp/distributions/empirical.hpp"
#include "edpp/distributions/improper.hpp"
#include "edpp/distributions/location_scale.hpp"
#include "edpp/distributions/mixture.hpp"
#include "edpp/distributions/multivariate.hpp"
#include "edpp/distributions/normal.hpp"
#include "edpp/distributions/point_mass.hpp"
#include "edpp/distributions/positive.hpp"
#include "edpp/distributions/random_variable.hpp"
#include "edpp/distributions/support.hpp"
