#include "sigv4.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>
#include <utility>

namespace archlab::real {

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
// Last element of the credential scope; fixed by the SigV4 spec.
constexpr std::string_view kScopeTerminator = "aws4_request";
constexpr std::size_t kSha256Bytes = 32;

using Digest = std::array<unsigned char, kSha256Bytes>;

std::string to_hex(const unsigned char* bytes, std::size_t count) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(count * 2);
    for (std::size_t i = 0; i < count; ++i) {
        hex += kDigits[bytes[i] >> 4];
        hex += kDigits[bytes[i] & 0x0F];
    }
    return hex;
}

Digest hmac_sha256(std::string_view key, std::string_view message) {
    Digest mac{};
    unsigned int mac_length = 0;
    const unsigned char* ok =
        HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(),
             mac.data(), &mac_length);
    if (ok == nullptr || mac_length != mac.size()) {
        throw std::runtime_error("OpenSSL HMAC-SHA256 failed");
    }
    return mac;
}

std::string_view as_key(const Digest& digest) {
    return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Undoes %XX escapes. A '%' not followed by two hex digits is kept as a
// literal byte (it is then re-encoded as %25) instead of failing: the
// signature must describe whatever the caller will actually send. '+' is
// left alone: RFC 3986 gives it no meaning, and SigV4 encodes it as %2B.
std::string percent_decode(std::string_view encoded) {
    std::string decoded;
    decoded.reserve(encoded.size());
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        if (encoded[i] == '%' && i + 2 < encoded.size()) {
            const int high = hex_value(encoded[i + 1]);
            const int low = hex_value(encoded[i + 2]);
            if (high >= 0 && low >= 0) {
                decoded += static_cast<char>(high * 16 + low);
                i += 2;
                continue;
            }
        }
        decoded += encoded[i];
    }
    return decoded;
}

std::string to_lower_ascii(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return lower;
}

bool is_header_whitespace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view path_of(std::string_view target) {
    return target.substr(0, target.find('?'));
}

std::string_view query_of(std::string_view target) {
    const auto question_mark = target.find('?');
    return question_mark == std::string_view::npos ? std::string_view{}
                                                   : target.substr(question_mark + 1);
}

// RFC 3986 section 5.2.4 "remove dot segments", plus dropping empty segments:
// AWS treats "//a//" as "/a/" for every service but S3.
std::string normalize_path_segments(std::string_view path) {
    std::vector<std::string_view> kept;
    bool ends_in_directory = false;  // the result keeps a trailing '/'
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        const std::string_view segment = path.substr(start, end - start);
        const bool last = end == path.size();
        if (segment == "..") {
            if (!kept.empty()) kept.pop_back();
        } else if (!segment.empty() && segment != ".") {
            kept.push_back(segment);
        }
        if (last) {
            // "/a/", "/a/." and "/a/b/.." all name the directory "/a/".
            ends_in_directory = segment.empty() || segment == "." || segment == "..";
        }
        start = end + 1;
    }
    std::string normalized = "/";
    for (std::size_t i = 0; i < kept.size(); ++i) {
        if (i > 0) normalized += '/';
        normalized += kept[i];
    }
    if (ends_in_directory && !kept.empty()) normalized += '/';
    return normalized;
}

void validate_amz_date(std::string_view amz_date) {
    // YYYYMMDDTHHMMSSZ
    const bool well_formed =
        amz_date.size() == 16 && amz_date[8] == 'T' && amz_date[15] == 'Z' &&
        std::all_of(amz_date.begin(), amz_date.begin() + 8,
                    [](char c) { return c >= '0' && c <= '9'; }) &&
        std::all_of(amz_date.begin() + 9, amz_date.begin() + 15,
                    [](char c) { return c >= '0' && c <= '9'; });
    if (!well_formed) {
        throw std::invalid_argument("SigV4 amz_date must be YYYYMMDDTHHMMSSZ, got \"" +
                                    std::string(amz_date) + "\"");
    }
}

