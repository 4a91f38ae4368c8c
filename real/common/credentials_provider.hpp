// Where a real service finds AWS credentials, in the order the AWS SDKs use:
//   1. environment variables (a laptop, CI, `aws configure export-credentials`);
//   2. the ECS/Fargate container endpoint (a task role);
//   3. EC2 instance metadata, IMDSv2 (an instance profile).
// Role credentials are temporary, so they are cached and fetched again
// shortly before they expire. The JSON documents are parsed by pure
// functions below; only DefaultCredentialsChain touches the network.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

#include "aws_credentials.hpp"
#include "aws_endpoints.hpp"

namespace archlab::real {

using Clock = std::function<std::chrono::system_clock::time_point()>;

struct TimedCredentials {
    AwsCredentials credentials;
    // Absent for long-term keys, which never need a refresh.
    std::optional<std::chrono::system_clock::time_point> expiration;
    std::string source;  // "environment", "ECS container endpoint", "EC2 instance metadata"
};

// No provider in the chain produced credentials; the message lists each one
// tried and why it gave none.
struct CredentialsError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// "2024-05-01T12:30:00Z", with optional fractional seconds, "Z" or "+00:00".
// Throws std::invalid_argument otherwise.
std::chrono::system_clock::time_point parse_iso8601_utc(const std::string& text);

// The document both the ECS endpoint and IMDS return: AccessKeyId,
// SecretAccessKey, Token, Expiration (and, from IMDS, Code "Success").
// Throws CredentialsError naming `source` when a field is missing or IMDS
// reports a Code other than "Success".
TimedCredentials parse_credentials_document(const std::string& json_text, const std::string& source);

// True once `now` is within 5 minutes of the expiration: the SDKs refresh
// this early so a request signed just before expiry still arrives in time.
bool credentials_need_refresh(const TimedCredentials& credentials,
                              std::chrono::system_clock::time_point now);

// IMDS lists the instance's roles one per line; an instance profile holds
// exactly one. Empty when there is none.
std::string first_role_name(const std::string& listing);

class CredentialsProvider {
public:
    virtual ~CredentialsProvider() = default;
    // Thread-safe; throws CredentialsError when none can be found.
    virtual AwsCredentials credentials() = 0;
};

// Fixed credentials (tests, or keys given explicitly).
class StaticCredentialsProvider : public CredentialsProvider {
public:
    explicit StaticCredentialsProvider(AwsCredentials credentials) : credentials_(std::move(credentials)) {}
    AwsCredentials credentials() override { return credentials_; }

private:
    AwsCredentials credentials_;
};

struct CredentialsChainOptions {
    // Short, so a laptop without IMDS gives up in about a second.
    double timeout_s = 1.0;
    Clock clock = [] { return std::chrono::system_clock::now(); };
};

class DefaultCredentialsChain : public CredentialsProvider {
public:
    explicit DefaultCredentialsChain(GetenvFunction getenv = process_getenv,
                                     CredentialsChainOptions options = {});
    // Cached; fetched again near expiry. One thread fetches while the others
    // wait. If a refresh fails while the cached ones have not expired yet,
    // those are returned (an IMDS hiccup should not fail every request).
    AwsCredentials credentials() override;
    // Where the current credentials came from (after credentials()).
    std::string source();

private:
    TimedCredentials fetch();
    GetenvFunction getenv_;
    CredentialsChainOptions options_;
    std::mutex mutex_;
    std::optional<TimedCredentials> cached_;
};

// The steps, public so tests can run each against a fake server.
// ECS: nullopt when neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor
// AWS_CONTAINER_CREDENTIALS_FULL_URI is set; throws CredentialsError when set
// but the endpoint fails.
std::optional<TimedCredentials> credentials_from_container(const GetenvFunction& getenv, double timeout_s);
// IMDSv2 at `base_url` (http://169.254.169.254 unless overridden with
// AWS_EC2_METADATA_SERVICE_ENDPOINT); throws CredentialsError on failure.
TimedCredentials credentials_from_instance_metadata(const std::string& base_url, double timeout_s);

}  // namespace archlab::real
