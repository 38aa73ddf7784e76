// The checks of one record on its own (SPEC §3, §4, §1): everything `check` finds
// in a record without looking at the other records.
#include "check/check_record.hpp"

#include "opsflow/base/confidential.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/icalendar.hpp"
#include "opsflow/record/incident_sla.hpp"
#include "opsflow/record/workflow.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

// What find_secrets and find_personal_data call what they find (confidential.cpp), marked
// here for the catalogue: a finding shows it with tr(what).
[[maybe_unused]] constexpr std::string_view sensitive_names[] = {
    N_("a private key block"), N_("a password"),        N_("an AWS access key"),
    N_("a GitHub token"),      N_("a GitLab token"),    N_("a Slack token"),
    N_("a Google API key"),    N_("an API secret key"), N_("a JSON Web Token"),
    N_("a bearer token"),      N_("an e-mail address"), N_("a resident ID number"),
    N_("a phone number")};

// Fields whose job is to hold contact data: personal data there is expected.
const std::set<std::string_view> contact_fields = {"reporter",   "requester", "recipients",
                                                   "message_id", "notice",    "to"};

class RecordChecks {
  public:
    RecordChecks(const Snapshot& snapshot, const StoreSettings& store)
        : snapshot_(snapshot), settings_(store.settings), team_(store.team),
          services_(store.services) {}

    // Checks one record on its own: everything but what needs the other records.
    RecordVerdict examine(RecordKind kind, const std::string& path) {
        RecordVerdict verdict;
        findings_ = &verdict.findings;
        std::optional<Record> record;
        try {
            auto text = snapshot_.read(path);
            if (!text) return verdict; // deleted: nothing to check
            verdict.read = true;
            record =
                Record::from_text(kind, std::move(*text), fs::path(path).filename().string(), path);
        } catch (const InvalidDataError& e) {
            verdict.read = true; // there, but not a record that can be read: reported
            add_all(e.diagnostics(), path, e.what());
            return verdict;
        }
        const auto& expected_dir = kind_info(kind).directory;
        if (path.starts_with(std::string(expected_dir) + "/") &&
            fs::path(path).stem() == record->id()) {
            verdict.id = record->id();
            if (const Node* id = record->doc().find("id")) {
                verdict.id_line = id->line();
                verdict.id_column = id->column();
            }
        }
        for (const auto& link : named_links(*record))
            verdict.links.push_back({link.node->text(), link.node->line(), link.node->column(),
                                     link.pointer, std::string(link.back)});
        check_location(*record, path);
        check_references(*record, path);
        check_events(*record, path);
        check_derived_fields(*record, path);
        check_completeness(*record, path);
        check_confidentiality(*record, path);
        return verdict;
    }

    void check_location(const Record& r, const std::string& path) {
        const auto& expected_dir = kind_info(r.kind()).directory;
        if (!path.starts_with(std::string(expected_dir) + "/") || fs::path(path).stem() != r.id())
            return; // the name was already checked when the record was read
        if (!settings_ || r.events().items().empty()) return;
        auto first = parse_rfc3339(r.events().items().front().get("at").value_or(""));
        if (!first) return;
        auto month = month_directory(*first, settings_->zone);
        if (path.find("/" + month + "/") == std::string::npos)
            add(Severity::warning, path, r.doc().find("id"), "/id",
                tr("record is filed under the wrong month: its first event is in {}, so it "
                   "belongs in {}/{}/",
                   month, expected_dir, month));
    }

    void require_person(const std::string& path, const Node* value, const std::string& pointer) {
        if (!value || !value->is_scalar() || value->is_null() || !team_) return;
        if (!team_->find(value->text()))
            add(Severity::error, path, value, pointer,
                tr("'{}' is not a person in team.yaml", value->text()));
    }
    void require_service(const std::string& path, const Node* value, const std::string& pointer) {
        if (!value || !value->is_scalar() || value->is_null() || !services_) return;
        if (!services_->find(value->text()))
            add(Severity::error, path, value, pointer,
                tr("service '{}' is not in services.yaml", value->text()));
    }
    void require_category(const std::string& path, const Node* value, const std::string& pointer) {
        if (!value || !value->is_scalar() || value->is_null() || !settings_) return;
        const auto& cats = settings_->categories;
        if (std::find(cats.begin(), cats.end(), value->text()) == cats.end())
            add(Severity::error, path, value, pointer,
                tr("category '{}' is not in opsflow.yaml's categories", value->text()));
    }