// The signing headers this signer appends, in the order it appends them
// (token first, Authorization last: it depends on all the others).
std::vector<HttpHeader> signing_headers_before_authorization(const HttpRequest& request,
                                                              const AwsCredentials& credentials,
                                                              const SigningParams& params) {
    std::vector<HttpHeader> added;
    if (credentials.session_token) {
        added.push_back({"X-Amz-Security-Token", *credentials.session_token});
    }
    added.push_back({"X-Amz-Date", params.amz_date});
    if (params.add_content_sha256_header) {
        added.push_back({"x-amz-content-sha256", sha256_hex(request.body)});
    }
    return added;
}

void validate_request(const HttpRequest& request, const std::vector<HttpHeader>& added) {
    bool has_host = false;
    for (const auto& header : request.headers) {
        const std::string name = to_lower_ascii(header.name);
        has_host = has_host || name == "host";
        const bool clashes = name == "authorization" ||
                             std::any_of(added.begin(), added.end(), [&](const HttpHeader& a) {
                                 return to_lower_ascii(a.name) == name;
                             });
        if (clashes) {
            throw std::invalid_argument("request already has header \"" + header.name +
                                        "\", which the SigV4 signer adds; sign the unsigned request");
        }
    }
    if (!has_host) {
        // SigV4 requires Host to be signed: it binds the signature to the endpoint.
        throw std::invalid_argument("SigV4 needs a Host header in the request");
    }
}

// Canonical headers block ("name:value\n" each, sorted by name) and the
// signed headers list ("a;b;c"). Headers repeated in the request are merged
// into one line, values joined with ',' in request order.
std::pair<std::string, std::string> canonical_and_signed_headers(
    const std::vector<HttpHeader>& headers) {
    std::map<std::string, std::string> merged;  // std::map: sorted by name, as required
    for (const auto& header : headers) {
        auto [entry, inserted] = merged.try_emplace(to_lower_ascii(header.name));
        if (!inserted) entry->second += ',';
        entry->second += canonical_header_value(header.value);
    }
    std::string canonical_headers;
    std::string signed_headers;
    for (const auto& [name, value] : merged) {
        canonical_headers += name + ':' + value + '\n';
        if (!signed_headers.empty()) signed_headers += ';';
        signed_headers += name;
    }
    return {canonical_headers, signed_headers};
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
    Digest digest{};
    unsigned int digest_length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &digest_length, EVP_sha256(),
                   nullptr) != 1 ||
        digest_length != digest.size()) {
        throw std::runtime_error("OpenSSL SHA-256 failed");
    }
    return to_hex(digest.data(), digest.size());
}

std::string uri_encode(std::string_view bytes, bool keep_slash) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string encoded;
    encoded.reserve(bytes.size());
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        if (is_unreserved(byte) || (keep_slash && c == '/')) {
            encoded += c;
        } else {
            encoded += '%';
            encoded += kDigits[byte >> 4];
            encoded += kDigits[byte & 0x0F];
        }
    }
    return encoded;
}

std::string canonical_uri(std::string_view target, const SigningParams& params) {
    std::string_view raw_path = path_of(target);
    if (raw_path.empty()) raw_path = "/";  // "" and "?a=1" request the root
    const std::string path = params.normalize_path ? normalize_path_segments(raw_path)
                                                   : std::string(raw_path);
    // The wire path is already encoded once; encoding it again is the
    // "double encoding" all services but S3 sign.
    return params.double_encode_path ? uri_encode(path, /*keep_slash=*/true) : path;
}

std::string canonical_query_string(std::string_view target) {
    std::vector<std::pair<std::string, std::string>> parameters;
    const std::string_view query = query_of(target);
    std::size_t start = 0;
    while (start < query.size()) {
        auto end = query.find('&', start);
        if (end == std::string_view::npos) end = query.size();
        const std::string_view parameter = query.substr(start, end - start);
        if (!parameter.empty()) {  // "a=1&&b=2": nothing between the '&'s
            const auto equals = parameter.find('=');
            // Decode first so "%e1" and "%E1" (or "~" and "%7E") sign alike.
            const std::string_view name = parameter.substr(0, equals);
            const std::string_view value =
                equals == std::string_view::npos ? std::string_view{} : parameter.substr(equals + 1);
            parameters.emplace_back(uri_encode(percent_decode(name), false),
                                    uri_encode(percent_decode(value), false));
        }
        start = end + 1;
    }
    // Sort by encoded name, then by value for repeated names; byte order.
    std::sort(parameters.begin(), parameters.end());
    std::string canonical;
    for (const auto& [name, value] : parameters) {
        if (!canonical.empty()) canonical += '&';
        canonical += name + '=' + value;
    }
    return canonical;
}

