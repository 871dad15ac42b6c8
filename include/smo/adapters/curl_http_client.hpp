#pragma once

#include "smo/ports/http_client.hpp"

// The real HTTP adapter over libcurl (the only file that includes curl). A
// status of any kind is an answer; only a failed exchange (refused, timed out,
// TLS, DNS) is a transport_error, whose text never contains the URL: the
// Telegram URL carries the bot token.
namespace smo {

class CurlHttpClient : public HttpClient {
  public:
    CurlHttpClient(); // initialises libcurl once per process

    HttpResponse get(const std::string& url, std::chrono::milliseconds timeout) override;
    HttpResponse post_json(const std::string& url, const std::string& json_body,
                           std::chrono::milliseconds timeout) override;
};

} // namespace smo
