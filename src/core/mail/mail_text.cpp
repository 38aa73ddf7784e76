#include "opsflow/mail/mail_text.hpp"

#include <algorithm>
#include <array>
#include <libxml/HTMLparser.h>
#include <memory>
#include <vector>

namespace opsflow {

namespace {

struct DocFree {
    void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

bool is_one_of(std::string_view name, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// HTML rendered as text, one element at a time.
class HtmlText {
  public:
    std::string render(xmlNode* node) {
        walk(node, 0);
        return out_;
    }

  private:
    void line_break() {
        if (!out_.empty() && out_.back() != '\n') out_ += '\n';
    }

    void text(std::string_view t) {
        // Runs of white space are one space, as a browser shows them.
        for (std::size_t i = 0; i < t.size(); ++i) {
            bool space = t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r';
            bool nbsp = t.substr(i).starts_with("\xC2\xA0");
            if (space || nbsp) {
                if (nbsp) ++i;
                if (!out_.empty() && out_.back() != ' ' && out_.back() != '\n') out_ += ' ';
                continue;
            }
            out_ += t[i];
        }
    }

    void walk(xmlNode* node, int depth) {
        for (; node; node = node->next) {
            if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
                if (node->content) text(reinterpret_cast<const char*>(node->content));
                continue;
            }
            if (node->type != XML_ELEMENT_NODE) continue;
            std::string_view name = reinterpret_cast<const char*>(node->name);
            if (is_one_of(name, {"script", "style", "head", "title", "template", "noscript"}))
                continue;
            if (name == "br") {
                out_ += '\n';
                continue;
            }
            if (depth > 200) continue; // libxml2 stops deeper anyway
            if (name == "blockquote") {
                quoted(node->children, depth);
                continue;
            }
            bool block =
                is_one_of(name, {"p",  "div",     "li",      "tr",     "table",  "ul",      "ol",
                                 "h1", "h2",      "h3",      "h4",     "h5",     "h6",      "pre",
                                 "hr", "section", "article", "header", "footer", "address", "dl",
                                 "dt", "dd",      "center",  "form"});
            if (block) line_break();
            if (name == "li") out_ += "- ";
            if (name == "td" || name == "th") text(" ");
            walk(node->children, depth + 1);
            if (block) line_break();
            if (name == "p") out_ += '\n';
        }
    }

    void quoted(xmlNode* children, int depth) {
        HtmlText inner;
        inner.walk(children, depth + 1);
        line_break();
        std::string_view rest = inner.out_;
        while (!rest.empty()) {
            auto end = rest.find('\n');
            auto line = rest.substr(0, end);
            out_ += line.empty() ? ">" : "> ";
            out_ += line;
            out_ += '\n';
            if (end == std::string_view::npos) break;
            rest = rest.substr(end + 1);
        }
    }

    std::string out_;
};

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        auto end = text.find('\n');
        lines.push_back(text.substr(0, end));
        if (end == std::string_view::npos) break;
        text = text.substr(end + 1);
    }
    return lines;
}

std::string_view trim(std::string_view s) {
    // ASCII white space, the ideographic space and a no-break space.
    for (bool again = true; again;) {
        again = false;
        for (std::string_view ws : {" ", "\t", "\r", "\xE3\x80\x80", "\xC2\xA0"}) {
            if (s.starts_with(ws)) s.remove_prefix(ws.size()), again = true;
            if (s.ends_with(ws)) s.remove_suffix(ws.size()), again = true;
        }
    }
    return s;
}

bool starts_with_any(std::string_view s, std::initializer_list<std::string_view> prefixes) {
    return std::any_of(prefixes.begin(), prefixes.end(),
                       [&](std::string_view p) { return s.starts_with(p); });
}

bool is_colon_field(std::string_view line, std::initializer_list<std::string_view> names) {
    line = trim(line);
    // Outlook bolds the names in HTML: `*From:*` once turned into text.
    if (line.starts_with("*")) line.remove_prefix(1);
    for (std::string_view name : names) {
        if (!line.starts_with(name)) continue;
        auto rest = trim(line.substr(name.size()));
        if (rest.starts_with("*")) rest.remove_prefix(1);
        if (rest.starts_with(":") || rest.starts_with("\xEF\xBC\x9A")) return true; // `:` or `：`
    }
    return false;
}

bool has(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

bool is_attribution(std::string_view line) {
    line = trim(line);
    bool colon_end = line.ends_with(":") || line.ends_with("\xEF\xBC\x9A");
    if (!colon_end) return false;
    if (line.starts_with("On ") && has(line, "wrote")) return true;
    if (has(line, "\xE5\x86\x99\xE9\x81\x93")) return true; // 写道
    return line.starts_with("Am ") && has(line, "schrieb");
}

bool is_separator(std::string_view line) {
    line = trim(line);
    if (line.size() >= 10 && line.find_first_not_of('_') == std::string_view::npos) return true;
    if (!line.starts_with("--")) return false;
    return has(line, "Original Message") || has(line, "Forwarded message") ||
           has(line, "\xE5\x8E\x9F\xE5\xA7\x8B\xE9\x82\xAE\xE4\xBB\xB6") || // 原始邮件
           has(line, "\xE8\xBD\xAC\xE5\x8F\x91\xE9\x82\xAE\xE4\xBB\xB6");   // 转发邮件
}

// `From:` / `发件人:` followed within a few lines by `Sent:` / `发送时间:` / `Date:`...
bool starts_header_block(const std::vector<std::string_view>& lines, std::size_t at) {
    if (!is_colon_field(lines[at], {"From", "\xE5\x8F\x91\xE4\xBB\xB6\xE4\xBA\xBA"})) // 发件人
        return false;
    for (std::size_t i = at + 1; i < lines.size() && i <= at + 4; ++i)
        if (is_colon_field(lines[i],
                           {"Sent", "Date", "To", "Subject",
                            "\xE5\x8F\x91\xE9\x80\x81\xE6\x97\xB6\xE9\x97\xB4", // 发送时间
                            "\xE6\x97\xA5\xE6\x9C\x9F",                         // 日期
                            "\xE6\x94\xB6\xE4\xBB\xB6\xE4\xBA\xBA",             // 收件人
                            "\xE4\xB8\xBB\xE9\xA2\x98"}))                       // 主题
            return true;
    return false;
}

bool is_signature(std::string_view line) {
    if (line == "-- " || line == "--") return true;
    line = trim(line);
    return starts_with_any(line, {"Sent from my ", "Get Outlook for ",
                                  "\xE5\x8F\x91\xE8\x87\xAA\xE6\x88\x91\xE7\x9A\x84", // 发自我的
                                  "\xE4\xBB\x8E\xE6\x88\x91\xE7\x9A\x84"})            // 从我的
           && line.size() < 80;
}

} // namespace

std::string html_to_text(std::string_view html) {
    if (html.empty()) return "";
    auto size = static_cast<int>(std::min<std::size_t>(html.size(), 64u << 20));
    std::unique_ptr<xmlDoc, DocFree> doc(htmlReadMemory(
        html.data(), size, nullptr, "UTF-8",
        HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET));
    if (!doc) return "";
    return clean_text(HtmlText().render(xmlDocGetRootElement(doc.get())));
}

std::string clean_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c == '\r') {
            if (i + 1 >= text.size() || text[i + 1] != '\n') out += '\n';
            continue;
        }
        // C1 controls (U+0080-U+009F) are two bytes in UTF-8: C2 80 to C2 9F.
        if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
            static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
            ++i;
            continue;
        }
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) continue;
        // A line or paragraph separator (E2 80 A8/A9) breaks the line; bidi
        // embeddings, overrides and isolates (E2 80 AA-AE, E2 81 A6-A9) go.
        if (c == 0xE2 && i + 2 < text.size()) {
            auto second = static_cast<unsigned char>(text[i + 1]);
            auto third = static_cast<unsigned char>(text[i + 2]);
            if (second == 0x80 && (third == 0xA8 || third == 0xA9)) {
                out += '\n';
                i += 2;
                continue;
            }
            if ((second == 0x80 && third >= 0xAA && third <= 0xAE) ||
                (second == 0x81 && third >= 0xA6 && third <= 0xA9)) {
                i += 2;
                continue;
            }
        }
        out += static_cast<char>(c);
    }
    // Trailing spaces of each line and blank lines at either end go.
    std::string tidy;
    for (auto line : lines_of(out)) {
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t'))
            line.remove_suffix(1);
        tidy.append(line).push_back('\n');
    }
    auto first = tidy.find_first_not_of('\n');
    if (first == std::string::npos) return "";
    auto last = tidy.find_last_not_of('\n');
    return tidy.substr(first, last - first + 1);
}

