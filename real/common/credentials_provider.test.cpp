#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "credentials_provider.hpp"
#include "fake_environment.hpp"
#include "fake_http_server.hpp"

using namespace archlab::real;
using namespace archlab::real::testing;
using namespace std::chrono;

namespace {

const std::string kDocument = R"({"Code":"Success","LastUpdated":"2024-05-01T11:00:00Z","Type":"AWS-HMAC",
  "AccessKeyId":"ASIAROLE","SecretAccessKey":"role-secret","Token":"role-token",
  "Expiration":"2024-05-01T18:00:00Z"})";

const system_clock::time_point kExpiration = sys_days(2024y / May / 1) + 18h;

// A fake IMDSv2 that checks the token dance the way EC2 does.
CannedResponse imds(const RecordedRequest& request, const std::string& document = kDocument) {
    if (request.method == "PUT" && request.target == "/latest/api/token") {
        if (request.header("X-aws-ec2-metadata-token-ttl-seconds") != "21600") return {.status = 400};
        return {.body = "imds-token"};
    }
    if (request.header("X-aws-ec2-metadata-token") != "imds-token") return {.status = 401};
    if (request.target == "/latest/meta-data/iam/security-credentials/") return {.body = "web-role\n"};
    if (request.target == "/latest/meta-data/iam/security-credentials/web-role") return {.body = document};
    return {.status = 404};
}

}  // namespace

TEST_CASE("iso 8601: Z, fractions and +00:00 but no other offsets", "[credentials]") {
    CHECK(parse_iso8601_utc("2024-05-01T18:00:00Z") == kExpiration);
    CHECK(parse_iso8601_utc("2024-05-01T18:00:00.123Z") == kExpiration);
    CHECK(parse_iso8601_utc("2024-05-01T18:00:00+00:00") == kExpiration);
    CHECK(parse_iso8601_utc("2024-02-29T00:00:00Z") == sys_days(2024y / February / 29));
    for (const char* bad : {"", "2024-05-01", "2024-05-01T18:00:00", "2024-05-01T18:00:00+02:00",
                            "2023-02-29T00:00:00Z", "2024-05-01T25:00:00Z", "2024-05-01 18:00:00Z"}) {
        INFO(bad);
        CHECK_THROWS_AS(parse_iso8601_utc(bad), std::invalid_argument);
    }
}

TEST_CASE("credentials document: IMDS and ECS shapes", "[credentials]") {
    const auto imds_credentials = parse_credentials_document(kDocument, "IMDS");
    CHECK(imds_credentials.credentials.access_key_id == "ASIAROLE");
    CHECK(imds_credentials.credentials.secret_access_key == "role-secret");
    CHECK(imds_credentials.credentials.session_token == "role-token");
    CHECK(imds_credentials.expiration == kExpiration);
    CHECK(imds_credentials.source == "IMDS");

    // ECS has no Code, and a RoleArn the client does not need.
    const auto ecs = parse_credentials_document(
        R"({"RoleArn":"arn:aws:iam::1:role/x","AccessKeyId":"A","SecretAccessKey":"S","Token":"T","Expiration":"2024-05-01T18:00:00Z"})",
        "ECS");
    CHECK(ecs.credentials.session_token == "T");
    CHECK(ecs.expiration == kExpiration);
}

TEST_CASE("credentials document: errors name the source and the problem", "[credentials]") {
    CHECK_THROWS_WITH(parse_credentials_document("<html>", "IMDS"), Catch::Contains("IMDS") && Catch::Contains("not JSON"));
    CHECK_THROWS_WITH(parse_credentials_document(R"({"AccessKeyId":"A"})", "ECS"), Catch::Contains("SecretAccessKey"));
    CHECK_THROWS_WITH(parse_credentials_document(R"({"Code":"AssumeRoleUnauthorizedAccess","Message":"no"})", "IMDS"),
                      Catch::Contains("AssumeRoleUnauthorizedAccess"));
    CHECK_THROWS_AS(parse_credentials_document(
                        R"({"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"tomorrow"})", "ECS"),
                    CredentialsError);
}

TEST_CASE("refresh: 5 minutes before expiration, never for long-term keys", "[credentials]") {
    TimedCredentials timed{.credentials = {}, .expiration = kExpiration, .source = "x"};
    CHECK_FALSE(credentials_need_refresh(timed, kExpiration - 5min - 1s));
    CHECK(credentials_need_refresh(timed, kExpiration - 5min));
    CHECK(credentials_need_refresh(timed, kExpiration + 1h));
    timed.expiration.reset();
    CHECK_FALSE(credentials_need_refresh(timed, kExpiration + 1000h));
}

TEST_CASE("role listing: first line, trimmed", "[credentials]") {
    CHECK(first_role_name("web-role\n") == "web-role");
    CHECK(first_role_name("  a\r\nb\n") == "a");
    CHECK(first_role_name("") == "");
}

