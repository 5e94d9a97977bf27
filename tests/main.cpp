// The doctest runner: the only translation unit that instantiates doctest's implementation.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
