#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "aws_credentials.hpp"

using archlab::real::credentials_from_environment;

namespace {

// A fake environment, so the test neither reads nor changes the real one.
auto environment(const std::map<std::string, std::string>& variables) {
    return [variables](const char* name) -> const char* {
        const auto found = variables.find(name);
        return found == variables.end() ? nullptr : found->second.c_str();
    };
}

}  // namespace

TEST_CASE("credentials from environment: long-term key pair", "[credentials]") {
    const auto credentials = credentials_from_environment(
        environment({{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"}, {"AWS_SECRET_ACCESS_KEY", "secret"}}));
    REQUIRE(credentials.has_value());
    CHECK(credentials->access_key_id == "AKIDEXAMPLE");
    CHECK(credentials->secret_access_key == "secret");
    CHECK_FALSE(credentials->session_token.has_value());
}

TEST_CASE("credentials from environment: temporary credentials keep the token",
          "[credentials]") {
    const auto credentials = credentials_from_environment(environment({
        {"AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"},
        {"AWS_SECRET_ACCESS_KEY", "secret"},
        {"AWS_SESSION_TOKEN", "token"},
    }));
    REQUIRE(credentials.has_value());
    CHECK(credentials->session_token == "token");
}

TEST_CASE("credentials from environment: incomplete pairs give nothing", "[credentials]") {
    CHECK_FALSE(credentials_from_environment(environment({})).has_value());
    CHECK_FALSE(credentials_from_environment(environment({{"AWS_ACCESS_KEY_ID", "AKID"}})));
    CHECK_FALSE(credentials_from_environment(environment({{"AWS_SECRET_ACCESS_KEY", "secret"}})));
    CHECK_FALSE(credentials_from_environment(
        environment({{"AWS_ACCESS_KEY_ID", ""}, {"AWS_SECRET_ACCESS_KEY", "secret"}})));
    // A token alone is useless without the key pair it belongs to.
    CHECK_FALSE(credentials_from_environment(environment({{"AWS_SESSION_TOKEN", "token"}})));
}

TEST_CASE("credentials from environment: an empty token counts as none", "[credentials]") {
    const auto credentials = credentials_from_environment(environment({
        {"AWS_ACCESS_KEY_ID", "AKID"},
        {"AWS_SECRET_ACCESS_KEY", "secret"},
        {"AWS_SESSION_TOKEN", ""},
    }));
    REQUIRE(credentials.has_value());
    CHECK_FALSE(credentials->session_token.has_value());
}
