// Proves the SigV4 signer against AWS's own signing test suite (the vectors of
// AWS C Auth, Apache-2.0, copied to testdata/aws-sigv4 with LICENSE and
// NOTICE), then pins down the rules the vectors do not reach.
//
// Every folder under SIGV4_TESTDATA_DIR (nested ones too) that holds a
// request.txt is one vector and becomes its own Catch test case, so ctest
// lists and counts each vector. For each one the test reads context.json
// (credentials, region, service, time, options), signs request.txt and
// compares byte for byte:
//   header-canonical-request.txt  with SigningResult::canonical_request
//   header-string-to-sign.txt     with SigningResult::string_to_sign
//   header-signature.txt          with SigningResult::signature
//   Authorization line of header-signed-request.txt
//                                 with SigningResult::authorization_header
//   header-signed-request.txt     with signed_request() serialised again.
//
// Not checked, on purpose: the upstream suite's query-*.txt files. They test
// pre-signed URLs (signature in the query string, X-Amz-Expires), a different
// way of sending a signature that this signer does not offer, so they were not
// copied (see testdata/aws-sigv4/README.md). No vector is skipped.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sigv4.hpp"

#ifndef SIGV4_TESTDATA_DIR
#error "CMake must define SIGV4_TESTDATA_DIR: the folder holding the SigV4 vectors"
#endif

namespace fs = std::filesystem;
using archlab::real::AwsCredentials;
using archlab::real::HttpHeader;
using archlab::real::HttpRequest;
using archlab::real::SigningParams;

namespace {

// The suite was written against this count; a smaller number means vectors
// went missing (bad copy, wrong SIGV4_TESTDATA_DIR). Raise it when adding some.
constexpr std::size_t kExpectedVectorCount = 38;

const fs::path kTestdataDir = SIGV4_TESTDATA_DIR;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// --- request.txt: an HTTP/1.1 request as text ------------------------------

// "METHOD target HTTP/1.1", header lines "Name:value" (a line starting with
// a space or tab continues the previous value), then, after an empty line,
// the body. The target may contain spaces ("/example space/"), so the method
// is the first word and the version the last one.
HttpRequest parse_request(const std::string& text) {
    const auto head_end = text.find("\n\n");
    const std::string head = text.substr(0, head_end);
    HttpRequest request;
    if (head_end != std::string::npos) request.body = text.substr(head_end + 2);

    std::istringstream lines(head);
    std::string line;
    std::getline(lines, line);
    const auto first_space = line.find(' ');
    const auto last_space = line.rfind(' ');
    if (first_space == std::string::npos || first_space == last_space) {
        throw std::runtime_error("bad request line: " + line);
    }
    request.method = line.substr(0, first_space);
    request.target = line.substr(first_space + 1, last_space - first_space - 1);

    while (std::getline(lines, line)) {
        if (line.empty()) continue;
        if (line.front() == ' ' || line.front() == '\t') {
            if (request.headers.empty()) throw std::runtime_error("continuation before any header");
            request.headers.back().value += '\n' + line;  // keep the fold as sent
            continue;
        }
        const auto colon = line.find(':');
        if (colon == std::string::npos) throw std::runtime_error("bad header line: " + line);
        request.headers.push_back({line.substr(0, colon), line.substr(colon + 1)});
    }
    return request;
}

// Inverse of parse_request, in the layout of header-signed-request.txt.
std::string serialise_request(const HttpRequest& request) {
    std::string text = request.method + ' ' + request.target + " HTTP/1.1\n";
    for (const auto& header : request.headers) text += header.name + ':' + header.value + '\n';
    return text + '\n' + request.body;
}

// --- context.json: credentials, scope, time and signer options -------------

struct VectorContext {
    AwsCredentials credentials;
    SigningParams params;
};

VectorContext parse_context(const std::string& text) {
    const auto json = nlohmann::json::parse(text);
    const auto& credentials = json.at("credentials");
    VectorContext context;
    context.credentials.access_key_id = credentials.at("access_key_id").get<std::string>();
    context.credentials.secret_access_key = credentials.at("secret_access_key").get<std::string>();
    if (credentials.contains("token")) {
        context.credentials.session_token = credentials.at("token").get<std::string>();
    }
    context.params.region = json.at("region").get<std::string>();
    context.params.service = json.at("service").get<std::string>();
    // "2015-08-30T12:36:00Z" -> "20150830T123600Z"
    auto amz_date = json.at("timestamp").get<std::string>();
    std::erase_if(amz_date, [](char c) { return c == '-' || c == ':'; });
    context.params.amz_date = amz_date;
    context.params.normalize_path = json.value("normalize", true);
    // The suite signs for service "service", not S3, so paths are double
    // encoded, its default.
    context.params.double_encode_path = true;
    context.params.add_content_sha256_header = json.value("sign_body", false);
    context.params.sign_session_token = !json.value("omit_session_token", false);
    // Not used: "expiration_in_seconds" is for the pre-signed URL files.
    return context;
}

std::string authorization_line_of(const std::string& signed_request_text) {
    const std::string prefix = "\nAuthorization:";
    const auto start = signed_request_text.find(prefix);
    if (start == std::string::npos) throw std::runtime_error("no Authorization header");
    const auto value_start = start + prefix.size();
    return signed_request_text.substr(value_start,
                                      signed_request_text.find('\n', value_start) - value_start);
}

void check_vector(const fs::path& folder) {
    const VectorContext context = parse_context(read_file(folder / "context.json"));
    const HttpRequest request = parse_request(read_file(folder / "request.txt"));
    const std::string expected_signed_request = read_file(folder / "header-signed-request.txt");

    const auto result = archlab::real::sign_request(request, context.credentials, context.params);
    CHECK(result.canonical_request == read_file(folder / "header-canonical-request.txt"));
    CHECK(result.string_to_sign == read_file(folder / "header-string-to-sign.txt"));
    CHECK(result.signature == read_file(folder / "header-signature.txt"));
    CHECK(result.authorization_header == authorization_line_of(expected_signed_request));

    const HttpRequest signed_request =
        archlab::real::signed_request(request, context.credentials, context.params);
    CHECK(serialise_request(signed_request) == expected_signed_request);
}

// --- one Catch test case per vector folder ----------------------------------

std::vector<std::string> vector_folders() {
    std::vector<std::string> folders;
    if (!fs::is_directory(kTestdataDir)) return folders;
    for (const auto& entry : fs::recursive_directory_iterator(kTestdataDir)) {
        if (entry.is_regular_file() && entry.path().filename() == "request.txt") {
            folders.push_back(entry.path().parent_path().lexically_relative(kTestdataDir).generic_string());
        }
    }
    std::sort(folders.begin(), folders.end());
    return folders;
}

// TEST_CASE names are fixed at compile time; the vectors are found at run
// time. Catch2 v2's AutoReg (what TEST_CASE expands to) registers a case
// with any invoker, so each folder is registered during static
// initialisation, before Catch lists or runs tests.
class VectorTest : public Catch::ITestInvoker {
public:
    explicit VectorTest(std::string folder) : folder_(std::move(folder)) {}
    void invoke() const override { check_vector(kTestdataDir / folder_); }

private:
    std::string folder_;
};

const bool kVectorsRegistered = [] {
    // Catch keeps StringRefs to the names, so they must live as long as the
    // program: a static container that never shrinks.
    static std::vector<std::unique_ptr<std::string>> names;
    for (const auto& folder : vector_folders()) {
        names.push_back(std::make_unique<std::string>("sigv4 vector " + folder));
        Catch::AutoReg(new VectorTest(folder), CATCH_INTERNAL_LINEINFO, "",
                       Catch::NameAndTags{*names.back(), "[sigv4][vector]"});
    }
    return true;
}();

}  // namespace

