#pragma once

#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QFuture>
#include <QFutureWatcher>
#include <QObject>
#include <QPromise>

#include <exception>
#include <memory>
#include <optional>
#include <type_traits>

namespace ferry {

// The result of a finished future: rethrows what the work threw, and throws FerryError when
// the future was cancelled without a result (QFuture::result() may not be asked then).
template <typename T>
T resultOf(QFuture<T> future)
{
    future.waitForFinished();   // rethrows the work's exception
    if (future.isCanceled() && future.resultCount() == 0)
        throw FerryError(QCoreApplication::translate("Ferry", "cancelled before it finished (for example, the connection was lost)"));
    if constexpr (!std::is_void_v<T>)
        return future.result();
}

// Calls fn(future) in context's thread once the future has finished (with a result, an
// exception, or cancelled); never if context is destroyed first. fn reads the outcome with
// resultOf(future).
//
// Use this instead of future.then(context, ...): with Qt 6.4 a continuation attached while
// another thread finishes the future can run twice (the second run crashes on a moved-from
// promise), and the futures here are mostly finished by other threads, often within
// microseconds. A QFutureWatcher learns of the end through a queued event, without that race.
template <typename T, typename Fn>
void whenFinished(QObject *context, const QFuture<T> &future, Fn fn)
{
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, fn = std::move(fn)]() mutable {
        watcher->deleteLater();
        fn(watcher->future());
    });
    watcher->setFuture(future);
}

// Calls ok(result) (ok() for a QFuture<void>) or failed(const std::exception &) in context's
// thread once the future has finished; never if context is destroyed first.
template <typename T, typename Ok, typename Failed>
void whenFinished(QObject *context, const QFuture<T> &future, Ok ok, Failed failed)
{
    whenFinished(context, future, [ok = std::move(ok), failed = std::move(failed)](const QFuture<T> &done) mutable {
        if constexpr (std::is_void_v<T>) {
            try {
                resultOf(done);
            } catch (const std::exception &error) {
                failed(error);
                return;
            }
            ok();
        } else {
            std::optional<T> result;
            try {
                result.emplace(resultOf(done));
            } catch (const std::exception &error) {
                failed(error);
                return;
            }
            ok(*result);
        }
    });
}

// Like whenFinished, and returns fn's result (or what it threw) as a future of its own.
// When context is destroyed before the future finishes, the returned future is cancelled.
template <typename T, typename Fn>
auto thenIn(QObject *context, const QFuture<T> &future, Fn fn) -> QFuture<std::invoke_result_t<Fn, QFuture<T>>>
{
    using R = std::invoke_result_t<Fn, QFuture<T>>;
    auto promise = std::make_shared<QPromise<R>>();
    QFuture<R> result = promise->future();
    promise->start();
    whenFinished(context, future, [promise, fn = std::move(fn)](QFuture<T> done) mutable {
        try {
            if constexpr (std::is_void_v<R>) {
                fn(done);
            } else {
                promise->addResult(fn(done));
            }
        } catch (...) {
            promise->setException(std::current_exception());
        }
        promise->finish();
    });
    return result;
}

} // namespace ferry
