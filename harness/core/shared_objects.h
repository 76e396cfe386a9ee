// POSIX shared objects of this machine (/dev/shm): a named semaphore and a
// shared memory object of one name, as libfaketime's processes share them
// (FAKETIME_SHARED="<semaphore> <memory>"). Made by us and recorded, so a
// faked process never makes its own (a SIGKILLed one would leave it behind).
#pragma once

#include <string>

#include "core/status.h"

namespace pgha {

// How a manifest records them (named by `name`).
inline constexpr const char* kSharedObjectsResource = "posix-shm";

// The FAKETIME_SHARED value for objects named `name` ("/pgha-...").
std::string SharedObjectsEnv(const std::string& name);
// Creates the semaphore (value 1) and a page of zeroed shared memory,
// owned by `user` ("" root); what already exists is kept.
Status CreateSharedObjects(const std::string& name, const std::string& user);
// Unlinks both; "" when done or already gone, else why not.
std::string RemoveSharedObjects(const std::string& name);

}  // namespace pgha
