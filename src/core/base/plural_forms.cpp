#include "base/plural_forms.hpp"

#include "opsflow/base/error.hpp"

#include <cctype>
#include <fmt/format.h>
#include <limits>

namespace opsflow {

namespace {

constexpr std::size_t max_expression = 1000; // characters: keeps evaluation's recursion shallow
constexpr int max_nesting = 100;             // parentheses, ?: and ! within one another

// The n a catalogue's expression is tried with before it is accepted: every residue
// that the rules of real languages test (n % 10, n % 100, n % 1000), and large values.
std::vector<unsigned long> trial_values() {
    std::vector<unsigned long> out;
    for (unsigned long n = 0; n <= 1100; ++n)
        out.push_back(n);
    for (unsigned long n :
         {10001ul, 100000ul, 1000000ul, 4294967295ul, std::numeric_limits<unsigned long>::max()})
        out.push_back(n);
    return out;
}

} // namespace

// Recursive descent over C's precedence levels, lowest first: ?:, ||, &&, == !=,
// < <= > >=, + -, * / %, then !, n, numbers and parentheses.
class PluralParser {
  public:
    using Op = PluralForms::Op;
    PluralParser(std::string_view text, PluralForms& out) : text_(text), out_(out) {}

    // The root node; nothing if `text` is not such an expression.
    std::optional<int> parse() {
        int root = conditional();
        skip_space();
        if (failed_ || at_ != text_.size()) return std::nullopt;
        return root;
    }

  private:
    struct Level {
        std::string_view token;
        Op op;
    };

    int conditional() {
        if (++depth_ > max_nesting) return fail();
        int condition = binary(0);
        skip_space();
        if (!failed_ && take("?")) {
            int yes = conditional();
            skip_space();
            if (!take(":")) return fail();
            int no = conditional();
            condition = add(Op::choose, condition, yes, no);
        }
        --depth_;
        return condition;
    }

    int binary(std::size_t level) {
        static const std::vector<std::vector<Level>> levels = {
            {{"||", Op::either}},
            {{"&&", Op::both}},
            {{"==", Op::equal}, {"!=", Op::not_equal}},
            {{"<=", Op::less_equal},
             {">=", Op::greater_equal},
             {"<", Op::less},
             {">", Op::greater}},
            {{"+", Op::add}, {"-", Op::subtract}},
            {{"*", Op::multiply}, {"/", Op::divide}, {"%", Op::modulo}},
        };
        if (level == levels.size()) return unary();
        int left = binary(level + 1);
        for (;;) {
            skip_space();
            if (failed_) return left;
            const Level* found = nullptr;
            for (const auto& candidate : levels[level])
                if (text_.substr(at_).starts_with(candidate.token)) {
                    found = &candidate;
                    break;
                }
            // `|` and `&` alone, `=` alone: not C's operators here.
            if (!found) return left;
            at_ += found->token.size();
            int right = binary(level + 1);
            left = add(found->op, left, right);
        }
    }

    int unary() {
        skip_space();
        if (failed_ || at_ == text_.size()) return fail();
        char c = text_[at_];
        if (c == '!') {
            ++at_;
            if (++depth_ > max_nesting) return fail();
            int operand = unary();
            --depth_;
            return add(Op::negate, operand);
        }
        if (c == '(') {
            ++at_;
            int inner = conditional();
            skip_space();
            if (!take(")")) return fail();
            return inner;
        }
        if (c == 'n') {
            ++at_;
            return add(Op::n);
        }
        if (std::isdigit(static_cast<unsigned char>(c))) {
            unsigned long value = 0;
            for (; at_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[at_]));
                 ++at_) {
                auto digit = static_cast<unsigned long>(text_[at_] - '0');
                if (value > (std::numeric_limits<unsigned long>::max() - digit) / 10) return fail();
                value = value * 10 + digit;
            }
            int node = add(Op::number);
            if (!failed_) out_.nodes_[static_cast<std::size_t>(node)].value = value;
            return node;
        }
        return fail();
    }

    int add(Op op, int a = -1, int b = -1, int c = -1) {
        if (failed_) return -1;
        out_.nodes_.push_back({op, 0, a, b, c});
        return static_cast<int>(out_.nodes_.size() - 1);
    }
    bool take(std::string_view token) {
        if (!text_.substr(at_).starts_with(token)) return false;
        at_ += token.size();
        return true;
    }
    void skip_space() {
        while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_])))
            ++at_;
    }
    int fail() {
        failed_ = true;
        return -1;
    }

    std::string_view text_;
    PluralForms& out_;
    std::size_t at_ = 0;
    int depth_ = 0;
    bool failed_ = false;
};

PluralForms::PluralForms() {
    // nplurals=2; plural=n != 1;
    nodes_ = {{Op::n, 0}, {Op::number, 1}, {Op::not_equal, 0, 0, 1}};
    root_ = 2;
}

