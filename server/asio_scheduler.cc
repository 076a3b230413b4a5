#include "server/asio_scheduler.h"

#include <chrono>
#include <memory>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace dynemu::server {

void AsioScheduler::RunAfter(int64_t delay_ms, std::function<void()> fn) {
  if (delay_ms <= 0) {
    boost::asio::post(ioc_, std::move(fn));
    return;
  }
  // The timer owns itself through its handler, and is freed when it has fired.
  auto timer =
      std::make_shared<boost::asio::steady_timer>(ioc_, std::chrono::milliseconds(delay_ms));
  timer->async_wait([timer, fn = std::move(fn)](const boost::system::error_code&) {
    // Nothing cancels these timers, so an error is impossible; the call must
    // happen regardless, since the request it belongs to waits for it.
    fn();
  });
}

}  // namespace dynemu::server
