#include "value_labels.hpp"

#include "opsflow/base/i18n.hpp"

namespace opsflow::cli {

namespace {

// Values shown in views that no table of the core marks for the catalogue (statuses
// and verbs are marked in src/core/record/workflows.cpp, field names in
// src/core/record/record.cpp): the keys events add, levels, results, notices' purposes and
// deliveries.
[[maybe_unused]] constexpr std::string_view marked[] = {
    // TRANSLATORS: keys of an event, shown in a record's history.
    N_("reason"), N_("notice"), N_("text"), N_("received"), N_("threaded_by"), N_("stage"),
    N_("routed"), N_("replaces_score"), N_("message_id"), N_("late"), N_("incident"), N_("follows"),
    N_("escalated_from"), N_("duplicate_of"), N_("deadline"), N_("automatic"), N_("attachments"),
    N_("rating"),
    // TRANSLATORS: a verification's result (`failed` is also a status).
    N_("passed"),
    // TRANSLATORS: a yes/no value (an event's `routed`, `late`).
    N_("true"), N_("false"),
    // TRANSLATORS: a notice's delivery.
    N_("sent"), N_("pending"), N_("archived"),
    // TRANSLATORS: a notice's purpose (`answer`, `cancel`, `reply` are verbs, `feedback`
    // and `survey` fields, marked there).
    N_("ack"), N_("announce"), N_("sla-respond"), N_("sla-resolve")};

} // namespace

std::string value_label(std::string_view value) {
    return tr(value);
}

std::string event_value_label(std::string_view key, const std::string& value) {
    static constexpr std::string_view enumerated[] = {"status", "impact",    "urgency", "channel",
                                                      "result", "stage",     "purpose", "delivery",
                                                      "routed", "automatic", "late"};
    for (auto k : enumerated)
        if (k == key) return value_label(value);
    constexpr std::string_view not_sent = "not sent: ";
    if (key == "notice" && value.starts_with(not_sent))
        return tr("not sent: {}", value_label(std::string_view(value).substr(not_sent.size())));
    return value;
}

std::string status_label(const Record& record) {
    std::string label = value_label(record.status());
    if (const Node* e = record.doc().find("evaluation"); e && e->get("partial") == "true")
        label += " " + tr("(partial)");
    return label;
}

} // namespace opsflow::cli
