#include "http_message.hpp"

#include <cctype>
#include <cstdio>

namespace archlab::real::http {

std::optional<std::string> Request::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (iequals(key, name)) return value;
    }
    return std::nullopt;
}

std::pair<std::string, std::string> split_target(std::string_view target) {
    const auto question = target.find('?');
    if (question == std::string_view::npos) return {std::string(target), std::string()};
    return {std::string(target.substr(0, question)), std::string(target.substr(question + 1))};
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

std::string json_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 8);
    for (const char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
                    out += buffer;
                } else {
                    out += c;  // UTF-8 bytes pass through unchanged
                }
        }
    }
    return out;
}

Response json_error(int status, std::string_view message) {
    Response response;
    response.status = status;
    response.body = "{\"error\":\"" + json_escape(message) + "\"}";
    return response;
}

Response response_for_read_failure(ReadFailure failure, std::size_t max_body_bytes,
                                   std::size_t max_header_bytes) {
    switch (failure) {
        case ReadFailure::body_too_large:
            return json_error(413, "request body too large: the limit is max_body_bytes = " +
                                       std::to_string(max_body_bytes) + " bytes");
        case ReadFailure::headers_too_large:
            return json_error(431, "request headers too large: the limit is max_header_bytes = " +
                                       std::to_string(max_header_bytes) + " bytes");
        case ReadFailure::malformed:
            break;
    }
    return json_error(400, "malformed HTTP request");
}

Response response_for_handler_exception() {
    return json_error(500, "internal server error");
}

}  // namespace archlab::real::http
