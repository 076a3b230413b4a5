# Warnings applied to every target of the project (not to third-party code).
function(dynemu_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
endfunction()
