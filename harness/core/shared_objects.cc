#include "core/shared_objects.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <pwd.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pgha {
namespace {

std::string SemaphoreName(const std::string& name) { return name + "-sem"; }
std::string MemoryName(const std::string& name) { return name + "-shm"; }
constexpr off_t kMemoryBytes = 4096;  // more than libfaketime's shared state

}  // namespace

std::string SharedObjectsEnv(const std::string& name) { return SemaphoreName(name) + " " + MemoryName(name); }

Status CreateSharedObjects(const std::string& name, const std::string& user) {
  uid_t uid = 0;
  gid_t gid = 0;
  if (!user.empty()) {
    const struct passwd* pw = getpwnam(user.c_str());
    if (!pw) return Failed("no user " + user + " for the shared clock objects");
    uid = pw->pw_uid;
    gid = pw->pw_gid;
  }
  sem_t* sem = sem_open(SemaphoreName(name).c_str(), O_CREAT, 0600, 1);
  if (sem == SEM_FAILED) return Failed(fmt::format("cannot create the semaphore {}: {}", name, std::strerror(errno)));
  sem_close(sem);
  const std::string sem_file = "/dev/shm/sem." + SemaphoreName(name).substr(1);
  if (chown(sem_file.c_str(), uid, gid) != 0)
    return Failed(fmt::format("cannot give {} to {}: {}", sem_file, user, std::strerror(errno)));
  const int fd = shm_open(MemoryName(name).c_str(), O_CREAT | O_RDWR, 0600);
  if (fd < 0) return Failed(fmt::format("cannot create the shared memory {}: {}", name, std::strerror(errno)));
  const bool ok = ftruncate(fd, kMemoryBytes) == 0 && fchown(fd, uid, gid) == 0;
  const int error = errno;
  close(fd);
  if (!ok) return Failed(fmt::format("cannot size or give the shared memory {}: {}", name, std::strerror(error)));
  return Status::Ok();
}

std::string RemoveSharedObjects(const std::string& name) {
  std::string error;
  if (sem_unlink(SemaphoreName(name).c_str()) != 0 && errno != ENOENT)
    error = fmt::format("cannot remove the semaphore {}: {}", name, std::strerror(errno));
  if (shm_unlink(MemoryName(name).c_str()) != 0 && errno != ENOENT)
    error = fmt::format("cannot remove the shared memory {}: {}", name, std::strerror(errno));
  return error;
}

}  // namespace pgha
