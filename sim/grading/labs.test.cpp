#include "sim/grading/labs.hpp"

#include <catch2/catch.hpp>

using namespace archlab::grading;

TEST_CASE("labs: the title is the first heading, the goal the paragraph after it", "[grading]")
{
  std::string title, goal;
  read_lab_readme("# Lab 00: queueing\n\nPredict, then simulate,\nthen compare.\n\n## Steps\n1. x\n", title, goal);
  CHECK(title == "Lab 00: queueing");
  CHECK(goal == "Predict, then simulate, then compare.");
  read_lab_readme("no heading at all\n", title, goal);
  CHECK(title.empty());
  CHECK(goal.empty());
  read_lab_readme("# T\n![diagram](x.svg)\n\nGoal line.\n", title, goal);
  CHECK(goal == "Goal line.");
  read_lab_readme("# T\r\n\r\nWindows line ends.\r\n", title, goal);
  CHECK(goal == "Windows line ends.");
}

TEST_CASE("labs: --labs wins over the environment, which wins over the compiled-in folder", "[grading]")
{
  CHECK(choose_labs_dir("/flag", "/env", "/built") == "/flag");
  CHECK(choose_labs_dir("", "/env", "/built") == "/env");
  CHECK(choose_labs_dir("", "", "/built") == "/built");
  CHECK(choose_labs_dir("", nullptr, "/built") == "/built");
}
