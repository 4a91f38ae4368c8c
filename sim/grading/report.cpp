#include "sim/grading/report.hpp"

#include <cmath>
#include <cstdio>

namespace archlab::grading {

namespace {
using ordered = nlohmann::ordered_json;

// JSON that never throws on the bytes a student wrote (invalid UTF-8 is replaced, not fatal).
std::string dumped(const ordered& document) { return document.dump(2, ' ', false, ordered::error_handler_t::replace) + "\n"; }

std::string points(double value) { return format_number(value); }

// A note on one line, for a table cell.
std::string one_line(const std::string& note, std::size_t max_chars)
{
  std::string out;
  for (char c : note)
    out += c == '\n' ? std::string(" | ") : std::string(1, c);
  return out.size() > max_chars ? out.substr(0, max_chars - 3) + "..." : out;
}

// Lines a student reads under a check: what was measured against what was required, and, for a
// check that failed, why and the hint.
std::string details(const CheckResult& check)
{
  std::string text;
  if (!check.measured.empty())
    text += "measured " + check.measured + "; required " + check.required + "\n";
  if (!check.passed && !check.message.empty() && (check.measured.empty() || check.message.find('\n') != std::string::npos))
    text += check.message + "\n";
  if (!check.passed && !check.hint.empty())
    text += "hint: " + check.hint + "\n";
  return text;
}

std::string indented(const std::string& text, const std::string& indent)
{
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    auto line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    out += (line.empty() ? "" : indent + line) + "\n";
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return out;
}

// Control bytes (a NUL from a component a student named "a\u0000b", an escape sequence) never
// reach a terminal or a text file.
std::string text_report(const SubmissionGrade& grade, const std::string& title, const std::vector<CheckResult>& checks)
{
  std::string out = title + "\nsubmission: " + grade.file + "\n";
  if (!grade.note.empty())
    out += "\n" + indented(grade.note, "  ");
  out += "\n";
  for (const auto& check : checks) {
    char head[64];
    auto score = points(check.points) + "/" + points(check.max_points);
    std::snprintf(head, sizeof head, "%s %7s  ", check.passed ? "PASS" : "FAIL", score.c_str());
    out += head + check.title + "\n";
    if (grade.note.empty())
      out += indented(details(check), "              ");
  }
  return printable(out + "\nscore: " + points(grade.score) + "/" + points(grade.max_score) + "\n");
}

ordered json_report(const SubmissionGrade& grade, const std::string& title, const std::vector<CheckResult>& checks)
{
  ordered out = {{"lab", title}, {"student", grade.student}, {"submission", grade.file}, {"score", grade.score}, {"max_score", grade.max_score}};
  if (!grade.note.empty())
    out["note"] = grade.note;
  out["checks"] = ordered::array();
  for (const auto& check : checks) {
    ordered row = {{"id", check.id}, {"title", check.title}, {"points", check.points}, {"max_points", check.max_points},
                   {"passed", check.passed}, {"visible", check.is_visible}};
    if (!check.measured.empty() || !check.message.empty()) {
      row["measured"] = check.measured;
      row["required"] = check.required;
      row["message"] = check.message;
      row["hint"] = check.hint;
    }
    out["checks"].push_back(row);
  }
  return out;
}

ordered gradescope_report(const SubmissionGrade& grade, const std::string& title, const std::vector<CheckResult>& checks)
{
  ordered out = {{"score", grade.score}, {"execution_time", static_cast<long long>(std::ceil(grade.elapsed_s))},
                 {"output", title + (grade.note.empty() ? "" : "\n\n" + grade.note)}, {"stdout_visibility", "hidden"}};
  out["tests"] = ordered::array();
  int number = 0;
  for (const auto& check : checks) {
    auto output = grade.note.empty() ? details(check) : std::string();
    if (output.empty())
      output = check.passed ? "passed" : "failed";
    out["tests"].push_back({{"name", check.title}, {"number", std::to_string(++number)}, {"score", check.points}, {"max_score", check.max_points},
                            {"status", check.passed ? "passed" : "failed"}, {"output", output},
                            {"visibility", check.is_visible ? "visible" : "after_published"}});
  }
  return out;
}

// PrairieLearn's external-grader results.json: score is a fraction in [0, 1]; a submission that could
// not be read at all is "not gradable" (PrairieLearn then does not count the attempt).
ordered prairielearn_report(const SubmissionGrade& grade, const std::string& title, const std::vector<CheckResult>& checks)
{
  ordered out;
  out["gradable"] = grade.note.empty();
  if (!grade.note.empty()) {
    out["format_errors"] = ordered::array({grade.note});
    out["score"] = 0.0;
    out["message"] = title + ": " + grade.note;
    return out;
  }
  out["score"] = grade.max_score > 0 ? grade.score / grade.max_score : 0.0;
  out["message"] = title + ": " + points(grade.score) + "/" + points(grade.max_score);
  out["tests"] = ordered::array();
  for (const auto& check : checks) {
    auto output = details(check);
    out["tests"].push_back({{"name", check.title}, {"points", check.points}, {"max_points", check.max_points},
                            {"message", check.passed ? "passed" : "failed"}, {"output", output.empty() ? (check.passed ? "passed" : "failed") : output}});
  }
  return out;
}

std::string junit_report(const SubmissionGrade& grade, const std::string& title, const std::vector<CheckResult>& checks)
{
  int failures = 0;
  for (const auto& check : checks)
    failures += check.passed ? 0 : 1;
  auto count = std::to_string(checks.size());
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"" + xml_escape(title) + "\" tests=\"" + count +
                    "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\">\n";
  out += "  <testsuite name=\"" + xml_escape(grade.student) + "\" tests=\"" + count + "\" failures=\"" + std::to_string(failures) +
         "\" errors=\"0\" skipped=\"0\">\n    <properties>\n";
  out += "      <property name=\"score\" value=\"" + points(grade.score) + "\"/>\n      <property name=\"max_score\" value=\"" + points(grade.max_score) + "\"/>\n";
  out += "      <property name=\"submission\" value=\"" + xml_escape(grade.file) + "\"/>\n    </properties>\n";
  for (const auto& check : checks) {
    out += "    <testcase name=\"" + xml_escape(check.title) + "\" classname=\"" + xml_escape(grade.student + "." + check.id) + "\"";
    auto text = grade.note.empty() ? details(check) : grade.note + "\n";
    auto score = "points: " + points(check.points) + "/" + points(check.max_points) + "\n";
    if (check.passed) {
      out += ">\n      <system-out>" + xml_escape(score + text) + "</system-out>\n    </testcase>\n";
    } else {
      auto first = text.substr(0, text.find('\n'));
      out += ">\n      <failure message=\"" + xml_escape(first.empty() ? "failed" : first) + "\" type=\"check\">" + xml_escape(score + text) +
             "</failure>\n    </testcase>\n";
    }
  }
  return out + "  </testsuite>\n</testsuites>\n";
}
}  // namespace

std::optional<Format> parse_format(const std::string& name)
{
  if (name == "text") return Format::text;
  if (name == "json") return Format::json;
  if (name == "gradescope") return Format::gradescope;
  if (name == "junit") return Format::junit;
  if (name == "prairielearn") return Format::prairielearn;
  return std::nullopt;
}

std::string feedback_file_name(const std::string& student, Format format)
{
  switch (format) {
  case Format::text: return student + ".txt";
  case Format::json: return student + ".json";
  case Format::gradescope: return student + ".results.json";
  case Format::junit: return student + ".xml";
  case Format::prairielearn: return student + ".pl.json";
  }
  return student;
}

std::vector<CheckResult> shown_checks(const std::vector<CheckResult>& checks, bool reveal_hidden)
{
  std::vector<CheckResult> shown;
  int hidden = 0;
  for (const auto& check : checks) {
    if (check.is_visible || reveal_hidden) {
      shown.push_back(check);
      continue;
    }
    CheckResult masked;
    masked.id = "hidden-" + std::to_string(++hidden);
    masked.title = "hidden check " + std::to_string(hidden);
    masked.points = check.points;
    masked.max_points = check.max_points;
    masked.passed = check.passed;
    masked.is_visible = false;
    shown.push_back(masked);
  }
  return shown;
}

std::string format_grade(const SubmissionGrade& grade, const std::string& lab_title, Format format, bool reveal_hidden)
{
  auto checks = shown_checks(grade.checks, reveal_hidden);
  switch (format) {
  case Format::text: return text_report(grade, lab_title, checks);
  case Format::json: return dumped(json_report(grade, lab_title, checks));
  case Format::gradescope: return dumped(gradescope_report(grade, lab_title, checks));
  case Format::junit: return junit_report(grade, lab_title, checks);
  case Format::prairielearn: return dumped(prairielearn_report(grade, lab_title, checks));
  }
  return "";
}

std::string xml_escape(const std::string& text)
{
  std::string out;
  for (unsigned char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&apos;"; break;
    default:
      if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
        out += '?';  // not allowed in XML 1.0, even escaped
      else
        out += static_cast<char>(c);
    }
  }
  return out;
}

