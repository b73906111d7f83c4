// The system zlib (Debian's zlib1g-dev), for gzip-encoding the page's static files.
#include <zlib.h>
