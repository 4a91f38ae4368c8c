#include "sim/webreport/report_page.hpp"

#include "sim/analysis/architecture.hpp"
#include "sim/diagram/graphviz_diagram.hpp"
#include "sim/webreport/page_text.hpp"

#include <stdexcept>

namespace archlab::webreport {

namespace {

void erase_all(std::string& text, const std::string& part)
{
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at))
    text.erase(at, part.size());
}

std::string escape_text(const std::string& text)
{
  std::string escaped;
  for (char c : text)
    escaped += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : std::string(1, c);
  return escaped;
}

}  // namespace

std::string fill_template(const std::string& page, const std::map<std::string, std::string>& parts)
{
  std::string filled;
  std::size_t from = 0;
  for (auto open = page.find("{{"); open != std::string::npos; open = page.find("{{", from)) {
    auto close = page.find("}}", open);
    if (close == std::string::npos)
      break;
    auto part = parts.find(page.substr(open + 2, close - open - 2));
    if (part == parts.end())
      throw std::logic_error("the report page has no part named " + page.substr(open, close + 2 - open));
    filled += page.substr(from, open - from) + part->second;
    from = close + 2;
  }
  return filled + page.substr(from);
}

std::string json_for_script(const nlohmann::json& data)
{
  // '<' only occurs inside JSON strings, where \u003c means the same: no "</script>" or "<!--" can end the element.
  std::string text = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string safe;
  safe.reserve(text.size());
  for (char c : text)
    safe += c == '<' ? std::string("\\u003c") : std::string(1, c);
  return safe;
}

std::string inline_svg(const std::string& svg)
{
  auto start = svg.find("<svg");
  std::string inline_text = start == std::string::npos ? svg : svg.substr(start);
  erase_all(inline_text, " xmlns=\"http://www.w3.org/2000/svg\"");
  erase_all(inline_text, " xmlns:xlink=\"http://www.w3.org/1999/xlink\"");
  return inline_text;
}

std::string report_html(const ReportInputs& inputs)
{
  const nlohmann::json data = report_data(inputs);
  const auto placeholders = state_placeholders(data);
  diagram::DiagramOptions options;
  options.title = data.at("title").get<std::string>();
  options.live_state_lines = &placeholders;
  const auto architecture = analysis::build_architecture(inputs.model_document.at("components"));
  const std::string svg = diagram::render_diagram(architecture, options, diagram::OutputFormat::svg);
  return fill_template(page_html, {{"title", escape_text(options.title)},
                                   {"style", page_css},
                                   {"script", page_js},
                                   {"diagram", inline_svg(svg)},
                                   {"data", json_for_script(data)}});
}

}  // namespace archlab::webreport
