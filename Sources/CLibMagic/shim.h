// Only the public header: libmagic's API is plain C that Swift can call directly.
#include <magic.h>
