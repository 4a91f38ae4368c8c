#include "sim/core/run_control.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

TEST_CASE("run control: why a run that ran out of events is unfinished", "[run_control]")
{
  RunSettings settings;
  settings.requests = 10;
  RunControl nothing_sent(settings);
  CHECK(nothing_sent.why_unfinished() == "the simulation ran out of events after 0 of run.requests = 10 requests were sent: "
                                         "no client had another request to send");
  RunControl lost(settings);
  lost.on_send(0);
  lost.on_send(0);
  lost.on_done(1);
  CHECK(lost.why_unfinished().find("with 1 requests unanswered (a component lost them)") != std::string::npos);
}
