// Test support: AwsJsonClients aimed at a FakeHttpServer, with fixed
// credentials, a fixed clock, a seeded RNG and a sleep that only records.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aws_json_client.hpp"

namespace archlab::real::testing {

inline const AwsCredentials kTestCredentials{.access_key_id = "AKIDTEST", .secret_access_key = "test-secret",
                                             .session_token = std::nullopt};
// 2024-05-01T12:00:00Z, so X-Amz-Date is known in advance.
inline const auto kTestTime = std::chrono::sys_days(std::chrono::year(2024) / 5 / 1) + std::chrono::hours(12);

struct RecordedSleeps {
    std::mutex mutex;
    std::vector<std::chrono::milliseconds> delays;
};

inline AwsJsonClientConfig test_config(const std::string& url, const std::string& prefix,
                                       const std::string& signing_name,
                                       const std::shared_ptr<RecordedSleeps>& sleeps) {
    AwsJsonClientConfig config{.endpoint = {.url = url, .region = "us-east-1", .signing_name = signing_name},
                               .target_prefix = prefix};
    config.http = {.connect_timeout_s = 1.0, .timeout_s = 2.0};
    config.clock = [] { return kTestTime; };
    config.sleep = [sleeps](std::chrono::milliseconds delay) {
        std::lock_guard lock(sleeps->mutex);
        sleeps->delays.push_back(delay);
    };
    config.rng_seed = 42;
    return config;
}

inline std::shared_ptr<AwsJsonClient> test_json_client(const std::string& url, const std::string& prefix,
                                                       const std::string& signing_name,
                                                       std::shared_ptr<RecordedSleeps> sleeps = nullptr,
                                                       AwsCredentials credentials = kTestCredentials) {
    if (!sleeps) sleeps = std::make_shared<RecordedSleeps>();
    return std::make_shared<AwsJsonClient>(test_config(url, prefix, signing_name, sleeps),
                                           std::make_shared<StaticCredentialsProvider>(std::move(credentials)));
}

}  // namespace archlab::real::testing
