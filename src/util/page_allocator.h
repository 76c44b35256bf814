// An allocator that maps each allocation's pages from the system and unmaps them when it is
// freed. For large blocks that one thread fills and another frees (the YAML trees a file's parts
// are parsed into on two cores): memory malloc gave a thread stays in that thread's arena when it
// is freed, where the other thread's later allocations cannot reuse it, so the process's peak
// would hold both.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <new>

namespace km::util {

template <class T>
struct PageAllocator {
    using value_type = T;

    PageAllocator() = default;
    template <class U>
    PageAllocator(const PageAllocator<U>&) noexcept {}  // NOLINT: rebinding, as std::allocator

    T* allocate(std::size_t n) {
        void* pages = mmap(nullptr, n * sizeof(T), PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (pages == MAP_FAILED) {
            throw std::bad_alloc();
        }
        return static_cast<T*>(pages);
    }
    void deallocate(T* p, std::size_t n) noexcept { munmap(p, n * sizeof(T)); }

    template <class U>
    friend bool operator==(const PageAllocator&, const PageAllocator<U>&) {
        return true;
    }
};

}  // namespace km::util
