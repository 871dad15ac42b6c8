#pragma once

#include "smo/ports/clock.hpp"

#include <vector>

namespace smo::test {

// Time moves only when the code under test sleeps (or the test advances it).
class FakeClock : public Clock {
  public:
    std::chrono::steady_clock::time_point now() const override { return m_now; }
    std::chrono::system_clock::time_point wall_now() const override {
        return m_wall_start + (m_now - std::chrono::steady_clock::time_point{});
    }
    void sleep_for(std::chrono::milliseconds duration) override {
        sleeps.push_back(duration);
        m_now += duration;
    }
    void advance(std::chrono::milliseconds duration) { m_now += duration; }

    std::vector<std::chrono::milliseconds> sleeps;

  private:
    std::chrono::steady_clock::time_point m_now{};
    // 2026-04-19T03:12:09Z
    std::chrono::system_clock::time_point m_wall_start{std::chrono::seconds{1776568329}};
};

} // namespace smo::test
