#pragma once
// What must not be in a record (secrets) and what should not be in free text
// (personal data): SPEC §1 row 五. Shared by `check` and by redaction.
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

struct SensitiveMatch {
    std::size_t offset; // byte offset in the scanned text
    std::size_t length;
    bool secret;      // a secret is an error; personal data a warning
    std::string what; // "a private key block", "an e-mail address"
};

// Secrets: private key blocks, `password:`/`密码：` with a value, and common token
// formats (AWS, GitHub, GitLab, Slack, Google, OpenAI-style keys, JWTs).
std::vector<SensitiveMatch> find_secrets(std::string_view text);
// `text` with every secret find_secrets() sees masked so that the scan no longer finds
// it: a token or key block becomes `[masked]`, a `password: value` keeps its label and
// loses the value up to the next space (`password [masked]`). What was masked ("a
// password", ...) is added to `masked`, once each.
std::string mask_secrets(std::string_view text, std::vector<std::string>& masked);
// Personal data: e-mail addresses, phone numbers, 18-digit resident ID numbers
// whose check digit is valid.
std::vector<SensitiveMatch> find_personal_data(std::string_view text);

// The patterns, with bounded repetition so that a hostile 256 KiB scalar costs
// linear time and no deep recursion in std::regex.
const std::regex& email_pattern();
const std::regex& phone_pattern();
// False only when phone_pattern cannot match anywhere in `text`: it needs ten digits
// or more in a row, single '-' or ' ' between them allowed (a mobile or landline
// number), or a '+' followed by nine characters or more of digits, '-' and ' '.
// Times such as 2026-03-25T06:36:00+08:00 are ruled out before the regex.
bool may_hold_phone_number(std::string_view text);

// GB 11643: 17 digits and an ISO 7064 MOD 11-2 check character (0-9 or X).
bool is_valid_resident_id(std::string_view text);

} // namespace opsflow
