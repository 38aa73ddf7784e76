// The tables the rest of the code derives from (workflows, the shared vocabulary) agree
// with the schemas that validate records and settings, and with themselves.
#include "opsflow/base/id.hpp"
#include "opsflow/base/vocabulary.hpp"
#include "opsflow/record/notify_config.hpp"
#include "opsflow/record/schema.hpp"
#include "opsflow/record/workflow.hpp"
#include "opsflow/report/report.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <set>

using namespace opsflow;

namespace {

nlohmann::json schema_of(std::string_view name) {
    return nlohmann::json::parse(schema_text(std::string(name)));
}

std::vector<std::string> enum_at(const nlohmann::json& schema, const std::string& pointer) {
    return schema.at(nlohmann::json::json_pointer(pointer))
        .at("enum")
        .get<std::vector<std::string>>();
}

template <class Words> std::vector<std::string> strings(const Words& words) {
    return {words.begin(), words.end()};
}

std::set<std::string> set_of(const std::vector<std::string_view>& words) {
    return {words.begin(), words.end()};
}

} // namespace

TEST_CASE("each kind's schema lists exactly its workflow's statuses, in the table's order") {
    for (const auto& info : all_kinds()) {
        CAPTURE(info.name);
        CHECK(enum_at(schema_of(info.schema), "/properties/status") ==
              as_strings(workflow_of(info.kind).statuses));
    }
}

TEST_CASE("the schemas spell channels, levels and priorities as the vocabulary does") {
    auto incident = schema_of("incident"), ticket = schema_of("ticket");
    auto settings = schema_of("opsflow");
    const auto channels = strings(vocabulary::channels);
    const auto levels = strings(vocabulary::levels);
    const auto priorities = strings(vocabulary::priorities);
    CHECK(enum_at(incident, "/properties/channel") == channels);
    CHECK(enum_at(ticket, "/properties/channel") == channels);
    CHECK(enum_at(settings, "/properties/mail/properties/routes/items/properties/channel") ==
          channels);
    CHECK(enum_at(incident, "/properties/impact") == levels);
    CHECK(enum_at(incident, "/properties/urgency") == levels);
    CHECK(enum_at(settings, "/properties/mail/properties/routes/items/properties/impact") ==
          levels);
    CHECK(enum_at(settings, "/properties/mail/properties/routes/items/properties/urgency") ==
          levels);
    CHECK(enum_at(incident, "/properties/priority") == priorities);
    CHECK(enum_at(settings, "/definitions/priority") == priorities);
}

TEST_CASE("the schemas name the transports as the transport table does") {
    std::vector<std::string> names;
    for (const auto& [transport, name] : transport_names) {
        names.emplace_back(name);
        CHECK(transport_named(name) == std::optional<Transport>(transport));
        CHECK(transport_name(transport) == name);
    }
    CHECK(enum_at(schema_of("opsflow"), "/properties/notify/properties/transport") == names);
    for (const char* kind : {"incident", "ticket", "maintenance"}) {
        CAPTURE(kind);
        CHECK(enum_at(schema_of(kind), "/definitions/notice/properties/transport") == names);
    }
    CHECK_FALSE(transport_named("carrier-pigeon"));
}

TEST_CASE("a maintenance's results are the statuses `done` may set; metrics as the report has") {
    CHECK(enum_at(schema_of("maintenance"), "/properties/result") ==
          as_strings(workflow_of(RecordKind::maintenance).targets("done")));
    CHECK(enum_at(schema_of("improvement"), "/properties/metric") == metric_names());
}

TEST_CASE("every name a workflow table uses is one of its statuses") {
    for (const auto& info : all_kinds()) {
        CAPTURE(info.name);
        const Workflow& w = workflow_of(info.kind);
        const auto statuses = set_of(w.statuses);
        auto known = [&](std::string_view status) { return statuses.count(std::string(status)); };
        for (auto status : w.statuses) {
            CAPTURE(status);
            CHECK(w.tones.count(status) == 1);
            CHECK(w.status_hints.count(status) == 1);
        }
        for (auto status : w.final_statuses)
            CHECK(known(status));
        for (const auto& group : w.groups)
            for (auto status : group.second)
                CHECK(known(status));
        for (const auto& requirement : w.requirements)
            for (auto status : requirement.statuses)
                CHECK(known(status));
        for (const auto& entry : w.steps) {
            const std::string_view verb = entry.first;
            const Step& step = entry.second;
            CAPTURE(verb);
            for (auto status : step.from)
                CHECK(known(status));
            for (auto status : step.to)
                CHECK(known(status));
            for (auto status : step.moves_from)
                CHECK(std::find(step.from.begin(), step.from.end(), status) != step.from.end());
            for (const auto& outcome : step.outcomes)
                CHECK(std::find(step.to.begin(), step.to.end(), outcome.second) != step.to.end());
            // A step that sets one of several statuses says which outcome picks which,
            // unless what it sets is data it is given (a result, the status before a hold).
            if (step.kind == Step::Kind::governed && step.to.size() == 1)
                CHECK(w.target(verb) == step.to.front());
        }
        CHECK(known(w.initial_status()));
    }
}

TEST_CASE("a step's target comes from its table; an outcome it does not know is a bug") {
    const Workflow& incidents = workflow_of(RecordKind::incident);
    CHECK(incidents.target("fix") == "resolved");
    CHECK(incidents.target("verify", "passed") == "verified");
    CHECK(incidents.target("verify", "failed") == "diagnosing");
    CHECK(incidents.target("reopen", "unassigned") == "new");
    CHECK(incidents.target("resume", "diagnosing") == "diagnosing");
    CHECK_THROWS_AS(incidents.target("verify"), std::logic_error);
    CHECK_THROWS_AS(incidents.target("resume", "closed"), std::logic_error);
    // assign moves a new incident on and leaves one being diagnosed where it is.
    CHECK(incidents.moves("assign", "new"));
    CHECK_FALSE(incidents.moves("assign", "diagnosing"));
    CHECK_FALSE(incidents.moves("note", "new"));
    const Workflow& tickets = workflow_of(RecordKind::ticket);
    CHECK(tickets.moves("reply", "closed"));
    CHECK_FALSE(tickets.moves("reply", "new"));
    CHECK(tickets.initial_status() == "new");
    CHECK(workflow_of(RecordKind::maintenance).initial_status() == "planned");
    CHECK(incidents.in(StatusGroup::unresolved, "on_hold"));
    CHECK_FALSE(incidents.in(StatusGroup::unresolved, "resolved"));
    CHECK(tickets.in(StatusGroup::surveyable, "answered"));
}
