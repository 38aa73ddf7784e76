#include "base/mo_file.hpp"

#include "opsflow/base/error.hpp"

#include <cstdint>

namespace opsflow {

namespace {

class MoReader {
  public:
    explicit MoReader(std::string_view bytes) : bytes_(bytes) {}

    MoCatalogue read() {
        MoCatalogue out;
        std::uint32_t magic = word(0);
        if (magic == 0xde120495)
            swap_ = true;
        else if (magic != 0x950412de)
            damaged();
        std::uint32_t count = word(8), originals = word(12), translations = word(16);
        for (std::uint32_t i = 0; i < count; ++i) {
            std::string_view original = string_at(originals + 8 * std::size_t{i});
            std::string_view translation = string_at(translations + 8 * std::size_t{i});
            if (original.empty()) { // the header entry
                if (auto value = header_field(translation, "Plural-Forms"))
                    out.plural = PluralForms::parse(*value);
                continue;
            }
            std::vector<std::string> forms;
            for (std::size_t start = 0;;) {
                std::size_t end = translation.find('\0', start);
                forms.emplace_back(translation.substr(start, end - start));
                if (end == std::string_view::npos) break;
                start = end + 1;
            }
            out.messages[std::string(original.substr(0, original.find('\0')))] = std::move(forms);
        }
        return out;
    }

  private:
    [[noreturn]] static void damaged() { throw InvalidDataError("it is not a whole GNU MO file"); }
    std::uint32_t word(std::size_t at) const {
        if (at > bytes_.size() || bytes_.size() - at < 4) damaged();
        std::uint32_t w = 0;
        for (int i = 0; i < 4; ++i) {
            auto byte = static_cast<unsigned char>(bytes_[at + static_cast<std::size_t>(i)]);
            w |= static_cast<std::uint32_t>(byte) << (swap_ ? 8 * (3 - i) : 8 * i);
        }
        return w;
    }
    // The string whose (length, offset) pair is at `at`.
    std::string_view string_at(std::size_t at) const {
        std::uint32_t length = word(at), offset = word(at + 4);
        if (offset > bytes_.size() || bytes_.size() - offset < length) damaged();
        return bytes_.substr(offset, length);
    }
    // The value of a `Name: value` line of the header entry.
    static std::optional<std::string_view> header_field(std::string_view header,
                                                        std::string_view name) {
        for (std::size_t start = 0; start < header.size();) {
            std::size_t end = header.find('\n', start);
            if (end == std::string_view::npos) end = header.size();
            std::string_view line = header.substr(start, end - start);
            if (line.size() > name.size() && line.starts_with(name) && line[name.size()] == ':') {
                std::string_view value = line.substr(name.size() + 1);
                while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
                    value.remove_prefix(1);
                return value;
            }
            start = end + 1;
        }
        return std::nullopt;
    }

    std::string_view bytes_;
    bool swap_ = false;
};

} // namespace

std::optional<std::string_view> MoCatalogue::find(std::string_view msgid) const {
    auto it = messages.find(msgid);
    if (it == messages.end() || it->second.empty() || it->second.front().empty())
        return std::nullopt;
    return it->second.front();
}

std::optional<std::string_view> MoCatalogue::find_plural(std::string_view singular,
                                                         unsigned long n) const {
    auto it = messages.find(singular);
    if (it == messages.end()) return std::nullopt;
    auto form = plural.form(n);
    if (!form || *form >= it->second.size() || it->second[*form].empty()) return std::nullopt;
    return it->second[*form];
}

MoCatalogue read_mo(std::string_view bytes) {
    return MoReader(bytes).read();
}

} // namespace opsflow
