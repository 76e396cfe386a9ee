#include "providers/image_packages.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

namespace pgha {
namespace {

namespace fs = std::filesystem;

std::string Hex(const unsigned char* bytes, unsigned int n) {
  std::string out;
  for (unsigned int i = 0; i < n; ++i) out += fmt::format("{:02x}", bytes[i]);
  return out;
}

// SHA-256 of a file, streamed, or of a string when `path` is empty.
Result<std::string> Sha256(const std::string& path, const std::string& text = "") {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return Failed("SHA-256 is not available");
  if (path.empty()) {
    EVP_DigestUpdate(ctx.get(), text.data(), text.size());
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return EnvironmentError("cannot read " + path);
    std::vector<char> buf(1 << 16);
    while (in) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<size_t>(in.gcount()));
    }
    if (in.bad()) return EnvironmentError("cannot read " + path);
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &n);
  return Hex(md, n);
}

}  // namespace

Result<PackageSet> ReadPackageSet(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return InvalidInput("--packages " + dir + ": no such folder; name the folder that holds your .deb files");
  PackageSet set;
  set.dir = fs::absolute(dir, ec).string();
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() < 5 || name.compare(name.size() - 4, 4, ".deb") != 0 || !e.is_regular_file(ec)) continue;
    if (name.find_first_of(" \t\n") != std::string::npos)
      return InvalidInput("--packages: '" + name + "' has a space in its name; rename it without one");
    names.push_back(name);
  }
  if (names.empty())
    return InvalidInput("--packages " + dir + ": no .deb file in it (apt-get download NAME, or your own builds)");
  std::sort(names.begin(), names.end());
  std::string lines;
  for (const auto& name : names) {
    auto sum = Sha256(set.dir + "/" + name);
    if (!sum.ok()) return sum.status();
    set.debs.push_back({name, *sum});
    lines += *sum + "  " + name + "\n";
  }
  set.key = Sha256("", lines)->substr(0, 16);
  return set;
}

std::string PackageImageDir(const std::string& images_root, const PackageSet& set) {
  return images_root + "/debian12-pkg-" + set.key;
}

std::map<std::string, std::string> BakedPackageVersions(const std::string& debs_file_text) {
  std::map<std::string, std::string> out;
  std::istringstream in(debs_file_text);
  std::string package, version, sha, file;
  while (in >> package >> version >> sha >> file)
    out["package." + package] = fmt::format("{} sha256 {} ({})", version, sha, file);
  return out;
}

}  // namespace pgha
