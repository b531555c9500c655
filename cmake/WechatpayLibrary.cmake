# The library's sources are compiled once, as position-independent objects with hidden
# visibility; every library variant is linked from those objects:
#   wechatpay           shared (static with BUILD_SHARED_LIBS=OFF); exports WECHATPAY_EXPORT only
#   wechatpay_static    libwechatpay.a next to the shared library, with WECHATPAY_BUILD_STATIC=ON
#   wechatpay_internal  an archive for the tests and tools, which also call detail:: internals
file(GLOB_RECURSE WECHATPAY_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/*.cpp)
add_library(wechatpay_objects OBJECT ${WECHATPAY_SOURCES})
set_target_properties(wechatpay_objects PROPERTIES POSITION_INDEPENDENT_CODE ON
                      CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
target_include_directories(wechatpay_objects PRIVATE ${PROJECT_SOURCE_DIR}/include
                           ${PROJECT_SOURCE_DIR}/src)
target_include_directories(wechatpay_objects SYSTEM PRIVATE ${RAPIDJSON_INCLUDE_DIRS})
target_link_libraries(wechatpay_objects PRIVATE OpenSSL::SSL OpenSSL::Crypto CURL::libcurl
                      tinyxml2::tinyxml2 ZLIB::ZLIB Threads::Threads wechatpay_warnings)
target_compile_definitions(wechatpay_objects PRIVATE WECHATPAY_VERSION="${PROJECT_VERSION}")
target_compile_features(wechatpay_objects PRIVATE cxx_std_20)

# The contract data (data/contracts/*.jsonl) deflated into a generated source by a host tool:
# no file is read at run time, and the library grows by the compressed size only.
add_executable(wechatpay_embed_data ${PROJECT_SOURCE_DIR}/tools/embed/embed_data.cpp)
target_link_libraries(wechatpay_embed_data PRIVATE ZLIB::ZLIB wechatpay_warnings)
set(WECHATPAY_CONTRACT_FILES ${PROJECT_SOURCE_DIR}/data/contracts/contracts.jsonl
    ${PROJECT_SOURCE_DIR}/data/contracts/events.jsonl
    ${PROJECT_SOURCE_DIR}/data/contracts/corrections.jsonl)
set(WECHATPAY_EMBEDDED_DATA ${PROJECT_BINARY_DIR}/generated/contract_data.cpp)
add_custom_command(
  OUTPUT ${WECHATPAY_EMBEDDED_DATA}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/generated
  COMMAND wechatpay_embed_data ${WECHATPAY_EMBEDDED_DATA}
          contracts=${PROJECT_SOURCE_DIR}/data/contracts/contracts.jsonl
          events=${PROJECT_SOURCE_DIR}/data/contracts/events.jsonl
          corrections=${PROJECT_SOURCE_DIR}/data/contracts/corrections.jsonl
  DEPENDS wechatpay_embed_data ${WECHATPAY_CONTRACT_FILES}
  COMMENT "Embedding the contract data")
target_sources(wechatpay_objects PRIVATE ${WECHATPAY_EMBEDDED_DATA})

# One library made of the objects, with the usage requirements consumers need.
function(wechatpay_add_library name type)
  add_library(${name} ${type} $<TARGET_OBJECTS:wechatpay_objects>)
  target_include_directories(${name} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
                             $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  # RapidJSON's config exports only a variable; its headers are part of our public json.hpp.
  # The installed package config adds them again (see wechatpayConfig.cmake.in).
  target_include_directories(${name} SYSTEM PUBLIC $<BUILD_INTERFACE:${RAPIDJSON_INCLUDE_DIRS}>)
  # keys.hpp names OpenSSL types; std::thread is in the public headers.
  target_link_libraries(${name} PUBLIC OpenSSL::Crypto Threads::Threads
                        PRIVATE OpenSSL::SSL CURL::libcurl tinyxml2::tinyxml2 ZLIB::ZLIB)
  target_compile_features(${name} PUBLIC cxx_std_20)
  set_target_properties(${name} PROPERTIES OUTPUT_NAME wechatpay)
endfunction()

# Shared unless BUILD_SHARED_LIBS says otherwise (a parent project may leave it unset).
if(DEFINED BUILD_SHARED_LIBS AND NOT BUILD_SHARED_LIBS)
  wechatpay_add_library(wechatpay STATIC)
else()
  wechatpay_add_library(wechatpay SHARED)
endif()
add_library(wechatpay::wechatpay ALIAS wechatpay)
# libwechatpay.so.0.1.0, SONAME libwechatpay.so.0: see docs/install.md for the ABI policy.
set_target_properties(wechatpay PROPERTIES VERSION ${PROJECT_VERSION}
                                           SOVERSION ${PROJECT_VERSION_MAJOR})
get_target_property(WECHATPAY_LIBRARY_TYPE wechatpay TYPE)

if(WECHATPAY_BUILD_STATIC AND WECHATPAY_LIBRARY_TYPE STREQUAL "SHARED_LIBRARY")
  wechatpay_add_library(wechatpay_static STATIC)
  add_library(wechatpay::wechatpay_static ALIAS wechatpay_static)
elseif(WECHATPAY_LIBRARY_TYPE STREQUAL "STATIC_LIBRARY")
  # A static-only build: the one archive answers to both names.
  add_library(wechatpay::wechatpay_static ALIAS wechatpay)
endif()

if(WECHATPAY_BUILD_TESTS OR WECHATPAY_BUILD_TOOLS OR WECHATPAY_BUILD_BENCH)
  wechatpay_add_library(wechatpay_internal STATIC)
  set_target_properties(wechatpay_internal PROPERTIES OUTPUT_NAME wechatpay_internal)
endif()
