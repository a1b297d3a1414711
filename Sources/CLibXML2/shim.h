#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
// Debian builds libxml2 with ICU. Its headers then pull in the system ICU, which clashes with
// the ICU that Foundation brings ("'UErrorCode' has different definitions") on a clean debug
// build. We never use libxml2's ICU API, so hide it before including anything else.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlIO.h>

// `xmlFree` is a global function-pointer variable, which Swift 6 refuses to call (it is
// shared mutable state). A static inline function gives Swift something it can call.
static inline void CLibXML2_free(void *pointer) { xmlFree(pointer); }
#endif
