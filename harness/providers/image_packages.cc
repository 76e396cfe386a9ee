#include "providers/image_packages.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/digest.h"

namespace pgha {
namespace fs = std::filesystem;

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
    auto sum = Sha256OfFile(set.dir + "/" + name);
    if (!sum.ok()) return sum.status();
    set.debs.push_back({name, *sum});
    lines += *sum + "  " + name + "\n";
  }
  set.key = Sha256OfText(lines).substr(0, 16);
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