    // SPEC §12 (step 2.4): a finished window updates the documents of its services that
    // name one; `maint done` lists those it appended to in `docs` (empty when none did).
    // A window finished before opsflow kept documents has no `docs` and is not checked.
    void check_documents_touched(const Record& r, const std::string& path) {
        const Node* docs = r.doc().find("docs");
        const Node* services = r.doc().find("services");
        if (!services_ || !docs || !services || !docs->is_sequence()) return;
        for (const auto& item : services->items()) {
            const Service* service = services_->find(item.text());
            if (!service || service->docs.empty()) continue;
            bool touched = std::any_of(docs->items().begin(), docs->items().end(),
                                       [&](const Node& d) { return d.text() == service->docs; });
            if (!touched)
                add(Severity::warning, path, docs, "/docs",
                    tr("finished without an entry in {}, the document of service {} (was it "
                       "named in services.yaml only later? then add the entry by hand)",
                       service->docs, service->id));
        }
    }

    void check_references(const Record& r, const std::string& path) {
        const Node& doc = r.doc();
        switch (r.kind()) {
        case RecordKind::incident:
        case RecordKind::ticket:
            require_service(path, doc.find("service"), "/service");
            require_category(path, doc.find("category"), "/category");
            require_person(path, doc.find("assignee"), "/assignee");
            break;
        case RecordKind::maintenance:
            if (const Node* services = doc.find("services"))
                for (std::size_t i = 0; i < services->items().size(); ++i)
                    require_service(path, &services->items()[i], fmt::format("/services/{}", i));
            require_person(path, doc.find("owner"), "/owner");
            // What `maint plan --recurrence` refuses, in a record edited by hand.
            if (const Node* rule = doc.find("recurrence");
                rule && rule->is_scalar() && !rule->is_null())
                if (auto problem = rrule_problem(rule->text()))
                    add(Severity::error, path, rule, "/recurrence",
                        "recurrence: " +
                            tr("'{}' is not a valid RRULE: {}", rule->text(), problem->why));
            check_documents_touched(r, path);
            break;
        case RecordKind::improvement:
            if (const Node* scope = doc.find("scope")) {
                require_service(path, scope->find("service"), "/scope/service");
                require_category(path, scope->find("category"), "/scope/category");
            }
            require_person(path, doc.find("owner"), "/owner");
            break;
        case RecordKind::problem:
        case RecordKind::article:
            if (const Node* services = doc.find("services"))
                for (std::size_t i = 0; i < services->items().size(); ++i)
                    require_service(path, &services->items()[i], fmt::format("/services/{}", i));
            require_category(path, doc.find("category"), "/category");
            require_person(path, doc.find("owner"), "/owner");
            break;
        }
    }

    // Equal, where a map entry whose value is null counts as absent: the writer drops
    // nulls from a record's current state, while events keep what the step computed.
    static bool same_content(const Node& a, const Node& b) {
        if (!a.is_map() || !b.is_map()) return a == b;
        auto without_nulls = [](const Node& map) {
            std::vector<const Node::Entry*> kept;
            for (const auto& entry : map.entries())
                if (!entry.second.is_null()) kept.push_back(&entry);
            return kept;
        };
        auto x = without_nulls(a), y = without_nulls(b);
        if (x.size() != y.size()) return false;
        for (const auto* entry : x) {
            const Node* other = b.find(entry->first);
            if (!other || !same_content(entry->second, *other)) return false;
        }
        return true;
    }

    // The events are the history: they must be in time order, follow the workflow,
    // and replaying the fields they set must give the record's current state.
    void check_events(const Record& r, const std::string& path) {
        const auto& events = r.events().items();
        auto report = [&](const HistoryProblem& problem) {
            const Node& event = events[problem.event];
            const Node* at = event.is_map() ? event.find(problem.key) : nullptr;
            add(Severity::error, path, at ? at : &event,
                fmt::format("/events/{}/{}", problem.event, problem.key), problem.message);
        };
        for (const auto& problem : check_event_times(r.events()))
            if (problem.cause == HistoryProblem::Cause::time_order) // invalid: see check_times
                report(problem);
        for (const auto& problem : replay_workflow(r).problems)
            report(problem);
        for (const auto& [key, source] : replayed_fields(r)) {
            const Node* current = r.doc().find(key);
            const Node& expected = *source.value;
            bool same = current ? same_content(*current, expected) : expected.is_null();
            if (same) continue;
            auto shown = [](const Node* n) {
                return !n || n->is_null() ? tr("(none)")
                       : n->is_scalar()   ? "'" + n->text() + "'"
                                          : tr("a different value");
            };
            add(Severity::error, path, current ? current : r.doc().find("id"), "/" + key,
                tr("{} is {} but the events say {} (set by the last '{}' event)", key,
                   shown(current), shown(&expected), source.action));
        }
    }

