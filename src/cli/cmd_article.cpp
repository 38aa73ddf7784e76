// opsflow article VERB ...: the knowledge base for user support (SPEC §11).
#include "cli.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/work/article.hpp"
#include "output.hpp"
#include "record_view.hpp"
#include "value_labels.hpp"

#include <fmt/format.h>
#include <iostream>

namespace opsflow::cli {

namespace {

const std::string& article_id_help() {
    static const std::string help = tr("Article ID or unambiguous prefix");
    return help;
}

void register_new(CLI::App* group, Cli& state) {
    struct N {
        std::string title, from, audience = "staff", body, service, category;
        bool edit = false;
        MutationOptions m;
    };
    auto n = std::make_shared<N>();
    auto* create = verb<N>(
        group, state, "new",
        tr("Draft an article, from a ticket, incident or problem (prints the new ID)"),
        "opsflow article new '如何重置 VPN 密码' --from TKT-5b2e0c1d --audience users --edit", n,
        [](Cli& cli, CLI::App* cmd, N& o) {
            NewArticle req;
            req.title = o.title;
            req.from = given(cmd, "--from", o.from);
            req.audience = o.audience == "users" ? Audience::users : Audience::staff;
            if (auto body = given(cmd, "--body", o.body)) req.body = text_argument(*body);
            req.service = given(cmd, "--service", o.service);
            req.category = given(cmd, "--category", o.category);
            if (o.edit)
                req.edit = [](const std::string& draft) { return edit_text("article", draft); };
            req.at = cli.time_option(o.m.at, "--at");
            auto ctx = cli.context(o.m);
            std::cout << write_article(ctx, req).record.id() << '\n';
        });
    create->add_option("TITLE", n->title, tr("The article's title"))->required();
    create->add_option("--from", n->from,
                       tr("Start from a ticket's question and answer, or an incident's or "
                          "problem's cause and fix (TKT-, INC-, PRB-)"));
    create
        ->add_option("--audience", n->audience,
                     tr("users (may be sent to users) or staff (never sent; the default)"))
        ->check(CLI::IsMember({"users", "staff"}));
    create->add_option("--body", n->body, tr("The text (Markdown); - reads standard input"));
    create->add_option("--service", n->service, tr("The service it is about"));
    create->add_option("--category", n->category, tr("Its category"));
    create->add_flag("--edit", n->edit, tr("Write or finish the text in $VISUAL/$EDITOR"));
    add_mutation_options(*create, n->m);
}

void register_steps(CLI::App* group, Cli& state) {
    auto publish = std::make_shared<IdAndMutation>();
    change_verb<IdAndMutation>(
        group, state, "publish", tr("Publish a draft for its audience"),
        "opsflow article publish 2c4e", publish,
        [](Cli& cli, CLI::App*, IdAndMutation& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, publish_article(ctx, o.id, cli.time_option(o.m.at, "--at")));
        },
        article_id_help());

    struct T : IdAndMutation {
        std::string text;
    };
    auto retire = std::make_shared<T>();
    change_verb<T>(
        group, state, "retire", tr("Retire an article that no longer holds (final)"),
        "opsflow article retire 2c4e --reason '已升级到新版客户端'", retire,
        [](Cli& cli, CLI::App* cmd, T& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, retire_article(ctx, o.id, given(cmd, "--reason", o.text),
                                             cli.time_option(o.m.at, "--at")));
        },
        article_id_help(),
        [&](CLI::App& command, T& o) { command.add_option("--reason", o.text, tr("Why")); });
}

} // namespace

void register_article_commands(CLI::App& app, Cli& state) {
    auto* group = app.add_subcommand(
        "article", tr("Knowledge articles: answers written once, for users or for staff"));
    group->require_subcommand(1);
    group->footer(tr("Lifecycle:") + " draft -> published -> retired\n" + tr("Example:") +
                  "\n  kb=$(opsflow article new 'Reset your VPN password' --from TKT-5b2e0c1d "
                  "--audience users)\n"
                  "  opsflow article publish $kb; opsflow ticket answer TKT-... --article $kb");
    register_new(group, state);
    register_steps(group, state);
    register_note_verb(group, state, RecordKind::article, "opsflow article note 2c4e '截图已更新'");
    register_show_verb(group, state, RecordKind::article, tr("Show one article"),
                       "opsflow article show 2c4e", render_article);
    register_status_list_verb(
        group, state, RecordKind::article, tr("List articles"),
        "opsflow article list --status published", list_articles,
        {{tr("ID"), [](const Record& r) { return r.id(); }},
         {tr("STATUS"), [](const Record& r) { return tr(r.status()); }},
         {tr("AUDIENCE"), [](const Record& r) { return value_label(r.field("audience")); }},
         {tr("SOURCE"), [](const Record& r) { return r.field("source"); }},
         {tr("TITLE"), [](const Record& r) { return r.field("title"); }}});
}

} // namespace opsflow::cli
