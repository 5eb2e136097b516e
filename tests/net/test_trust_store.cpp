#include "zprov/net/trust_store.hpp"

#include "support/process.hpp"
#include "support/zoomsim_server.hpp"

#include <doctest/doctest.h>

#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <cstdio>
#include <filesystem>
#include <memory>

using namespace zprov;
using namespace zprov::test;

TEST_SUITE_BEGIN("cli"); // makes its CAs with scripts/make-test-ca

namespace {
using ctx_ptr = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;
using cert_ptr = std::unique_ptr<X509, decltype(&X509_free)>;

ctx_ptr new_context() {
    return {SSL_CTX_new(TLS_client_method()), &SSL_CTX_free};
}

cert_ptr read_certificate(const std::string& path) {
    std::unique_ptr<FILE, decltype(&std::fclose)> f(std::fopen(path.c_str(), "r"), &std::fclose);
    REQUIRE(f);
    return {PEM_read_X509(f.get(), nullptr, nullptr, nullptr), &X509_free};
}

// The name OpenSSL's hashed directory gives a CA: "1a2b3c4d.0".
std::string hashed_name(const std::string& ca_pem) {
    auto ca = read_certificate(ca_pem);
    char name[16];
    std::snprintf(name, sizeof name, "%08lx.0",
                  X509_NAME_hash_ex(X509_get_subject_name(ca.get()), nullptr, nullptr, nullptr));
    return name;
}

// How many certificates the context's store holds now.
int held(SSL_CTX* ctx) {
    return sk_X509_OBJECT_num(X509_STORE_get0_objects(SSL_CTX_get_cert_store(ctx)));
}

// OpenSSL's verdict on `cert_pem` against the context's store.
int verify(SSL_CTX* ctx, const std::string& cert_pem) {
    auto cert = read_certificate(cert_pem);
    std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> v(X509_STORE_CTX_new(),
                                                                      &X509_STORE_CTX_free);
    REQUIRE(X509_STORE_CTX_init(v.get(), SSL_CTX_get_cert_store(ctx), cert.get(), nullptr) == 1);
    X509_verify_cert(v.get());
    return X509_STORE_CTX_get_error(v.get());
}

// A system store like Debian's: one CA as a bundle and under its hashed name in a directory.
struct system_store {
    temp_dir dir;
    test_ca ca = make_test_ca(dir.path() + "/ca");
    trust_paths paths{dir.path() + "/ca-certificates.crt", dir.path() + "/certs"};

    system_store() {
        std::filesystem::create_directory(paths.dir);
        std::filesystem::copy_file(ca.ca, paths.file);
        std::filesystem::create_symlink(paths.file, paths.dir + "/" + hashed_name(ca.ca));
    }
};
} // namespace

TEST_CASE("trust store: the system's own paths with a hashed directory load no certificate "
          "until a chain needs one, and then only that one") {
    system_store system;
    auto ctx = new_context();
    trust_system_store(ctx.get(), system.paths, system.paths);
    CHECK(held(ctx.get()) == 0);
    CHECK(verify(ctx.get(), system.ca.cert) == X509_V_OK);
    CHECK(held(ctx.get()) == 1);

    SUBCASE("the same files through links (SSL_CERT_FILE naming the system's bundle) alike") {
        const auto linked = system.dir.path() + "/linked";
        std::filesystem::create_directory(linked);
        std::filesystem::create_symlink(system.paths.file, linked + "/cert.pem");
        std::filesystem::create_directory_symlink(system.paths.dir, linked + "/certs");
        auto again = new_context();
        trust_system_store(again.get(), {linked + "/cert.pem", linked + "/certs"}, system.paths);
        CHECK(held(again.get()) == 0);
        CHECK(verify(again.get(), system.ca.cert) == X509_V_OK);
    }
}

TEST_CASE("trust store: a certificate the directory does not hold is still refused") {
    system_store system;
    temp_dir other;
    auto stranger = make_test_ca(other.path()); // same subject, another key
    auto ctx = new_context();
    trust_system_store(ctx.get(), system.paths, system.paths);
    CHECK(verify(ctx.get(), stranger.cert) != X509_V_OK);
    CHECK(verify(ctx.get(), system.ca.cert) == X509_V_OK);
}

TEST_CASE("trust store: other paths than the system's, or a directory without hashed names, "
          "load the bundle at once as OpenSSL's default paths do") {
    system_store system;
    temp_dir elsewhere;
    auto ctx = new_context();

    SUBCASE("a bundle named by SSL_CERT_FILE that is not the system's") {
        const auto bundle = elsewhere.file("bundle.pem", slurp(system.ca.ca));
        trust_system_store(ctx.get(), {bundle, system.paths.dir}, system.paths);
    }
    SUBCASE("a directory without hashed names") {
        const auto plain = elsewhere.path() + "/certs";
        std::filesystem::create_directory(plain);
        std::filesystem::copy_file(system.ca.ca, plain + "/ca.pem");
        const trust_paths paths{system.paths.file, plain};
        CHECK_FALSE(has_hashed_certificates(plain));
        trust_system_store(ctx.get(), paths, paths);
    }
    CHECK(held(ctx.get()) == 1);
    CHECK(verify(ctx.get(), system.ca.cert) == X509_V_OK);
}

TEST_CASE("trust store: missing paths are skipped, and nothing is trusted from them") {
    temp_dir dir;
    auto ca = make_test_ca(dir.path());
    const trust_paths nowhere{dir.path() + "/none.pem", dir.path() + "/none"};
    auto ctx = new_context();
    trust_system_store(ctx.get(), nowhere, nowhere);
    CHECK(held(ctx.get()) == 0);
    CHECK(verify(ctx.get(), ca.cert) != X509_V_OK);
    CHECK_FALSE(has_hashed_certificates(dir.path())); // ca.pem, server.pem, ...
}

TEST_SUITE_END();