    // An incident's priority is the matrix's for its impact and urgency, unless the
    // last event that set it gave a reason (an override); its deadlines are what its
    // events and the SLA settings give. Each side of a merge can agree with its own
    // events and the merge still not: impact raised on one side, urgency on the other,
    // priority left at what each side computed alone.
    void check_derived_fields(const Record& r, const std::string& path) {
        if (r.kind() != RecordKind::incident || !settings_) return;
        std::string expected;
        try {
            expected = derived_priority(r, *settings_);
        } catch (const InvalidDataError&) {
            return; // an unknown impact or urgency is reported by the schema and settings
        }
        std::string impact = r.field("impact"), urgency = r.field("urgency");
        if (r.field("priority") != expected) {
            add(Severity::error, path, r.doc().find("priority"), "/priority",
                tr("priority {} disagrees with impact {} and urgency {}: the priority matrix gives "
                   "{}, and no event overrides it with a reason (run: opsflow incident classify "
                   "{} --impact {} --urgency {})",
                   r.field("priority"), impact, urgency, expected, r.id(), impact, urgency));
            return; // the deadlines follow the priority: fixing it fixes them
        }
        // A warning: a change of the SLA targets in opsflow.yaml moves the deadlines
        // of records written before it, and that is no error in the record.
        // The deadlines as refresh_sla_deadlines would write them, without copying the record.
        auto deadlines = sla_deadlines(incident_timeline(r), r.field("priority"), *settings_);
        auto written = [&](const std::optional<Timestamp>& t) {
            return t ? std::optional(format_rfc3339(*t, settings_->zone)) : std::nullopt;
        };
        const Node* sla = r.doc().find("sla");
        const bool can_classify = workflow_of(r.kind()).allows("classify", r.status());
        for (std::string_view key : {"respond_by", "resolve_by"}) {
            auto have = sla && sla->is_map() ? sla->get(key) : std::nullopt;
            auto want = written(key == "respond_by" ? deadlines.respond_by : deadlines.resolve_by);
            if (have == want) continue;
            const Node* at = sla && sla->is_map() && sla->find(key) ? sla->find(key) : sla;
            add(Severity::warning, path, at ? at : r.doc().find("id"), fmt::format("/sla/{}", key),
                tr("sla.{} is {} but its events and the SLA targets in opsflow.yaml give {} "
                   "({})",
                   key, have.value_or(tr("(none)")), want.value_or(tr("(none)")),
                   can_classify ? tr("run: opsflow incident classify {} to set it again", r.id())
                                : tr("set it by hand if the targets have not changed")));
        }
    }

    // What a record must hold in its status (the workflow's requirements).
    void check_completeness(const Record& r, const std::string& path) {
        const std::string status = r.status();
        for (const auto& req : workflow_of(r.kind()).requirements) {
            if (std::find(req.statuses.begin(), req.statuses.end(), status) == req.statuses.end())
                continue;
            if (!req.unless.empty() && r.doc().find(req.unless)) continue;
            const Node* value = r.doc().find(req.field);
            bool held = false;
            switch (req.test) {
            case Requirement::Test::present:
                held = value && !value->is_null() && !(value->is_scalar() && value->text().empty());
                break;
            case Requirement::Test::not_empty:
                held = value && ((value->is_sequence() && !value->items().empty()) ||
                                 (value->is_map() && !value->entries().empty()));
                break;
            case Requirement::Test::passed:
                held = value && value->is_map() && value->get("result") == "passed";
                break;
            }
            if (!held)
                add(Severity::error, path, r.doc().find("status"), "/" + std::string(req.field),
                    tr(req.message));
        }
    }

