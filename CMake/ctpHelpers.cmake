# Small helpers in place of ITK's module macros (not installed with Debian's ITK).

# ctp_add_module(NAME <target> [SOURCES ...] [DEPENDS ...])
# One library per module folder Modules/<Group>/<Module>/, headers in include/, sources in src/.
function(ctp_add_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;DEPENDS" ${ARGN})
  if(M_SOURCES)
    add_library(${M_NAME} STATIC ${M_SOURCES})
    target_include_directories(${M_NAME} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
    target_link_libraries(${M_NAME} PUBLIC ${M_DEPENDS})
  else()
    add_library(${M_NAME} INTERFACE)
    target_include_directories(${M_NAME} INTERFACE ${CMAKE_CURRENT_SOURCE_DIR}/include)
    target_link_libraries(${M_NAME} INTERFACE ${M_DEPENDS})
  endif()
endfunction()

# ctp_add_gtest(<Module> SOURCES ... [DEPENDS ...] [LABELS unit|integration|realdata])
# One GoogleTest executable per module test folder; each TEST becomes a CTest test carrying the labels.
# A test that calls GTEST_SKIP() is reported by CTest as skipped, not passed.
function(ctp_add_gtest MODULE)
  cmake_parse_arguments(T "" "" "SOURCES;DEPENDS;LABELS" ${ARGN})
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  set(exe ${MODULE}GTests)
  add_executable(${exe} ${T_SOURCES})
  target_link_libraries(${exe} PRIVATE ${T_DEPENDS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${exe} PRIVATE
    CTP_SHARED_DATA_DIR="${CTP_SHARED_DATA_DIR}"
    CTP_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    CTP_BINARY_DIR="${CMAKE_BINARY_DIR}")
  gtest_discover_tests(${exe}
    TEST_PREFIX "${MODULE}."
    DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS "${T_LABELS}" SKIP_REGULAR_EXPRESSION "\\[  SKIPPED \\]")
endfunction()
