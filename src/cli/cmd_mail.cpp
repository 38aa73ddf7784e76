// opsflow mail receive | fetch: email intake (SPEC §9).
#include "cli.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/mail/mail_fetch.hpp"
#include "output.hpp"
#include "similar_view.hpp"

#include <fmt/format.h>
#include <iostream>
#include <iterator>

namespace opsflow::cli {

namespace {

// Standard input, refused (MailDataError, with its real size) when it is over `max`
// bytes: what is over is read to its end but not kept.
std::string read_stdin(const Store& store, std::size_t max) {
    std::string data;
    std::size_t size = 0;
    char buffer[65536];
    while (std::cin.read(buffer, sizeof buffer).gcount() > 0) {
        auto n = static_cast<std::size_t>(std::cin.gcount());
        size += n;
        if (size <= max) data.append(buffer, n);
    }
    require_mail_size(store, size);
    return data;
}

nlohmann::ordered_json text_or_null(const std::string& text) {
    return text.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(text);
}

nlohmann::ordered_json receipt_json(const MailReceipt& r) {
    return {{"action", r.action},
            {"kind", kind_info(r.kind).name},
            {"id", r.id},
            {"message_id", r.message_id},
            {"from", r.from},
            {"automatic", text_or_null(r.automatic)},
            {"acknowledged", r.action == "created" || r.action == "linked"
                                 ? nlohmann::ordered_json(r.no_ack.english.empty())
                                 : nlohmann::ordered_json()},
            {"archive", text_or_null(r.archive)},
            {"masked", r.masked}};
}

std::string receipt_line(const MailReceipt& r) {
    if (r.action == "duplicate")
        return tr("{}: the message from {} was taken in already; nothing to do", r.id, r.from);
    std::string line = tr("{}: {} from {}", r.id, r.description.local, r.from);
    if (!r.no_ack.english.empty()) line += tr(" (no acknowledgement: {})", r.no_ack.local);
    return line;
}

// A notice that could not be delivered is told, not fatal: the message is committed,
// and a non-zero exit would make the MTA deliver it again.
void warn_deliveries(const MailReceipt& r) {
    if (!r.not_threaded.empty())
        std::cerr << "opsflow: "
                  << tr("warning: {}: the reply could not be added to the record it answers "
                        "({}); it is a new ticket that follows it",
                        r.id, r.not_threaded)
                  << '\n';
    if (!r.masked.empty())
        std::cerr << "opsflow: "
                  << tr("warning: {}: the message held a secret ({}); it is masked in the record "
                        "and the archive",
                        r.id, tr(r.masked.front()))
                  << '\n';
    if (!r.undelivered.empty())
        std::cerr << "opsflow: "
                  << tr("warning: {}: taken in, but its notices could not be delivered ({}); "
                        "retry with: opsflow notices retry {}",
                        r.id, r.undelivered, r.id)
                  << '\n';
    for (const auto& d : r.deliveries)
        if (!d.delivery.ok)
            std::cerr << "opsflow: "
                      << tr("warning: {}: notice {} not delivered ({}); retry with: opsflow "
                            "notices retry {}",
                            r.id, d.message_id, d.delivery.error, r.id)
                      << '\n';
}

} // namespace

void register_mail_commands(CLI::App& app, Cli& state) {
    auto* group =
        app.add_subcommand("mail", tr("Take in email: new tickets and incidents, replies"));
    group->require_subcommand(1);

    struct Receive {
        bool dry_run = false, json = false;
    };
    auto receive = std::make_shared<Receive>();
    auto* command = verb<Receive>(
        group, state, "receive",
        tr("Take in one message from standard input (an MTA pipe, procmail, fetchmail --mda)"),
        "opsflow -C /srv/ops mail receive < message.eml", receive,
        [](Cli& cli, CLI::App*, Receive& o) {
            Store& store = open_store_for_mail([&]() -> Store& { return cli.store(); });
            std::string raw = read_stdin(store, store.settings().mail.max_size);
            auto ctx = cli.context(MutationOptions{});
            MailReceipt r = receive_mail(ctx, raw, o.dry_run);
            if (!o.json)
                cli.confirm(o.dry_run ? tr("dry run: {}", receipt_line(r)) : receipt_line(r));
            // A new record: the settled ones like it, for the operator (never in a notice).
            Suggestions suggestions;
            if (!o.dry_run && r.action == "created")
                suggestions = suggestions_after_change(
                    cli, store.load(r.kind, store.locate(r.kind, r.id)), o.json);
            if (o.json) {
                auto j = receipt_json(r);
                auto lists = suggestions_json(suggestions);
                j["similar"] = lists["similar"];
                j["known_errors"] = lists["known_errors"];
                std::cout << j.dump(2) << '\n';
            }
            warn_deliveries(r);
        });
    command->add_flag("--dry-run", receive->dry_run, tr("Say what would happen; write nothing"));
    command->add_flag("--json", receive->json, tr("Print what happened as JSON"));

    struct Fetch {
        bool dry_run = false, json = false;
        std::size_t limit = 0;
    };
    auto fetch = std::make_shared<Fetch>();
    command = verb<Fetch>(
        group, state, "fetch",
        tr("Take in every new message of mail.maildir or mail.imap; mark each after its commit"),
        "*/2 * * * * opsflow -C /srv/ops -q mail fetch", fetch, [](Cli& cli, CLI::App*, Fetch& o) {
            auto ctx = cli.context(MutationOptions{});
            auto mailbox = configured_mailbox(ctx.store, ctx.environment);
            FetchRequest request{o.dry_run, o.limit ? std::optional(o.limit) : std::nullopt};
            auto all = nlohmann::ordered_json::array();
            std::size_t refused = 0;
            fetch_mail(ctx, *mailbox, request, [&](const FetchedMessage& m) {
                if (!m.receipt) {
                    ++refused;
                    std::cerr << "opsflow: "
                              << tr("{}: refused: {}", strip_controls(m.source), m.refused) << '\n';
                }
                if (o.json) {
                    auto item = m.receipt ? receipt_json(*m.receipt) : nlohmann::ordered_json{};
                    item["source"] = m.source;
                    if (!m.receipt) item["refused"] = m.refused;
                    all.push_back(item);
                } else if (m.receipt) {
                    cli.confirm(o.dry_run ? tr("dry run: {}", receipt_line(*m.receipt))
                                          : receipt_line(*m.receipt));
                    warn_deliveries(*m.receipt);
                }
            });
            if (o.json) std::cout << all.dump(2) << '\n';
            if (refused)
                throw MailDataError(ntr("{} message refused; it stays unread in {}",
                                        "{} messages refused; they stay unread in {}", refused,
                                        refused, mailbox->name()));
        });
    command->add_flag("--dry-run", fetch->dry_run,
                      tr("Say what would happen; write and mark nothing"));
    command->add_option("--limit", fetch->limit, tr("Take in at most N messages"))
        ->check(CLI::PositiveNumber);
    command->add_flag("--json", fetch->json, tr("Print what happened to each message as JSON"));
}

} // namespace opsflow::cli
