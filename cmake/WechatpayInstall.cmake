# Install rules: headers, the library (SONAME'd shared and/or static), a CMake package
# (find_package(wechatpay CONFIG)) and a pkg-config file. See docs/install.md.
include(CMakePackageConfigHelpers)

set(WECHATPAY_INSTALL_TARGETS wechatpay)
if(TARGET wechatpay_static)
  list(APPEND WECHATPAY_INSTALL_TARGETS wechatpay_static)
endif()
install(TARGETS ${WECHATPAY_INSTALL_TARGETS} EXPORT wechatpayTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime
                NAMELINK_COMPONENT development
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/wechatpay
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development)

# A static libwechatpay needs its private dependencies at the consumer's link step.
if(WECHATPAY_LIBRARY_TYPE STREQUAL "STATIC_LIBRARY" OR TARGET wechatpay_static)
  set(WECHATPAY_HAS_STATIC ON)
else()
  set(WECHATPAY_HAS_STATIC OFF)
endif()

set(WECHATPAY_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/wechatpay)
install(EXPORT wechatpayTargets NAMESPACE wechatpay:: DESTINATION ${WECHATPAY_CMAKE_DIR}
        COMPONENT development)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/wechatpayConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/wechatpayConfig.cmake
                              INSTALL_DESTINATION ${WECHATPAY_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/wechatpayConfigVersion.cmake
                                 COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/wechatpayConfig.cmake
              ${PROJECT_BINARY_DIR}/wechatpayConfigVersion.cmake
        DESTINATION ${WECHATPAY_CMAKE_DIR} COMPONENT development)

# pkg-config: relative to ${prefix} unless GNUInstallDirs was given absolute paths.
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(WECHATPAY_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(WECHATPAY_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
# The prefix is the one given at install time (cmake --install --prefix), not at configure time.
set(WECHATPAY_PC_PREFIX "@WECHATPAY_PC_PREFIX@")
configure_file(${PROJECT_SOURCE_DIR}/cmake/wechatpay.pc.in ${PROJECT_BINARY_DIR}/wechatpay.pc.in
               @ONLY)
install(CODE "set(WECHATPAY_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(\"${PROJECT_BINARY_DIR}/wechatpay.pc.in\" \"${PROJECT_BINARY_DIR}/wechatpay.pc\" @ONLY)"
        COMPONENT development)
install(FILES ${PROJECT_BINARY_DIR}/wechatpay.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
        COMPONENT development)
