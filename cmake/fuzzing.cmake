# -DSMO_FUZZ=ON: every target of this build is compiled for libFuzzer
# (coverage instrumentation) with AddressSanitizer and UndefinedBehaviorSanitizer,
# and tests/fuzz/ adds one fuzz_<name> executable per parser. clang only: GCC has
# no libFuzzer. See docs/fuzzing.md.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "SMO_FUZZ needs clang for libFuzzer: configure with "
                      "-DCMAKE_CXX_COMPILER=clang++ (Debian: clang, libclang-rt-14-dev)")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                    -fno-omit-frame-pointer)
add_link_options(-fsanitize=address,undefined)
