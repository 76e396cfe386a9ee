// Small file helpers used on the run path: whole-file reads, atomic
// replacement (write a temporary, fsync, rename) so a crash never leaves a
// half-written manifest, and random tokens for run ids and passwords.
// Failures are Status values. Thread-safe (no shared state).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "core/status.h"

namespace pgha {

Result<std::string> ReadTextFile(const std::string& path);
// A file a user hands over (scenario, suite, topology, overlay, template,
// inventory, a config to lint): refused with an InvalidInput naming it
// unless it is a regular file (after symlinks) of at most `limit` bytes;
// a device, pipe or folder is never read, so reading is bounded.
constexpr uint64_t kInputFileLimit = uint64_t{4} << 20;
Result<std::string> ReadInputFile(const std::string& path, uint64_t limit = kInputFileLimit);
// `validate -`: standard input, read once (at most `limit` bytes; more is
// refused), then served by ReadInputFile under the name kStandardInputName,
// whose folder is the current one (paths in it resolve from there). Not
// thread-safe: called once by the command before anything reads.
constexpr const char* kStandardInputName = "<stdin>";
Status ReadStandardInput(uint64_t limit = kInputFileLimit);
// Replaces `path` atomically, through `path`.tmp (a write killed halfway
// leaves that, and the next write takes it over); mode applies to the new
// file. Threads of one process take turns.
Status WriteFileAtomic(const std::string& path, const std::string& content, mode_t mode = 0644);
// Makes `path` a symbolic link to `target`, replacing whatever was there
// in one rename (a reader sees the old entry or the new link).
Status ReplaceWithLink(const std::string& path, const std::string& target);
// Appends to `path`, creating it (a CI step's summary file that several
// commands add to); the error names the file.
Status AppendToFile(const std::string& path, const std::string& content);
// Writes a kernel file in place (a cgroup's state or procs: no temporary, no rename).
Status WriteKernelFile(const std::string& path, const std::string& content);
// Creates `dir` if needed and writes, syncs and removes a probe file of
// `bytes` there: an error names the folder and why (a full filesystem, a
// read-only mount, no permission), so a run can refuse before it starts.
Status CheckWritableFolder(const std::string& dir, size_t bytes);
// Whether a file may be written at `path` (an option's output: a summary,
// a PDF, SARIF), asked without making it: not a folder, its folder exists,
// and the file or the folder takes writes. The error names `option` and the fix.
Status CheckWritableFile(const std::string& path, const std::string& option);
// Lower-case hex from /dev/urandom; `bytes` random bytes give 2*bytes chars.
std::string RandomHex(size_t bytes);
// This very program's path (/proc/self/exe): helpers the harness starts on hosts are its hidden subcommands.
std::string ThisProgram();
// chown -R to a user by name (used for directories Patroni writes).
Status ChownRecursive(const std::string& path, const std::string& user);

}  // namespace pgha
