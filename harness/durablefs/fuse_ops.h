// The FUSE operations of the durable file system (internal to durablefs/):
// each a pass-through to the backing directory, with file data through
// DurableState. private_data of the mount is a FuseContext.
#pragma once

#define FUSE_USE_VERSION 32
#include <fuse3/fuse.h>

#include <string>

#include "durablefs/durable_state.h"

namespace pgha {

struct FuseContext {
  std::string backing;
  DurableState* state = nullptr;
};

const fuse_operations& DurableFsOperations();

}  // namespace pgha
