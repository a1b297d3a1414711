#include <zlib.h>
// inflateInit is a macro (it passes the library version and the stream's size); Swift cannot
// call macros, so this gives it a function.
static inline int CZlib_inflateInit(z_streamp stream) { return inflateInit(stream); }
