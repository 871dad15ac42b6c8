#include "smo/adapters/curl_http_client.hpp"

#include <algorithm>
#include <curl/curl.h>
#include <memory>
#include <mutex>

namespace smo {

namespace {

// A health endpoint or the Bot API answers in kilobytes; anything bigger is
// cut rather than held in memory.
constexpr size_t k_max_body_bytes = 1 << 20;
constexpr long k_max_redirects = 3;
constexpr std::chrono::milliseconds k_max_connect_timeout{5000};

size_t append_body(char* data, size_t size, size_t count, void* user) {
    auto* body = static_cast<std::string*>(user);
    const size_t bytes = size * count;
    const size_t room = k_max_body_bytes > body->size() ? k_max_body_bytes - body->size() : 0;
    body->append(data, std::min(bytes, room));
    return bytes;
}

// Everything after the host is removed from error texts: the path of a Bot API
// URL is "/bot<token>/…". The URL itself goes too, should curl quote it.
std::string without_url(std::string text, const std::string& url) {
    auto erase_all = [&text](const std::string& needle) {
        if (needle.empty()) {
            return;
        }
        for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at)) {
            text.replace(at, needle.size(), "<url>");
            at += 5;
        }
    };
    erase_all(url);
    const size_t scheme = url.find("://");
    const size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    if (path != std::string::npos) {
        erase_all(url.substr(path));
    }
    return text;
}

struct CurlDeleter {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

HttpResponse perform(const std::string& url, const std::string* json_body,
                     std::chrono::milliseconds timeout) {
    HttpResponse response;
    std::unique_ptr<CURL, CurlDeleter> handle(curl_easy_init());
    if (!handle) {
        response.transport_error = "curl_easy_init failed";
        return response;
    }
    CURL* curl = handle.get();
    char error_buffer[CURL_ERROR_SIZE] = {};
    const long total_ms = std::max<long>(1, static_cast<long>(timeout.count()));
    const long connect_ms =
        std::min<long>(total_ms, static_cast<long>(k_max_connect_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, total_ms);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, k_max_redirects);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "smo-rollback/" SMO_VERSION);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
    std::unique_ptr<curl_slist, SlistDeleter> headers;
    if (json_body != nullptr) {
        headers.reset(curl_slist_append(nullptr, "Content-Type: application/json"));
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json_body->c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(json_body->size()));
    }
    const CURLcode code = curl_easy_perform(curl);
    if (code != CURLE_OK) {
        std::string text = curl_easy_strerror(code);
        if (error_buffer[0] != '\0' && text != error_buffer) {
            text += ": ";
            text += error_buffer;
        }
        response.transport_error = without_url(std::move(text), url);
        response.body.clear();
        return response;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

} // namespace

CurlHttpClient::CurlHttpClient() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpResponse CurlHttpClient::get(const std::string& url, std::chrono::milliseconds timeout) {
    return perform(url, nullptr, timeout);
}

HttpResponse CurlHttpClient::post_json(const std::string& url, const std::string& json_body,
                                       std::chrono::milliseconds timeout) {
    return perform(url, &json_body, timeout);
}

} // namespace smo
