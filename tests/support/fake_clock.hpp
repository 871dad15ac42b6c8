#pragma once

#include "smo/ports/clock.hpp"

#include <mutex>
#include <vector>

namespace smo::test {

// Time moves only when the code under test sleeps (or the test advances it).
// Safe to share between a fleet's host threads.
class FakeClock : public Clock {
  public:
    std::chrono::steady_clock::time_point now() const override {
        const std::lock_guard<std::mutex> hold(m_lock);
        return m_now;
    }
    std::chrono::system_clock::time_point wall_now() const override {
        return m_wall_start + (now() - std::chrono::steady_clock::time_point{});
    }
    void sleep_for(std::chrono::milliseconds duration) override {
        const std::lock_guard<std::mutex> hold(m_lock);
        sleeps.push_back(duration);
        m_now += duration;
    }
    void advance(std::chrono::milliseconds duration) {
        const std::lock_guard<std::mutex> hold(m_lock);
        m_now += duration;
    }

    std::vector<std::chrono::milliseconds> sleeps;

  private:
    mutable std::mutex m_lock;
    std::chrono::steady_clock::time_point m_now{};
    // 2026-04-19T03:12:09Z
    std::chrono::system_clock::time_point m_wall_start{std::chrono::seconds{1776568329}};
};

} // namespace smo::test
