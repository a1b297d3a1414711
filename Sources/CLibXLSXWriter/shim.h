// libxlsxwriter's public header (workbook, worksheet, format and document properties).
#include <xlsxwriter.h>
