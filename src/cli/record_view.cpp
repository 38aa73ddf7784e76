#include "record_view.hpp"

#include "opsflow/record/schema.hpp"
#include "opsflow/record/workflow.hpp"
#include "opsflow/work/evaluation.hpp"
#include "output.hpp"
#include "value_labels.hpp"

#include <fmt/format.h>
#include <map>

namespace opsflow::cli {

namespace {

Color status_color(RecordKind kind, std::string_view status) {
    const auto& tones = workflow_of(kind).tones;
    auto it = tones.find(status);
    if (it == tones.end()) return Color::none;
    switch (it->second) {
    case Tone::waiting:
        return Color::yellow;
    case Tone::active:
        return Color::cyan;
    case Tone::done:
        return Color::green;
    case Tone::paused:
        return Color::magenta;
    case Tone::ended:
        return Color::dim;
    }
    return Color::none;
}

Color priority_color(std::string_view priority) {
    if (priority == "P1") return Color::red;
    if (priority == "P2") return Color::yellow;
    return Color::none;
}

// `2026-11-24 09:12` in the store timezone: short enough for a table.
std::string short_time(Timestamp t, const Store& store) {
    std::string text = format_rfc3339(t, store.settings().zone);
    text.resize(16);
    text[10] = ' ';
    return text;
}
std::string short_time(const std::string& rfc3339, const Store& store) {
    auto t = parse_rfc3339(rfc3339);
    return t ? short_time(*t, store) : rfc3339;
}

void indented_text(std::string& out, const std::string& label, const std::string& text) {
    if (text.empty()) return;
    out += tr("{}:", label) + "\n";
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        out += "  " +
               text.substr(start, end == std::string::npos ? std::string::npos : end - start) +
               "\n";
        if (end == std::string::npos) break;
        start = end + 1;
    }
}

// The fields of an event other than at/by/action, as `key: value` pairs on one line.
std::string event_details(const Node& event) {
    std::string out;
    for (const auto& [key, value] : event.entries()) {
        if (key == "at" || key == "by" || key == "action") continue;
        std::string text = value.is_scalar() ? value.text() : "…";
        if (auto nl = text.find('\n'); nl != std::string::npos) text = text.substr(0, nl) + " …";
        out += (out.empty() ? "" : tr(", ")) +
               tr("{}: {}", value_label(key), event_value_label(key, text));
    }
    return out;
}

// `张三 <zhangsan@example.com> via phone`: who, and the channel it came by.
std::string via(const std::string& who, const std::string& channel) {
    return channel.empty() ? who : tr("{} via {}", who, value_label(channel));
}

// A notice's delivery (`sent`, `failed: …`) for a table cell.
std::string delivery_label(const Node& notice) {
    std::string delivery = value_label(notice.get("delivery").value_or(""));
    if (auto error = notice.get("error")) delivery += tr(": {}", *error);
    return delivery;
}

} // namespace

nlohmann::ordered_json record_json(const Record& record) {
    Node doc = record.doc();
    canonicalize(doc, record.kind());
    return to_ordered_json(doc);
}

std::string render_events(const Record& record, const Store& store, bool color) {
    Table table({tr("WHEN"), tr("BY"), tr("ACTION"), tr("DETAILS")});
    for (const auto& e : record.events().items())
        table.add_row({short_time(e.get("at").value_or(""), store), e.get("by").value_or(""),
                       value_label(e.get("action").value_or("")), event_details(e)},
                      {Color::none, Color::none, Color::bold});
    return table.render(color, terminal_width());
}

namespace {

std::string history(const Record& r, const Store& store, bool color) {
    return tr("{}:", tr("History")) + "\n" + render_events(r, store, color);
}

} // namespace

std::string render_incident(const Record& r, const Store& store, bool color) {
    std::string out = fmt::format("{}  {}\n", paint(r.id(), Color::bold, color), r.field("title"));
    auto line = [&](const std::string& label, const std::string& value, Color c = Color::none) {
        if (!value.empty()) out += fmt::format("  {:<10} {}\n", label, paint(value, c, color));
    };
    line(tr("status"), value_label(r.status()), status_color(r.kind(), r.status()));
    line(tr("priority"),
         tr("{} (impact {}, urgency {})", r.field("priority"), value_label(r.field("impact")),
            value_label(r.field("urgency"))),
         priority_color(r.field("priority")));
    line(tr("service"), r.field("service"));
    line(tr("category"), r.field("category"));
    line(tr("reporter"), via(r.field("reporter"), r.field("channel")));
    line(tr("reported"), short_time(r.field("reported_at"), store));
    line(tr("assignee"), r.field("assignee"));
    if (const Node* sla = r.doc().find("sla")) {
        line(tr("respond by"), short_time(sla->get("respond_by").value_or(""), store));
        line(tr("resolve by"), short_time(sla->get("resolve_by").value_or(""), store));
    }
    if (const Node* v = r.doc().find("verification"))
        line(tr("verified"), value_label(v->get("result").value_or("")));
    line(tr("problem"), r.field("problem"));
    if (const Node* links = r.doc().find("links")) {
        std::string all;
        for (const auto& l : links->items())
            all += (all.empty() ? "" : ", ") + l.text();
        line(tr("links"), all);
    }
    out += "\n";
    indented_text(out, tr("Description"), r.field("description"));
    indented_text(out, tr("Cause"), r.field("cause"));
    indented_text(out, tr("Resolution"), r.field("resolution"));
    indented_text(out, tr("Feedback"), r.field("feedback"));
    out += history(r, store, color);
    return out;
}

