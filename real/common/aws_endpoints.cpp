#include "aws_endpoints.hpp"

#include <cstdlib>
#include <stdexcept>

namespace archlab::real {

namespace {

// Empty counts as unset, as in aws_credentials.cpp: `export AWS_REGION=` is a
// common way to clear a variable.
std::string variable(const GetenvFunction& getenv, const std::string& name) {
    const char* value = getenv(name.c_str());
    return value == nullptr ? std::string() : std::string(value);
}

std::string without_trailing_slashes(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

}  // namespace

const char* process_getenv(const char* name) { return std::getenv(name); }

std::string region_from_environment(const GetenvFunction& getenv) {
    for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
        auto value = variable(getenv, name);
        if (!value.empty()) return value;
    }
    throw std::runtime_error(
        "no AWS region configured: set AWS_REGION or AWS_DEFAULT_REGION (e.g. us-east-1)");
}

ServiceEndpoint endpoint_from_environment(const GetenvFunction& getenv,
                                          const std::string& service_env_suffix,
                                          const std::string& default_host_prefix,
                                          const std::string& signing_name) {
    ServiceEndpoint endpoint{.url = {}, .region = region_from_environment(getenv),
                             .signing_name = signing_name};
    for (const auto& name : {"AWS_ENDPOINT_URL_" + service_env_suffix, std::string("AWS_ENDPOINT_URL")}) {
        auto value = variable(getenv, name);
        if (value.empty()) continue;
        try {
            parse_url(value);  // fail at start-up, naming the variable, not at the first request
        } catch (const std::invalid_argument& error) {
            throw std::runtime_error(name + ": " + error.what());
        }
        endpoint.url = without_trailing_slashes(value);
        return endpoint;
    }
    endpoint.url = "https://" + default_host_prefix + "." + endpoint.region + ".amazonaws.com";
    return endpoint;
}

ServiceEndpoint sqs_endpoint_from_environment(const GetenvFunction& getenv) {
    return endpoint_from_environment(getenv, "SQS", "sqs", "sqs");
}

ServiceEndpoint dynamodb_endpoint_from_environment(const GetenvFunction& getenv) {
    return endpoint_from_environment(getenv, "DYNAMODB", "dynamodb", "dynamodb");
}

UrlParts parse_url(const std::string& url) {
    UrlParts parts;
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) throw std::invalid_argument("not a URL: '" + url + "'");
    parts.scheme = url.substr(0, scheme_end);
    if (parts.scheme != "http" && parts.scheme != "https") {
        throw std::invalid_argument("only http:// and https:// URLs are supported: '" + url + "'");
    }
    if (url.find_first_of("?#") != std::string::npos) {
        throw std::invalid_argument("endpoint URL must not have a query or fragment: '" + url + "'");
    }
    const auto authority_start = scheme_end + 3;
    const auto path_start = url.find('/', authority_start);
    const std::string authority = url.substr(authority_start, path_start - authority_start);
    parts.path = path_start == std::string::npos ? "" : url.substr(path_start);
    while (!parts.path.empty() && parts.path.back() == '/') parts.path.pop_back();

    const int default_port = parts.scheme == "https" ? 443 : 80;
    // "[::1]:8080": the colon inside brackets is not the port separator.
    const auto bracket_end = authority.rfind(']');
    const auto colon = authority.rfind(':');
    if (colon != std::string::npos && (bracket_end == std::string::npos || colon > bracket_end)) {
        parts.host = authority.substr(0, colon);
        const std::string port_text = authority.substr(colon + 1);
        if (port_text.empty() || port_text.size() > 5 ||
            port_text.find_first_not_of("0123456789") != std::string::npos) {
            throw std::invalid_argument("bad port in URL: '" + url + "'");
        }
        parts.port = std::stoi(port_text);
        if (parts.port < 1 || parts.port > 65535) throw std::invalid_argument("bad port in URL: '" + url + "'");
    } else {
        parts.host = authority;
        parts.port = default_port;
    }
    if (parts.host.empty()) throw std::invalid_argument("URL has no host: '" + url + "'");
    if (parts.host.find('@') != std::string::npos) {
        throw std::invalid_argument("URL must not carry user info: '" + url + "'");
    }
    parts.host_header = parts.port == default_port ? parts.host : parts.host + ":" + std::to_string(parts.port);
    return parts;
}

}  // namespace archlab::real
