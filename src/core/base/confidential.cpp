#include "opsflow/base/confidential.hpp"

#include "base/text_case.hpp"

#include <algorithm>
#include <array>

namespace opsflow {

namespace {

struct Pattern {
    std::regex regex;
    std::string what;
    // Lowercase text one of which must occur for the pattern to match: a cheap screen
    // that spares almost every value the regex (std::regex costs ~1 µs per character).
    std::vector<std::string> triggers;
};

void collect(std::string_view text, const std::regex& re, bool secret, const std::string& what,
             std::vector<SensitiveMatch>& out) {
    using Iterator = std::regex_iterator<std::string_view::const_iterator>;
    for (Iterator it(text.begin(), text.end(), re), end; it != end; ++it)
        out.push_back({static_cast<std::size_t>(it->position()),
                       static_cast<std::size_t>(it->length()), secret, what});
}

const std::vector<Pattern>& secret_patterns() {
    static const std::vector<Pattern> patterns = [] {
        auto icase = std::regex::ECMAScript | std::regex::icase;
        std::vector<Pattern> p;
        p.push_back({std::regex(R"(-----BEGIN ([A-Z0-9]{1,20} ){0,3}PRIVATE KEY( BLOCK)?-----)"),
                     "a private key block",
                     {"private key"}});
        // A label followed by a value; `密码：` is matched as bytes, so the full-width colon
        // is an alternative, not a bracket member.
        p.push_back(
            {std::regex(R"((password|passwd|pwd|passphrase)[ \t]{0,8}(:|=)[ \t]{0,8}[^ \t\r\n])",
                        icase),
             "a password",
             {"pass", "pwd"}});
        p.push_back({std::regex("(密码|口令)[ \\t]{0,8}(:|=|：)[ \\t]{0,8}[^ \\t\\r\\n]"),
                     "a password",
                     {"密码", "口令"}});
        p.push_back(
            {std::regex(R"(\b(AKIA|ASIA)[0-9A-Z]{16}\b)"), "an AWS access key", {"akia", "asia"}});
        p.push_back({std::regex(R"(\bgh[pousr]_[A-Za-z0-9]{36,255}\b)"), "a GitHub token", {"gh"}});
        p.push_back({std::regex(R"(\bgithub_pat_[A-Za-z0-9_]{22,255}\b)"),
                     "a GitHub token",
                     {"github_pat_"}});
        p.push_back({std::regex(R"(\bglpat-[A-Za-z0-9_-]{20,64})"), "a GitLab token", {"glpat-"}});
        p.push_back({std::regex(R"(\bxox[abprs]-[A-Za-z0-9-]{10,128})"), "a Slack token", {"xox"}});
        p.push_back({std::regex(R"(\bAIza[0-9A-Za-z_-]{35}\b)"), "a Google API key", {"aiza"}});
        p.push_back({std::regex(R"(\bsk-[A-Za-z0-9_-]{20,128}\b)"), "an API secret key", {"sk-"}});
        p.push_back(
            {std::regex(
                 R"(\beyJ[A-Za-z0-9_-]{8,2048}\.eyJ[A-Za-z0-9_-]{8,4096}\.[A-Za-z0-9_-]{8,1024})"),
             "a JSON Web Token",
             {"eyj"}});
        p.push_back(
            {std::regex(R"(\bBearer [A-Za-z0-9._~+/-]{20,1024})"), "a bearer token", {"bearer "}});
        return p;
    }();
    return patterns;
}

} // namespace

const std::regex& email_pattern() {
    static const std::regex re(
        R"([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24})");
    return re;
}

const std::regex& phone_pattern() {
    // Mobile (138-0013-8000), international (+86 ...) and landline (010-62345678) numbers;
    // not dates or times.
    static const std::regex re(
        R"((\+\d{1,3}[ -]?)?\b1[3-9]\d[- ]?\d{4}[- ]?\d{4}\b|\+\d{1,3}[ -]?\d[\d -]{6,16}\d|\b0\d{2,3}-\d{7,8}\b)");
    return re;
}

bool may_hold_phone_number(std::string_view text) {
    auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    auto is_separator = [](char c) { return c == '-' || c == ' '; };
    std::size_t digits = 0; // in the current run, single separators between them allowed
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (is_digit(c)) {
            if (++digits >= 10) return true;
        } else if (!(is_separator(c) && i > 0 && is_digit(text[i - 1]) && i + 1 < text.size() &&
                     is_digit(text[i + 1]))) {
            digits = 0;
        }
        if (c == '+') {
            std::size_t after = 0;
            while (i + 1 + after < text.size() &&
                   (is_digit(text[i + 1 + after]) || is_separator(text[i + 1 + after])))
                ++after;
            if (after >= 9) return true;
        }
    }
    return false;
}

