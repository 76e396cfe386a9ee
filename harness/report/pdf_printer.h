// Printing an HTML page to PDF: an interface around the side effect, and
// the real printer, headless Chromium (Debian's chromium package) started
// with nothing to fetch: no network services, its own throwaway profile,
// a deadline. Tests use a fake.
#pragma once

#include <chrono>
#include <string>

#include "core/process.h"
#include "core/status.h"

namespace pgha {

class PdfPrinter {
 public:
  virtual ~PdfPrinter() = default;
  // "" when this printer can run here, else why not and what to install.
  virtual std::string WhyNot() const = 0;
  virtual Status Print(const std::string& html_file, const std::string& pdf_file) = 0;
};

class ChromiumPrinter : public PdfPrinter {
 public:
  explicit ChromiumPrinter(ProcessRunner& runner, std::string binary = "/usr/bin/chromium",
                           std::chrono::seconds deadline = std::chrono::seconds(120))
      : runner_(runner), binary_(std::move(binary)), deadline_(deadline) {}
  std::string WhyNot() const override;
  Status Print(const std::string& html_file, const std::string& pdf_file) override;

 private:
  ProcessRunner& runner_;
  std::string binary_;
  std::chrono::seconds deadline_;
};

}  // namespace pgha
