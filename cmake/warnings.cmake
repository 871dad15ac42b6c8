# Warnings are errors in development and CI (scripts/ turn SMO_WERROR on), never
# in a user's or packager's build: a newer compiler's new warning must not stop
# `cmake -DCMAKE_BUILD_TYPE=Release` from producing the tool.
option(SMO_WERROR "Treat compiler warnings as errors" OFF)

function(smo_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow)
  if(SMO_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  # GCC 12 at -O3 (CMake's Release) reports a false -Wrestrict inside libstdc++'s
  # std::string concatenation (GCC bug 105329), at several of our call sites.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
     AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(SMO_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
