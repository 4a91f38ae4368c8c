#include "sim/grading/report.hpp"

#include <catch2/catch.hpp>

using namespace archlab;
using namespace archlab::grading;

namespace {
SubmissionGrade sample_grade()
{
  SubmissionGrade grade{"alice", "alice/submission.json", 5, 7, {}, ""};
  CheckResult p99;
  p99.id = "p99";
  p99.title = "p99 <= 550 ms";
  p99.points = 4;
  p99.max_points = 4;
  p99.passed = true;
  p99.measured = "483.9 ms";
  p99.required = "<= 550 ms";
  CheckResult cost = p99;
  cost.id = "cost";
  cost.title = "cost & \"price\" <ok>";
  cost.points = 0;
  cost.max_points = 1;
  cost.passed = false;
  cost.measured = "0.25 USD/h";
  cost.required = "<= 0.07 USD/h";
  cost.hint = "cheaper instances";
  CheckResult hidden = p99;
  hidden.id = "p99-busier";
  hidden.title = "p99 with 10 % more traffic";
  hidden.points = 1;
  hidden.max_points = 2;
  hidden.is_visible = false;
  hidden.passed = false;
  hidden.measured = "856.4 ms";
  hidden.hint = "headroom";
  grade.checks = {p99, cost, hidden};
  return grade;
}
}  // namespace

TEST_CASE("report: hidden checks show only whether they passed", "[grading]")
{
  auto shown = shown_checks(sample_grade().checks, false);
  REQUIRE(shown.size() == 3);
  CHECK(shown[2].title == "hidden check 1");
  CHECK(shown[2].id == "hidden-1");
  CHECK(shown[2].measured.empty());
  CHECK(shown[2].hint.empty());
  CHECK(shown[2].points == 1);
  CHECK(shown_checks(sample_grade().checks, true)[2].title == "p99 with 10 % more traffic");
  for (auto format : {Format::text, Format::json, Format::gradescope, Format::junit}) {
    auto text = format_grade(sample_grade(), "Lab 00", format, false);
    CHECK(text.find("856.4") == std::string::npos);
    CHECK(text.find("headroom") == std::string::npos);
    CHECK(text.find("10 % more traffic") == std::string::npos);
    CHECK(text.find("hidden check 1") != std::string::npos);
  }
}

TEST_CASE("report: text shows measured and required, and the hint of a failed check", "[grading]")
{
  auto text = format_grade(sample_grade(), "Lab 00", Format::text, false);
  CHECK(text.find("PASS     4/4  p99 <= 550 ms\n              measured 483.9 ms; required <= 550 ms\n") != std::string::npos);
  CHECK(text.find("hint: cheaper instances") != std::string::npos);
  CHECK(text.find("score: 5/7") != std::string::npos);
}

TEST_CASE("report: gradescope results carry score and one test per check", "[grading]")
{
  auto results = nlohmann::json::parse(format_grade(sample_grade(), "Lab 00", Format::gradescope, false));
  CHECK(results["score"] == 5);
  REQUIRE(results["tests"].size() == 3);
  CHECK(results["tests"][0]["max_score"] == 4);
  CHECK(results["tests"][1]["status"] == "failed");
  CHECK(results["tests"][1]["visibility"] == "visible");
  CHECK(results["tests"][2]["output"] == "failed");
}

TEST_CASE("report: junit escapes XML and marks failures", "[grading]")
{
  auto xml = format_grade(sample_grade(), "Lab 00", Format::junit, false);
  CHECK(xml.find("cost &amp; &quot;price&quot; &lt;ok&gt;") != std::string::npos);
  CHECK(xml.find("tests=\"3\" failures=\"2\"") != std::string::npos);
  CHECK(xml.find("<failure message=\"measured 0.25 USD/h; required &lt;= 0.07 USD/h\"") != std::string::npos);
  CHECK(xml_escape(std::string("a\x01" "b")) == "a?b");
}

TEST_CASE("report: the gradebook lists every check's points and a one-line note", "[grading]")
{
  auto first = sample_grade();
  auto second = sample_grade();
  second.student = "bob, jr";
  second.note = "the submission cannot be graded:\nsubmission.json:3:3: JSON syntax error";
  CHECK(gradebook_csv({first, second}) ==
        "student,score,max_score,p99,cost,p99-busier,note\n"
        "alice,5,7,4,0,1,\n"
        "\"bob, jr\",5,7,4,0,1,the submission cannot be graded: | submission.json:3:3: JSON syntax error\n");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
}

TEST_CASE("report: format names and feedback files", "[grading]")
{
  CHECK(parse_format("junit") == Format::junit);
  CHECK_FALSE(parse_format("xml"));
  CHECK(feedback_file_name("alice", Format::gradescope) == "alice.results.json");
  CHECK(feedback_file_name("alice", Format::text) == "alice.txt");
}

TEST_CASE("report: a gradebook cell never starts a formula, and no control byte reaches the text", "[grading]")
{
  for (const char* formula : {"=HYPERLINK(\"http://x\",\"y\")", "+1", "-1", "@SUM(A1)"})
    CHECK(csv_field(formula).find('\'') <= 1);  // after the opening quote, if any
  CHECK(csv_field("=1+1") == "'=1+1");
  CHECK(csv_field("alice") == "alice");
  CHECK(printable(std::string("a\0b\x1b[31m\n", 9)) == "a?b?[31m\n");
  auto grade = sample_grade();
  grade.note = std::string("components.a\0b: unknown", 23);
  grade.student = std::string("e\0ve", 4);
  auto text = format_grade(grade, "lab", Format::text, false);
  CHECK(text.find('\0') == std::string::npos);
  CHECK(class_table({grade}).find('\0') == std::string::npos);
  CHECK(gradebook_csv({grade}).find('\0') == std::string::npos);
}

TEST_CASE("report: Gradescope hides hidden checks with its own visibility and says how long grading took", "[grading]")
{
  auto grade = sample_grade();
  grade.elapsed_s = 2.2;
  auto results = nlohmann::json::parse(format_grade(grade, "lab", Format::gradescope, false));
  CHECK(results["execution_time"] == 3);
  for (std::size_t i = 0; i < grade.checks.size(); ++i)
    CHECK(results["tests"][i]["visibility"] == (grade.checks[i].is_visible ? "visible" : "after_published"));
}
