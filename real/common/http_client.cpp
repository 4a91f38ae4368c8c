#include "http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <mutex>

namespace archlab::real {

namespace {

// curl_global_init is not thread-safe in curl 7.88 and must run before any
// other curl call; call_once makes the first client do it, exactly once.
void ensure_curl_initialised() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw std::runtime_error("curl_global_init failed");
        }
    });
}

bool equal_ignoring_case(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

long to_ms(double seconds) { return static_cast<long>(std::ceil(std::max(seconds, 0.001) * 1000.0)); }

size_t collect_body(char* data, size_t size, size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

// curl calls this once per header line, status lines included. A new status
// line ("HTTP/1.1 100 Continue" followed by the real one) starts over, so
// only the final response's headers are kept.
size_t collect_header(char* data, size_t size, size_t count, void* user) {
    auto& headers = *static_cast<std::vector<HttpHeader>*>(user);
    std::string line(data, size * count);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (line.rfind("HTTP/", 0) == 0) {
        headers.clear();
    } else if (const auto colon = line.find(':'); colon != std::string::npos) {
        auto value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(" \t"));
        headers.push_back({line.substr(0, colon), value});
    }
    return size * count;
}

struct HeaderList {
    curl_slist* list = nullptr;
    ~HeaderList() { curl_slist_free_all(list); }
    void add(const std::string& line) {
        auto* grown = curl_slist_append(list, line.c_str());
        if (grown == nullptr) throw std::bad_alloc();
        list = grown;
    }
};

}  // namespace

struct HttpClient::Handle {
    CURL* curl = nullptr;
    ~Handle() {
        if (curl != nullptr) curl_easy_cleanup(curl);
    }
};

std::optional<std::string> HttpResponse::header(const std::string& name) const {
    for (const auto& h : headers) {
        if (equal_ignoring_case(h.name, name)) return h.value;
    }
    return std::nullopt;
}

HttpClient::HttpClient(std::string base_url, HttpClientOptions options)
    : base_url_(std::move(base_url)), options_(options), handle_(std::make_unique<Handle>()) {
    ensure_curl_initialised();
    handle_->curl = curl_easy_init();
    if (handle_->curl == nullptr) throw std::runtime_error("curl_easy_init failed");
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::send(const HttpRequest& request, std::optional<double> timeout_s) {
    CURL* curl = handle_->curl;
    // Reset clears the previous request's options but keeps the open
    // connection, so the next request to the same host reuses it.
    curl_easy_reset(curl);
    const std::string url = base_url_ + request.target;
    HttpResponse response;
    HeaderList headers;
    bool has_content_type = false;
    for (const auto& header : request.headers) {
        // "Name;" is curl's way to send a header with an empty value;
        // "Name:" would remove the header instead.
        headers.add(header.value.empty() ? header.name + ";" : header.name + ": " + header.value);
        has_content_type = has_content_type || equal_ignoring_case(header.name, "Content-Type");
    }
    // curl would otherwise add "Expect: 100-continue" to larger bodies (one
    // extra round trip) and a form Content-Type to every POST.
    headers.add("Expect:");
    if (!has_content_type) headers.add("Content-Type:");

    char error_buffer[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
    // Timeouts with signals are unsafe in a multi-threaded program.
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, to_ms(options_.connect_timeout_s));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, to_ms(timeout_s.value_or(options_.timeout_s)));
    curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
    // https_proxy is honoured for AWS (as the SDKs do), but the credential
    // endpoints and local emulators must never go through a proxy.
    // Setting the option replaces the no_proxy variable, so it is appended.
    static const std::string no_proxy = [] {
        std::string list = "localhost,127.0.0.1,::1,169.254.169.254,169.254.170.2";
        for (const char* name : {"no_proxy", "NO_PROXY"}) {
            if (const char* value = std::getenv(name); value != nullptr && *value != '\0') {
                return list + "," + value;
            }
        }
        return list;
    }();
    curl_easy_setopt(curl, CURLOPT_NOPROXY, no_proxy.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
    if (request.method == "GET") {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else if (request.method == "HEAD") {
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else {
        // POSTFIELDS with an explicit size sends the body as is (binary
        // safe) with a Content-Length; CUSTOMREQUEST sets PUT, DELETE, ...
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
        if (request.method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }

    const CURLcode code = curl_easy_perform(curl);
    if (code != CURLE_OK) {
        const std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
        throw TransportError(request.method + " " + url + ": " + detail, url,
                             code == CURLE_OPERATION_TIMEDOUT);
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

}  // namespace archlab::real
