# Sanitizer and fuzzer builds. Included before any target is created, so the flags reach every
# target of the build: the library, the tools, the tests and the fuzz targets.
#   -DWECHATPAY_SANITIZE=address   ASan + UBSan (any UB aborts the test)
#   -DWECHATPAY_SANITIZE=thread    TSan
#   -DWECHATPAY_BUILD_FUZZERS=ON   libFuzzer targets in test/fuzz (clang only); everything else
#                                  is instrumented for coverage, ASan and UBSan
# Run-time options and suppressions (test/sanitizers/*.supp) come from scripts/test.sh.

set(WECHATPAY_SANITIZE "" CACHE STRING "Sanitizers for every target: '', address or thread")
set_property(CACHE WECHATPAY_SANITIZE PROPERTY STRINGS "" address thread)
option(WECHATPAY_BUILD_FUZZERS "Build the libFuzzer targets (clang)" OFF)

set(WECHATPAY_ASAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined
                         -fno-omit-frame-pointer)

if(WECHATPAY_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "WECHATPAY_BUILD_FUZZERS needs clang (libFuzzer), not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  if(WECHATPAY_SANITIZE)
    message(FATAL_ERROR "WECHATPAY_BUILD_FUZZERS already implies address,undefined; leave WECHATPAY_SANITIZE empty")
  endif()
  # The fuzz targets themselves add -fsanitize=fuzzer at link time (test/fuzz).
  add_compile_options(-fsanitize=fuzzer-no-link ${WECHATPAY_ASAN_FLAGS})
  # Debian's RapidJSON 1.1 member iterators trip clang's C++20 reversed-operator check when
  # compared (fixed upstream after 1.1.0); g++ builds keep every warning.
  add_compile_options(-Wno-ambiguous-reversed-operator
                      -fsanitize-ignorelist=${PROJECT_SOURCE_DIR}/test/sanitizers/clang_ignorelist.txt)
  add_link_options(${WECHATPAY_ASAN_FLAGS})
elseif(WECHATPAY_SANITIZE STREQUAL "address")
  add_compile_options(${WECHATPAY_ASAN_FLAGS})
  add_link_options(${WECHATPAY_ASAN_FLAGS})
elseif(WECHATPAY_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(WECHATPAY_SANITIZE)
  message(FATAL_ERROR "WECHATPAY_SANITIZE must be empty, address or thread, not '${WECHATPAY_SANITIZE}'")
endif()
# g++'s -Wmaybe-uninitialized misfires on sanitizer-instrumented code (e.g. inside libstdc++'s
# <regex>, which cpp-httplib uses in the sandbox); the plain build keeps the warning.
if(WECHATPAY_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  add_compile_options(-Wno-maybe-uninitialized)
endif()
