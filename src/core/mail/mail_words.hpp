#pragma once
// RFC 2047 encoded words as GMime 3.2.13 (Debian 12) cannot read them, made readable
// before it decodes them (core-internal).
//
// GMime decodes a run of adjacent encoded words of one charset and encoding as one
// stream, so that a character split across two words stays whole; but in 3.2.13 a
// word whose base64 ends in `=` padding ends that stream, and every later word of the
// run is dropped (jstedfast/gmime#133, fixed in 3.2.14): `=?UTF-8?B?SGVsbG8=?=
// =?UTF-8?B?IHdvcmxk?=` reads as "Hello". Outlook and others write such runs.
#include <string>
#include <string_view>

namespace opsflow {

// `value` (a raw header value) with each run of two or more B-encoded words of one
// charset, separated by whitespace only, replaced by one B word whose payload is the
// base64 of the run's decoded bytes; everything else stays as it is, byte for byte.
// Only words whose payload is base64 (padding at its end only) are merged; GMime
// still decodes and converts the charset. Linear time; the result is never longer.
std::string merge_encoded_words(std::string_view value);

// gmime_ready.hpp applies it to the headers of a parsed message.

} // namespace opsflow
