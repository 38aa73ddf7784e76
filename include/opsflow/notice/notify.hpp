#pragma once
// Sending a notice about a record: archived under notices/ and committed with
// the record change, then delivered by the configured transport, the outcome
// written back to the record's `notices` (SPEC §7).
#include "opsflow/notice/notice.hpp"
#include "opsflow/notice/transport.hpp"
#include "opsflow/store/change.hpp"

#include <optional>
#include <string>
#include <vector>

namespace opsflow {

struct NoticeDraft {
    std::string purpose; // announce, cancel, answer, feedback, survey, ...
    std::string subject;
    std::string body;
    std::vector<std::string> recipients; // bare addresses
    std::optional<CalendarPart> calendar;
    std::optional<int> sequence; // the iCalendar SEQUENCE, for calendar notices
    bool late = false;
};

// Unique, de-duplicated, checked recipients (UsageError for an unsafe address).
std::vector<std::string> clean_recipients(const std::vector<std::string>& addresses);

struct PreparedNotice {
    std::string message_id;
    std::string mime;          // the message exactly as it will be sent
    std::string relative_path; // notices/YYYY/MM/<ID>/<UTC-stamp>-<purpose>.eml
    Node entry;                // the record's `notices` entry
};

// Where a message about a record is archived: notices/YYYY/MM/<ID>/<UTC-stamp>-<purpose>.eml,
// YYYY/MM being the record's month; `-2`, `-3`... when the stamp is taken.
std::string archive_path(const Store& store, const Record& record, Timestamp at,
                         std::string_view purpose);

// The Message-IDs of the messages a person sent about the record (received by email, not
// automatic), oldest first, at most the newest 20: what a notice about it replies to.
std::vector<std::string> received_message_ids(const Record& record);

// Builds the message and its `notices` entry; its subject gets the record's token
// `[ID]` and it replies to received_message_ids(); nothing is written yet. The caller
// appends `entry` to the record and puts the file in the change's new_files.
PreparedNotice prepare_notice(const Context& ctx, const Record& record, const NoticeDraft& draft,
                              Timestamp at);

// Adds a prepared notice to the record and to the change.
void attach_notice(Record& record, ChangeSummary& summary, PreparedNotice notice);

struct DeliveryOutcome {
    std::string message_id;
    Transport transport = Transport::none;
    Delivery delivery;
    std::size_t recipients = 0;
};

// Delivers the archived notice `message_id` of a record (a first try or a retry)
// and records the outcome in the record, committed. Transport `none` delivers nothing.
DeliveryOutcome deliver_notice(Context& ctx, RecordKind kind, const std::string& id,
                               const std::string& message_id);

// A change that sent notices: they are delivered after its commit.
struct NoticeRun {
    Change change;
    std::vector<DeliveryOutcome> deliveries;
};

// Notices prepared during a change, delivered once it is committed.
class PendingNotices {
  public:
    // Adds the notice to the record and change and notes it in `event` (`notice: <id>`);
    // with no recipient, `event` says why nothing was sent instead.
    void add(const Context& ctx, Record& record, ChangeSummary& summary, Node& event,
             const NoticeDraft& draft, Timestamp at, const std::string& no_recipient_reason);
    NoticeRun deliver(Context& ctx, Change change) const;

  private:
    std::vector<std::pair<RecordKind, std::string>> records_; // per message: the record kind and ID
    std::vector<std::string> message_ids_;
};

// Delivers again every notice of a record whose delivery failed or never happened: the
// record as it is after, and one outcome per notice (none when nothing waited).
NoticeRun retry_notices(Context& ctx, RecordKind kind, std::string_view id);

// The latest notice of a record whose delivery failed, if any.
std::optional<std::string> failed_notice(const Record& record);

} // namespace opsflow
