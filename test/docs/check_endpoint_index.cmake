# Regenerates the endpoint index into the build tree and compares it with docs/endpoints.md.
# cmake -DDOCGEN=... -DCORPUS=... -DDOCS=... -DOUTPUT=... -P check_endpoint_index.cmake
execute_process(COMMAND ${DOCGEN} endpoints ${CORPUS} ${DOCS} ${OUTPUT} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "wechatpay-docgen endpoints failed (${status})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUTPUT} ${DOCS}/endpoints.md
                RESULT_VARIABLE different)
if(different)
  message(FATAL_ERROR "docs/endpoints.md does not match the corpus and the endpoint pages. "
                      "Regenerate it and commit the result:\n"
                      "  ${DOCGEN} endpoints ${CORPUS} ${DOCS} ${DOCS}/endpoints.md")
endif()
