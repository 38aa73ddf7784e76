#pragma once
// User support (SPEC §1 steps 3.1-3.3): receive a question, analyse it, answer
// it to the requester, or escalate it to an incident.
#include "opsflow/notice/notify.hpp"
#include "opsflow/work/incident.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace opsflow {

struct NewTicket {
    std::string subject;
    std::string requester; // `Name <email>`, or a phone number
    std::string channel = "other";
    std::optional<std::string> service;
    std::optional<std::string> category;
    std::optional<std::string> question;
    std::optional<Timestamp> at;
};

// Refuses (UsageError) a request `receive_ticket` cannot take.
void check_new_ticket(const Store& store, const NewTicket& request);
// A new ticket's record with its `receive` event, which `on_receive` may add to:
// what `ticket new` and email intake both write. The request is taken as checked.
Record build_ticket(const Context& ctx, const std::string& id, const NewTicket& request,
                    Timestamp at, const std::function<void(Node& event)>& on_receive = {});
Change receive_ticket(Context& ctx, const NewTicket& request);
Change analyze_ticket(Context& ctx, std::string_view id, const std::string& notes,
                      const std::optional<std::string>& assignee, std::optional<Timestamp> at);
// Sends the answer to the requester (unless suppressed) and, with survey.auto_send, a survey
// request. With `article` (a published users' article, article.hpp), the answer is its
// text, after `answer` when that is not empty, and the article's ID is recorded.
NoticeRun answer_ticket(Context& ctx, std::string_view id, const std::string& answer,
                        NoticeMode mode, std::optional<Timestamp> at,
                        const std::optional<std::string>& article = std::nullopt);
Change close_ticket(Context& ctx, std::string_view id, std::optional<Timestamp> at);
Change reopen_ticket(Context& ctx, std::string_view id, const std::string& reason,
                     std::optional<Timestamp> at);
Change note_ticket(Context& ctx, std::string_view id, const std::string& text,
                   std::optional<Timestamp> at);

struct Escalation {
    std::optional<std::string> impact;
    std::optional<std::string> urgency;
    std::optional<Timestamp> at;
};

// Creates an incident from the ticket (same service and category, the requester as
// reporter), links both ways, and marks the ticket escalated. Returns the incident.
Change escalate_ticket(Context& ctx, std::string_view id, const Escalation& escalation);

struct TicketFilter {
    std::vector<std::string> statuses;
    std::optional<std::string> service;
    std::optional<std::string> category;
    std::optional<std::string> assignee;
    std::optional<Timestamp> since;
    std::optional<Timestamp> until;
    bool open_only = false;
};

std::vector<Record> list_tickets(const Store& store, const TicketFilter& filter,
                                 std::vector<std::string>& problems);

} // namespace opsflow
