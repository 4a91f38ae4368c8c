// The run report's page from a run's data, shared by `archlab report` (files read back) and
// `archlab run --report` (the run's own, before its folder is committed).
#pragma once

#include <istream>
#include <nlohmann/json.hpp>
#include <string>

namespace archlab::cli {

// Throws InputError naming signals_origin when signals.csv is malformed.
std::string run_report_html(const nlohmann::json& model_document, const nlohmann::json& summary, std::istream& signals_csv,
                            const std::string& signals_origin, std::istream& events_log);

}  // namespace archlab::cli
