#include "opsflow/record/settings.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/files.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/record/schema.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> strings(const Node* seq) {
    std::vector<std::string> out;
    if (seq && seq->is_sequence())
        for (const auto& item : seq->items())
            out.push_back(item.text());
    return out;
}

int minutes_of_day(const std::string& hhmm) {
    return std::stoi(hhmm.substr(0, 2)) * 60 + std::stoi(hhmm.substr(3, 2));
}

const Settings& defaults() {
    static const Settings d = [] {
        Settings s;
        s.categories = {"hardware", "software", "network", "email", "account", "security", "other"};
        s.priority_matrix = {{"high", {{"high", "P1"}, {"medium", "P2"}, {"low", "P3"}}},
                             {"medium", {{"high", "P2"}, {"medium", "P3"}, {"low", "P4"}}},
                             {"low", {{"high", "P3"}, {"medium", "P4"}, {"low", "P4"}}}};
        s.sla = {{"P1", {{0, 15}, {0, 240}, SlaClock::wall}},
                 {"P2", {{0, 30}, {0, 480}, SlaClock::wall}},
                 {"P3", {{0, 120}, {3, 0}, SlaClock::business}},
                 {"P4", {{1, 0}, {10, 0}, SlaClock::business}}};
        s.calendar.workdays = {1, 2, 3, 4, 5};
        s.calendar.hours = {{9 * 60, 12 * 60}, {13 * 60 + 30, 18 * 60}};
        return s;
    }();
    return d;
}

void read_calendar(const Node& cal, BusinessCalendar& out, const std::string& display) {
    static const std::vector<std::string> days = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    if (const Node* wd = cal.find("workdays")) {
        out.workdays.clear();
        for (const auto& d : strings(wd))
            out.workdays.insert(
                static_cast<unsigned>(std::find(days.begin(), days.end(), d) - days.begin()));
    }
    if (const Node* hours = cal.find("hours")) {
        out.hours.clear();
        for (const auto& item : hours->items()) {
            int from = minutes_of_day(item.text()), to = minutes_of_day(item.text().substr(6));
            if (to <= from || to > 24 * 60)
                throw InvalidDataError(
                    {Diagnostic{display, item.line(), item.column(), "/calendar/hours",
                                tr("'{}' is not a time range within one day", item.text())}});
            out.hours.emplace_back(from, to);
        }
        std::sort(out.hours.begin(), out.hours.end());
    }
    for (const auto& d : strings(cal.find("holidays")))
        out.holidays.insert(d);
    for (const auto& d : strings(cal.find("extra_workdays")))
        out.extra_workdays.insert(d);
}

void read_notify(const Node& notify, NotifyConfig& out) {
    if (auto from = notify.get("from")) out.from = *from;
    if (auto t = notify.get("transport")) out.transport = transport_named(*t).value();
    if (const Node* argv = notify.find("sendmail"); argv && argv->is_sequence())
        out.sendmail = strings(argv);
    if (const Node* smtp = notify.find("smtp")) {
        out.smtp_url = smtp->get("url").value_or("");
        out.smtp_user = smtp->get("user").value_or("");
    }
    if (const Node* hook = notify.find("webhook")) out.webhook_url = hook->get("url").value_or("");
    if (auto details = notify.get("closure_details")) out.closure_details = *details == "true";
}

} // namespace

Settings load_settings(const fs::path& file) {
    const std::string display = file.filename().string();
    return settings_from(load_yaml_file(file, "opsflow", display), display);
}

Settings settings_from(const Node& doc, const std::string& display) {
    Settings s = defaults();
    s.timezone = *doc.get("timezone");
    try {
        s.zone = find_time_zone(s.timezone);
    } catch (const InvalidDataError& e) {
        const Node* tz = doc.find("timezone");
        throw InvalidDataError(
            {Diagnostic{display, tz->line(), tz->column(), "/timezone", e.what()}});
    }
    if (auto language = doc.get("language")) s.language = *parse_language(*language);
    if (const Node* git = doc.find("git"))
        if (auto ac = git->get("autocommit"))
            s.autocommit = *ac == "true" || *ac == "True" || *ac == "TRUE";
    if (const Node* cats = doc.find("categories")) s.categories = strings(cats);
    if (const Node* matrix = doc.find("priority_matrix")) {
        s.priority_matrix.clear();
        for (const auto& [impact, row] : matrix->entries())
            for (const auto& [urgency, priority] : row.entries())
                s.priority_matrix[impact][urgency] = priority.text();
    }
    if (const Node* sla = doc.find("sla")) {
        for (const auto& [key, value] : sla->entries()) {
            if (key == "goal_pct") {
                s.sla_goal_pct = std::stod(value.text());
                continue;
            }
            SlaTarget target;
            target.respond = parse_duration(*value.get("respond"), "sla." + key + ".respond");
            target.resolve = parse_duration(*value.get("resolve"), "sla." + key + ".resolve");
            target.clock = value.get("clock").value_or("24x7") == "business" ? SlaClock::business
                                                                             : SlaClock::wall;
            s.sla[key] = target;
        }
    }
    if (const Node* cal = doc.find("calendar")) read_calendar(*cal, s.calendar, display);
    if (const Node* routing = doc.find("routing")) {
        for (const auto& rule : routing->items())
            s.routing.push_back(
                RoutingRule{rule.get("category"), rule.get("service"), *rule.get("assign")});
    }
    if (const Node* m = doc.find("maintenance"))
        if (auto lead = m->get("notice_lead"))
            s.notice_lead = parse_duration(*lead, "maintenance.notice_lead");
    if (const Node* notify = doc.find("notify")) read_notify(*notify, s.notify);
    if (const Node* f = doc.find("findings")) {
        if (auto v = f->get("recurring_min")) s.findings.recurring_min = std::stoi(*v);
        if (auto v = f->get("low_satisfaction_below"))
            s.findings.low_satisfaction_below = std::stod(*v);
        if (auto v = f->get("min_answers")) s.findings.min_answers = std::stoi(*v);
    }
    if (const Node* mail = doc.find("mail")) s.mail = mail_settings_from(*mail, display);
    if (const Node* survey = doc.find("survey"))
        if (auto a = survey->get("auto_send")) s.survey_auto_send = *a == "true";
    auto missing_url = [&](Transport t, const std::string& url, const char* key) {
        if (s.notify.transport == t && url.empty())
            throw InvalidDataError(tr("{}: notify.transport is {} but notify.{}.url is not set",
                                      display, transport_name(t), key));
    };
    missing_url(Transport::smtp, s.notify.smtp_url, "smtp");
    missing_url(Transport::webhook, s.notify.webhook_url, "webhook");
    for (const auto& [priority, target] : s.sla)
        if (target.clock == SlaClock::business && s.calendar.day_length().count() == 0)
            throw InvalidDataError(
                tr("{}: sla.{} uses the business clock but calendar.hours has no working time",
                   display, priority));
    return s;
}

