# Warnings and sanitizers for every target of the project.
add_compile_options(-Wall -Wextra -Wpedantic -Wno-unused-parameter)
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  # Clang checks the GUARDED_BY/REQUIRES annotations of engine/util/ThreadAnnotations.h.
  add_compile_options(-Wthread-safety)
endif()

if(TRIBUTARY_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# ThreadSanitizer cannot share a process with ASan. Only our code is
# instrumented: Qt, libuv and OpenSSL are not, so a race inside them is not
# seen, and neither is a synchronisation done only inside them.
if(TRIBUTARY_TSAN)
  if(TRIBUTARY_SANITIZE)
    message(FATAL_ERROR "TRIBUTARY_TSAN and TRIBUTARY_SANITIZE cannot be on together")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

# Every build but Release keeps the thread-affinity and invariant checks: they cost a compare.
if(NOT CMAKE_BUILD_TYPE STREQUAL "Release")
  add_compile_definitions(TRIBUTARY_DEBUG_CHECKS=1)
endif()
