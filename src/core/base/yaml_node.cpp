#include "opsflow/base/yaml.hpp"

#include <charconv>

namespace opsflow {

Node Node::null() {
    return Node{};
}

Node Node::scalar(std::string text, ScalarKind kind) {
    Node n;
    n.type_ = Type::scalar;
    n.kind_ = kind;
    n.text_ = std::move(text);
    return n;
}

Node Node::string(std::string text) {
    return scalar(std::move(text), ScalarKind::string);
}
Node Node::integer(std::int64_t value) {
    return scalar(std::to_string(value), ScalarKind::integer);
}
Node Node::boolean(bool value) {
    return scalar(value ? "true" : "false", ScalarKind::boolean);
}

Node Node::sequence() {
    Node n;
    n.type_ = Type::sequence;
    return n;
}

Node Node::map() {
    Node n;
    n.type_ = Type::map;
    return n;
}

const Node* Node::find(std::string_view key) const {
    for (const auto& [k, v] : entries_)
        if (k == key) return &v;
    return nullptr;
}

Node* Node::find(std::string_view key) {
    for (auto& [k, v] : entries_)
        if (k == key) return &v;
    return nullptr;
}

Node& Node::set(std::string_view key, Node value) {
    if (Node* existing = find(key)) {
        *existing = std::move(value);
        return *existing;
    }
    entries_.emplace_back(std::string(key), std::move(value));
    return entries_.back().second;
}

void Node::erase(std::string_view key) {
    std::erase_if(entries_, [&](const Entry& e) { return e.first == key; });
}

std::optional<std::string> Node::get(std::string_view key) const {
    const Node* n = find(key);
    if (!n || !n->is_scalar() || n->is_null()) return std::nullopt;
    return n->text();
}

const Node* Node::at_pointer(std::string_view pointer) const {
    const Node* current = this;
    while (!pointer.empty() && current) {
        if (pointer.front() != '/') return nullptr;
        pointer.remove_prefix(1);
        auto slash = pointer.find('/');
        std::string token(pointer.substr(0, slash));
        pointer = slash == std::string_view::npos ? std::string_view{} : pointer.substr(slash);
        if (current->is_map()) {
            current = current->find(token);
        } else if (current->is_sequence()) {
            std::size_t index = 0;
            auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
            if (ec != std::errc{} || index >= current->items_.size()) return nullptr;
            current = &current->items_[index];
        } else {
            return nullptr;
        }
    }
    return current;
}

bool Node::operator==(const Node& other) const {
    // `~`, `null` and an empty value are the same null.
    bool same_scalar = kind_ == other.kind_ && (kind_ == ScalarKind::null || text_ == other.text_);
    return type_ == other.type_ && same_scalar && items_ == other.items_ &&
           entries_ == other.entries_;
}

} // namespace opsflow