TEST_CASE("sigv4 test vectors are all present", "[sigv4]") {
    // Guards against a run that passes because it found no vectors.
    INFO("looking in " << kTestdataDir);
    REQUIRE(fs::is_regular_file(kTestdataDir / "LICENSE"));
    REQUIRE(fs::is_regular_file(kTestdataDir / "NOTICE"));
    CHECK(vector_folders().size() == kExpectedVectorCount);
}

// --- rules the vectors do not reach -----------------------------------------

namespace {

const AwsCredentials kExampleCredentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                         std::nullopt};

SigningParams example_params() {
    SigningParams params;
    params.region = "us-east-1";
    params.service = "service";
    params.amz_date = "20150830T123600Z";
    return params;
}

HttpRequest example_get(std::string target = "/") {
    return {"GET", std::move(target), {{"Host", "example.amazonaws.com"}}, ""};
}

}  // namespace

TEST_CASE("sigv4 signs the IAM ListUsers example of the AWS documentation", "[sigv4]") {
    // The worked example of the AWS SigV4 documentation: a real service
    // name and a query string, end to end.
    const HttpRequest request{"GET",
                              "/?Action=ListUsers&Version=2010-05-08",
                              {{"Host", "iam.amazonaws.com"},
                               {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
                              ""};
    SigningParams params = example_params();
    params.service = "iam";
    const auto result = archlab::real::sign_request(request, kExampleCredentials, params);
    CHECK(result.signature == "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST_CASE("sigv4 uri_encode keeps only RFC 3986 unreserved bytes", "[sigv4]") {
    using archlab::real::uri_encode;
    CHECK(uri_encode("AZaz09-._~", false) == "AZaz09-._~");
    CHECK(uri_encode("a b+c*d%e", false) == "a%20b%2Bc%2Ad%25e");  // no '+' for space
    CHECK(uri_encode("/a/b", false) == "%2Fa%2Fb");
    CHECK(uri_encode("/a/b", true) == "/a/b");
    CHECK(uri_encode("\xE1\x88\xB4", false) == "%E1%88%B4");  // uppercase hex, per byte
}

TEST_CASE("sigv4 canonical query string", "[sigv4]") {
    using archlab::real::canonical_query_string;
    CHECK(canonical_query_string("/") == "");
    CHECK(canonical_query_string("/?") == "");
    // Repeated names sort by value; a name without '=' gets an empty value.
    CHECK(canonical_query_string("/?b=2&a=2&a=1&flag") == "a=1&a=2&b=2&flag=");
    // Decoded then re-encoded: escapes come out uppercase, unreserved bytes
    // unescaped, '+' as %2B (it is not a space in RFC 3986).
    CHECK(canonical_query_string("/?k=%e1%88%b4&t=%7E&p=a+b") == "k=%E1%88%B4&p=a%2Bb&t=~");
    // Sorting is by the encoded bytes: uppercase before lowercase.
    CHECK(canonical_query_string("/?b=1&B=1&a=1") == "B=1&a=1&b=1");
    CHECK(canonical_query_string("/?a=1&&b=2") == "a=1&b=2");
}

TEST_CASE("sigv4 canonical uri for S3 and for other services", "[sigv4]") {
    using archlab::real::canonical_uri;
    SigningParams params = example_params();
    // Other services: dot and empty segments go, the path is encoded again.
    CHECK(canonical_uri("/a/./b//../c%20d/?x=1", params) == "/a/c%2520d/");
    CHECK(canonical_uri("/a/b/..", params) == "/a/");
    CHECK(canonical_uri("", params) == "/");
    // S3: the key is signed exactly as sent.
    params.normalize_path = false;
    params.double_encode_path = false;
    CHECK(canonical_uri("/bucket/a/../b%20c", params) == "/bucket/a/../b%20c");
}

TEST_CASE("sigv4 canonical header value", "[sigv4]") {
    using archlab::real::canonical_header_value;
    CHECK(canonical_header_value("  a \t b  ") == "a b");
    CHECK(canonical_header_value("value1\n  value2\r\n\tvalue3") == "value1 value2 value3");
    CHECK(canonical_header_value("") == "");
    CHECK(canonical_header_value("   ") == "");
}

TEST_CASE("sigv4 adds exactly the signing headers", "[sigv4]") {
    SigningParams params = example_params();
    auto names_added = [&](const AwsCredentials& credentials) {
        std::vector<std::string> names;
        for (const auto& header :
             archlab::real::sign_request(example_get(), credentials, params).headers_to_add) {
            names.push_back(header.name);
        }
        return names;
    };
    using Names = std::vector<std::string>;
    CHECK(names_added(kExampleCredentials) == Names{"X-Amz-Date", "Authorization"});

    AwsCredentials with_token = kExampleCredentials;
    with_token.session_token = "token";
    CHECK(names_added(with_token) ==
          Names{"X-Amz-Security-Token", "X-Amz-Date", "Authorization"});

    params.add_content_sha256_header = true;
    CHECK(names_added(kExampleCredentials) ==
          Names{"X-Amz-Date", "x-amz-content-sha256", "Authorization"});

    const HttpRequest request = example_get();
    const HttpRequest signed_request =
        archlab::real::signed_request(request, kExampleCredentials, params);
    REQUIRE(signed_request.headers.size() == request.headers.size() + 3);
    CHECK(signed_request.headers[2].value == archlab::real::sha256_hex(""));
}

TEST_CASE("sigv4 rejects what it cannot sign correctly", "[sigv4]") {
    using archlab::real::sign_request;
    SigningParams params = example_params();

    for (const char* bad_date : {"2015-08-30T12:36:00Z", "20150830T123600", "20150830 123600Z", ""}) {
        params.amz_date = bad_date;
        CHECK_THROWS_AS(sign_request(example_get(), kExampleCredentials, params),
                        std::invalid_argument);
    }
    params = example_params();

    HttpRequest no_host = example_get();
    no_host.headers.clear();
    CHECK_THROWS_AS(sign_request(no_host, kExampleCredentials, params), std::invalid_argument);

    // Signing an already signed request would send the headers twice.
    const HttpRequest already_signed =
        archlab::real::signed_request(example_get(), kExampleCredentials, params);
    CHECK_THROWS_AS(sign_request(already_signed, kExampleCredentials, params),
                    std::invalid_argument);

    params.region.clear();
    CHECK_THROWS_AS(sign_request(example_get(), kExampleCredentials, params),
                    std::invalid_argument);
}

TEST_CASE("sigv4 signature changes with every signed input", "[sigv4]") {
    using archlab::real::sign_request;
    const SigningParams params = example_params();
    const std::string baseline = sign_request(example_get(), kExampleCredentials, params).signature;

    HttpRequest other_body = example_get();
    other_body.body = "x";
    CHECK(sign_request(other_body, kExampleCredentials, params).signature != baseline);

    SigningParams other_region = params;
    other_region.region = "eu-west-1";
    CHECK(sign_request(example_get(), kExampleCredentials, other_region).signature != baseline);

    AwsCredentials other_secret = kExampleCredentials;
    other_secret.secret_access_key += "x";
    CHECK(sign_request(example_get(), other_secret, params).signature != baseline);
}