TEST_CASE("IMDSv2: token, role name, then the role's credentials", "[credentials]") {
    FakeHttpServer server([](const RecordedRequest& request) { return imds(request); });
    const auto timed = credentials_from_instance_metadata(server.base_url(), 1.0);
    CHECK(timed.credentials.access_key_id == "ASIAROLE");
    CHECK(timed.credentials.session_token == "role-token");
    CHECK_THAT(timed.source, Catch::Contains("web-role"));
    const auto requests = server.requests();
    REQUIRE(requests.size() == 3);
    CHECK(requests[0].method == "PUT");
    CHECK(requests[1].method == "GET");
    CHECK(requests[2].target == "/latest/meta-data/iam/security-credentials/web-role");
}

TEST_CASE("container endpoint: full URI with authorization token", "[credentials]") {
    FakeHttpServer server([](const RecordedRequest& request) {
        if (request.header("Authorization") != "secret-token") return CannedResponse{.status = 401};
        return CannedResponse{.body = R"({"AccessKeyId":"ECSKEY","SecretAccessKey":"S","Token":"T","Expiration":"2024-05-01T18:00:00Z"})"};
    });
    const auto env = environment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.base_url() + "/creds?id=1"},
                                  {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "secret-token"}});
    const auto timed = credentials_from_container(env, 1.0);
    REQUIRE(timed.has_value());
    CHECK(timed->credentials.access_key_id == "ECSKEY");
    CHECK(server.requests().at(0).target == "/creds?id=1");

    // EKS Pod Identity: the token comes from a file.
    const std::string token_file = "/tmp/archlab-real-common-test-token-" + std::to_string(server.port());
    std::ofstream(token_file) << "secret-token\n";
    const auto from_file = credentials_from_container(
        environment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.base_url() + "/creds"},
                     {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file}}),
        1.0);
    std::remove(token_file.c_str());
    CHECK(from_file->credentials.access_key_id == "ECSKEY");

    CHECK_FALSE(credentials_from_container(environment({}), 1.0).has_value());
    CHECK_THROWS_WITH(credentials_from_container(
                          environment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.base_url() + "/creds"}}), 1.0),
                      Catch::Contains("HTTP 401"));
}

TEST_CASE("container endpoint: the relative URI goes to the ECS agent address", "[credentials]") {
    const auto env = environment({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"}});
    CHECK_THROWS_WITH(credentials_from_container(env, 0.2), Catch::Contains("http://169.254.170.2/v2/credentials/abc"));
}

TEST_CASE("chain: environment first, without any network", "[credentials]") {
    DefaultCredentialsChain chain(environment({{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "S"},
                                               {"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1"}}));
    CHECK(chain.credentials().access_key_id == "AKID");
    CHECK(chain.source() == "environment");
}

TEST_CASE("chain: IMDS credentials are cached until 5 minutes before expiry", "[credentials]") {
    std::atomic<int> document_fetches{0};
    std::atomic<bool> imds_down{false};
    FakeHttpServer server([&](const RecordedRequest& request) {
        if (imds_down) return CannedResponse{.status = 500};
        if (request.target.ends_with("/web-role")) ++document_fetches;
        return imds(request);
    });
    system_clock::time_point now = kExpiration - 1h;
    DefaultCredentialsChain chain(environment({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", server.base_url() + "/"}}),
                                  {.timeout_s = 1.0, .clock = [&] { return now; }});
    CHECK(chain.credentials().access_key_id == "ASIAROLE");
    CHECK_THAT(chain.source(), Catch::Contains("EC2 instance metadata"));
    now = kExpiration - 6min;
    chain.credentials();
    CHECK(document_fetches == 1);
    now = kExpiration - 4min;  // inside the margin: fetched again
    chain.credentials();
    CHECK(document_fetches == 2);
    // IMDS failing while the cached ones are still valid: keep using them.
    imds_down = true;
    CHECK(chain.credentials().access_key_id == "ASIAROLE");
    now = kExpiration + 1s;
    CHECK_THROWS_AS(chain.credentials(), CredentialsError);
}

TEST_CASE("chain: nothing found lists every provider tried, fast", "[credentials]") {
    int closed_port = 0;
    {
        FakeHttpServer server([](const RecordedRequest&) { return CannedResponse{}; });
        closed_port = server.port();
    }
    const std::string imds_url = "http://127.0.0.1:" + std::to_string(closed_port);
    DefaultCredentialsChain chain(environment({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds_url}}));
    const auto start = steady_clock::now();
    try {
        chain.credentials();
        FAIL("expected CredentialsError");
    } catch (const CredentialsError& error) {
        const std::string message = error.what();
        CHECK_THAT(message, Catch::Contains("environment") && Catch::Contains("AWS_ACCESS_KEY_ID"));
        CHECK_THAT(message, Catch::Contains("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"));
        CHECK_THAT(message, Catch::Contains("IMDSv2") && Catch::Contains(imds_url));
    }
    CHECK(steady_clock::now() - start < 2s);

    DefaultCredentialsChain disabled(environment({{"AWS_EC2_METADATA_DISABLED", "true"}}));
    CHECK_THROWS_WITH(disabled.credentials(), Catch::Contains("AWS_EC2_METADATA_DISABLED"));
}
