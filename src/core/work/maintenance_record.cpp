// What a window records as the work goes (SPEC §12): its numbered task steps ticked one
// by one, and on `done` a dated entry in each affected service's maintenance document
// (services.yaml `docs:`), written in the same commit as the record.
#include "opsflow/base/error.hpp"
#include "opsflow/base/files.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/record/catalog.hpp"
#include "opsflow/record/workflow.hpp"
#include "opsflow/work/maintenance.hpp"
#include "opsflow/work/workflow_step.hpp"
#include "work/maintenance_window.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <sstream>

namespace opsflow {

namespace fs = std::filesystem;
using namespace window;

namespace {

constexpr auto kind = RecordKind::maintenance;

bool task_done(const Node& task) {
    return task.is_map() && task.find("done") != nullptr;
}

std::string task_text(const Node& task) {
    return task.is_map() ? task.get("text").value_or("") : task.text();
}

// The steps not ticked, numbered from 1.
std::vector<std::size_t> open_steps(const Record& r) {
    std::vector<std::size_t> open;
    if (const Node* tasks = r.doc().find("tasks"))
        for (std::size_t i = 0; i < tasks->items().size(); ++i)
            if (!task_done(tasks->items()[i])) open.push_back(i + 1);
    return open;
}

std::string local_minute(const Store& store, Timestamp t) {
    return format_rfc3339(t, store.settings().zone).substr(0, 16).replace(10, 1, " ");
}

// A document's text, if it exists. Its path (checked by the services schema: relative,
// no `..`) must not lead out of the store through a link: each directory on the way and
// the file itself are what they seem.
std::optional<std::string> read_text(const fs::path& root, const std::string& relative) {
    fs::path file = root;
    for (const auto& part : fs::path(relative).parent_path()) {
        file /= part;
        std::error_code ec;
        auto type = fs::symlink_status(file, ec).type();
        if (type == fs::file_type::not_found) break;
        if (type != fs::file_type::directory)
            throw InvalidDataError(tr("services.yaml: docs: {}: {} is not a directory", relative,
                                      file.lexically_relative(root).string()));
    }
    file = root / relative;
    std::error_code ec;
    auto status = fs::symlink_status(file, ec);
    if (ec || status.type() == fs::file_type::not_found) return std::nullopt;
    if (status.type() != fs::file_type::regular)
        throw InvalidDataError(
            tr("services.yaml: docs: {} is not a regular file; a service's document must be one",
               relative));
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The entry `done` appends to a service's document, in the store's language.
std::string docs_entry(const Context& ctx, const Record& r, const std::string& result,
                       const std::string& notes, const std::optional<std::string>& docs,
                       Timestamp when) {
    LanguageScope language(ctx.store.settings().language);
    std::string out = fmt::format("\n## {} {} {}: {}\n\n", local_minute(ctx.store, when), r.id(),
                                  tr(result), r.field("title"));
    if (!r.field("series").empty())
        out += tr("- Occurrence {} of the series {}\n",
                  local_minute(ctx.store, field_time(r, "occurrence")), r.field("series"));
    out += tr(
        "- Window: {} – {}; carried out {} – {}\n", local_minute(ctx.store, field_time(r, "start")),
        local_minute(ctx.store, field_time(r, "end")),
        local_minute(ctx.store, field_time(r, "actual_start")), local_minute(ctx.store, when));
    out += tr("- What was done: {}\n", notes);
    if (docs) out += tr("- Documentation changed: {}\n", *docs);
    return out;
}

} // namespace

std::string service_docs_path(const Store& store, const std::string& service) {
    const Service* s = store.services().find(service);
    return s ? s->docs : std::string();
}

ServiceDocs service_docs(const Store& store, const std::string& service) {
    require_service(store.services(), service);
    ServiceDocs out;
    out.path = service_docs_path(store, service);
    if (out.path.empty())
        throw NotFoundError(tr("service {} names no document: add `docs: docs/services/{}.md` to "
                               "it in services.yaml",
                               service, service));
    out.exists = read_text(store.root(), out.path).has_value();
    if (auto git = store.git()) {
        std::istringstream log(git->log({"--format=%h%x09%aI%x09%an%x09%s", "--", out.path}));
        for (std::string line; std::getline(log, line);) {
            std::vector<std::string> parts;
            std::istringstream fields(line);
            for (std::string part; std::getline(fields, part, '\t');)
                parts.push_back(part);
            if (parts.size() < 4) continue;
            out.history.push_back(
                {parts[1].substr(0, 16).replace(10, 1, " "), parts[0], parts[2], parts[3]});
        }
    }
    return out;
}

Change finish_maintenance(Context& ctx, std::string_view id, const MaintenanceFinish& req,
                          std::optional<Timestamp> at) {
    require_known("result", req.result, as_strings(workflow_of(kind).targets("done")));
    std::string target = acting_window(ctx.store, id, "done", req.occurrence);
    return apply_step(ctx, kind, target, "done", at, [&](Record& r, Node& event, Timestamp when) {
        if (!req.notes || req.notes->empty())
            throw RefusedError(
                tr("cannot finish {}: a finished window records what was done and which documents "
                   "were updated (SPEC §1 step 2.4; `opsflow check` requires it); add --notes TEXT",
                   r.id()));
        auto open = open_steps(r);
        if (!open.empty() && !req.skip_tasks)
            throw RefusedError(tr("cannot finish {}: step(s) {} of its tasks are not ticked (run: "
                                  "opsflow maint task {} {} --done), or give --skip-tasks REASON",
                                  r.id(), fmt::format("{}", fmt::join(open, ", ")), r.id(),
                                  open.front()));
        enter_status(r, event, req.result);
        set_field(r, event, "result", Node::string(req.result));
        set_field(r, event, "actual_end", Node::string(stamp(ctx, when)));
        set_field(r, event, "notes", Node::string(*req.notes));
        if (!open.empty()) set_field(r, event, "tasks_skipped", Node::string(*req.skip_tasks));
        ChangeSummary summary{"done", {}};
        Node docs = Node::sequence();
        for (const auto& service : services_of(r)) {
            std::string relative = service_docs_path(ctx.store, service);
            if (relative.empty()) continue;
            auto previous = read_text(ctx.store.root(), relative);
            std::string text = previous.value_or(
                tr("# {}: maintenance record\n", ctx.store.services().find(service)->name));
            if (!text.empty() && text.back() != '\n') text += '\n';
            text += docs_entry(ctx, r, req.result, *req.notes, req.docs, when);
            summary.rewritten_files.push_back({relative, std::move(text), previous});
            docs.push_back(Node::string(relative));
        }
        // Empty when no service names a document: `check` knows the window was finished
        // by a version that keeps them.
        const bool appended = !docs.items().empty();
        set_field(r, event, "docs", docs);
        if (!appended && req.docs) event.set("docs_changed", Node::string(*req.docs));
        bool overrun = when > field_time(r, "end");
        // The result as the operator reads it: `completed` is a status name (tr).
        auto said = [&](std::string_view text) {
            return Phrase(fmt::format(fmt::runtime(text), req.result), tr(text, tr(req.result)));
        };
        summary.description =
            overrun ? said(N_("done: {} (overran its window)")) : said(N_("done: {}"));
        if (appended)
            summary.description +=
                phrase("; {} document(s) updated", r.doc().find("docs")->items().size());
        return summary;
    });
}

Change tick_task(Context& ctx, std::string_view id, const std::optional<OccurrenceRef>& occurrence,
                 std::size_t step, const std::optional<std::string>& note,
                 std::optional<Timestamp> at) {
    std::string target = acting_window(ctx.store, id, "task", occurrence);
    return apply_step(ctx, kind, target, "task", at, [&](Record& r, Node& event, Timestamp when) {
        const Node* tasks = r.doc().find("tasks");
        std::size_t count = tasks ? tasks->items().size() : 0;
        if (step < 1 || step > count)
            throw UsageError(count == 0 ? tr("{} has no task steps", r.id())
                                        : tr("step {}: {} has steps 1 to {}", step, r.id(), count));
        Node list = *tasks;
        Node& task = list.items()[step - 1];
        if (task_done(task))
            throw RefusedError(tr("cannot tick step {} of {}: it was ticked at {}", step, r.id(),
                                  task.get("done").value_or("?")));
        Node ticked = Node::map();
        ticked.set("text", Node::string(task_text(task)));
        ticked.set("done", Node::string(stamp(ctx, when)));
        ticked.set("by", Node::string(ctx.actor.id));
        if (note && !note->empty()) ticked.set("note", Node::string(*note));
        task = std::move(ticked);
        event.set("step", Node::integer(static_cast<std::int64_t>(step)));
        set_field(r, event, "tasks", list);
        return ChangeSummary{"task", phrase("step {} done: {}", step, task_text(task))};
    });
}

} // namespace opsflow
