#pragma once

#include "smo/ports/clock.hpp"

namespace smo {

// The real clock: steady time for durations, system time for records.
class SystemClock : public Clock {
  public:
    std::chrono::steady_clock::time_point now() const override;
    std::chrono::system_clock::time_point wall_now() const override;
    void sleep_for(std::chrono::milliseconds duration) override;
};

} // namespace smo
