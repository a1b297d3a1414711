// OpenSSL's EVP digest API only: SHA-256 with the CPU's SHA instructions where present.
#include <openssl/evp.h>
