// AWS Signature Version 4 (SigV4): the request signing every AWS API expects.
//
// The signer is pure: no clock, no network, no environment. The caller passes
// the timestamp and the credentials in, so the same input always gives the
// same signature; that is what lets the tests check it against AWS's own
// test vectors byte for byte.
//
// Signing in four steps (AWS General Reference, "Signature Version 4"):
//   1. canonical request: the request rewritten into one unambiguous form
//      (method, path, query, headers, SHA-256 of the body);
//   2. string to sign: algorithm, timestamp, scope (date/region/service) and
//      the SHA-256 of the canonical request;
//   3. signing key: HMAC chain secret -> date -> region -> service;
//   4. signature: HMAC of the string to sign with that key, sent in the
//      Authorization header.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws_credentials.hpp"

namespace archlab::real {

struct HttpHeader {
    std::string name;
    // Raw value as it goes on the wire; it may hold obsolete line folding
    // ("a\n  b"). The signer trims and collapses it only for the signature.
    std::string value;
};

struct HttpRequest {
    std::string method;  // "GET", "POST", ...
    // Request target as sent on the wire: path, then optionally "?" and the
    // query, e.g. "/queue/1?Action=SendMessage". Already percent-encoded.
    std::string target;
    // In order. Repeated names are allowed; their values are signed joined
    // with commas in this order, so the order matters. Every header given
    // here is signed; a Host header is required.
    std::vector<HttpHeader> headers;
    std::string body;  // bytes, not necessarily text
};

struct SigningParams {
    std::string region;   // "us-east-1"
    std::string service;  // signing name: "sqs", "dynamodb", "s3", ...
    // Request time in UTC as YYYYMMDDTHHMMSSZ ("20150830T123600Z"). AWS
    // rejects a signature more than about 5 minutes away from its clock.
    std::string amz_date;

    // Remove "." and ".." segments and empty segments ("//") from the path
    // before signing. Every service except S3 expects this; S3 object keys
    // may legitimately contain such segments, so for S3 set it to false.
    bool normalize_path = true;
    // Percent-encode the (already encoded) path once more. Every service
    // except S3 signs the path encoded twice; S3 signs it as sent, encoded
    // once, so for S3 set it to false.
    bool double_encode_path = true;
    // Add and sign x-amz-content-sha256 (the body's SHA-256). S3 requires it;
    // other services accept it but do not need it.
    bool add_content_sha256_header = false;
    // Sign the session token. Normally it must be signed; a few endpoints
    // want it added only after signing (the header is sent either way).
    bool sign_session_token = true;
};

struct SigningResult {
    std::string canonical_request;
    std::string string_to_sign;
    std::string signature;             // 64 lowercase hex digits
    std::string authorization_header;  // value of the Authorization header
    // The headers to add to the request, in the order they are added:
    // X-Amz-Security-Token (only with a session token), X-Amz-Date,
    // x-amz-content-sha256 (only if asked for), Authorization.
    std::vector<HttpHeader> headers_to_add;
};

// Computes everything SigV4 derives from the request; does not modify it.
// Throws std::invalid_argument if amz_date is not YYYYMMDDTHHMMSSZ, region or
// service is empty, the request has no Host header, or it already carries a
// header the signer adds (it would be sent twice and break the signature).
SigningResult sign_request(const HttpRequest& request,
                           const AwsCredentials& credentials,
                           const SigningParams& params);

// The request ready to send: a copy with SigningResult::headers_to_add
// appended. Throws like sign_request.
HttpRequest signed_request(const HttpRequest& request,
                           const AwsCredentials& credentials,
                           const SigningParams& params);

// The building blocks, public because each is a documented SigV4 rule that
// students can call (and the tests check) on its own.

// Lowercase hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);

// Percent-encodes every byte outside the RFC 3986 unreserved set
// (A-Z a-z 0-9 - . _ ~) as %XX with uppercase hex. With keep_slash, '/' is
// left as is (for paths).
std::string uri_encode(std::string_view bytes, bool keep_slash);

// Canonical URI: the path part of `target` (query removed), normalised and
// encoded as `params` asks. An empty path becomes "/".
std::string canonical_uri(std::string_view target, const SigningParams& params);

// Canonical query string: the query part of `target` (empty if none), each
// name and value percent-decoded then re-encoded with uri_encode, sorted by
// name then value, joined as name=value with '&'.
std::string canonical_query_string(std::string_view target);

// Header value as signed: leading/trailing whitespace removed, line folds and
// runs of spaces/tabs replaced by a single space.
std::string canonical_header_value(std::string_view raw_value);

}  // namespace archlab::real
