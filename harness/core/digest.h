// SHA-256 (OpenSSL's libcrypto), of a file streamed or of a string, as
// lower-case hex: the packages' key of a container image, and the evidence
// hashes of a results folder.
#pragma once

#include <string>

#include "core/status.h"

namespace pgha {

Result<std::string> Sha256OfFile(const std::string& path);
std::string Sha256OfText(const std::string& text);

}  // namespace pgha
