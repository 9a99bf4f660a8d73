# cmake -DPROGRAM=<exe> -DARGS=<a|b|c> -DEXPECTED_EXIT=<n> [-DEXPECTED_STDERR=<regex>] -P ctpExpectExit.cmake
# Runs the program and fails unless it exits with the expected code and stderr matches the regex.
string(REPLACE "|" ";" args "${ARGS}")
execute_process(COMMAND ${PROGRAM} ${args} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT "${code}" STREQUAL "${EXPECTED_EXIT}")
  message(FATAL_ERROR "exit code ${code}, expected ${EXPECTED_EXIT}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(EXPECTED_STDERR AND NOT err MATCHES "${EXPECTED_STDERR}")
  message(FATAL_ERROR "stderr does not match '${EXPECTED_STDERR}':\n${err}")
endif()
message(STATUS "exit ${code} as expected; stderr: ${err}")
