// libdeflate's one public header (whole-buffer DEFLATE/zlib/gzip; faster than zlib's inflate).
#include <libdeflate.h>
