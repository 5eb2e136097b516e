# What `cmake --install` puts where, and the Debian package CPack makes of it
# (scripts/package). The man page and the bash completion are written at build time by the
# built zprov itself, from the option table and help texts that serve --help.
include(GNUInstallDirs)

set(ZPROV_MAN_PAGE ${PROJECT_BINARY_DIR}/zprov.1.gz)
set(ZPROV_BASH_COMPLETION ${PROJECT_BINARY_DIR}/zprov.bash-completion)
# (Shell redirection in COMMAND: not VERBATIM, which both Makefiles and Ninja run as is.)
add_custom_command(OUTPUT ${ZPROV_MAN_PAGE}
  COMMAND $<TARGET_FILE:zprov> --generate-man-page > ${PROJECT_BINARY_DIR}/zprov.1
  COMMAND gzip -9nf ${PROJECT_BINARY_DIR}/zprov.1
  DEPENDS zprov
  COMMENT "Writing the man page zprov(1)")
add_custom_command(OUTPUT ${ZPROV_BASH_COMPLETION}
  COMMAND $<TARGET_FILE:zprov> --generate-bash-completion > ${ZPROV_BASH_COMPLETION}
  DEPENDS zprov
  COMMENT "Writing the bash completion of zprov")
add_custom_target(zprov_docs ALL DEPENDS ${ZPROV_MAN_PAGE} ${ZPROV_BASH_COMPLETION})

install(TARGETS zprov zoomsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${ZPROV_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${ZPROV_BASH_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME zprov)
install(FILES config/zprov.example.json README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY samples/nightly DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME zprov)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "bulk Zoom user provisioning from a CSV spreadsheet")
# One string: the parts of a list would be joined with ';', which would lead each
# continuation line of the package's Description. CPack indents each line by one space
# (Debian policy 5.6.13).
set(CPACK_PACKAGE_DESCRIPTION
    "zprov creates Zoom users in bulk from a CSV, as fast as Zoom's rate limits allow, and
resumes across daily caps and crashes from its journal. zoomsim is a local stand-in
for Zoom's Users API.")
set(CPACK_PACKAGE_CONTACT "zprov maintainers <zprov@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
# Depends from the shared libraries the binaries actually link (dpkg-shlibdeps).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS bash-completion)
include(CPack)