std::string render_records_json(const std::vector<Record>& records) {
    auto array = nlohmann::ordered_json::array();
    for (const auto& r : records)
        array.push_back(record_json(r));
    return array.dump(2) + "\n";
}

std::string render_incident_list(const std::vector<IncidentFacts>& incidents, const Store& store,
                                 const std::string& format, bool color) {
    const auto* zone = store.settings().zone;
    auto when = [&](const std::optional<Timestamp>& t) {
        return t ? format_rfc3339(*t, zone) : std::string();
    };
    auto str = [](std::string_view text) { return std::string(text); };
    if (format == "csv") {
        std::string out = csv_row({"id", "title", "status", "priority", "impact", "urgency",
                                   "service", "category", "assignee", "reporter", "channel",
                                   "reported_at", "respond_by", "resolve_by"});
        for (const auto& i : incidents)
            out += csv_text_row({str(i.id), str(i.title), str(i.status), str(i.priority),
                                 str(i.impact), str(i.urgency), str(i.service), str(i.category),
                                 str(i.assignee), str(i.reporter), str(i.channel), when(i.reported),
                                 when(i.respond_by), when(i.resolve_by)});
        return out;
    }
    Table table({tr("ID"), tr("PRI"), tr("STATUS"), tr("SERVICE"), tr("ASSIGNEE"), tr("REPORTED"),
                 tr("TITLE")});
    table.reserve(incidents.size(), 100);
    for (const auto& i : incidents)
        table.add_row({i.id, i.priority, value_label(i.status), i.service, i.assignee,
                       short_time(i.reported, store), i.title},
                      {Color::none, priority_color(i.priority),
                       status_color(RecordKind::incident, i.status)});
    return table.render(color, terminal_width());
}

namespace {

std::string joined(const Node* seq) {
    std::string out;
    if (seq)
        for (const auto& item : seq->items())
            out += (out.empty() ? "" : ", ") + item.text();
    return out;
}

} // namespace

