#include "report/pdf_printer.h"

#include <unistd.h>

#include <filesystem>

#include "core/files.h"
#include "core/text.h"

namespace pgha {
namespace fs = std::filesystem;

std::string ChromiumPrinter::WhyNot() const {
  if (access(binary_.c_str(), X_OK) == 0) return "";
  return binary_ + " is not installed: the PDF is printed by headless Chromium (apt-get install chromium)";
}

Status ChromiumPrinter::Print(const std::string& html_file, const std::string& pdf_file) {
  const std::string profile = (fs::temp_directory_path() / ("pgha-chromium-" + RandomHex(4))).string();
  const std::string pdf = fs::absolute(pdf_file).string();
  auto r = runner_.Run(CommandSpec::Of(
      {binary_, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
       "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-pdf-header-footer",
       "--user-data-dir=" + profile, "--print-to-pdf=" + pdf, "file://" + fs::absolute(html_file).string()},
      deadline_));
  std::error_code ec;
  fs::remove_all(profile, ec);
  if (!r.ok()) return r.status();
  if (!r->Succeeded() || !fs::exists(pdf, ec) || fs::file_size(pdf, ec) == 0)
    return Failed("Chromium did not print " + pdf + ": " + LastLines(r->err, 3));
  return Status::Ok();
}

}  // namespace pgha
