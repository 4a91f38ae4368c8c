# cmake -DARCHLAB=build/archlab -DSOURCE_DIR=. -P render_gallery.cmake
# Draws every model under models/ into docs/diagrams/<name>.svg (golden summaries and JSON files without
# "components", such as sample data, are skipped). Stops on the first model that fails to draw.
cmake_minimum_required(VERSION 3.20)  # for IN_LIST in script mode
file(GLOB_RECURSE models RELATIVE ${SOURCE_DIR}/models ${SOURCE_DIR}/models/*.json)
list(FILTER models EXCLUDE REGEX "\\.golden\\.json$")
list(SORT models)
file(MAKE_DIRECTORY ${SOURCE_DIR}/docs/diagrams)
foreach(model IN LISTS models)
  file(READ ${SOURCE_DIR}/models/${model} text)
  if(NOT text MATCHES "\"components\"")
    continue()
  endif()
  get_filename_component(name ${model} NAME_WLE)
  if(name IN_LIST drawn)  # two folders with the same file name: keep both, named after the path
    string(REGEX REPLACE "\\.json$" "" name ${model})
    string(REPLACE "/" "_" name ${name})
  endif()
  list(APPEND drawn ${name})
  execute_process(COMMAND ${ARCHLAB} diagram ${SOURCE_DIR}/models/${model} -o ${SOURCE_DIR}/docs/diagrams/${name}.svg
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "could not draw models/${model}")
  endif()
  message(STATUS "docs/diagrams/${name}.svg")
endforeach()
