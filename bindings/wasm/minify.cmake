# Minifies the package's JavaScript in place with terser (a pinned dev
# dependency of the workspace), keeping the bundler hints in comments
# (webpackIgnore, @vite-ignore). The readable sources stay in bindings/wasm/;
# what ships is what counts against the 120 KB gzipped budget.
#   cmake -DDIST=dist/milestone-engine -DTERSER=node_modules/.bin/terser -P minify.cmake
if(NOT EXISTS ${TERSER})
  message(WARNING "terser not found at ${TERSER} (run npm ci): the package ships unminified")
  return()
endif()
file(GLOB scripts ${DIST}/*.mjs)
foreach(script IN LISTS scripts)
  execute_process(
    COMMAND ${TERSER} ${script} --module --compress --mangle
      --comments "/webpackIgnore|vite-ignore/" --output ${script}.min
    RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "terser failed on ${script}")
  endif()
  file(RENAME ${script}.min ${script})
endforeach()
