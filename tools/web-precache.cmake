# Writes the editor's service-worker precache list, dist/web-precache.json:
# every file of web/ and of its folders (strings/) the server serves (index.html
# as "/"), the worker itself excepted, and the engine's modules and wasm in
# dist/milestone-engine. The worker caches exactly this set, named by a hash of
# all its bytes, so adding a module to web/ needs no edit anywhere (docs/page.md,
# "The service worker").
#
#   cmake -DWEB_DIR=web -DDIST_DIR=dist -P tools/web-precache.cmake
if(NOT WEB_DIR OR NOT DIST_DIR)
  message(FATAL_ERROR "web-precache: pass -DWEB_DIR=... -DDIST_DIR=...")
endif()
get_filename_component(WEB_DIR ${WEB_DIR} ABSOLUTE)
get_filename_component(DIST_DIR ${DIST_DIR} ABSOLUTE)
file(GLOB_RECURSE web_files RELATIVE ${WEB_DIR} LIST_DIRECTORIES false ${WEB_DIR}/*)
list(SORT web_files)
set(assets "\"/\"")
foreach(f IN LISTS web_files)
  if(f STREQUAL "sw.js" OR f STREQUAL "index.html" OR f MATCHES "(^|/)\\.")
    continue()
  endif()
  string(APPEND assets ",\n    \"/${f}\"")
endforeach()
# The package's modules and its wasm: whatever index.mjs may load.
file(GLOB engine_files RELATIVE ${DIST_DIR} LIST_DIRECTORIES false
  ${DIST_DIR}/milestone-engine/*.mjs ${DIST_DIR}/milestone-engine/*.wasm
  ${DIST_DIR}/milestone-engine/catalogs/*.json)
list(SORT engine_files)
foreach(f IN LISTS engine_files)
  string(APPEND assets ",\n    \"/dist/${f}\"")
endforeach()
string(APPEND assets ",\n    \"/dist/web-precache.json\"")
set(out ${DIST_DIR}/web-precache.json)
set(text "{\n  \"assets\": [\n    ${assets}\n  ]\n}\n")
file(MAKE_DIRECTORY ${DIST_DIR})
# Rewritten only when it changes, so the file's time says when the set did.
if(EXISTS ${out})
  file(READ ${out} old)
  if(old STREQUAL text)
    return()
  endif()
endif()
file(WRITE ${out} "${text}")
