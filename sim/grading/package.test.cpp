#include "sim/grading/package.hpp"

#include "sim/core/problems.hpp"

#include <catch2/catch.hpp>

using namespace archlab;
using namespace archlab::grading;

TEST_CASE("package: the bundle carries every library ldd lists but the C library family", "[grading]")
{
  auto libraries = bundled_libraries("\tlinux-vdso.so.1 (0x00007ffd)\n"
                                     "\tlibsimgrid.so.3.32 => /lib/x86_64-linux-gnu/libsimgrid.so.3.32 (0x00007f01)\n"
                                     "\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f02)\n"
                                     "\tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f03)\n"
                                     "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f04)\n"
                                     "\t/lib64/ld-linux-x86-64.so.2 (0x00007f05)\n");
  REQUIRE(libraries.size() == 2);
  CHECK(libraries[0].name == "libsimgrid.so.3.32");
  CHECK(libraries[0].path == "/lib/x86_64-linux-gnu/libsimgrid.so.3.32");
  CHECK(libraries[1].name == "libstdc++.so.6");
  CHECK_THROWS_AS(bundled_libraries("\tlibgone.so.1 => not found\n"), InputError);
}

TEST_CASE("package: the scripts install nothing and always leave a result", "[grading]")
{
  for (const auto& script : {gradescope_setup_script(), gradescope_run_script("00-queueing", "submission.json"),
                             prairielearn_run_script("00-queueing", "submission.json")}) {
    for (const char* installer : {"apt-get", "apt install", "pip install", "pip3", "cmake", "curl", "wget"})
      CHECK(script.find(installer) == std::string::npos);
  }
  CHECK(gradescope_run_script("00-queueing", "submission.json").find("grader/labs/00-queueing") != std::string::npos);
  CHECK(prairielearn_run_script("00-queueing", "model.json").find("/student/model.json") != std::string::npos);
}
