# Embeds the query page's files into the kizuna binary: writes OUTPUT, a C
# file defining http_assets[] (engine/http/http_internal.h), from the files
# listed in INPUTS. Run as
#   cmake -DOUTPUT=assets.c "-DINPUTS=a.html|b.js" -P embed.cmake
# (the files separated by '|', as ';' would split the command line).
string(REPLACE "|" ";" INPUTS "${INPUTS}")
set(body "")
set(table "")
set(index 0)
foreach(input ${INPUTS})
  get_filename_component(name ${input} NAME)
  get_filename_component(ext ${input} LAST_EXT)
  if(ext STREQUAL ".html")
    set(type "text/html")
  elseif(ext STREQUAL ".js")
    set(type "text/javascript")
  elseif(ext STREQUAL ".css")
    set(type "text/css")
  else()
    set(type "application/octet-stream")
  endif()
  file(READ ${input} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n  " bytes "${bytes}")
  string(APPEND body "static const unsigned char asset_${index}[] = {\n  ${bytes}0x00};\n")
  string(APPEND table "    {\"${name}\", \"${type}\", asset_${index}, sizeof asset_${index} - 1},\n")
  math(EXPR index "${index} + 1")
endforeach()
file(WRITE ${OUTPUT}.tmp "/* Generated from engine/http/assets/ by engine/http/embed.cmake: do not edit. */\n#include \"http/http_internal.h\"\n\n${body}\nconst http_asset http_assets[] = {\n${table}};\nconst size_t http_asset_count = ${index};\n")
# Replace only when changed, so the build does not recompile for nothing.
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUTPUT}.tmp ${OUTPUT})
file(REMOVE ${OUTPUT}.tmp)
