#include "opsflow/work/sla_watch.hpp"

#include "base/permute.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/record/incident_sla.hpp"
#include "opsflow/store/query.hpp"
#include "opsflow/work/incident.hpp"
#include "opsflow/work/workflow_step.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <fmt/format.h>
#include <tuple>

namespace opsflow {

namespace {

bool warned_before(const Record& r, std::string_view stage) {
    return std::any_of(r.events().items().begin(), r.events().items().end(), [&](const Node& e) {
        return e.get("action") == "sla_warning" && e.get("stage") == stage;
    });
}

std::vector<std::string> warning_recipients(const Store& store, const std::string& assignee) {
    std::vector<std::string> out;
    if (const Person* p = store.team().find(assignee); p && !p->email.empty()) return {p->email};
    for (const auto& p : store.team().people)
        if (std::find(p.roles.begin(), p.roles.end(), "lead") != p.roles.end() && !p.email.empty())
            out.push_back(p.email);
    return out;
}

// The warning to the assignee and leads, in the store's language.
NoticeDraft warning_draft(const Store& store, const Record& r, const SlaAlert& alert,
                          bool breached) {
    LanguageScope language(store.settings().language);
    bool respond = alert.stage == "respond";
    NoticeDraft draft;
    draft.purpose = fmt::format("sla-{}", alert.stage);
    std::string subject = breached ? (respond ? tr("[SLA breached] {} {} response ({})")
                                              : tr("[SLA breached] {} {} resolution ({})"))
                                   : (respond ? tr("[SLA warning] {} {} response ({})")
                                              : tr("[SLA warning] {} {} resolution ({})"));
    draft.subject = fmt::format(fmt::runtime(subject), alert.priority, alert.id, r.field("title"));
    std::string deadline = breached ? (respond ? tr("The response deadline passed at {}.")
                                               : tr("The resolution deadline passed at {}."))
                                    : (respond ? tr("The response deadline is {}.")
                                               : tr("The resolution deadline is {}."));
    draft.body = tr(
        "{} ({}, {})\n\n{}\nAssignee: {}\n\nopsflow incident show {}\n", r.field("title"), alert.id,
        alert.priority,
        fmt::format(fmt::runtime(deadline), format_rfc3339(alert.deadline, store.settings().zone)),
        alert.assignee.empty() ? tr("nobody yet") : std::string(alert.assignee), alert.id);
    return draft;
}

// The confirmation of a warning: `SLA respond warning (due soon) sent`.
Phrase warning_sent(std::string_view stage, bool breached) {
    if (stage == "respond")
        return breached ? phrase("SLA respond warning (breached) sent")
                        : phrase("SLA respond warning (due soon) sent");
    return breached ? phrase("SLA resolve warning (breached) sent")
                    : phrase("SLA resolve warning (due soon) sent");
}

} // namespace

SlaAlerts sla_alerts(const Store& store, Timestamp now, const Duration& within) {
    SlaAlerts out{load_facts(store, {RecordKind::incident}, FactsScope::open), {}};
    Timestamp horizon = now + within.wall();
    auto& found = out.alerts;
    // Room for a response and a resolution alert each: only what is used is touched.
    found.reserve(out.facts.incidents.size() * 2);
    const Workflow& incidents = workflow_of(RecordKind::incident);
    for (const auto& i : out.facts.incidents) {
        if (!incidents.is_open(i.status)) continue;
        auto add = [&](std::string_view stage, const std::optional<Timestamp>& deadline,
                       bool warned) {
            if (!deadline || *deadline > horizon) return;
            found.push_back({i.id, i.title, i.priority, i.assignee, stage, *deadline,
                             std::chrono::duration_cast<std::chrono::minutes>(*deadline - now),
                             warned});
        };
        if (!i.first_assign) add("respond", i.respond_by, i.warned_respond);
        if (incidents.in(StatusGroup::unresolved, i.status))
            add("resolve", i.resolve_by, i.warned_resolve);
    }
    // Their sort keys and places sorted, then each alert moved once, in place: an
    // alert is a hundred bytes, and sorting 30,000 of them moved more than it
    // compared. A key holds what is compared (an ID's first bytes too), so that
    // sorting does not reach into the query index's megabytes for every tie.
    struct Key {
        Timestamp deadline;
        std::array<char, 16> id_start; // zero-padded
        std::size_t place;
    };
    std::vector<Key> keys(found.size());
    for (std::size_t k = 0; k < found.size(); ++k) {
        keys[k] = {found[k].deadline, {}, k};
        found[k].id.copy(keys[k].id_start.data(),
                         std::min(found[k].id.size(), keys[k].id_start.size()));
    }
    std::sort(keys.begin(), keys.end(), [&](const Key& x, const Key& y) {
        if (x.deadline != y.deadline) return x.deadline < y.deadline;
        if (int c = std::memcmp(x.id_start.data(), y.id_start.data(), x.id_start.size()))
            return c < 0;
        const SlaAlert &a = found[x.place], &b = found[y.place];
        return std::tie(a.id, a.stage) < std::tie(b.id, b.stage);
    });
    std::vector<std::size_t> order(found.size());
    for (std::size_t k = 0; k < keys.size(); ++k)
        order[k] = keys[k].place;
    permute(found, order);
    return out;
}

nlohmann::ordered_json sla_alerts_json(const std::vector<SlaAlert>& alerts,
                                       const date::time_zone* zone) {
    auto array = nlohmann::ordered_json::array();
    for (const auto& alert : alerts)
        array.push_back({{"id", alert.id},
                         {"stage", alert.stage},
                         {"deadline", format_rfc3339(alert.deadline, zone)},
                         {"minutes_left", alert.left.count()},
                         {"breached", alert.left.count() <= 0},
                         {"priority", alert.priority},
                         {"assignee", alert.assignee},
                         {"title", alert.title},
                         {"warned", alert.warned}});
    return array;
}

std::vector<NoticeRun> send_sla_warnings(Context& ctx, const std::vector<SlaAlert>& alerts) {
    std::vector<NoticeRun> runs;
    for (const auto& alert : alerts) {
        if (alert.warned) continue;
        PendingNotices notices;
        bool sent = false;
        Change change =
            modify_record(ctx, RecordKind::incident, std::string(alert.id), [&](Record& r) {
                if (warned_before(r, alert.stage)) // another run got here first
                    return ChangeSummary{"sla_warning", ""};
                auto warn = [&](Record& record, Node& event, Timestamp when) {
                    ChangeSummary summary{"sla_warning", ""};
                    event.set("stage", Node::string(std::string(alert.stage)));
                    event.set("deadline", Node::string(format_rfc3339(alert.deadline,
                                                                      ctx.store.settings().zone)));
                    bool breached = alert.left.count() <= 0;
                    NoticeDraft draft = warning_draft(ctx.store, record, alert, breached);
                    draft.recipients = clean_recipients(
                        warning_recipients(ctx.store, std::string(alert.assignee)));
                    notices.add(
                        ctx, record, summary, event, draft, when,
                        std::string(N_("no assignee or lead with an email address in team.yaml")));
                    summary.description = warning_sent(alert.stage, breached);
                    sent = true;
                    return summary;
                };
                return step_record(ctx, r, "sla_warning", StepTime::given(std::nullopt), warn);
            });
        if (sent) runs.push_back(notices.deliver(ctx, std::move(change)));
    }
    return runs;
}

} // namespace opsflow
