// The system's trust store, loaded so that a run holds only the certificates it uses.
//
// OpenSSL's default paths are a bundle file, every certificate of which is parsed when it
// is loaded (Debian's ca-certificates.crt: ~140 CAs, 0.8 MB of a run's memory), and a
// directory of the same certificates named by subject hash, read one at a time when a
// chain needs one. Debian's update-ca-certificates writes both from one list, so where the
// paths are the system's own (SSL_CERT_FILE and SSL_CERT_DIR unset, or naming the same
// files) and the directory has hashed names, the directory alone is the same trust;
// otherwise the paths are loaded as OpenSSL's default paths are.
#pragma once

#include <string>

struct ssl_ctx_st;

namespace zprov {

// Where trusted certificates are.
struct trust_paths {
    std::string file; // a bundle, every certificate parsed when loaded
    std::string dir;  // certificates under subject-hash names, read when a chain needs one
};

// OpenSSL's built-in paths (on Debian /usr/lib/ssl/cert.pem and /usr/lib/ssl/certs).
trust_paths default_trust_paths();

// The paths OpenSSL's default paths load: the built-in ones, or SSL_CERT_FILE and
// SSL_CERT_DIR where they are set.
trust_paths system_trust_paths();

// Whether `dir` holds a certificate under a subject-hash name ("1a2b3c4d.0").
bool has_hashed_certificates(const std::string& dir);

// Trusts `paths` in `ctx`: the directory alone when `paths` are the same files as
// `defaults` and the directory has hashed names; else the file (loaded now) and the
// directory. Like OpenSSL's own default paths, a path that is missing is skipped.
void trust_system_store(ssl_ctx_st* ctx, const trust_paths& paths,
                        const trust_paths& defaults = default_trust_paths());

} // namespace zprov
