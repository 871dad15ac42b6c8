#include "smo/app.hpp"

// Placeholder until the wiring lands (lead, same session).
namespace smo {

int app_main(int, const char* const*) { return 0; }

} // namespace smo