std::string render_maintenance(const Record& r, const Store& store, bool color) {
    std::string out = fmt::format("{}  {}\n", paint(r.id(), Color::bold, color), r.field("title"));
    auto line = [&](const std::string& label, const std::string& value) {
        if (!value.empty()) out += fmt::format("  {:<10} {}\n", label, value);
    };
    line(tr("status"), value_label(r.status()));
    line(tr("window"), fmt::format("{} – {}", short_time(r.field("start"), store),
                                   short_time(r.field("end"), store)));
    line(tr("repeats"), r.field("recurrence"));
    if (!r.field("series").empty())
        line(tr("series"), tr("{}, occurrence of {}", r.field("series"),
                              short_time(r.field("occurrence"), store)));
    line(tr("skipped"), r.field("skip_reason"));
    line(tr("services"), joined(r.doc().find("services")));
    line(tr("owner"), r.field("owner"));
    line(tr("result"), value_label(r.field("result")));
    if (!r.field("actual_start").empty())
        line(tr("actual"), fmt::format("{} – {}", short_time(r.field("actual_start"), store),
                                       short_time(r.field("actual_end"), store)));
    if (const Node* e = r.doc().find("evaluation")) {
        const Node* rates = e->find("per_30_days");
        std::string said =
            rates
                ? tr("rating {}; incidents per 30 days {} before, {} after ({} days each side)",
                     e->get("rating").value_or("?"), rates->get("before").value_or("?"),
                     rates->get("after").value_or("?"), e->get("window_days").value_or("?"))
                // Written before rates per 30 days: counts over the window, as recorded.
                : tr("rating {}; incidents {} before, {} after ({} days)",
                     e->get("rating").value_or("?"), e->get("incidents_before").value_or("?"),
                     e->get("incidents_after").value_or("?"), e->get("window_days").value_or("?"));
        if (auto partial = partial_text(*e); !partial.empty())
            said += " — " + tr("partial") + ", " + partial;
        line(tr("evaluated"), said);
        if (const Node* measures = e->find("measures"))
            for (const auto& m : measures->items())
                line(tr("measured"), measure_text(m));
    }
    out += "\n";
    indented_text(out, tr("Impact"), r.field("impact"));
    indented_text(out, tr("Description"), r.field("description"));
    if (const Node* tasks = r.doc().find("tasks")) {
        out += tr("{}:", tr("Tasks")) + "\n";
        std::size_t n = 0;
        for (const auto& t : tasks->items()) {
            bool done = t.is_map() && t.find("done");
            out += fmt::format("  {}. [{}] {}", ++n, done ? "x" : " ",
                               t.is_map() ? t.get("text").value_or("") : t.text());
            if (done)
                out += "  " + tr("({} by {})", short_time(t.get("done").value_or(""), store),
                                 t.get("by").value_or("?"));
            if (t.is_map() && t.get("note")) out += "  " + *t.get("note");
            out += "\n";
        }
    }
    indented_text(out, tr("Tasks left unticked"), r.field("tasks_skipped"));
    indented_text(out, tr("Notes"), r.field("notes"));
    if (r.doc().find("docs")) line(tr("documents"), joined(r.doc().find("docs")));
    if (auto history = series_history(store, r, system_now()); !history.empty()) {
        out += tr("{}:", tr("Occurrences")) + "\n";
        Table table({tr("START"), tr("ID"), tr("STATUS"), tr("RESULT")});
        for (const auto& o : history)
            table.add_row({short_time(format_rfc3339(o.start, store.settings().zone), store),
                           o.id.empty() ? "—" : o.id,
                           o.status.empty() ? tr("not recorded") : value_label(o.status),
                           value_label(o.result)});
        out += table.render(color, terminal_width());
    }
    if (const Node* notices = r.doc().find("notices"); notices && !notices->items().empty()) {
        Table table({tr("SENT"), tr("PURPOSE"), tr("TO"), tr("DELIVERY"), tr("FILE")});
        for (const auto& n : notices->items()) {
            std::size_t count = n.find("recipients") ? n.find("recipients")->items().size() : 0;
            std::string delivery = delivery_label(n);
            if (n.get("late") == "true") delivery += tr(" (late)");
            table.add_row({short_time(n.get("at").value_or(""), store),
                           value_label(n.get("purpose").value_or("")),
                           ntr("{} recipient", "{} recipients", count, count), delivery,
                           n.get("file").value_or("")});
        }
        out += tr("{}:", tr("Notices")) + "\n" + table.render(color, terminal_width());
    }
    out += history(r, store, color);
    return out;
}

std::string render_maintenance_list(const std::vector<Record>& windows, const Store& store,
                                    const std::string& format, bool color) {
    if (format == "json") {
        auto array = nlohmann::ordered_json::array();
        for (const auto& r : windows)
            array.push_back(record_json(r));
        return array.dump(2) + "\n";
    }
    Table table({tr("ID"), tr("STATUS"), tr("START"), tr("END"), tr("SERVICES"), tr("TITLE")});
    for (const auto& r : windows)
        table.add_row({r.id(), status_label(r), short_time(r.field("start"), store),
                       short_time(r.field("end"), store), joined(r.doc().find("services")),
                       r.field("title") + (r.field("recurrence").empty() ? "" : " ↻") +
                           (r.field("series").empty() ? "" : " ← " + r.field("series"))});
    return table.render(color, terminal_width());
}

std::string render_occurrences(const std::vector<Occurrence>& occurrences, const Store& store,
                               bool json) {
    const auto* zone = store.settings().zone;
    if (json) {
        auto array = nlohmann::ordered_json::array();
        for (const auto& o : occurrences)
            array.push_back(
                {{"id", o.id},
                 {"series", o.window->field("recurrence").empty() ? "" : o.window->id()},
                 {"title", o.window->field("title")},
                 {"start", format_rfc3339(o.start, zone)},
                 {"end", format_rfc3339(o.end, zone)},
                 {"status", o.status}});
        return array.dump(2) + "\n";
    }
    Table table({tr("START"), tr("END"), tr("ID"), tr("STATUS"), tr("SERVICES"), tr("TITLE")});
    for (const auto& o : occurrences)
        table.add_row({short_time(format_rfc3339(o.start, zone), store),
                       short_time(format_rfc3339(o.end, zone), store), o.id, value_label(o.status),
                       joined(o.window->doc().find("services")), o.window->field("title")});
    return table.render(false, terminal_width());
}

