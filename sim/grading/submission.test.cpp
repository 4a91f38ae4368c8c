#include "sim/grading/submission.hpp"

#include <catch2/catch.hpp>
#include <fstream>

using namespace archlab;
using namespace archlab::grading;
namespace fs = std::filesystem;

namespace {
struct TempFolder {  // removed at the end of the test
  fs::path dir;
  TempFolder()
  {
    auto pattern = (fs::temp_directory_path() / "archlab-grading-test-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()));
    dir = pattern;
  }
  ~TempFolder() { fs::remove_all(dir); }
  void write(const fs::path& name, const std::string& text)
  {
    fs::create_directories((dir / name).parent_path());
    std::ofstream(dir / name) << text;
  }
};
}  // namespace

TEST_CASE("submission: every string called file is a reference, wherever it is", "[grading]")
{
  auto model = nlohmann::json::parse(R"({"components": {"s": {"service_time_ms": {"dist": "empirical", "file": "a.csv"},
    "handlers": {"x": {"service_time_ms": {"dist": "empirical", "file": "/etc/passwd"}}}}},
    "scenarios": {"z": {"faults": [{"file": "b.csv"}]}}, "file": 3})");
  auto found = file_references(model);
  REQUIRE(found.size() == 3);
  CHECK(found[0].path == "components.s.handlers.x.service_time_ms.file");
  CHECK(found[0].value == "/etc/passwd");
  CHECK(found[1].path == "components.s.service_time_ms.file");
  CHECK(found[2].path == "scenarios.z.faults[0].file");
}

TEST_CASE("submission: absolute and climbing references leave the folder", "[grading]")
{
  CHECK(leaves_folder("/etc/passwd"));
  CHECK(leaves_folder("../x.csv"));
  CHECK(leaves_folder("data/../../x.csv"));
  CHECK(leaves_folder(""));
  CHECK_FALSE(leaves_folder("data/../x.csv"));
  CHECK_FALSE(leaves_folder("data/x.csv"));
  CHECK_FALSE(leaves_folder("./x.csv"));
}

TEST_CASE("submission: a link inside the folder that leads out is refused", "[grading]")
{
  TempFolder folder;
  folder.write("student/samples.csv", "1\n2\n");
  folder.write("secret.csv", "42\n");
  fs::create_symlink(folder.dir / "secret.csv", folder.dir / "student" / "link.csv");
  auto student = folder.dir / "student";
  CHECK(unsafe_references({{"a.file", "samples.csv"}}, student).empty());
  auto problems = unsafe_references({{"a.file", "link.csv"}, {"b.file", "/etc/passwd"}}, student);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].path == "a.file");
  CHECK(problems[0].message.find("leads outside the submission folder") != std::string::npos);
  CHECK(problems[1].message.find("is outside the submission folder") != std::string::npos);
}

TEST_CASE("submission: the graded model carries the lab's scenarios, not the student's", "[grading]")
{
  auto model = nlohmann::json::parse(R"({"components": {}, "scenarios": {"mine": {}}})");
  auto graded = graded_document(model, nlohmann::json::parse(R"({"target-load": {"set": {}}})"));
  CHECK(graded["scenarios"].size() == 1);
  CHECK(graded["scenarios"].contains("target-load"));
  CHECK_FALSE(graded_document(model, nlohmann::json::object()).contains("scenarios"));
}

TEST_CASE("submission: reading reports syntax errors by the name shown, and refuses huge files", "[grading]")
{
  TempFolder folder;
  folder.write("s.json", "{\n  \"a\": 1\n  \"b\": 2\n}\n");
  std::vector<Problem> problems;
  CHECK_FALSE(read_submission(folder.dir / "s.json", "submission.json", 1 << 20, problems));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].path.rfind("submission.json:3:", 0) == 0);  // line 3: the missing comma
  problems.clear();
  folder.write("big.json", std::string(2048, ' ') + "{}");
  CHECK_FALSE(read_submission(folder.dir / "big.json", "big.json", 1024, problems));
  CHECK(problems.at(0).message.find("at most 1 KiB") != std::string::npos);
  problems.clear();
  folder.write("ok.json", "// a comment\n{\"components\": {}}");
  CHECK(read_submission(folder.dir / "ok.json", "ok.json", 1024, problems));
}

TEST_CASE("submission: a folder of folders is a class, sorted, each with its model or why not", "[grading]")
{
  TempFolder folder;
  folder.write("class/bob/submission.json", "{}");
  folder.write("class/alice/submission.json", "{}");
  folder.write("class/carol/notes.txt", "");
  folder.write("one/submission.json", "{}");
  bool is_batch = false;
  auto students = find_students({(folder.dir / "class").string()}, "submission.json", is_batch);
  CHECK(is_batch);
  REQUIRE(students.size() == 3);
  CHECK(students[0].name == "alice");
  CHECK(students[2].name == "carol");
  CHECK(students[2].missing == "no submission.json in the folder carol");
  students = find_students({(folder.dir / "one").string() + "/"}, "submission.json", is_batch);
  CHECK_FALSE(is_batch);
  CHECK(students.at(0).name == "one");
  CHECK_THROWS_AS(find_students({(folder.dir / "nowhere").string()}, "submission.json", is_batch), InputError);
  CHECK_THROWS_AS(find_students({(folder.dir / "class" / "carol").string()}, "submission.json", is_batch), InputError);
  CHECK_THROWS_AS(find_students({(folder.dir / "one").string(), (folder.dir / "one" / "submission.json").string()}, "submission.json", is_batch),
                  InputError);
}
