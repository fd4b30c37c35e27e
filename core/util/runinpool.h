#pragma once

#include <QFuture>
#include <QPromise>
#include <QThreadPool>

#include <exception>
#include <memory>
#include <type_traits>

namespace ferry {

// Runs fn on pool and returns its result as a QFuture. Exceptions thrown by fn are
// stored in the future and rethrown by QFuture::result().
template <typename Fn>
auto runInPool(QThreadPool *pool, Fn fn) -> QFuture<std::invoke_result_t<Fn>>
{
    using R = std::invoke_result_t<Fn>;
    auto promise = std::make_shared<QPromise<R>>();
    QFuture<R> future = promise->future();
    promise->start();
    pool->start([promise, fn = std::move(fn)]() mutable {
        try {
            if constexpr (std::is_void_v<R>) {
                fn();
            } else {
                promise->addResult(fn());
            }
        } catch (...) {
            promise->setException(std::current_exception());
        }
        promise->finish();
    });
    return future;
}

} // namespace ferry