std::string canonical_header_value(std::string_view raw_value) {
    std::string value;
    value.reserve(raw_value.size());
    bool pending_space = false;
    for (const char c : raw_value) {
        if (is_header_whitespace(c)) {
            pending_space = true;  // a run of whitespace (incl. a line fold) becomes one space
            continue;
        }
        if (pending_space && !value.empty()) value += ' ';  // never a leading space
        pending_space = false;
        value += c;
    }
    return value;  // a trailing run was never written: trimmed
}

SigningResult sign_request(const HttpRequest& request, const AwsCredentials& credentials,
                           const SigningParams& params) {
    validate_amz_date(params.amz_date);
    if (params.region.empty() || params.service.empty()) {
        throw std::invalid_argument("SigV4 needs a region and a service");
    }
    std::vector<HttpHeader> added =
        signing_headers_before_authorization(request, credentials, params);
    validate_request(request, added);

    // 1. Canonical request.
    std::vector<HttpHeader> headers_to_sign = request.headers;
    for (const auto& header : added) {
        const bool unsigned_token =
            !params.sign_session_token && header.name == "X-Amz-Security-Token";
        if (!unsigned_token) headers_to_sign.push_back(header);
    }
    const auto [canonical_headers, signed_headers] = canonical_and_signed_headers(headers_to_sign);
    const std::string payload_hash = sha256_hex(request.body);

    SigningResult result;
    result.canonical_request = request.method + '\n' +
                               canonical_uri(request.target, params) + '\n' +
                               canonical_query_string(request.target) + '\n' +
                               canonical_headers + '\n' +  // the block ends with '\n' too
                               signed_headers + '\n' + payload_hash;

    // 2. String to sign. The scope limits the key to one day, region, service.
    const std::string date = params.amz_date.substr(0, 8);  // YYYYMMDD
    const std::string scope =
        date + '/' + params.region + '/' + params.service + '/' + std::string(kScopeTerminator);
    result.string_to_sign = std::string(kAlgorithm) + '\n' + params.amz_date + '\n' + scope +
                            '\n' + sha256_hex(result.canonical_request);

    // 3. Signing key: derived, so the secret itself never signs anything and
    // a leaked derived key is only good for that day, region and service.
    const Digest date_key = hmac_sha256("AWS4" + credentials.secret_access_key, date);
    const Digest region_key = hmac_sha256(as_key(date_key), params.region);
    const Digest service_key = hmac_sha256(as_key(region_key), params.service);
    const Digest signing_key = hmac_sha256(as_key(service_key), kScopeTerminator);

    // 4. Signature and Authorization header.
    const Digest signature = hmac_sha256(as_key(signing_key), result.string_to_sign);
    result.signature = to_hex(signature.data(), signature.size());
    result.authorization_header = std::string(kAlgorithm) +
                                  " Credential=" + credentials.access_key_id + '/' + scope +
                                  ", SignedHeaders=" + signed_headers +
                                  ", Signature=" + result.signature;

    result.headers_to_add = std::move(added);
    result.headers_to_add.push_back({"Authorization", result.authorization_header});
    return result;
}

HttpRequest signed_request(const HttpRequest& request, const AwsCredentials& credentials,
                           const SigningParams& params) {
    SigningResult signing = sign_request(request, credentials, params);
    HttpRequest signed_copy = request;
    for (auto& header : signing.headers_to_add) {
        signed_copy.headers.push_back(std::move(header));
    }
    return signed_copy;
}

}  // namespace archlab::real
