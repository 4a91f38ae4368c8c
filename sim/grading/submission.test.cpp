#include "sim/grading/submission.hpp"

#include "sim/grading/safe_files.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sys/stat.h>

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
  auto graded = nlohmann::json::parse(graded_text(model, nlohmann::json::parse(R"({"target-load": {"set": {}}})")));
  CHECK(graded["scenarios"].size() == 1);
  CHECK(graded["scenarios"].contains("target-load"));
  CHECK(model == nlohmann::json::parse(R"({"components": {}, "scenarios": {"mine": {}}})"));  // as written again
  CHECK_FALSE(nlohmann::json::parse(graded_text(model, nlohmann::json::object())).contains("scenarios"));
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

TEST_CASE("submission: links, hard links, FIFOs and deep documents are refused unread", "[grading]")
{
  TempFolder folder;
  folder.write("sub/ok.json", R"({"name": "x", "components": {}, "run": {}})");
  folder.write("secret.txt", "root:x:0:0\n");
  fs::create_symlink(folder.dir / "secret.txt", folder.dir / "sub" / "link.json");
  fs::create_hard_link(folder.dir / "secret.txt", folder.dir / "sub" / "hard.json");
  fs::create_directory_symlink(folder.dir, folder.dir / "sub" / "up");
  REQUIRE(mkfifo((folder.dir / "sub" / "fifo.json").c_str(), 0600) == 0);
  auto sub = folder.dir / "sub";
  CHECK(read_student_file(sub, "ok.json", 1024).data);
  CHECK(read_student_file(sub, "link.json", 1024).problem.find("is a link") == 0);
  CHECK(read_student_file(sub, "up/secret.txt", 1024).problem.find("is a link") == 0);
  CHECK(read_student_file(sub, "hard.json", 1024).problem.find("other hard links") != std::string::npos);
  CHECK(read_student_file(sub, "fifo.json", 1024).problem.find("not a regular file") != std::string::npos);
  CHECK(read_student_file(sub, "none.json", 1024).problem == "is not in the submission");
  std::vector<Problem> problems;
  CHECK_FALSE(read_submission(sub / "hard.json", "hard.json", 1024, problems));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message.find("root:") == std::string::npos);

  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto too_deep = nesting_deeper_than(deep, max_model_nesting);
  REQUIRE(too_deep);
  CHECK(too_deep->column == max_model_nesting + 1);
  CHECK_FALSE(nesting_deeper_than(R"({"a": "[[[[", /* {{{{ */ "b": [1] // [[[[
  })", 2));
  folder.write("sub/deep.json", "{\"a\":" + deep + "}");
  problems.clear();
  CHECK_FALSE(read_submission(sub / "deep.json", "deep.json", 1 << 20, problems));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].path == "deep.json:1:" + std::to_string(max_model_nesting + 5));  // after {"a":, the first [ too many
  folder.write("sub/huge.json", R"({"run": {"requests": 1e999}})");
  problems.clear();
  CHECK_FALSE(read_submission(sub / "huge.json", "huge.json", 1024, problems));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message.find("is too large") != std::string::npos);  // the reader's words: a double holds at most about 1.8e308
}

TEST_CASE("submission: in a class, links are refused under their own name; a folder called submission.json is a submission", "[grading]")
{
  TempFolder folder;
  folder.write("class/alice/submission.json", "{}");
  folder.write("class/zed/submission.json", "{}");
  fs::create_directory_symlink(folder.dir / "class" / "zed", folder.dir / "class" / "bob");
  fs::create_symlink("loop", folder.dir / "class" / "loop");
  fs::create_directories(folder.dir / "class" / "carol" / "submission.json");
  bool is_batch = false;
  auto students = find_students({(folder.dir / "class").string()}, "submission.json", is_batch);
  REQUIRE(students.size() == 5);
  CHECK(students[1].name == "bob");
  CHECK(students[1].missing.find("is a link") != std::string::npos);
  CHECK(students[2].missing.find("is a folder, not a file") != std::string::npos);
  CHECK(students[3].name == "loop");
  CHECK(students[4].missing.empty());
  students = find_students({(folder.dir / "class" / "carol").string()}, "submission.json", is_batch);
  CHECK_FALSE(is_batch);
  REQUIRE(students.size() == 1);
  CHECK(students[0].missing.find("is a folder, not a file") != std::string::npos);
}
