#include "core/digest.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <fstream>
#include <memory>
#include <vector>

namespace pgha {
namespace {

using Context = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

Context Started() {
  Context ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) ctx.reset();
  return ctx;
}

std::string Finished(EVP_MD_CTX* ctx) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx, md, &n);
  std::string out;
  for (unsigned int i = 0; i < n; ++i) out += fmt::format("{:02x}", md[i]);
  return out;
}

}  // namespace

Result<std::string> Sha256OfFile(const std::string& path) {
  Context ctx = Started();
  if (!ctx) return Failed("SHA-256 is not available");
  std::ifstream in(path, std::ios::binary);
  if (!in) return EnvironmentError("cannot read " + path);
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return EnvironmentError("cannot read " + path);
  return Finished(ctx.get());
}

std::string Sha256OfText(const std::string& text) {
  Context ctx = Started();
  if (!ctx) return "";
  EVP_DigestUpdate(ctx.get(), text.data(), text.size());
  return Finished(ctx.get());
}

}  // namespace pgha