std::string printable(const std::string& text)
{
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text)
    out += (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ? '?' : static_cast<char>(c);
  return out;
}

std::string csv_field(const std::string& raw)
{
  auto text = printable(raw);
  // A spreadsheet runs a cell that starts like a formula (=HYPERLINK(...), +, -, @): a leading
  // apostrophe keeps it text.
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' || text[0] == '\t'))
    text = "'" + text;
  if (text.find_first_of(",\"\n\r") == std::string::npos)
    return text;
  std::string out = "\"";
  for (char c : text)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string gradebook_csv(const std::vector<SubmissionGrade>& grades)
{
  std::string out = "student,score,max_score";
  if (!grades.empty())
    for (const auto& check : grades.front().checks)
      out += ',' + csv_field(check.id);
  out += ",note\n";
  for (const auto& grade : grades) {
    out += csv_field(grade.student) + "," + points(grade.score) + "," + points(grade.max_score);
    for (const auto& check : grade.checks)
      out += ',' + points(check.points);
    out += ',' + csv_field(one_line(grade.note, 300)) + '\n';
  }
  return out;
}

std::string progress_line(const SubmissionGrade& grade, std::size_t name_width)
{
  char line[512];
  auto score = points(grade.score) + "/" + points(grade.max_score);
  auto student = printable(grade.student), note = printable(one_line(grade.note, 120));
  std::snprintf(line, sizeof line, "%-*s  %7s  %s\n", static_cast<int>(name_width), student.c_str(), score.c_str(), note.c_str());
  return line;
}

std::string class_table(const std::vector<SubmissionGrade>& grades)
{
  std::size_t width = 7;
  for (const auto& grade : grades)
    width = std::max(width, grade.student.size());
  char line[512];
  std::snprintf(line, sizeof line, "%-*s  %7s  %s\n", static_cast<int>(width), "student", "score", "note");
  std::string out = line;
  for (const auto& grade : grades)
    out += progress_line(grade, width);
  return out;
}

}  // namespace archlab::grading
