#pragma once
// Reordering a vector of large elements in place (core-internal).
#include <cstddef>
#include <utility>
#include <vector>

namespace opsflow {

// Place i of `items` takes the element at `order[i]` (a permutation of the places),
// each element moved once, cycle by cycle. Sorting the places and then moving the
// elements costs less than sorting elements of hundreds of bytes. `order` is used
// up: a place done points to itself.
template <class T> void permute(std::vector<T>& items, std::vector<std::size_t>& order) {
    for (std::size_t start = 0; start < order.size(); ++start) {
        if (order[start] == start) continue;
        T held = std::move(items[start]);
        std::size_t place = start;
        while (order[place] != start) {
            std::size_t from = order[place];
            items[place] = std::move(items[from]);
            order[place] = place;
            place = from;
        }
        items[place] = std::move(held);
        order[place] = place;
    }
}

} // namespace opsflow
