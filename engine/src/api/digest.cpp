// SHA-256 through OpenSSL: the one place the engine uses it.
#include "api/digest.hpp"

#include <openssl/evp.h>

#include <filesystem>

namespace bia::api {

std::string sha256_hex(const std::vector<SourceFile>& files, bool structured) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    for (const auto& f : files) {
        if (structured) {
            // Name and length first, so moving bytes between files changes the digest. The base
            // name only: the same pack read from another directory keeps its digest.
            const std::string header = std::filesystem::path(f.name).filename().string() + '\0' +
                                       std::to_string(f.text.size()) + '\0';
            EVP_DigestUpdate(ctx, header.data(), header.size());
        }
        EVP_DigestUpdate(ctx, f.text.data(), f.text.size());
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    static const char* hex = "0123456789abcdef";
    std::string out = "sha256:";
    for (unsigned i = 0; i < len; ++i) {
        out += hex[md[i] >> 4];
        out += hex[md[i] & 15];
    }
    return out;
}

}  // namespace bia::api
