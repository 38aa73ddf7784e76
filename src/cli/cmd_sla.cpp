// opsflow sla watch, opsflow notices retry: SLA warnings and notice delivery.
#include "cli.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/parallel.hpp"
#include "opsflow/work/sla_watch.hpp"
#include "output.hpp"

#include <cstdint>
#include <fmt/format.h>
#include <iostream>
#include <optional>

namespace opsflow::cli {

namespace {

// The time left in the table's words (-1d4h, 2h05m, 45m), its formats translated once
// for the whole table: a store with a backlog lists tens of thousands of rows. The
// rows come by deadline, so the last text made is often the next one.
class TimeLeftText {
  public:
    const std::string& operator()(std::chrono::minutes m) {
        auto v = m.count();
        // What the text shows: days and hours past a day, else hours and minutes.
        auto shown = std::abs(v) >= 60 * 24 ? v / 60 * 60 : v;
        if (last_ && *last_ == shown) return text_;
        last_ = shown;
        std::string_view sign = v < 0 ? "-" : "";
        v = std::abs(v);
        if (v >= 60 * 24)
            text_ = fmt::format(fmt::runtime(days_), sign, v / 1440, v % 1440 / 60);
        else if (v >= 60)
            text_ = fmt::format(fmt::runtime(hours_), sign, v / 60, v % 60);
        else
            text_ = fmt::format(fmt::runtime(minutes_), sign, v);
        return text_;
    }

  private:
    std::optional<std::int64_t> last_;
    std::string text_;
    // TRANSLATORS: a time left in the `sla watch` table: a sign, days and hours (-1d4h).
    std::string days_ = tr("{}{}d{}h");
    // TRANSLATORS: hours and minutes (2h05m).
    std::string hours_ = tr("{}{}h{:02}m");
    // TRANSLATORS: minutes (45m).
    std::string minutes_ = tr("{}{}m");
};

// A stage as the table shows it: `respond` (the JSON's value) is the response deadline.
std::string stage_text(std::string_view stage) {
    // TRANSLATORS: the stage column of `sla watch`: the response deadline.
    if (stage == "respond") return tr("respond");
    // TRANSLATORS: the stage column of `sla watch`: the resolution deadline.
    if (stage == "resolve") return tr("resolve");
    return std::string(stage);
}

// The rows of `alerts` from `begin` to `end` added to `table`.
void add_alert_rows(Table& table, const std::vector<SlaAlert>& alerts, std::size_t begin,
                    std::size_t end, const date::time_zone* zone, const std::string& respond,
                    const std::string& resolve, TimeLeftText& left) {
    table.reserve(end - begin, 100);
    // Deadlines come in order, many of them equal (SLA hours from whole-minute
    // reports): each text is made once.
    std::optional<Timestamp> written;
    std::string deadline;
    for (std::size_t k = begin; k < end; ++k) {
        const auto& a = alerts[k];
        if (written != a.deadline) {
            written = a.deadline;
            deadline = format_rfc3339(a.deadline, zone);
            deadline.resize(16); // to the minute
        }
        table.add_row({a.id, a.stage == "respond" ? respond : resolve, deadline, left(a.left),
                       a.priority, a.assignee, a.title},
                      {Color::none, Color::none, Color::none,
                       a.left.count() <= 0 ? Color::red : Color::yellow});
    }
}

// The table of `sla watch`. A backlog is tens of thousands of rows, made in parts on
// every core and then put end to end.
Table alerts_table(const std::vector<SlaAlert>& alerts, const date::time_zone* zone) {
    const std::vector<std::string> headers = {tr("ID"),  tr("STAGE"),    tr("DEADLINE"), tr("LEFT"),
                                              tr("PRI"), tr("ASSIGNEE"), tr("TITLE")};
    const std::string respond = stage_text("respond");
    const std::string resolve = stage_text("resolve");
    const unsigned parts = worker_count(alerts.size(), 4096);
    std::vector<Table> tables(parts, Table(headers));
    std::vector<TimeLeftText> lefts(parts); // their translated formats read here, once
    run_on_threads(parts, [&](unsigned t) {
        add_alert_rows(tables[t], alerts, alerts.size() * t / parts,
                       alerts.size() * (t + 1) / parts, zone, respond, resolve, lefts[t]);
    });
    for (unsigned t = 1; t < parts; ++t)
        tables[0].append_rows(tables[t]);
    return std::move(tables[0]);
}

} // namespace

void register_sla_commands(CLI::App& app, Cli& state) {
    auto* group = app.add_subcommand("sla", tr("SLA deadlines of open incidents"));
    group->require_subcommand(1);
    struct O {
        std::string within = "30m", now;
        bool notify = false, json = false;
    };
    auto opts = std::make_shared<O>();
    auto* command =
        verb<O>(group, state, "watch",
                tr("Open incidents whose response or resolution deadline is within D or past"),
                "*/5 * * * * opsflow -C /srv/ops -q sla watch --within 30m --notify", opts,
                [](Cli& cli, CLI::App*, O& o) {
                    Store& store = cli.store();
                    Timestamp now = *cli.time_option(o.now.empty() ? "now" : o.now, "--now");
                    const SlaAlerts watched =
                        sla_alerts(store, now, parse_duration(o.within, "--within"));
                    const auto& alerts = watched.alerts;
                    warn_skipped(watched.facts.problems);
                    const auto* zone = store.settings().zone;
                    if (o.json) {
                        std::cout << sla_alerts_json(alerts, zone).dump(2) << '\n';
                    } else if (!cli.global.quiet || !o.notify) {
                        if (!alerts.empty())
                            alerts_table(alerts, zone)
                                .render_to(std::cout, cli.color_enabled(), terminal_width());
                    }
                    if (!o.notify) return;
                    MutationOptions m;
                    auto ctx = cli.context(m);
                    for (const auto& run : send_sla_warnings(ctx, alerts)) {
                        print_change(cli, run.change);
                        report_notices(cli, run);
                    }
                });
    command->add_option("--within", opts->within, tr("How far ahead to look (default 30m)"));
    command->add_option("--now", opts->now, tr("The time taken as now"));
    command->add_flag("--notify", opts->notify,
                      tr("Warn the assignee (or the leads) once per incident and stage"));
    command->add_flag("--json", opts->json, tr("Print JSON"));
}

void register_notices_commands(CLI::App& app, Cli& state) {
    auto* group = app.add_subcommand("notices", tr("Notices sent about a record"));
    group->require_subcommand(1);
    struct O {
        std::string id;
        MutationOptions m;
    };
    auto opts = std::make_shared<O>();
    auto* command = verb<O>(
        group, state, "retry", tr("Deliver again the notices of a record whose delivery failed"),
        "opsflow notices retry TKT-5b2e", opts, [](Cli& cli, CLI::App*, O& o) {
            IdQuery q = parse_id_query(o.id);
            if (!q.kind)
                throw UsageError(tr("notices retry needs the full kind prefix, e.g. TKT-5b2e"));
            auto ctx = cli.context(o.m);
            NoticeRun run = retry_notices(ctx, *q.kind, o.id);
            if (run.deliveries.empty())
                cli.confirm(tr("{}: no notice waits for delivery", run.change.record.id()));
            report_notices(cli, run);
        });
    command->add_option("ID", opts->id, tr("The record's ID with its kind prefix"))->required();
}

} // namespace opsflow::cli
