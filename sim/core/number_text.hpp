// A number as a person reads it in a log line or a message: %g, so 0.5, 120 and 1e+06, not 0.500000.
#pragma once

#include <cstdio>
#include <string>

namespace archlab {

inline std::string number_text(double value)
{
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

}  // namespace archlab
