#include "sim/cli/run_report.hpp"

#include "sim/diagram/signal_table.hpp"
#include "sim/webreport/report_page.hpp"

namespace archlab::cli {

std::string run_report_html(const nlohmann::json& model_document, const nlohmann::json& summary, std::istream& signals_csv,
                            const std::string& signals_origin, std::istream& events_log)
{
  const auto signals = diagram::read_signal_table(signals_csv, signals_origin);
  return webreport::report_html({model_document, summary, signals, events_log});
}

}  // namespace archlab::cli
