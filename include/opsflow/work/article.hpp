#pragma once
// Knowledge articles for user support (SPEC §11): written as drafts (from a ticket's
// question and answer, an incident's or a problem's cause and fix), published for
// users or for staff, retired. A ticket may be answered with a published users'
// article; a staff article never goes to a user.
#include "opsflow/store/change.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace opsflow {

enum class Audience { users, staff };
std::string_view audience_name(Audience audience);

struct NewArticle {
    std::string title;
    std::optional<std::string> from; // TKT-, INC- or PRB-: the text starts from it
    Audience audience = Audience::staff;
    std::optional<std::string> body;
    std::optional<std::string> service;
    std::optional<std::string> category;
    // When given, the operator edits the text before it is written (--edit).
    std::function<std::string(const std::string& draft)> edit;
    std::optional<Timestamp> at;
};

// The draft text an article made from `source` starts with, in the store's language.
std::string article_draft(const Store& store, const Record& source);

Change write_article(Context& ctx, const NewArticle& request);
Change publish_article(Context& ctx, std::string_view id, std::optional<Timestamp> at);
Change retire_article(Context& ctx, std::string_view id, const std::optional<std::string>& reason,
                      std::optional<Timestamp> at);

// A published article for users, which a ticket may be answered with; refuses (exit 4)
// a draft, a retired one or a staff article.
Record article_for_users(const Store& store, std::string_view id);

std::vector<Record> list_articles(const Store& store, const std::vector<std::string>& statuses,
                                  std::vector<std::string>& problems);

} // namespace opsflow
