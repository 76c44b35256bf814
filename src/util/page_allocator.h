// An allocator that maps each allocation's pages from the system and unmaps them when it is
// freed, or (made with `pages` false) allocates as std::allocator does. For large blocks that
// one thread fills and another frees (the YAML trees a file's parts are parsed into on two
// cores): memory malloc gave a thread stays in that thread's arena when it is freed, where the
// other thread's later allocations cannot reuse it, so the process's peak would hold both. A
// small structure takes malloc's memory instead: a mapping of its own costs two system calls and
// whole pages.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <new>
#include <type_traits>

namespace km::util {

template <class T>
class PageAllocator {
  public:
    using value_type = T;
    using propagate_on_container_copy_assignment = std::true_type;
    using propagate_on_container_move_assignment = std::true_type;
    using propagate_on_container_swap = std::true_type;

    explicit PageAllocator(bool pages = false) noexcept : m_pages(pages) {}
    template <class U>
    PageAllocator(const PageAllocator<U>& other) noexcept  // NOLINT: rebinding, as std::allocator
        : m_pages(other.pages()) {}

    bool pages() const { return m_pages; }

    T* allocate(std::size_t n) {
        if (!m_pages) {
            return static_cast<T*>(::operator new(n * sizeof(T)));
        }
        void* mapped = mmap(nullptr, n * sizeof(T), PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mapped == MAP_FAILED) {
            throw std::bad_alloc();
        }
        return static_cast<T*>(mapped);
    }
    void deallocate(T* p, std::size_t n) noexcept {
        if (!m_pages) {
            ::operator delete(p);
            return;
        }
        munmap(p, n * sizeof(T));
    }

    template <class U>
    friend bool operator==(const PageAllocator& a, const PageAllocator<U>& b) {
        return a.pages() == b.pages();
    }

  private:
    bool m_pages;
};

}  // namespace km::util
