// The pack's digest: SHA-256 of its sources, as Pack::digest and results show it.
#pragma once

#include <bia/pack.hpp>

#include <string>
#include <vector>

namespace bia::api {

// "sha256:" and the hex digest of the files' texts; `structured` (a pack of
// several files) also hashes each file's base name and length.
std::string sha256_hex(const std::vector<SourceFile>& files, bool structured);

}  // namespace bia::api
