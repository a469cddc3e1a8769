#include "memoryrelease.h"

// <malloc.h> also defines __GLIBC__ (through <features.h>), which the call below needs.
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif

namespace steadysync {

void releaseFreedMemory()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

} // namespace steadysync