Team load_team(const fs::path& file) {
    if (!fs::exists(file)) return {};
    const std::string display = file.filename().string();
    return team_from(load_yaml_file(file, "team", display), display);
}

Team team_from(const Node& doc, const std::string& display) {
    Team team;
    if (const Node* people = doc.find("people")) {
        for (const auto& p : people->items()) {
            const Node* dup = nullptr;
            for (const auto& existing : team.people)
                if (existing.id == *p.get("id")) dup = &p;
            if (dup)
                throw InvalidDataError(
                    {Diagnostic{display, p.line(), p.column(), "",
                                tr("person '{}' is listed twice", *p.get("id"))}});
            team.people.push_back(Person{*p.get("id"), *p.get("name"), p.get("email").value_or(""),
                                         strings(p.find("roles")), strings(p.find("skills"))});
        }
    }
    if (const Node* teams = doc.find("teams"))
        for (const auto& [name, members] : teams->entries())
            team.teams[name] = strings(&members);
    return team;
}

ServiceCatalog load_services(const fs::path& file) {
    if (!fs::exists(file)) return {};
    const std::string display = file.filename().string();
    return services_from(load_yaml_file(file, "services", display), display);
}

ServiceCatalog services_from(const Node& doc, const std::string&) {
    ServiceCatalog catalog;
    if (const Node* services = doc.find("services"))
        for (const auto& s : services->items())
            catalog.services.push_back(
                Service{*s.get("id"), *s.get("name"), s.get("owner").value_or(""),
                        s.get("criticality").value_or(""), strings(s.find("subscribers")),
                        s.get("docs").value_or("")});
    return catalog;
}

const Person* Team::find(const std::string& id) const {
    for (const auto& p : people)
        if (p.id == id) return &p;
    return nullptr;
}

const Person* Team::find_by_email(const std::string& email) const {
    for (const auto& p : people)
        if (!p.email.empty() && p.email == email) return &p;
    return nullptr;
}

const Service* ServiceCatalog::find(const std::string& id) const {
    for (const auto& s : services)
        if (s.id == id) return &s;
    return nullptr;
}

std::string default_settings_text(const std::string& timezone, Language language) {
    return fmt::format(
        R"(# opsflow store settings. Every key is documented in the README ("Settings").
# The store timezone: deadlines, month directories and times without an offset use it.
timezone: {}
git:
  autocommit: true               # every change is one commit with Opsflow-* trailers
categories: [hardware, software, network, email, account, security, other]
priority_matrix:                 # impact -> urgency -> priority
  high:   {{high: P1, medium: P2, low: P3}}
  medium: {{high: P2, medium: P3, low: P4}}
  low:    {{high: P3, medium: P4, low: P4}}
sla:
  goal_pct: 95                   # compliance below this is a finding
  P1: {{respond: 15m, resolve: 4h, clock: 24x7}}
  P2: {{respond: 30m, resolve: 8h, clock: 24x7}}
  P3: {{respond: 2h,  resolve: 3d, clock: business}}
  P4: {{respond: 1d,  resolve: 10d, clock: business}}
calendar:                        # the business clock
  workdays: [mon, tue, wed, thu, fri]
  hours: ["09:00-12:00", "13:30-18:00"]
  holidays: []                   # e.g. [2026-10-01, 2026-10-02]
  extra_workdays: []             # weekend days that are working days
routing: []                      # first match wins, e.g.
#  - {{category: network, assign: wangwu}}
#  - {{service: mail, assign: "team:mail"}}
maintenance:
  notice_lead: 72h
notify:
  from: "Operations <ops@example.com>"
  transport: none                # none | sendmail | smtp | webhook
survey:
  auto_send: true
# The language of notices and of reports written to a file: zh-CN | en.
language: {}
)",
        timezone, language_tag(language));
}

std::string default_team_text() {
    return R"(# People who work incidents: an assignee must be one of them.
# people:
#   - {id: lisi, name: 李四, email: lisi@example.com, roles: [technician], skills: [network, email]}
people: []
teams: {}
)";
}

std::string default_services_text() {
    return R"(# The service catalog: an incident's service must be one of these.
# services:
#   - {id: mail, name: Mail, owner: lisi, criticality: high, subscribers: [all-staff@example.com]}
services: []
)";
}

} // namespace opsflow
