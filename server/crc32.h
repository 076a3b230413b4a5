#pragma once

#include <cstdint>
#include <string_view>

namespace dynemu::server {

// The CRC-32 (IEEE 802.3, as zlib computes it) of `data`. DynamoDB sends it as the
// x-amz-crc32 header and the SDKs check the body against it.
uint32_t Crc32(std::string_view data);

}  // namespace dynemu::server