std::string new_text(std::string_view text) {
    auto lines = lines_of(text);
    std::vector<std::string_view> kept;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string_view line = lines[i];
        if (is_separator(line) || is_signature(line) || starts_header_block(lines, i) ||
            is_attribution(line))
            break;
        // Gmail folds a long attribution: `On Mon, … <ops@example.com>` / `wrote:`.
        if (trim(line).starts_with("On ") && i + 1 < lines.size() &&
            is_attribution(std::string(trim(line)) + " " + std::string(trim(lines[i + 1]))))
            break;
        if (trim(line).starts_with(">")) continue;
        kept.push_back(line);
    }
    std::string out;
    for (auto line : kept)
        out.append(line).push_back('\n');
    return clean_text(out);
}

std::optional<int> survey_score(std::string_view text) {
    std::string_view first;
    for (auto line : lines_of(text))
        if (!trim(line).empty()) {
            first = trim(line);
            break;
        }
    // End punctuation people add: `4.` `满意！` `5分。`
    for (bool again = true; again;) {
        again = false;
        for (std::string_view p : {".", "!", "\xE3\x80\x82", "\xEF\xBC\x81", " "})
            if (first.ends_with(p)) first.remove_suffix(p.size()), again = true;
    }
    static const std::array<std::pair<std::string_view, int>, 5> words = {{
        {"\xE9\x9D\x9E\xE5\xB8\xB8\xE4\xB8\x8D\xE6\xBB\xA1\xE6\x84\x8F", 1}, // 非常不满意
        {"\xE9\x9D\x9E\xE5\xB8\xB8\xE6\xBB\xA1\xE6\x84\x8F", 5},             // 非常满意
        {"\xE4\xB8\x8D\xE6\xBB\xA1\xE6\x84\x8F", 2},                         // 不满意
        {"\xE6\xBB\xA1\xE6\x84\x8F", 4},                                     // 满意
        {"\xE4\xB8\x80\xE8\x88\xAC", 3},                                     // 一般
    }};
    for (const auto& [word, score] : words)
        if (first == word) return score;
    int digit = 0;
    if (!first.empty() && first[0] >= '1' && first[0] <= '5') {
        digit = first[0] - '0';
        first.remove_prefix(1);
    } else if (first.size() >= 3 && first.starts_with("\xEF\xBC") &&
               static_cast<unsigned char>(first[2]) >= 0x91 &&
               static_cast<unsigned char>(first[2]) <= 0x95) { // fullwidth １ to ５
        digit = static_cast<unsigned char>(first[2]) - 0x90;
        first.remove_prefix(3);
    } else {
        return std::nullopt;
    }
    first = trim(first);
    if (first.empty() || first == "/5" || first == "\xE5\x88\x86" || // 分
        first == "\xE6\x98\x9F")                                     // 星
        return digit;
    return std::nullopt;
}

} // namespace opsflow
