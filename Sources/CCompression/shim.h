// The four codecs ROOT writes baskets with (RZip.h): ZLIB "ZL", LZMA "XZ", LZ4 "L4", ZSTD "ZS".
#include <zlib.h>
#include <lzma.h>
#include <zstd.h>
#include <lz4.h>
