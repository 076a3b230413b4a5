# DYNEMU_SANITIZE=address,undefined turns the sanitizers on for the whole build.
if(DYNEMU_SANITIZE)
  add_compile_options(-fsanitize=${DYNEMU_SANITIZE} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${DYNEMU_SANITIZE})
endif()
