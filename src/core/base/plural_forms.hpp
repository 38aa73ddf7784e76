#pragma once
// The Plural-Forms of a gettext catalogue (core-internal): `nplurals=N; plural=EXPR;`,
// EXPR in the C subset the gettext manual allows ("Plural forms"): n, unsigned
// numbers, ! * / % + - < <= > >= == != && || ?: and parentheses, evaluated in
// unsigned long arithmetic as GNU gettext evaluates it. A header opsflow does not
// understand is refused, never read as two forms chosen by n != 1.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

class PluralForms {
  public:
    // What GNU gettext assumes of a catalogue without Plural-Forms: English's two forms.
    PluralForms();

    // Reads a Plural-Forms value. Throws InvalidDataError, saying why, unless nplurals is
    // a number from 1 to max_plural_forms and plural= an expression that, for every n of
    // a test range, chooses a form below nplurals without dividing by zero.
    static PluralForms parse(std::string_view value);

    unsigned long count() const { return count_; }
    // The form for `n`; nothing if the expression divides by zero for it.
    std::optional<unsigned long> form(unsigned long n) const;

  private:
    enum class Op : unsigned char {
        n,
        number,
        negate,
        multiply,
        divide,
        modulo,
        add,
        subtract,
        less,
        less_equal,
        greater,
        greater_equal,
        equal,
        not_equal,
        both,
        either,
        choose
    };
    struct Node {
        Op op;
        unsigned long value = 0;
        int a = -1, b = -1, c = -1; // operands, as indices in nodes_
    };
    std::optional<unsigned long> eval(int node, unsigned long n) const;
    friend class PluralParser;

    unsigned long count_ = 2;
    std::vector<Node> nodes_;
    int root_ = -1;
};

inline constexpr unsigned long max_plural_forms = 100;

} // namespace opsflow
