// Where each AWS service is reached and which region requests are signed for,
// read from the same variables the AWS SDKs and CLI read. Pure: the lookup
// function is passed in (as for credentials_from_environment), so tests give
// a fake environment and nothing here reads the process environment itself.
#pragma once

#include <functional>
#include <string>

namespace archlab::real {

// Returns the variable's value or nullptr when unset, like std::getenv.
using GetenvFunction = std::function<const char*(const char*)>;

// std::getenv, for production callers.
const char* process_getenv(const char* name);

// One service as a client needs it.
struct ServiceEndpoint {
    std::string url;           // "https://sqs.eu-west-1.amazonaws.com" or "http://127.0.0.1:4566"
    std::string region;        // signing region, "eu-west-1"
    std::string signing_name;  // SigV4 service name: "sqs", "dynamodb"
};

// AWS_REGION, else AWS_DEFAULT_REGION (the SDKs read the first, the CLI the
// second, so both are honoured). Throws std::runtime_error naming both when
// neither is set: a wrong default region would sign for the wrong place.
std::string region_from_environment(const GetenvFunction& getenv);

// `service_env_suffix` is the part after AWS_ENDPOINT_URL_ ("SQS",
// "DYNAMODB"), `default_host_prefix` the host's first label ("sqs",
// "dynamodb"). The service-specific variable wins over AWS_ENDPOINT_URL,
// which wins over https://<prefix>.<region>.amazonaws.com. A trailing "/" is
// dropped so request targets can be appended as they are.
ServiceEndpoint endpoint_from_environment(const GetenvFunction& getenv,
                                          const std::string& service_env_suffix,
                                          const std::string& default_host_prefix,
                                          const std::string& signing_name);

ServiceEndpoint sqs_endpoint_from_environment(const GetenvFunction& getenv);
ServiceEndpoint dynamodb_endpoint_from_environment(const GetenvFunction& getenv);

// The parts of an http(s) URL a request needs. `host_header` is what goes in
// the (signed) Host header: the host, plus ":port" only when the port is not
// the scheme's default, because that is what the server sees and re-signs.
struct UrlParts {
    std::string scheme;       // "http" or "https"
    std::string host;         // "127.0.0.1", "sqs.us-east-1.amazonaws.com"
    int port = 0;             // explicit or the scheme's default
    std::string host_header;  // "127.0.0.1:4566", "sqs.us-east-1.amazonaws.com"
    std::string path;         // "" or "/prefix" (no trailing "/")
};

// Throws std::invalid_argument for anything but http:// or https:// with a
// host, or a URL carrying a query or fragment.
UrlParts parse_url(const std::string& url);

}  // namespace archlab::real
