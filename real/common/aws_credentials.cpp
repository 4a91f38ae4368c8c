#include "aws_credentials.hpp"

namespace archlab::real {

namespace {

// An empty variable counts as unset: `export AWS_SESSION_TOKEN=` is a common
// way to "clear" a variable, and an empty token would be sent and rejected.
std::optional<std::string> non_empty_variable(
    const std::function<const char*(const char*)>& getenv, const char* name) {
    const char* value = getenv(name);
    if (value == nullptr || *value == '\0') {
        return std::nullopt;
    }
    return std::string(value);
}

}  // namespace

std::optional<AwsCredentials> credentials_from_environment(
    const std::function<const char*(const char*)>& getenv) {
    auto access_key_id = non_empty_variable(getenv, "AWS_ACCESS_KEY_ID");
    auto secret_access_key = non_empty_variable(getenv, "AWS_SECRET_ACCESS_KEY");
    if (!access_key_id || !secret_access_key) {
        return std::nullopt;
    }
    return AwsCredentials{
        .access_key_id = std::move(*access_key_id),
        .secret_access_key = std::move(*secret_access_key),
        .session_token = non_empty_variable(getenv, "AWS_SESSION_TOKEN"),
    };
}

}  // namespace archlab::real
