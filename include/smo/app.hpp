#pragma once

// The whole program: parse → wire → run → exit code. main() only calls this.
namespace smo {

int app_main(int argc, const char* const* argv);

} // namespace smo