// The reasons are English: a catalogue refused cannot translate its own refusal, and
// tr() while a catalogue is being read would ask for that catalogue again.
PluralForms PluralForms::parse(std::string_view value) {
    const std::string shown(value.substr(0, 200));
    // `nplurals=N`, then `plural=EXPR` up to the `;` that ends it (or the end).
    auto key = [&](std::string_view name) -> std::optional<std::size_t> {
        for (std::size_t at = value.find(name); at != std::string_view::npos;
             at = value.find(name, at + 1)) {
            if (at > 0 && std::isalpha(static_cast<unsigned char>(value[at - 1]))) continue;
            std::size_t after = at + name.size();
            while (after < value.size() && value[after] == ' ')
                ++after;
            if (after < value.size() && value[after] == '=') return after + 1;
        }
        return std::nullopt;
    };
    PluralForms forms;
    auto count_at = key("nplurals");
    unsigned long count = 0;
    if (count_at) {
        std::size_t at = *count_at;
        while (at < value.size() && value[at] == ' ')
            ++at;
        std::size_t digits = 0;
        for (;
             at < value.size() && std::isdigit(static_cast<unsigned char>(value[at])) && digits < 4;
             ++at, ++digits)
            count = count * 10 + static_cast<unsigned long>(value[at] - '0');
        if (digits == 0) count = 0;
    }
    if (count < 1 || count > max_plural_forms)
        throw InvalidDataError(fmt::format("its Plural-Forms '{}' has no nplurals from 1 to {}",
                                           shown, max_plural_forms));
    forms.count_ = count;

    auto expression_at = key("plural");
    std::string_view expression;
    if (expression_at) {
        expression = value.substr(*expression_at);
        expression = expression.substr(0, expression.find(';'));
    }
    forms.nodes_.clear();
    PluralParser parser(expression, forms);
    auto root = expression.size() <= max_expression && expression_at ? parser.parse()
                                                                     : std::optional<int>();
    if (!root)
        throw InvalidDataError(fmt::format(
            "its Plural-Forms '{}' has no plural= expression that gettext allows", shown));
    forms.root_ = *root;
    for (unsigned long n : trial_values()) {
        auto form = forms.form(n);
        if (!form)
            throw InvalidDataError(
                fmt::format("its Plural-Forms '{}' divides by zero for n = {}", shown, n));
        if (*form >= count)
            throw InvalidDataError(
                fmt::format("its Plural-Forms '{}' chooses form {} for n = {}, but "
                            "nplurals is {}",
                            shown, *form, n, count));
    }
    return forms;
}

std::optional<unsigned long> PluralForms::form(unsigned long n) const {
    return eval(root_, n);
}

std::optional<unsigned long> PluralForms::eval(int index, unsigned long n) const {
    const Node& node = nodes_[static_cast<std::size_t>(index)];
    switch (node.op) {
    case Op::n:
        return n;
    case Op::number:
        return node.value;
    case Op::negate: {
        auto v = eval(node.a, n);
        if (!v) return std::nullopt;
        return *v == 0 ? 1ul : 0ul;
    }
    case Op::choose: {
        auto condition = eval(node.a, n);
        if (!condition) return std::nullopt;
        return eval(*condition != 0 ? node.b : node.c, n);
    }
    case Op::both: {
        auto left = eval(node.a, n);
        if (!left || *left == 0) return left ? std::optional<unsigned long>(0) : std::nullopt;
        auto right = eval(node.b, n);
        if (!right) return std::nullopt;
        return *right != 0 ? 1ul : 0ul;
    }
    case Op::either: {
        auto left = eval(node.a, n);
        if (!left) return std::nullopt;
        if (*left != 0) return 1ul;
        auto right = eval(node.b, n);
        if (!right) return std::nullopt;
        return *right != 0 ? 1ul : 0ul;
    }
    default:
        break;
    }
    auto left = eval(node.a, n), right = eval(node.b, n);
    if (!left || !right) return std::nullopt;
    unsigned long l = *left, r = *right;
    switch (node.op) {
    case Op::multiply:
        return l * r;
    case Op::divide:
        return r == 0 ? std::nullopt : std::optional<unsigned long>(l / r);
    case Op::modulo:
        return r == 0 ? std::nullopt : std::optional<unsigned long>(l % r);
    case Op::add:
        return l + r;
    case Op::subtract:
        return l - r;
    case Op::less:
        return l < r ? 1ul : 0ul;
    case Op::less_equal:
        return l <= r ? 1ul : 0ul;
    case Op::greater:
        return l > r ? 1ul : 0ul;
    case Op::greater_equal:
        return l >= r ? 1ul : 0ul;
    case Op::equal:
        return l == r ? 1ul : 0ul;
    case Op::not_equal:
        return l != r ? 1ul : 0ul;
    default:
        return std::nullopt;
    }
}

} // namespace opsflow
