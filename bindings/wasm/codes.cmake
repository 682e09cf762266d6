# Writes codes.mjs, the JS package's `codes`, from the catalogue in
# engine/include/milestone/codes.h, so the list is kept in one place.
#   cmake -DCODES_H=... -DOUT=... -P codes.cmake
file(READ ${CODES_H} header)
string(REGEX MATCHALL "const char k[A-Za-z]+\\[\\] = \"[A-Z_]+\"" lines "${header}")
set(items "")
foreach(line IN LISTS lines)
  string(REGEX REPLACE ".*= \"([A-Z_]+)\"" "\\1" code "${line}")
  string(APPEND items "  '${code}',\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from engine/include/milestone/codes.h by bindings/wasm/codes.cmake.\n// Every issue code the engine and its bindings answer with: stable public API.\nexport const codes = Object.freeze([\n${items}]);\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
