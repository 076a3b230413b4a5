# dynemu_plugin(<name> SOURCES <file>... [OUTPUT_DIRECTORY <dir>])
#
# Builds a hooks plugin from C and/or C++ sources (the language follows each
# file's extension): a MODULE library, loaded with --plugin, named exactly
# <name>.so (no "lib" prefix) and written to OUTPUT_DIRECTORY (default:
# <build>/plugins, where the shipped plugins land). The target is
# dynemu_plugin_<name>.
#
# A plugin links dynemu::hooks_api and nothing of the server: every symbol is
# hidden except the one marked DYNEMU_EXPORT (dynemu_plugin_init), and the link
# refuses undefined symbols, so that a plugin reaching for a server function
# instead of the host table fails here rather than at load time.
#
#   include(dynemu_plugin)
#   dynemu_plugin(myplugin SOURCES myplugin.c)
function(dynemu_plugin name)
  cmake_parse_arguments(PLUGIN "" "OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  if(NOT PLUGIN_SOURCES)
    message(FATAL_ERROR "dynemu_plugin(${name}): no SOURCES")
  endif()
  if(NOT PLUGIN_OUTPUT_DIRECTORY)
    set(PLUGIN_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/plugins)
  endif()
  set(target dynemu_plugin_${name})
  add_library(${target} MODULE ${PLUGIN_SOURCES})
  target_link_libraries(${target} PRIVATE dynemu::hooks_api)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${name}
    LIBRARY_OUTPUT_DIRECTORY ${PLUGIN_OUTPUT_DIRECTORY}
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    target_link_options(${target} PRIVATE LINKER:--no-undefined)
  endif()
  if(COMMAND dynemu_warnings)
    dynemu_warnings(${target})
  endif()
endfunction()
