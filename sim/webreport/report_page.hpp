// The run report: one HTML file that needs nothing else (no network, no other file; it opens from
// file://), built from a run's files. The page itself (markup, style, script) is page/report.*,
// compiled in; the diagram is drawn in process (sim/diagram/) and the data is report_data().
#pragma once

#include "sim/webreport/report_data.hpp"

#include <map>
#include <string>

namespace archlab::webreport {

std::string report_html(const ReportInputs& inputs);

// The pieces, for tests: the template filled in (every {{name}} marker replaced, in one pass so
// that nothing inserted is read as a marker); JSON safe inside <script> (every '<' escaped); an SVG
// made fit to sit inside HTML (no XML prolog, no namespace declarations, which HTML does not need).
std::string fill_template(const std::string& page, const std::map<std::string, std::string>& parts);
std::string json_for_script(const nlohmann::json& data);
std::string inline_svg(const std::string& svg);

}  // namespace archlab::webreport
