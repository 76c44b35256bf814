// An optional value held on the heap, with the value semantics of std::optional: for large parts
// of a structure that is held many times and seldom has them (a service's Connect options), so
// that each structure without them costs a pointer rather than the part's whole size.
#pragma once

#include <memory>
#include <optional>
#include <utility>

namespace km::util {

template <class T>
class Boxed {
  public:
    Boxed() = default;
    Boxed(T value) : m_value(std::make_unique<T>(std::move(value))) {}  // NOLINT: as optional
    Boxed(const Boxed& other) : m_value(other ? std::make_unique<T>(*other) : nullptr) {}
    Boxed(Boxed&&) noexcept = default;
    Boxed& operator=(const Boxed& other) {
        if (this != &other) {
            m_value = other ? std::make_unique<T>(*other) : nullptr;
        }
        return *this;
    }
    Boxed& operator=(Boxed&&) noexcept = default;
    Boxed& operator=(T value) {
        m_value = std::make_unique<T>(std::move(value));
        return *this;
    }
    Boxed& operator=(std::optional<T> value) {
        m_value = value ? std::make_unique<T>(std::move(*value)) : nullptr;
        return *this;
    }
    ~Boxed() = default;

    bool has_value() const { return m_value != nullptr; }
    explicit operator bool() const { return has_value(); }
    T& operator*() { return *m_value; }
    const T& operator*() const { return *m_value; }
    T* operator->() { return m_value.get(); }
    const T* operator->() const { return m_value.get(); }
    T& emplace() {
        m_value = std::make_unique<T>();
        return *m_value;
    }
    void reset() { m_value.reset(); }

  private:
    std::unique_ptr<T> m_value;
};

}  // namespace km::util
