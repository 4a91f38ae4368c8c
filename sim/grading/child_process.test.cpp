#include "sim/grading/child_process.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <thread>

using namespace archlab::grading;

TEST_CASE("child process: output, exit status and working folder come back", "[grading]")
{
  auto result = run_child({"/bin/sh", "-c", "pwd; echo oops >&2; exit 3"}, "/tmp", {5, 5, 512});
  CHECK(result.ending == ChildEnding::exited);
  CHECK(result.exit_code == 3);
  CHECK(result.out == "/tmp\n");
  CHECK(result.err == "oops\n");
}

TEST_CASE("child process: the wall-clock limit kills the whole group, grandchildren too", "[grading]")
{
  auto started = std::chrono::steady_clock::now();
  // The grandchild keeps the pipes open: only killing the group ends the wait.
  auto result = run_child({"/bin/sh", "-c", "sleep 30 & sleep 30"}, "/tmp", {0.3, 5, 512});
  auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  CHECK(result.ending == ChildEnding::wall_limit);
  CHECK(took < 5);
  CHECK(describe_failure(result, {0.3, 5, 512}).find("wall-clock limit of 0.3 s") != std::string::npos);
}

TEST_CASE("child process: a program that cannot start exits 127", "[grading]")
{
  auto result = run_child({"/nonexistent/archlab"}, "/tmp", {5, 5, 512});
  CHECK(result.ending == ChildEnding::exited);
  CHECK(result.exit_code == 127);
}

TEST_CASE("child process: failures read as sentences a student can act on", "[grading]")
{
  ChildLimits limits{10, 10, 1024};
  ChildResult ok{ChildEnding::exited, 0, 0, "{}", ""};
  CHECK(describe_failure(ok, limits).empty());
  ChildResult invalid{ChildEnding::exited, 2, 0, "", "error: components.server.concurrency: must be >= 1\n"};
  CHECK(describe_failure(invalid, limits) == "the model is not valid:\nerror: components.server.concurrency: must be >= 1");
  ChildResult memory{ChildEnding::exited, 1, 0, "", "archlab: the run failed: std::bad_alloc\n"};
  CHECK(describe_failure(memory, limits) == "the simulation ran out of memory at the limit of 1024 MB");
  ChildResult cpu{ChildEnding::signalled, -1, SIGXCPU, "", ""};
  CHECK(describe_failure(cpu, limits).find("CPU-time limit of 10 s") != std::string::npos);
  ChildResult crash{ChildEnding::signalled, -1, SIGSEGV, "", ""};
  CHECK(describe_failure(crash, limits).find("crashed (signal 11") != std::string::npos);
  std::string many;
  for (int i = 0; i < 30; ++i)
    many += "error: line " + std::to_string(i) + "\n";
  ChildResult long_list{ChildEnding::exited, 2, 0, "", many};
  auto text = describe_failure(long_list, limits);
  CHECK(text.find("line 11") != std::string::npos);
  CHECK(text.find("line 12") == std::string::npos);
  CHECK(text.substr(text.size() - 3) == "...");
}

TEST_CASE("child process: a stopping grader kills the children it is waiting for", "[grading]")
{
  auto started = std::chrono::steady_clock::now();
  std::thread stopper([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    kill_running_children();
  });
  auto result = run_child({"/bin/sh", "-c", "sleep 30"}, "/tmp", {20, 20, 512});
  stopper.join();
  auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  CHECK(result.ending == ChildEnding::signalled);
  CHECK(result.signal == SIGKILL);
  CHECK(took < 5);
}
