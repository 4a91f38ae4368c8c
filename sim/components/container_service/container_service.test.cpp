#include "sim/components/container_service/container_service.hpp"

#include <catch2/catch.hpp>

using archlab::fargate_size_problem;

TEST_CASE("conformance (Fargate task sizes: each CPU size takes a range of memory)", "[container_service][conformance]")
{
  CHECK(fargate_size_problem(0.25, 0.5).empty());
  CHECK(fargate_size_problem(0.25, 2).empty());
  CHECK_FALSE(fargate_size_problem(0.25, 4).empty());
  CHECK(fargate_size_problem(1, 8).empty());
  CHECK(fargate_size_problem(1, 16) == "a task of 1 vCPU takes 2 to 8 GB of memory on Fargate");
  CHECK(fargate_size_problem(4, 30).empty());
  CHECK(fargate_size_problem(16, 120).empty());
  CHECK(fargate_size_problem(0.3, 1).rfind("task_cpu must be a Fargate size", 0) == 0);
}
