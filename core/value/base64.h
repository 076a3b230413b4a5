#pragma once

// Base64 with the standard alphabet and padding, as DynamoDB's B and BS values
// and other blobs travel in JSON.

#include <string>
#include <string_view>

namespace dynemu {

std::string Base64Encode(std::string_view bytes);

// Decodes canonical base64 into *out (which may be null to only validate).
// Canonical means exactly what Base64Encode writes for some bytes: a length that
// is a multiple of 4, only alphabet characters, padding only at the end, and zero
// pad bits ("QR==" is refused; "QQ==" is "A"). DynamoDB refuses anything else.
// Returns false when `text` is not canonical.
bool Base64Decode(std::string_view text, std::string* out);

bool IsCanonicalBase64(std::string_view text);

}  // namespace dynemu
