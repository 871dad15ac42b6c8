#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace smo {

// Calls `tick` every `period` on a thread of its own until destroyed: what
// keeps the terminal's clock moving while a stage blocks on a long remote
// command (docs/usage.md). What a tick draws is tested through the clock
// port; this only keeps time.
class Ticker {
  public:
    Ticker(std::chrono::milliseconds period, std::function<void()> tick);
    ~Ticker();
    Ticker(const Ticker&) = delete;
    Ticker& operator=(const Ticker&) = delete;

  private:
    void loop();

    std::chrono::milliseconds m_period;
    std::function<void()> m_tick;
    std::mutex m_lock;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace smo
