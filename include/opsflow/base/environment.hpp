#pragma once
// What opsflow takes from its process environment. The CLI reads it once, at
// start-up (src/cli/main.cpp), and hands it to the core: the core reads no
// environment variable itself, so a test or another program says what it runs with.
#include <filesystem>
#include <optional>
#include <string>

namespace opsflow {

struct Environment {
    // $OPSFLOW_DIR when set and not empty: the store, when -C does not name one.
    std::optional<std::filesystem::path> store_dir;
    // $OPSFLOW_USER: who acts when --as does not say; empty when unset.
    std::string user;
    // $USER: who acts when nobody else says and git does not know; empty when unset.
    std::string login;
    // Secrets, never kept in a versioned file: for notify.smtp_user and mail.imap_user.
    std::string smtp_password; // $OPSFLOW_SMTP_PASSWORD
    std::string imap_password; // $OPSFLOW_IMAP_PASSWORD
    // $OPSFLOW_CURL_VERBOSE set (to anything): libcurl traces its exchanges on stderr.
    bool curl_verbose = false;
};

} // namespace opsflow
