#include "durablefs/fuse_ops.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace pgha {
namespace {

struct Handle {
  int fd = -1;
  FileKey key = 0;
  bool sync = false;  // O_SYNC, O_DSYNC: every write goes through
};

FuseContext& Ctx() { return *static_cast<FuseContext*>(fuse_get_context()->private_data); }
std::string Real(const char* path) { return Ctx().backing + (path ? path : ""); }
Handle* H(fuse_file_info* fi) { return reinterpret_cast<Handle*>(fi->fh); }
int Err(int r) { return r < 0 ? -errno : 0; }

// New files, folders and links belong to whoever made them (the daemon runs as root).
void GiveToCaller(const std::string& real) {
  const fuse_context* c = fuse_get_context();
  if (lchown(real.c_str(), c->uid, c->gid) != 0) std::perror("lchown");
}

int Getattr(const char* path, struct stat* st, fuse_file_info* fi) {
  const int r = fi ? fstat(H(fi)->fd, st) : lstat(Real(path).c_str(), st);
  if (r != 0) return -errno;
  if (S_ISREG(st->st_mode))
    st->st_size = static_cast<off_t>(Ctx().state->Size(st->st_ino, static_cast<uint64_t>(st->st_size)));
  return 0;
}

// Whether a file's data may sit in the kernel's page cache: only etcd's
// bbolt database, which etcd maps into memory (MAP_SHARED needs the page
// cache). Every other file bypasses it (direct I/O): the one cache of
// unsynced data is ours, so what a power cut drops is gone for every
// reader, and no page of the kernel's can go stale against it (a
// replica's startup process read zeros its WAL receiver had written when
// the page cache stood between them).
bool MappedByItsProgram(const char* path) {
  const std::string p = path ? path : "";
  return p.size() >= 3 && p.compare(p.size() - 3, 3, "/db") == 0;
}

int Opened(const char* path, int fd, int flags, fuse_file_info* fi) {
  if (fd < 0) return -errno;
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int e = errno;
    close(fd);
    return -e;
  }
  auto* h = new Handle{fd, st.st_ino, (flags & (O_SYNC | O_DSYNC)) != 0};
  if (flags & O_TRUNC) Ctx().state->Truncate(h->key, 0, [] { return 0; });
  fi->fh = reinterpret_cast<uint64_t>(h);
  fi->keep_cache = 0;  // the kernel's page cache is dropped at each open: after a power cut it is stale
  fi->direct_io = MappedByItsProgram(path) ? 0 : 1;
  return 0;
}

int Open(const char* path, fuse_file_info* fi) {
  return Opened(path, open(Real(path).c_str(), fi->flags), fi->flags, fi);
}

int Create(const char* path, mode_t mode, fuse_file_info* fi) {
  const std::string real = Real(path);
  const int fd = open(real.c_str(), fi->flags | O_CREAT, mode);
  if (fd >= 0) GiveToCaller(real);
  return Opened(path, fd, fi->flags, fi);
}

int Read(const char*, char* buf, size_t size, off_t off, fuse_file_info* fi) {
  return static_cast<int>(Ctx().state->Read(H(fi)->fd, H(fi)->key, buf, size, off));
}

int Write(const char*, const char* buf, size_t size, off_t off, fuse_file_info* fi) {
  return static_cast<int>(Ctx().state->Write(H(fi)->fd, H(fi)->key, buf, size, off, H(fi)->sync));
}

int Fsync(const char*, int, fuse_file_info* fi) { return Ctx().state->Fsync(H(fi)->fd, H(fi)->key); }
int Flush(const char*, fuse_file_info*) { return 0; }  // a close persists nothing, as on a real disk

int Release(const char*, fuse_file_info* fi) {
  close(H(fi)->fd);
  delete H(fi);
  return 0;
}

int Truncate(const char* path, off_t size, fuse_file_info* fi) {
  if (fi) return Ctx().state->Truncate(H(fi)->key, size, [&] { return Err(ftruncate(H(fi)->fd, size)); });
  const std::string real = Real(path);
  struct stat st {};
  if (lstat(real.c_str(), &st) != 0) return -errno;
  return Ctx().state->Truncate(st.st_ino, size, [&] { return Err(truncate(real.c_str(), size)); });
}

int Fallocate(const char*, int mode, off_t off, off_t len, fuse_file_info* fi) {
  if (mode & ~FALLOC_FL_KEEP_SIZE) return -EOPNOTSUPP;  // a punched hole would have to cut the cache too
  return Err(fallocate(H(fi)->fd, mode, off, len));
}

int Opendir(const char* path, fuse_file_info* fi) {
  DIR* d = opendir(Real(path).c_str());
  if (!d) return -errno;
  fi->fh = reinterpret_cast<uint64_t>(d);
  return 0;
}

