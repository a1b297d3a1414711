// Only the public header: every pointer imports as Optional because zipconf.h erases
// nullability, which the Swift wrapper handles.
#include <zip.h>
