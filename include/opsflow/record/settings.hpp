#pragma once
// The three versioned settings files of a store: opsflow.yaml, team.yaml and
// services.yaml, read and validated into plain values.
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/sla.hpp"
#include "opsflow/base/time.hpp"
#include "opsflow/base/yaml.hpp"
#include "opsflow/record/notify_config.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

struct SlaTarget {
    Duration respond;
    Duration resolve;
    SlaClock clock = SlaClock::wall;
};

struct RoutingRule {
    std::optional<std::string> category;
    std::optional<std::string> service;
    std::string assign; // a person id, or `team:NAME`
};

// When the report's findings speak up (README, "Settings"): `findings` in opsflow.yaml.
struct FindingRules {
    int recurring_min = 3;               // incidents of one service and category
    double low_satisfaction_below = 3.5; // a category's mean survey score (1-5)
    int min_answers = 3;                 // survey answers before a category's mean counts
};

// Where a new message goes when no thread claims it (`mail.routes`): the first
// route whose conditions all hold; without one, a ticket.
// A `subject` pattern of mail.routes (ECMAScript, ignoring case), compiled once, when
// the settings are read, rather than for each message.
class SubjectPattern {
  public:
    // Throws std::regex_error for what is not a regular expression.
    explicit SubjectPattern(const std::string& pattern);
    bool found_in(std::string_view text) const;

  private:
    struct Compiled;
    std::shared_ptr<const Compiled> compiled_;
};

struct MailRoute {
    std::optional<std::string> to;                 // one of our addresses the message was sent to
    std::optional<std::string> subject;            // an ECMAScript pattern, searched ignoring case
    std::optional<SubjectPattern> subject_pattern; // `subject`, compiled
    std::string kind = "ticket";                   // ticket | incident
    std::optional<std::string> service, category, impact, urgency, channel;
};

// Email intake (SPEC §9): `mail` in opsflow.yaml.
struct MailSettings {
    std::vector<std::string> addresses; // ours, lower case: mail from them is not a user's
    std::string maildir;
    std::string imap_url, imap_user, imap_ca_file;
    bool acknowledge = true;
    Duration reopen_within{14, 0};
    std::size_t max_size = 10u << 20;
    // How long `mail receive` and `mail fetch` wait for a busy store before they
    // exit 75: well inside an MTA's limit (Postfix kills a command at 1000 s and
    // then bounces the message).
    std::chrono::seconds lock_wait{60};
    std::vector<MailRoute> routes;
};

struct Settings {
    std::string timezone = "UTC";
    const date::time_zone* zone = nullptr;
    // `language`: what the store sends to others (notices, reports written to a file).
    Language language = Language::en;
    bool autocommit = true;
    std::vector<std::string> categories;
    // impact -> urgency -> priority
    std::map<std::string, std::map<std::string, std::string>> priority_matrix;
    double sla_goal_pct = 95;
    std::map<std::string, SlaTarget> sla; // by priority
    BusinessCalendar calendar;
    std::vector<RoutingRule> routing;
    Duration notice_lead{0, 72 * 60};
    NotifyConfig notify;
    bool survey_auto_send = true;
    FindingRules findings;
    MailSettings mail;
};

struct Person {
    std::string id;
    std::string name;
    std::string email;
    std::vector<std::string> roles;
    std::vector<std::string> skills;
};

struct Team {
    std::vector<Person> people;
    std::map<std::string, std::vector<std::string>> teams;

    const Person* find(const std::string& id) const;
    const Person* find_by_email(const std::string& email) const;
};

struct Service {
    std::string id;
    std::string name;
    std::string owner;
    std::string criticality;
    std::vector<std::string> subscribers;
    std::string docs; // its maintenance document, a Markdown file in the store (SPEC §12)
};

struct ServiceCatalog {
    std::vector<Service> services;
    const Service* find(const std::string& id) const;
};

// Each throws InvalidDataError naming the file and line of the first problems.
Settings load_settings(const std::filesystem::path& file);
Team load_team(const std::filesystem::path& file); // empty if the file does not exist
ServiceCatalog load_services(const std::filesystem::path& file);
// The same from documents already parsed and validated; `display` names the file in messages.
Settings settings_from(const Node& doc, const std::string& display);
Team team_from(const Node& doc, const std::string& display);
ServiceCatalog services_from(const Node& doc, const std::string& display);

// The `mail` section (already valid against the schema); InvalidDataError names the
// line of a route whose subject pattern does not compile.
MailSettings mail_settings_from(const Node& mail, const std::string& display);

// The text `init` writes: commented defaults a person can read and edit.
std::string default_settings_text(const std::string& timezone, Language language);
std::string default_team_text();
std::string default_services_text();

} // namespace opsflow
