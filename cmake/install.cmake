# Install rules: headers, libraries, the CLI, a CMake package (bia::bia, bia::c) and pkg-config files.
#
# Installed targets keep the names add_subdirectory() consumers see:
#   bia::bia       the C++ library, static (libbia.a)
#   bia::shared    the C++ library, shared (libbia.so.MAJOR)
#   bia::c         the C API, shared and self-contained (libbia_c.so.MAJOR)
#   bia::c_static  the C API, static (libbia_c.a; pulls in libbia.a and libcrypto)
option(BIA_INSTALL "Generate bia's install rules" ${BIA_IS_TOP_LEVEL})
if(NOT BIA_INSTALL)
  return()
endif()

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(BIA_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/bia"
    CACHE STRING "Where to install bia's CMake package files, relative to the prefix")
set(BIA_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
    CACHE STRING "Where to install bia's pkg-config files, relative to the prefix")

set(_bia_targets bia_static bia_shared)
set_target_properties(bia_static PROPERTIES EXPORT_NAME bia)
set_target_properties(bia_shared PROPERTIES EXPORT_NAME shared)
if(TARGET bia_c)
  list(APPEND _bia_targets bia_c bia_c_static)
  set_target_properties(bia_c PROPERTIES EXPORT_NAME c)
  set_target_properties(bia_c_static PROPERTIES EXPORT_NAME c_static)
endif()

install(TARGETS ${_bia_targets}
  EXPORT bia-targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT bia_development
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT bia_runtime
          NAMELINK_COMPONENT bia_development
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT bia_runtime
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(DIRECTORY ${PROJECT_SOURCE_DIR}/engine/include/bia
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT bia_development
  FILES_MATCHING PATTERN "*.hpp")
install(FILES ${PROJECT_BINARY_DIR}/engine/include/bia/version.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/bia COMPONENT bia_development)
if(TARGET bia_c)
  install(FILES ${PROJECT_SOURCE_DIR}/bindings/c/include/bia.h
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT bia_development)
endif()

if(TARGET bia_cli)
  # Harmless when the CLI links the static library; needed if it ever links the shared one.
  set_target_properties(bia_cli PROPERTIES INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
  install(TARGETS bia_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT bia_runtime)
endif()

# CMake package: find_package(bia 1.0 CONFIG REQUIRED).
install(EXPORT bia-targets
  NAMESPACE bia::
  FILE bia-targets.cmake
  DESTINATION ${BIA_INSTALL_CMAKEDIR}
  COMPONENT bia_development)
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/bia-config.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/bia-config.cmake
  INSTALL_DESTINATION ${BIA_INSTALL_CMAKEDIR})
# A 1.x library serves every host written for 1.0 or later 1.x.
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/cmake/bia-config-version.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/cmake/bia-config.cmake
  ${PROJECT_BINARY_DIR}/cmake/bia-config-version.cmake
  DESTINATION ${BIA_INSTALL_CMAKEDIR}
  COMPONENT bia_development)

# pkg-config: bia.pc is the C API, bia-cpp.pc the C++ library. Both find their
# prefix from their own location, so a staged or relocated tree works as is.
foreach(_dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_dir}}")
    set(BIA_PC_${_dir} "${CMAKE_INSTALL_${_dir}}")
  else()
    set(BIA_PC_${_dir} "\${prefix}/${CMAKE_INSTALL_${_dir}}")
  endif()
endforeach()
if(IS_ABSOLUTE "${BIA_INSTALL_PKGCONFIGDIR}")
  set(BIA_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _bia_up "/${BIA_INSTALL_PKGCONFIGDIR}" "/")
  string(REGEX REPLACE "/$" "" _bia_up "${_bia_up}")
  set(BIA_PC_PREFIX "\${pcfiledir}/${_bia_up}")
endif()
# What the static libraries need at link time beyond themselves.
set(BIA_PC_PRIVATE_LIBS "-lcrypto")
set(_bia_pc_files bia-cpp)
if(TARGET bia_c)
  list(APPEND _bia_pc_files bia)
endif()
foreach(_pc ${_bia_pc_files})
  configure_file(${CMAKE_CURRENT_LIST_DIR}/${_pc}.pc.in ${PROJECT_BINARY_DIR}/cmake/${_pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/cmake/${_pc}.pc
    DESTINATION ${BIA_INSTALL_PKGCONFIGDIR} COMPONENT bia_development)
endforeach()
