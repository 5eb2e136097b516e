#include "zprov/net/trust_store.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <dirent.h>
#include <sys/stat.h>

#include <cstdlib>
#include <memory>
#include <string_view>

namespace zprov {

namespace {
// A directory is looked at up to this many names: the system's holds a few hundred.
constexpr int names_looked_at_limit = 100000;

// "1a2b3c4d.0": eight hex digits of the subject's hash, a dot, the certificate's number.
bool is_hashed_name(std::string_view name) {
    if (name.size() < 10 || name[8] != '.')
        return false;
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    auto hex = [&](char c) { return digit(c) || (c >= 'a' && c <= 'f'); };
    for (std::size_t i = 0; i < name.size(); ++i)
        if (i < 8 ? !hex(name[i]) : i > 8 && !digit(name[i]))
            return false;
    return true;
}

// Whether two paths name one existing file or directory (through links).
bool same_file(const std::string& a, const std::string& b) {
    struct stat first = {};
    struct stat second = {};
    return ::stat(a.c_str(), &first) == 0 && ::stat(b.c_str(), &second) == 0 &&
           first.st_dev == second.st_dev && first.st_ino == second.st_ino;
}
} // namespace

trust_paths default_trust_paths() {
    return {X509_get_default_cert_file(), X509_get_default_cert_dir()};
}

trust_paths system_trust_paths() {
    auto paths = default_trust_paths();
    auto from_environment = [](const char* name, std::string& path) {
        if (const char* value = std::getenv(name); value && *value)
            path = value;
    };
    from_environment(X509_get_default_cert_file_env(), paths.file);
    from_environment(X509_get_default_cert_dir_env(), paths.dir);
    return paths;
}

bool has_hashed_certificates(const std::string& dir) {
    struct closer {
        void operator()(DIR* d) const { ::closedir(d); }
    };
    std::unique_ptr<DIR, closer> d(::opendir(dir.c_str()));
    if (!d)
        return false;
    for (int looked = 0; looked < names_looked_at_limit; ++looked) {
        const dirent* entry = ::readdir(d.get());
        if (!entry)
            return false;
        if (is_hashed_name(entry->d_name))
            return true;
    }
    return false;
}

void trust_system_store(ssl_ctx_st* ctx, const trust_paths& paths, const trust_paths& defaults) {
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    if (same_file(paths.file, defaults.file) && same_file(paths.dir, defaults.dir) &&
        has_hashed_certificates(paths.dir)) {
        X509_STORE_load_path(store, paths.dir.c_str());
        return;
    }
    // As X509_STORE_set_default_paths: each path that loads is kept, the others skipped.
    X509_STORE_load_file(store, paths.file.c_str());
    X509_STORE_load_path(store, paths.dir.c_str());
    ERR_clear_error();
}

} // namespace zprov
