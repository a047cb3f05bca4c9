# Run by CPack (CPACK_PRE_BUILD_SCRIPTS) on the staging tree before the
# package is made: compress the manual pages the way Debian does (gzip -9n,
# no name or time stamp in the header). `make install` keeps them plain.
file(GLOB_RECURSE pages "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*/share/man/man*/*.[0-9]")
foreach(page ${pages})
  execute_process(COMMAND gzip -9nf "${page}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${page} failed")
  endif()
endforeach()
