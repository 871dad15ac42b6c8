#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/types.h>
#include <vector>

// scripts/sandbox/telegram_stub.js run by the test itself (no full sandbox):
// started in the constructor in its own temp directory, stopped and removed in
// the destructor.
namespace smo::integration {

class TelegramStub {
  public:
    // `script`: one reply per line for sendMessage (see telegram_stub.js).
    explicit TelegramStub(const std::vector<std::string>& script = {},
                          const std::string& expect_token = "");
    ~TelegramStub();
    TelegramStub(const TelegramStub&) = delete;
    TelegramStub& operator=(const TelegramStub&) = delete;

    int port() const { return m_port; }
    std::string api() const { return "http://127.0.0.1:" + std::to_string(m_port); }

    // The requests logged so far, one JSON object each.
    std::vector<nlohmann::json> requests() const;

    // Stops the server now (its port is then closed); idempotent.
    void stop();

  private:
    std::filesystem::path m_dir;
    pid_t m_pid = -1;
    int m_port = 0;
};

} // namespace smo::integration
