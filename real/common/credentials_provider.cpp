#include "credentials_provider.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "http_client.hpp"

namespace archlab::real {

namespace {

using namespace std::chrono;

constexpr auto kRefreshMargin = minutes(5);
constexpr const char* kEcsBaseUrl = "http://169.254.170.2";
constexpr const char* kImdsBaseUrl = "http://169.254.169.254";
// Six hours, the SDKs' value; the token is used only for the next two GETs.
constexpr const char* kImdsTokenTtlS = "21600";

std::string non_empty(const GetenvFunction& getenv, const char* name) {
    const char* value = getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

std::string trimmed(std::string text) {
    const auto begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos) return {};
    return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

HttpResponse get_ok(HttpClient& client, HttpRequest request, const std::string& what) {
    auto response = client.send(request);
    if (response.status != 200) {
        throw CredentialsError(what + ": HTTP " + std::to_string(response.status) + " from " +
                               client.base_url() + request.target + ": " + response.body.substr(0, 200));
    }
    return response;
}

// "http://host:port/path?q" -> base "http://host:port", target "/path?q".
std::pair<std::string, std::string> split_full_uri(const std::string& uri) {
    const auto scheme_end = uri.find("://");
    if (scheme_end == std::string::npos) throw CredentialsError("AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL: " + uri);
    const auto path_start = uri.find('/', scheme_end + 3);
    if (path_start == std::string::npos) return {uri, "/"};
    return {uri.substr(0, path_start), uri.substr(path_start)};
}

}  // namespace

system_clock::time_point parse_iso8601_utc(const std::string& text) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                    &second, &consumed) != 6 || consumed != 19) {
        throw std::invalid_argument("not an ISO 8601 UTC time: '" + text + "'");
    }
    std::string rest = text.substr(19);
    if (!rest.empty() && rest.front() == '.') {
        const auto digits_end = rest.find_first_not_of("0123456789", 1);
        rest = digits_end == std::string::npos ? "" : rest.substr(digits_end);
    }
    if (rest != "Z" && rest != "+00:00") {
        throw std::invalid_argument("not an ISO 8601 UTC time (needs Z): '" + text + "'");
    }
    const year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                              std::chrono::day(static_cast<unsigned>(day))};
    if (!date.ok() || hour > 23 || minute > 59 || second > 60) {
        throw std::invalid_argument("not a valid date/time: '" + text + "'");
    }
    return sys_days(date) + hours(hour) + minutes(minute) + seconds(second);
}

TimedCredentials parse_credentials_document(const std::string& json_text, const std::string& source) {
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(json_text);
    } catch (const nlohmann::json::exception& error) {
        throw CredentialsError(source + ": response is not JSON: " + error.what());
    }
    if (!document.is_object()) throw CredentialsError(source + ": response is not a JSON object");
    if (document.contains("Code") && document["Code"] != "Success") {
        throw CredentialsError(source + ": Code " + document["Code"].dump() + ": " +
                               document.value("Message", std::string()));
    }
    const auto field = [&](const char* name) {
        if (!document.contains(name) || !document[name].is_string() || document[name].get<std::string>().empty()) {
            throw CredentialsError(source + ": response has no " + name);
        }
        return document[name].get<std::string>();
    };
    TimedCredentials result;
    result.source = source;
    result.credentials.access_key_id = field("AccessKeyId");
    result.credentials.secret_access_key = field("SecretAccessKey");
    if (document.contains("Token") && document["Token"].is_string()) {
        result.credentials.session_token = document["Token"].get<std::string>();
    }
    if (document.contains("Expiration")) {
        try {
            result.expiration = parse_iso8601_utc(field("Expiration"));
        } catch (const std::invalid_argument& error) {
            throw CredentialsError(source + ": bad Expiration: " + error.what());
        }
    }
    return result;
}

bool credentials_need_refresh(const TimedCredentials& credentials, system_clock::time_point now) {
    return credentials.expiration.has_value() && now >= *credentials.expiration - kRefreshMargin;
}

std::string first_role_name(const std::string& listing) {
    return trimmed(listing.substr(0, listing.find('\n')));
}

