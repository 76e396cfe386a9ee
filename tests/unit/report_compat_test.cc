#include <gtest/gtest.h>

#include <filesystem>

#include "app/commands.h"
#include "core/files.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;

// tests/golden/format1-run is a results folder written by pgha-chaos
// before the provider seam (commit b5325f5): a real primary-kill run on this
// machine, trimmed to the seconds around the fault (and without the writes'
// error texts), with the junit.xml that version's `report` wrote for it.
// Today's `report` must write the same bytes.
TEST(ReportCompat, AResultsFolderFromBeforeTheProviderSeamGivesTheSameJUnitBytes) {
  const fs::path dir = fs::temp_directory_path() / ("pgha-compat-" + RandomHex(4));
  fs::copy(PGHA_SOURCE_DIR "/tests/golden/format1-run", dir, fs::copy_options::recursive);
  const std::string original = *ReadTextFile((dir / "junit.xml").string());
  fs::remove(dir / "junit.xml");
  GlobalOptions g;
  ReportCommandOptions report;
  report.dir = dir.string();
  EXPECT_EQ(RunReport(g, report), 1) << "its trimmed history misses the recovery: a target fails";
  auto again = ReadTextFile((dir / "junit.xml").string());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, original);
  EXPECT_TRUE(fs::exists(dir / "report.html"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace pgha
