// Let order: dependencies first, cycles reported.
#include "check/checker_impl.hpp"

namespace bia::check {

void Checker::collect_let_refs(const Expr& e, std::vector<std::uint32_t>& out) {
    if (e.kind == ExprKind::name) {
        auto it = values_.find(e.text);
        if (it != values_.end() && it->second.kind == Reference::Kind::let) out.push_back(it->second.index);
    }
    for (const auto& a : e.args) collect_let_refs(a, out);
}

void Checker::order_lets() {
    const std::size_t n = p_.lets.size();
    std::vector<std::vector<std::uint32_t>> deps(n);
    for (std::uint32_t i = 0; i < n; ++i) collect_let_refs(*p_.lets[i].value, deps[i]);
    let_ok_.assign(n, true);
    // Iterative depth-first search: a chain of thousands of lets must not overflow the stack.
    enum : std::uint8_t { white, grey, black };
    std::vector<std::uint8_t> colour(n, white);
    for (std::uint32_t root = 0; root < n; ++root) {
        if (colour[root] != white) continue;
        std::vector<std::pair<std::uint32_t, std::size_t>> stack{{root, 0}};
        colour[root] = grey;
        while (!stack.empty()) {
            auto& [node, next] = stack.back();
            if (next < deps[node].size()) {
                const std::uint32_t dep = deps[node][next++];
                if (colour[dep] == white) {
                    colour[dep] = grey;
                    stack.emplace_back(dep, 0);
                } else if (colour[dep] == grey) {
                    report_cycle(stack, dep);
                }
                continue;
            }
            colour[node] = black;
            p_.let_order.push_back(node);
            stack.pop_back();
        }
    }
}

void Checker::report_cycle(const std::vector<std::pair<std::uint32_t, std::size_t>>& stack, std::uint32_t back_to) {
    std::size_t start = 0;
    while (stack[start].first != back_to) ++start;
    std::string chain;
    for (std::size_t k = start; k < stack.size(); ++k) {
        chain += p_.lets[stack[k].first].name + " -> ";
        let_ok_[stack[k].first] = false;
    }
    chain += p_.lets[back_to].name;
    error("E0207", let_decls_[back_to]->name.span, "let " + quote(p_.lets[back_to].name) + " depends on itself: " + chain);
}

void Checker::check_let(std::uint32_t i) {
    Type t = infer(*p_.lets[i].value);
    if (!let_ok_[i]) t = Type{};
    p_.lets[i].type = t;
}

}  // namespace bia::check
