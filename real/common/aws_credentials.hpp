// AWS credentials and where archlab's real services find them.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace archlab::real {

// The secret pair an AWS request is signed with. The session token is present
// only for temporary credentials (an IAM role on EC2/ECS/Lambda, or
// `aws sts assume-role`); AWS rejects such a request if the token is missing.
struct AwsCredentials {
    std::string access_key_id;
    std::string secret_access_key;
    std::optional<std::string> session_token;
};

// Reads the standard variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and,
// if set and non-empty, AWS_SESSION_TOKEN.
//
// `getenv` is passed in rather than called directly so tests can supply a fake
// environment; pass `[](const char* name) { return std::getenv(name); }` in
// production. It must return nullptr for an unset variable.
//
// Returns std::nullopt unless both the key id and the secret are set and
// non-empty: half a credential pair can never sign a valid request, and
// failing here is clearer than an "invalid signature" from AWS later.
std::optional<AwsCredentials> credentials_from_environment(
    const std::function<const char*(const char*)>& getenv);

}  // namespace archlab::real
