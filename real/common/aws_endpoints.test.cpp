#include <catch2/catch.hpp>

#include <stdexcept>

#include "aws_endpoints.hpp"
#include "fake_environment.hpp"

using namespace archlab::real;
using archlab::real::testing::environment;

TEST_CASE("region: AWS_REGION wins over AWS_DEFAULT_REGION", "[endpoints]") {
    CHECK(region_from_environment(environment({{"AWS_REGION", "eu-west-1"}, {"AWS_DEFAULT_REGION", "us-east-1"}})) ==
          "eu-west-1");
    CHECK(region_from_environment(environment({{"AWS_DEFAULT_REGION", "us-east-1"}})) == "us-east-1");
    CHECK(region_from_environment(environment({{"AWS_REGION", ""}, {"AWS_DEFAULT_REGION", "us-east-2"}})) ==
          "us-east-2");
}

TEST_CASE("region: missing region names both variables", "[endpoints]") {
    try {
        region_from_environment(environment({}));
        FAIL("expected an error");
    } catch (const std::runtime_error& error) {
        const std::string message = error.what();
        CHECK(message.find("AWS_REGION") != std::string::npos);
        CHECK(message.find("AWS_DEFAULT_REGION") != std::string::npos);
    }
}

TEST_CASE("endpoint: service-specific, then general, then AWS default", "[endpoints]") {
    const auto all = environment({{"AWS_REGION", "eu-central-1"},
                                  {"AWS_ENDPOINT_URL", "http://127.0.0.1:9000"},
                                  {"AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:4566/"},
                                  {"AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:4567"}});
    const auto sqs = sqs_endpoint_from_environment(all);
    CHECK(sqs.url == "http://127.0.0.1:4566");  // trailing slash dropped
    CHECK(sqs.region == "eu-central-1");
    CHECK(sqs.signing_name == "sqs");
    CHECK(dynamodb_endpoint_from_environment(all).url == "http://127.0.0.1:4567");

    const auto general = environment({{"AWS_REGION", "eu-central-1"}, {"AWS_ENDPOINT_URL", "http://127.0.0.1:9000"}});
    CHECK(sqs_endpoint_from_environment(general).url == "http://127.0.0.1:9000");
    CHECK(dynamodb_endpoint_from_environment(general).url == "http://127.0.0.1:9000");

    const auto aws = environment({{"AWS_DEFAULT_REGION", "ap-south-1"}});
    CHECK(sqs_endpoint_from_environment(aws).url == "https://sqs.ap-south-1.amazonaws.com");
    const auto dynamodb = dynamodb_endpoint_from_environment(aws);
    CHECK(dynamodb.url == "https://dynamodb.ap-south-1.amazonaws.com");
    CHECK(dynamodb.signing_name == "dynamodb");
}

TEST_CASE("endpoint: a malformed endpoint URL names its variable", "[endpoints]") {
    const auto bad = environment({{"AWS_REGION", "us-east-1"}, {"AWS_ENDPOINT_URL_SQS", "localhost:4566"}});
    CHECK_THROWS_WITH(sqs_endpoint_from_environment(bad), Catch::Contains("AWS_ENDPOINT_URL_SQS"));
}

TEST_CASE("parse_url: host header carries only non-default ports", "[endpoints]") {
    const auto local = parse_url("http://127.0.0.1:4566");
    CHECK(local.scheme == "http");
    CHECK(local.host == "127.0.0.1");
    CHECK(local.port == 4566);
    CHECK(local.host_header == "127.0.0.1:4566");
    CHECK(local.path.empty());

    const auto aws = parse_url("https://sqs.us-east-1.amazonaws.com/");
    CHECK(aws.port == 443);
    CHECK(aws.host_header == "sqs.us-east-1.amazonaws.com");
    CHECK(aws.path.empty());

    CHECK(parse_url("http://example.com:80/prefix/").host_header == "example.com");
    CHECK(parse_url("http://example.com:80/prefix/").path == "/prefix");
    CHECK(parse_url("https://example.com:443").host_header == "example.com");
    CHECK(parse_url("http://[::1]:8000").host == "[::1]");
    CHECK(parse_url("http://[::1]:8000").host_header == "[::1]:8000");
    CHECK(parse_url("http://[::1]").port == 80);
}

TEST_CASE("parse_url: rejects what cannot be an endpoint", "[endpoints]") {
    for (const char* url : {"localhost:4566", "ftp://host", "http://", "http://host:", "http://host:99999",
                            "http://host:12ab", "http://host/?a=b", "http://user@host"}) {
        INFO(url);
        CHECK_THROWS_AS(parse_url(url), std::invalid_argument);
    }
}