namespace {

void render_survey_and_notices(std::string& out, const Record& r, const Store& store, bool color) {
    if (const Node* s = r.doc().find("survey"))
        out += tr("{}:", tr("Survey")) + "\n  " +
               tr("sent {}, score {}", short_time(s->get("sent_at").value_or(""), store),
                  s->get("score").value_or("—")) +
               (s->get("comment") ? " — " + *s->get("comment") : "") + "\n";
    if (const Node* notices = r.doc().find("notices"); notices && !notices->items().empty()) {
        Table table({tr("SENT"), tr("PURPOSE"), tr("DELIVERY"), tr("FILE")});
        for (const auto& n : notices->items())
            table.add_row({short_time(n.get("at").value_or(""), store),
                           value_label(n.get("purpose").value_or("")), delivery_label(n),
                           n.get("file").value_or("")});
        out += tr("{}:", tr("Notices")) + "\n" + table.render(color, terminal_width());
    }
}

} // namespace

std::string render_ticket(const Record& r, const Store& store, bool color) {
    std::string out =
        fmt::format("{}  {}\n", paint(r.id(), Color::bold, color), r.field("subject"));
    auto line = [&](const std::string& label, const std::string& value) {
        if (!value.empty()) out += fmt::format("  {:<10} {}\n", label, value);
    };
    line(tr("status"), value_label(r.status()));
    line(tr("requester"), via(r.field("requester"), r.field("channel")));
    line(tr("received"), short_time(r.field("received_at"), store));
    line(tr("service"), r.field("service"));
    line(tr("category"), r.field("category"));
    line(tr("assignee"), r.field("assignee"));
    line(tr("article"), r.field("article"));
    line(tr("links"), joined(r.doc().find("links")));
    out += "\n";
    indented_text(out, tr("Question"), r.field("question"));
    indented_text(out, tr("Analysis"), r.field("analysis"));
    indented_text(out, tr("Answer"), r.field("answer"));
    render_survey_and_notices(out, r, store, color);
    out += history(r, store, color);
    return out;
}

std::string render_problem(const Record& r, const Store& store, bool color) {
    std::string out = fmt::format("{}  {}\n", paint(r.id(), Color::bold, color), r.field("title"));
    auto line = [&](const std::string& label, const std::string& value) {
        if (!value.empty()) out += fmt::format("  {:<10} {}\n", label, value);
    };
    line(tr("status"), value_label(r.status()));
    line(tr("services"), joined(r.doc().find("services")));
    line(tr("category"), r.field("category"));
    line(tr("owner"), r.field("owner"));
    line(tr("finding"), r.field("finding"));
    line(tr("incidents"), joined(r.doc().find("incidents")));
    line(tr("links"), joined(r.doc().find("links")));
    out += "\n";
    indented_text(out, tr("Description"), r.field("description"));
    indented_text(out, tr("Cause"), r.field("cause"));
    indented_text(out, tr("Workaround"), r.field("workaround"));
    indented_text(out, tr("Fix"), r.field("fix"));
    out += history(r, store, color);
    return out;
}

std::string render_article(const Record& r, const Store& store, bool color) {
    std::string out = fmt::format("{}  {}\n", paint(r.id(), Color::bold, color), r.field("title"));
    auto line = [&](const std::string& label, const std::string& value) {
        if (!value.empty()) out += fmt::format("  {:<10} {}\n", label, value);
    };
    line(tr("status"), value_label(r.status()));
    line(tr("audience"), value_label(r.field("audience")));
    line(tr("services"), joined(r.doc().find("services")));
    line(tr("category"), r.field("category"));
    line(tr("source"), r.field("source"));
    out += "\n";
    indented_text(out, tr("Text"), r.field("body"));
    out += history(r, store, color);
    return out;
}

std::string render_ticket_list(const std::vector<Record>& tickets, const Store& store,
                               const std::string& format, bool color) {
    if (format == "json") {
        auto array = nlohmann::ordered_json::array();
        for (const auto& r : tickets)
            array.push_back(record_json(r));
        return array.dump(2) + "\n";
    }
    if (format == "csv") {
        std::string out = csv_row({"id", "subject", "status", "requester", "channel", "received_at",
                                   "service", "category", "assignee"});
        for (const auto& r : tickets)
            out += csv_text_row({r.id(), r.field("subject"), r.status(), r.field("requester"),
                                 r.field("channel"), r.field("received_at"), r.field("service"),
                                 r.field("category"), r.field("assignee")});
        return out;
    }
    Table table(
        {tr("ID"), tr("STATUS"), tr("RECEIVED"), tr("REQUESTER"), tr("ASSIGNEE"), tr("SUBJECT")});
    table.reserve(tickets.size(), 100);
    for (const auto& r : tickets)
        table.add_row({r.id(), value_label(r.status()), short_time(r.field("received_at"), store),
                       r.field("requester"), r.field("assignee"), r.field("subject")});
    return table.render(color, terminal_width());
}

} // namespace opsflow::cli