std::optional<TimedCredentials> credentials_from_container(const GetenvFunction& getenv, double timeout_s) {
    const std::string relative = non_empty(getenv, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const std::string full = non_empty(getenv, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (relative.empty() && full.empty()) return std::nullopt;
    // The relative form is what ECS sets, and it always means the ECS agent.
    auto [base, target] = relative.empty() ? split_full_uri(full) : std::pair{std::string(kEcsBaseUrl), relative};
    HttpRequest request{.method = "GET", .target = target, .headers = {{"Accept", "application/json"}}, .body = {}};
    // The full form may need a token, given directly or (EKS Pod Identity)
    // in a file that is rotated, so it is read at each fetch.
    std::string token = non_empty(getenv, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    if (const auto token_file = non_empty(getenv, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
        token.empty() && !token_file.empty() && relative.empty()) {
        std::ifstream in(token_file);
        if (!in) throw CredentialsError("ECS container endpoint: cannot read " + token_file);
        token = trimmed({std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()});
    }
    if (!token.empty() && relative.empty()) request.headers.push_back({"Authorization", token});
    const std::string source = "ECS container endpoint " + base + target;
    try {
        HttpClient client(base, {.connect_timeout_s = timeout_s, .timeout_s = timeout_s});
        return parse_credentials_document(get_ok(client, request, source).body, source);
    } catch (const TransportError& error) {
        throw CredentialsError(source + ": " + error.what());
    }
}

TimedCredentials credentials_from_instance_metadata(const std::string& base_url, double timeout_s) {
    const std::string source = "EC2 instance metadata (IMDSv2) at " + base_url;
    try {
        HttpClient client(base_url, {.connect_timeout_s = timeout_s, .timeout_s = timeout_s});
        // IMDSv2: a session token from a PUT (which a misconfigured proxy or
        // an SSRF through a web app cannot forge) must accompany every GET.
        const auto token = get_ok(client,
                                  {.method = "PUT", .target = "/latest/api/token",
                                   .headers = {{"X-aws-ec2-metadata-token-ttl-seconds", kImdsTokenTtlS}},
                                   .body = {}},
                                  source + " token").body;
        const std::vector<HttpHeader> with_token{{"X-aws-ec2-metadata-token", trimmed(token)}};
        const std::string roles_path = "/latest/meta-data/iam/security-credentials/";
        const auto role = first_role_name(
            get_ok(client, {.method = "GET", .target = roles_path, .headers = with_token, .body = {}}, source).body);
        if (role.empty()) throw CredentialsError(source + ": the instance has no IAM role (instance profile)");
        const auto document =
            get_ok(client, {.method = "GET", .target = roles_path + role, .headers = with_token, .body = {}}, source);
        return parse_credentials_document(document.body, source + " role " + role);
    } catch (const TransportError& error) {
        throw CredentialsError(source + ": " + error.what());
    }
}

DefaultCredentialsChain::DefaultCredentialsChain(GetenvFunction getenv, CredentialsChainOptions options)
    : getenv_(std::move(getenv)), options_(std::move(options)) {}

AwsCredentials DefaultCredentialsChain::credentials() {
    std::lock_guard lock(mutex_);
    const auto now = options_.clock();
    if (cached_ && !credentials_need_refresh(*cached_, now)) return cached_->credentials;
    try {
        cached_ = fetch();
    } catch (const CredentialsError&) {
        if (cached_ && cached_->expiration && now < *cached_->expiration) return cached_->credentials;
        throw;
    }
    return cached_->credentials;
}

std::string DefaultCredentialsChain::source() {
    std::lock_guard lock(mutex_);
    return cached_ ? cached_->source : std::string();
}

TimedCredentials DefaultCredentialsChain::fetch() {
    if (auto from_environment = credentials_from_environment(getenv_)) {
        return {.credentials = std::move(*from_environment), .expiration = std::nullopt, .source = "environment"};
    }
    std::string tried =
        "no AWS credentials found; tried: environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY not both set)";
    // A container that has an endpoint configured must not fall back to
    // IMDS: that would silently sign with the EC2 host's role instead of
    // the task's. So its failure ends the chain.
    if (auto from_container = credentials_from_container(getenv_, options_.timeout_s)) return *from_container;
    tried += "; ECS container endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/FULL_URI not set)";
    if (non_empty(getenv_, "AWS_EC2_METADATA_DISABLED") == "true") {
        throw CredentialsError(tried + "; EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)");
    }
    std::string imds = non_empty(getenv_, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
    if (imds.empty()) imds = kImdsBaseUrl;
    while (imds.size() > 1 && imds.back() == '/') imds.pop_back();
    try {
        return credentials_from_instance_metadata(imds, options_.timeout_s);
    } catch (const CredentialsError& error) {
        throw CredentialsError(tried + "; " + error.what());
    }
}

}  // namespace archlab::real
