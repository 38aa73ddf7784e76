#pragma once
// The text of a received message: HTML made readable, quoted history and
// signatures told apart from what the sender wrote now, a survey score read.
#include <optional>
#include <string>
#include <string_view>

namespace opsflow {

// HTML as the plain text a reader sees (libxml2's HTML parser): scripts, styles
// and the head left out, blocks and <br> as line breaks, a <blockquote> quoted
// with `> ` as a plain-text client would, entities decoded.
std::string html_to_text(std::string_view html);

// LF line ends, no control characters but tab and line feed (nothing a terminal
// would obey), no bidi embeddings, overrides or isolates (a line or paragraph
// separator is a line feed), no trailing blank lines.
std::string clean_text(std::string_view text);

// What the sender wrote in this message: the text above the quoted history
// (`>` lines and the attribution before them, Gmail's `On … wrote:`, its Chinese
// form `在 … 写道：`, Outlook's `-----Original Message-----` and `From:/发件人:` header
// blocks, Foxmail's `原始邮件`) and above the signature (`-- `, `Sent from my iPhone`,
// `发自我的iPhone`).
std::string new_text(std::string_view text);

// A survey answer on the first line of `text`: a score 1-5 (`4`, `4分`, `4/5`,
// fullwidth `４`) or one of 非常满意 5, 满意 4, 一般 3, 不满意 2, 非常不满意 1.
std::optional<int> survey_score(std::string_view text);

} // namespace opsflow