    // Where `needle` starts in the file, searching from the node's own position, so
    // that a finding inside a block of text points at its line.
    static std::pair<int, int> locate(const std::string& text, const Node& node,
                                      std::string_view needle) {
        std::size_t pos = 0;
        for (int line = 1; line < node.line() && pos != std::string::npos; ++line)
            pos = text.find('\n', pos) == std::string::npos ? std::string::npos
                                                            : text.find('\n', pos) + 1;
        if (pos == std::string::npos) return {node.line(), node.column()};
        auto found = text.find(needle, pos);
        if (found == std::string::npos) return {node.line(), node.column()};
        int line = node.line();
        auto line_start = pos;
        for (auto p = text.find('\n', pos); p != std::string::npos && p < found;
             p = text.find('\n', p + 1)) {
            ++line;
            line_start = p + 1;
        }
        return {line, static_cast<int>(found - line_start) + 1};
    }

    // Who wrote a text: a person, or a mail system returning a notice opsflow sent
    // (an event threaded by "the message it returns"), whose report names the
    // address the notice went to, an address the record holds already.
    enum class Writer { person, returned_notice };

    void scan(const Record& r, const std::string& path, const Node& node,
              const std::string& pointer, std::string_view key, Writer writer = Writer::person) {
        if (node.is_map()) {
            if (node.get("threaded_by") == "the message it returns")
                writer = Writer::returned_notice;
            for (const auto& [k, v] : node.entries())
                scan(r, path, v, pointer + "/" + k, k, writer);
        } else if (node.is_sequence()) {
            for (std::size_t i = 0; i < node.items().size(); ++i)
                scan(r, path, node.items()[i], fmt::format("{}/{}", pointer, i), key, writer);
        } else if (node.kind() == ScalarKind::string && !node.text().empty()) {
            auto matches = find_secrets(node.text());
            if (!contact_fields.contains(key)) {
                auto personal = find_personal_data(node.text());
                if (writer == Writer::returned_notice && key == "text")
                    std::erase_if(personal, [](const SensitiveMatch& m) {
                        return m.what == "an e-mail address";
                    });
                matches.insert(matches.end(), personal.begin(), personal.end());
            }
            for (const auto& m : matches) {
                auto [line, column] =
                    locate(r.original_text(), node,
                           std::string_view(node.text()).substr(m.offset, m.length));
                std::string why =
                    m.secret ? tr("{} in a record: remove it and rotate it", tr(m.what))
                    : shown_to_users(r)
                        ? tr("{} in an article published to users: remove it", tr(m.what))
                        : tr("{} in free text: keep personal data in the reporter/requester field",
                             tr(m.what));
                sink().push_back(
                    {m.secret || shown_to_users(r) ? Severity::error : Severity::warning,
                     Diagnostic{path, line, column, pointer, std::move(why)}});
            }
        }
    }

    // A published article for users: any personal data in it reaches every reader.
    static bool shown_to_users(const Record& r) {
        return r.kind() == RecordKind::article && r.field("audience") == "users" &&
               workflow_of(r.kind()).in(StatusGroup::published, r.status());
    }

    void check_confidentiality(const Record& r, const std::string& path) {
        scan(r, path, r.doc(), "", "");
    }

  private:
    std::vector<CheckFinding>& sink() { return *findings_; }
    void add(Severity severity, const std::string& file, const Node* at, std::string pointer,
             std::string message) {
        add_finding(sink(), severity, file, at, std::move(pointer), std::move(message));
    }
    void add_all(const std::vector<Diagnostic>& diagnostics, const std::string& file,
                 const std::string& fallback) {
        add_errors(sink(), diagnostics, file, fallback);
    }

    const Snapshot& snapshot_;
    const Settings* settings_;
    const Team* team_;
    const ServiceCatalog* services_;
    std::vector<CheckFinding>* findings_ = nullptr;
};

} // namespace

void add_finding(std::vector<CheckFinding>& findings, Severity severity, const std::string& file,
                 const Node* at, std::string pointer, std::string message) {
    findings.push_back({severity, Diagnostic{file, at ? at->line() : 1, at ? at->column() : 1,
                                             std::move(pointer), std::move(message)}});
}

void add_errors(std::vector<CheckFinding>& findings, const std::vector<Diagnostic>& diagnostics,
                const std::string& file, const std::string& fallback) {
    if (diagnostics.empty())
        findings.push_back({Severity::error, Diagnostic{file, 1, 1, "", fallback}});
    for (const auto& d : diagnostics)
        findings.push_back({Severity::error, d});
}

RecordVerdict check_record(const Snapshot& snapshot, const StoreSettings& store, RecordKind kind,
                           const std::string& path) {
    return RecordChecks(snapshot, store).examine(kind, path);
}

} // namespace opsflow