bool is_valid_resident_id(std::string_view text) {
    static constexpr std::array<int, 17> weights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                    3, 7, 9,  10, 5, 8, 4, 2};
    static constexpr std::string_view check_chars = "10X98765432";
    if (text.size() != 18) return false;
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
        sum += (text[i] - '0') * weights[i];
    }
    char last = text[17] == 'x' ? 'X' : text[17];
    return check_chars[static_cast<std::size_t>(sum % 11)] == last;
}

std::vector<SensitiveMatch> find_secrets(std::string_view text) {
    std::vector<SensitiveMatch> out;
    std::string lower = ascii_lower(text);
    for (const auto& p : secret_patterns())
        if (std::any_of(p.triggers.begin(), p.triggers.end(),
                        [&](const std::string& t) { return lower.find(t) != std::string::npos; }))
            collect(text, p.regex, true, p.what, out);
    return out;
}

namespace {

// Where the word that goes on at `at` ends: the next space or line end.
std::size_t space_after(const std::string& text, std::size_t at) {
    auto end = text.find_first_of(" \t\r\n", at);
    return end == std::string::npos ? text.size() : end;
}

} // namespace

std::string mask_secrets(std::string_view text, std::vector<std::string>& masked) {
    std::string out(text);
    // A mask can make a new match only by joining what it cuts; a few passes end it.
    for (int pass = 0; pass < 8; ++pass) {
        auto found = find_secrets(out);
        if (found.empty()) break;
        std::sort(found.begin(), found.end(),
                  [](const auto& a, const auto& b) { return a.offset > b.offset; });
        std::size_t before = out.size() + 1; // matches may overlap: mask from the end
        for (const auto& m : found) {
            if (m.offset >= before) continue;
            std::size_t begin = m.offset, end = std::min(m.offset + m.length, before);
            std::string_view hit(out.data() + begin, end - begin);
            std::string mask = "[masked]";
            if (hit.starts_with("-----BEGIN")) {
                // The whole block, to its END line (or to the end of the text).
                auto stop = out.find("-----END", end);
                if (stop != std::string::npos) stop = out.find("-----", stop + 8);
                end = stop == std::string::npos ? out.size() : stop + 5;
                end = std::min(end, before);
            } else if (m.what == "a password") {
                // Keep the label; drop the separator and the value up to a space.
                std::size_t label = std::min(hit.find_first_of(" \t:="), hit.find("\xEF\xBC\x9A"));
                begin += std::min(label, hit.size());
                end = std::min(space_after(out, end), before);
                mask = " [masked]";
            } else {
                end = std::min(space_after(out, end), before);
            }
            out.replace(begin, end - begin, mask);
            before = begin;
            if (std::find(masked.begin(), masked.end(), m.what) == masked.end())
                masked.push_back(m.what);
        }
    }
    return out;
}

std::vector<SensitiveMatch> find_personal_data(std::string_view text) {
    std::vector<SensitiveMatch> out;
    std::size_t digits = 0, run = 0, longest_run = 0;
    for (char c : text) {
        run = c >= '0' && c <= '9' ? run + 1 : 0;
        digits += run > 0;
        longest_run = std::max(longest_run, run);
    }
    if (text.find('@') != std::string_view::npos)
        collect(text, email_pattern(), false, "an e-mail address", out);
    if (digits < 7) return out; // no phone number or ID has fewer digits
    std::vector<SensitiveMatch> ids;
    static const std::regex resident_id(R"(\b\d{17}[\dXx]\b)");
    if (longest_run >= 17) collect(text, resident_id, false, "a resident ID number", ids);
    std::erase_if(ids, [&](const SensitiveMatch& m) {
        return !is_valid_resident_id(text.substr(m.offset, m.length));
    });
    std::vector<SensitiveMatch> phones;
    if (may_hold_phone_number(text))
        collect(text, phone_pattern(), false, "a phone number", phones);
    // A resident ID is not also reported as a phone number inside it.
    std::erase_if(phones, [&](const SensitiveMatch& p) {
        for (const auto& id : ids)
            if (p.offset >= id.offset && p.offset < id.offset + id.length) return true;
        return false;
    });
    out.insert(out.end(), ids.begin(), ids.end());
    out.insert(out.end(), phones.begin(), phones.end());
    return out;
}

} // namespace opsflow
