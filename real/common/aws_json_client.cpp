#include "aws_json_client.hpp"

#include "call_timings.hpp"

#include <algorithm>
#include <array>
#include <ctime>
#include <thread>

namespace archlab::real {

namespace {

// From the SDKs' standard retry mode: throttling and transient codes that
// may come with a 400 and still succeed on a later try.
constexpr std::array kRetryableCodes{
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
    "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
    "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException", "RequestTimeout",
    "RequestTimeoutException", "InternalError", "InternalFailure", "ServiceUnavailable",
};

std::string what_text(const std::string& operation, const std::string& code, const std::string& message,
                      long http_status) {
    return operation + " failed: " + code + " (HTTP " + std::to_string(http_status) + ")" +
           (message.empty() ? "" : ": " + message);
}

}  // namespace

AwsError::AwsError(const std::string& operation, std::string code, std::string message, long http_status,
                   bool retryable)
    : std::runtime_error(what_text(operation, code, message, http_status)),
      code(std::move(code)), message(std::move(message)), http_status(http_status), retryable(retryable) {}

std::string error_code_from_type(const std::string& type) {
    std::string code = type.substr(type.find('#') == std::string::npos ? 0 : type.find('#') + 1);
    return code.substr(0, code.find(':'));
}

bool is_retryable_error(const std::string& code, long http_status) {
    return http_status >= 500 ||
           std::find(kRetryableCodes.begin(), kRetryableCodes.end(), code) != kRetryableCodes.end();
}

AwsError parse_aws_error(const std::string& operation, long http_status, const std::string& body) {
    std::string code;
    std::string message;
    const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (json.is_object()) {
        for (const char* key : {"__type", "code", "Code"}) {
            if (json.contains(key) && json[key].is_string()) {
                code = error_code_from_type(json[key].get<std::string>());
                break;
            }
        }
        // DynamoDB sends "message", some services "Message".
        for (const char* key : {"message", "Message"}) {
            if (json.contains(key) && json[key].is_string()) {
                message = json[key].get<std::string>();
                break;
            }
        }
    } else {
        message = body.substr(0, 200);
    }
    if (code.empty()) code = "HttpError" + std::to_string(http_status);
    return AwsError(operation, code, message, http_status, is_retryable_error(code, http_status));
}

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int failed_attempt, double uniform01) {
    // 2^k overflows long before the cap matters; stop doubling at the cap.
    auto ceiling = policy.base_delay;
    for (int i = 1; i < failed_attempt && ceiling < policy.max_backoff; ++i) ceiling *= 2;
    ceiling = std::min(ceiling, policy.max_backoff);
    const double fraction = std::clamp(uniform01, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(fraction * static_cast<double>(ceiling.count())));
}

bool should_retry(const RetryPolicy& policy, int failed_attempt, bool retryable) {
    return retryable && failed_attempt < policy.max_attempts;
}

std::string format_amz_date(std::chrono::system_clock::time_point time) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[17];
    std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
    return text;
}

AwsJsonClient::AwsJsonClient(AwsJsonClientConfig config, std::shared_ptr<CredentialsProvider> credentials)
    : config_(std::move(config)), credentials_(std::move(credentials)), url_(parse_url(config_.endpoint.url)),
      rng_(config_.rng_seed.value_or(std::random_device{}())), timing_name_(timing_service_name(config_.target_prefix)) {
    if (!credentials_) throw std::invalid_argument("AwsJsonClient needs a credentials provider");
    if (config_.retry.max_attempts < 1) throw std::invalid_argument("RetryPolicy::max_attempts must be >= 1");
}

AwsJsonClient::~AwsJsonClient() = default;

std::string timing_service_name(const std::string& target_prefix) {
    if (target_prefix == "AmazonSQS") return "sqs";
    if (target_prefix.rfind("DynamoDB", 0) == 0) return "dynamodb";
    return target_prefix;
}

HttpRequest AwsJsonClient::build_request(const std::string& operation, const nlohmann::json& input) const {
    return HttpRequest{
        .method = "POST",
        .target = url_.path + "/",
        .headers = {{"Host", url_.host_header},
                    {"Content-Type", "application/x-amz-json-1.0"},
                    {"X-Amz-Target", config_.target_prefix + "." + operation}},
        .body = input.dump(),
    };
}

double AwsJsonClient::next_uniform01() {
    std::lock_guard lock(mutex_);
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
}

HttpResponse AwsJsonClient::send_once(const HttpRequest& request, std::optional<double> timeout_s) {
    std::unique_ptr<HttpClient> client;
    {
        std::lock_guard lock(mutex_);
        if (!pool_.empty()) {
            client = std::move(pool_.back());
            pool_.pop_back();
        }
    }
    if (!client) client = std::make_unique<HttpClient>(url_.scheme + "://" + url_.host_header, config_.http);
    // Signed per attempt: the timestamp must be fresh, and credentials may
    // have been refreshed between attempts.
    const SigningParams params{.region = config_.endpoint.region, .service = config_.endpoint.signing_name,
                               .amz_date = format_amz_date(config_.clock())};
    auto response = client->send(signed_request(request, credentials_->credentials(), params), timeout_s);
    // Only a client whose last request completed goes back: after a
    // transport error its connection state is unknown.
    std::lock_guard lock(mutex_);
    pool_.push_back(std::move(client));
    return response;
}

nlohmann::json AwsJsonClient::call(const std::string& operation, const nlohmann::json& input,
                                   std::optional<double> timeout_s) {
    const HttpRequest request = build_request(operation, input);
    // Timed from the caller's side, retries and back-off included, as the model's latencies are.
    const ScopedCallTimer timer(timing_name_ + "." + operation, /*counts_as_waiting=*/true);
    for (int attempt = 1;; ++attempt) {
        bool retryable = false;
        std::exception_ptr failure;
        try {
            const auto response = send_once(request, timeout_s);
            if (response.status >= 200 && response.status < 300) {
                if (response.body.empty()) return nlohmann::json::object();
                auto output = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
                if (output.is_discarded()) {
                    throw AwsError(operation, "InvalidResponse", "response body is not JSON: " +
                                   response.body.substr(0, 200), response.status, false);
                }
                return output;
            }
            const auto error = parse_aws_error(operation, response.status, response.body);
            retryable = error.retryable;
            failure = std::make_exception_ptr(error);
        } catch (const TransportError&) {
            retryable = true;  // connection reset, timeout: the SDKs retry these too
            failure = std::current_exception();
        }
        if (!should_retry(config_.retry, attempt, retryable)) std::rethrow_exception(failure);
        config_.sleep(backoff_delay(config_.retry, attempt, next_uniform01()));
    }
}

}  // namespace archlab::real
