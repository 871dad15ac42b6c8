#pragma once

#include "smo/ports/http_client.hpp"

#include <deque>
#include <functional>
#include <string>
#include <vector>

namespace smo::test {

// Records requests and answers from a queue (the last reply repeats when the
// queue runs dry), or from a function when one is set.
class FakeHttpClient : public HttpClient {
  public:
    struct Request {
        std::string method;
        std::string url;
        std::string body;
    };

    HttpResponse get(const std::string& url, std::chrono::milliseconds) override {
        return answer({"GET", url, {}});
    }

    HttpResponse post_json(const std::string& url, const std::string& json_body,
                           std::chrono::milliseconds) override {
        return answer({"POST", url, json_body});
    }

    void reply(long status, std::string body) {
        HttpResponse response;
        response.status = status;
        response.body = std::move(body);
        m_replies.push_back(response);
    }

    void reply_unreachable(std::string error = "Couldn't connect to server") {
        HttpResponse response;
        response.transport_error = std::move(error);
        m_replies.push_back(response);
    }

    std::function<HttpResponse(const Request&)> responder;
    std::vector<Request> requests;

  private:
    HttpResponse answer(Request request) {
        requests.push_back(request);
        if (responder) {
            return responder(request);
        }
        if (m_replies.empty()) {
            HttpResponse none;
            none.transport_error = "no reply scripted";
            return none;
        }
        HttpResponse response = m_replies.front();
        if (m_replies.size() > 1) {
            m_replies.pop_front();
        }
        return response;
    }

    std::deque<HttpResponse> m_replies;
};

} // namespace smo::test
