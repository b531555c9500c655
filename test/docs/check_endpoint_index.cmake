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

# The endpoint pages' generated field tables, written next to OUTPUT.
get_filename_component(generated ${OUTPUT} DIRECTORY)
file(GLOB_RECURSE pages RELATIVE ${generated} ${generated}/endpoints/*.md)
foreach(page ${pages})
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${generated}/${page} ${DOCS}/${page}
                  RESULT_VARIABLE page_different)
  if(page_different)
    message(FATAL_ERROR "docs/${page}: its contract field tables are stale. Regenerate them and "
                        "commit the result:\n"
                        "  ${DOCGEN} endpoints ${CORPUS} ${DOCS} ${DOCS}/endpoints.md")
  endif()
endforeach()