int Readdir(const char*, void* buf, fuse_fill_dir_t fill, off_t, fuse_file_info* fi, fuse_readdir_flags) {
  DIR* d = reinterpret_cast<DIR*>(fi->fh);
  rewinddir(d);
  while (dirent* e = readdir(d)) {
    struct stat st {};
    st.st_ino = e->d_ino;
    st.st_mode = static_cast<mode_t>(DTTOIF(e->d_type));
    if (fill(buf, e->d_name, &st, 0, static_cast<fuse_fill_dir_flags>(0))) break;
  }
  return 0;
}

int Releasedir(const char*, fuse_file_info* fi) {
  closedir(reinterpret_cast<DIR*>(fi->fh));
  return 0;
}

int Fsyncdir(const char*, int, fuse_file_info*) { return 0; }  // metadata is written at once

int Mkdir(const char* path, mode_t mode) {
  const std::string real = Real(path);
  if (mkdir(real.c_str(), mode) != 0) return -errno;
  GiveToCaller(real);
  return 0;
}

int Mknod(const char* path, mode_t mode, dev_t rdev) {
  const std::string real = Real(path);
  if ((S_ISFIFO(mode) ? mkfifo(real.c_str(), mode) : mknod(real.c_str(), mode, rdev)) != 0) return -errno;
  GiveToCaller(real);
  return 0;
}

int Symlink(const char* target, const char* path) {
  const std::string real = Real(path);
  if (symlink(target, real.c_str()) != 0) return -errno;
  GiveToCaller(real);
  return 0;
}

int Readlink(const char* path, char* buf, size_t size) {
  const ssize_t n = readlink(Real(path).c_str(), buf, size - 1);
  if (n < 0) return -errno;
  buf[n] = '\0';
  return 0;
}

int Unlink(const char* path) { return Err(unlink(Real(path).c_str())); }
int Rmdir(const char* path) { return Err(rmdir(Real(path).c_str())); }
int Link(const char* from, const char* to) { return Err(link(Real(from).c_str(), Real(to).c_str())); }
int Rename(const char* from, const char* to, unsigned int flags) {
  return Err(renameat2(AT_FDCWD, Real(from).c_str(), AT_FDCWD, Real(to).c_str(), flags));
}
int Chmod(const char* path, mode_t mode, fuse_file_info* fi) {
  return Err(fi ? fchmod(H(fi)->fd, mode) : chmod(Real(path).c_str(), mode));
}
int Chown(const char* path, uid_t uid, gid_t gid, fuse_file_info* fi) {
  return Err(fi ? fchown(H(fi)->fd, uid, gid) : lchown(Real(path).c_str(), uid, gid));
}
int Utimens(const char* path, const timespec ts[2], fuse_file_info* fi) {
  return Err(fi ? futimens(H(fi)->fd, ts) : utimensat(AT_FDCWD, Real(path).c_str(), ts, AT_SYMLINK_NOFOLLOW));
}
int Statfs(const char* path, struct statvfs* st) { return Err(statvfs(Real(path).c_str(), st)); }
int Access(const char* path, int mask) { return Err(access(Real(path).c_str(), mask)); }

void* Init(fuse_conn_info* conn, fuse_config* cfg) {
  cfg->use_ino = 1;
  cfg->nullpath_ok = 1;
  cfg->hard_remove = 1;
  cfg->attr_timeout = 0;  // sizes change with the cache: the kernel asks every time
  cfg->entry_timeout = 0;
  cfg->negative_timeout = 0;
  cfg->kernel_cache = 0;
  cfg->auto_cache = 0;
  conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;  // every write reaches the cache here, none is held in the kernel
  return fuse_get_context()->private_data;
}

fuse_operations MakeOperations() {
  fuse_operations o{};
  o.getattr = Getattr;
  o.readlink = Readlink;
  o.mknod = Mknod;
  o.mkdir = Mkdir;
  o.unlink = Unlink;
  o.rmdir = Rmdir;
  o.symlink = Symlink;
  o.rename = Rename;
  o.link = Link;
  o.chmod = Chmod;
  o.chown = Chown;
  o.truncate = Truncate;
  o.open = Open;
  o.read = Read;
  o.write = Write;
  o.statfs = Statfs;
  o.flush = Flush;
  o.release = Release;
  o.fsync = Fsync;
  o.opendir = Opendir;
  o.readdir = Readdir;
  o.releasedir = Releasedir;
  o.fsyncdir = Fsyncdir;
  o.init = Init;
  o.access = Access;
  o.create = Create;
  o.utimens = Utimens;
  o.fallocate = Fallocate;
  return o;
}

}  // namespace

const fuse_operations& DurableFsOperations() {
  static const fuse_operations kOps = MakeOperations();
  return kOps;
}

}  // namespace pgha
