#pragma once

#include <chrono>
#include <string>

// The HTTP port: the health endpoint and the Telegram Bot API. The real adapter
// is CurlHttpClient (the only file that includes curl).
namespace smo {

struct HttpResponse {
    long status = 0; // 0 when no response arrived
    std::string body;
    std::string transport_error; // empty when a response arrived, else what failed

    bool answered() const { return transport_error.empty(); }
};

class HttpClient {
  public:
    virtual ~HttpClient() = default;
    virtual HttpResponse get(const std::string& url, std::chrono::milliseconds timeout) = 0;
    virtual HttpResponse post_json(const std::string& url, const std::string& json_body,
                                   std::chrono::milliseconds timeout) = 0;
};

} // namespace smo
