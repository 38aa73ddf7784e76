#include "opsflow/report/redact.hpp"

#include "opsflow/base/confidential.hpp"
#include "opsflow/notice/notice.hpp"

#include <algorithm>
#include <regex>
#include <set>

namespace opsflow {

namespace {

// The name part of `Name <email>`, if any.
std::string display_name(std::string_view who) {
    std::string name(who.substr(0, who.find('<')));
    while (!name.empty() && name.back() == ' ')
        name.pop_back();
    if (extract_email(name) || name.find_first_not_of("+-0123456789() ") == std::string::npos)
        return "";
    return name;
}

} // namespace

Redactor::Redactor(const Store& store, const StoreFacts& facts) {
    std::set<std::string> names;
    for (const auto& p : store.team().people) {
        names.insert(p.name);
        names.insert(p.id);
    }
    for (const auto& i : facts.incidents)
        if (auto n = display_name(i.reporter); n.size() > 1) names.insert(n);
    for (const auto& t : facts.tickets)
        if (auto n = display_name(t.requester); n.size() > 1) names.insert(n);
    names_.assign(names.begin(), names.end());
    std::erase_if(names_, [](const std::string& n) { return n.size() < 2; });
    std::sort(names_.begin(), names_.end(),
              [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

std::string Redactor::pseudonym(const std::string& kind, const std::string& value) {
    auto key = kind + "\x1f" + value;
    auto it = assigned_.find(key);
    if (it != assigned_.end()) return it->second;
    return assigned_[key] = kind + "-" + std::to_string(++counters_[kind]);
}

std::string Redactor::apply(const std::string& input) {
    std::string text;
    auto replace_all = [&](const std::regex& re, const std::string& kind, const std::string& in) {
        std::string out;
        auto begin = std::sregex_iterator(in.begin(), in.end(), re);
        std::size_t last = 0;
        for (auto it = begin; it != std::sregex_iterator(); ++it) {
            out.append(in, last, static_cast<std::size_t>(it->position()) - last);
            out += pseudonym(kind, it->str());
            last = static_cast<std::size_t>(it->position() + it->length());
        }
        out.append(in, last);
        return out;
    };
    text = replace_all(email_pattern(), "email", input);
    text = replace_all(phone_pattern(), "phone", text);
    for (const auto& name : names_) {
        for (std::size_t pos = text.find(name); pos != std::string::npos;
             pos = text.find(name, pos)) {
            // Whole words only for ASCII names: `lisi` must not eat `lisinopril`.
            auto word = [&](std::size_t p) {
                return p < text.size() &&
                       (std::isalnum(static_cast<unsigned char>(text[p])) || text[p] == '_');
            };
            bool ascii = static_cast<unsigned char>(name[0]) < 0x80;
            if (ascii && ((pos > 0 && word(pos - 1)) || word(pos + name.size()))) {
                pos += name.size();
                continue;
            }
            std::string p = pseudonym("person", name);
            text.replace(pos, name.size(), p);
            pos += p.size();
        }
    }
    return text;
}

} // namespace opsflow
