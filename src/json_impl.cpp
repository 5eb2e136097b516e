// Boost.JSON, compiled once for the whole library (it is used header-only everywhere else).
#include <boost/json/src.hpp>
