// The user's own .deb files baked into a container image (`--packages DIR`,
// tools/build-image.sh --packages): which image holds them, keyed by the
// files' hashes, and what the built image says it installed.
//
// The key is the first 16 hex digits of the SHA-256 of the lines
// "<sha256 of the file>  <file name>\n", one per .deb in DIR, in byte order
// of the names: what `sha256sum` prints, so that the build script and this
// code agree. The image lives in <images>/debian12-pkg-<key>; its `debs`
// file has "<package> <version> <sha256> <file>" per line.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace pgha {

struct DebFile {
  std::string name;    // "patroni_3.0.2-1_all.deb"
  std::string sha256;  // hex
};

struct PackageSet {
  std::string dir;
  std::vector<DebFile> debs;  // in byte order of the names
  std::string key;            // 16 hex digits
};

// Every *.deb directly in `dir`; an error names the folder and the fix
// (none there, a name with a space, an unreadable file). Reads each file once.
Result<PackageSet> ReadPackageSet(const std::string& dir);

// <images>/debian12-pkg-<key>.
std::string PackageImageDir(const std::string& images_root, const PackageSet& set);

// The image's `debs` file as the versions a result records:
// "package.patroni" -> "3.0.2-1 sha256 1f2e... (patroni_3.0.2-1_all.deb)".
std::map<std::string, std::string> BakedPackageVersions(const std::string& debs_file_text);

}  // namespace pgha
