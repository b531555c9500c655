// The circuit breaker: when it opens, what the probe does, and what it tells the logger.
#include "failover.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace wechatpay::detail {
namespace {

using namespace std::chrono_literals;
using Host = Failover::Host;

struct Probes {
  std::vector<std::function<void(bool)>> pending;
  Failover::Probe probe() {
    return [this](std::function<void(bool)> answered) { pending.push_back(std::move(answered)); };
  }
};

struct Lines {
  std::vector<std::pair<LogLevel, std::string>> lines;
  Logger logger() {
    return [this](LogLevel level, std::string_view line) { lines.emplace_back(level, line); };
  }
};

std::shared_ptr<Failover> make(Probes& probes, Lines& lines, int threshold = 3,
                               std::chrono::milliseconds interval = 20ms) {
  return std::make_shared<Failover>(
      "https://primary/", "https://backup/",
      FailoverConfig{.failure_threshold = threshold, .probe_interval = interval}, lines.logger(),
      probes.probe());
}

TEST(ResilienceBreaker, OpensAfterThresholdConsecutiveTransportFailures) {
  Probes probes;
  Lines lines;
  auto failover = make(probes, lines);
  failover->record(Host::primary, true);
  failover->record(Host::primary, true);
  failover->record(Host::primary, false);  // an answer resets the count
  failover->record(Host::primary, true);
  failover->record(Host::primary, true);
  EXPECT_EQ(failover->state(), FailoverState::closed);
  EXPECT_EQ(failover->first_host(), Host::primary);
  failover->record(Host::backup, true);  // the backup's failures do not count
  failover->record(Host::primary, true);
  EXPECT_EQ(failover->state(), FailoverState::open);
  EXPECT_EQ(failover->first_host(), Host::backup);
  ASSERT_EQ(lines.lines.size(), 1u);
  EXPECT_EQ(lines.lines[0].first, LogLevel::warning);
  EXPECT_THAT(lines.lines[0].second, ::testing::HasSubstr("https://backup/"));
  EXPECT_TRUE(probes.pending.empty());  // not before the probe interval
}

TEST(ResilienceBreaker, AProbeAfterTheIntervalClosesTheCircuitWhenThePrimaryAnswers) {
  Probes probes;
  Lines lines;
  auto failover = make(probes, lines, 1);
  failover->record(Host::primary, true);
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(failover->first_host(), Host::backup);  // this request still goes to the backup
  EXPECT_EQ(failover->state(), FailoverState::half_open);
  ASSERT_EQ(probes.pending.size(), 1u);
  EXPECT_EQ(failover->first_host(), Host::backup);
  EXPECT_EQ(probes.pending.size(), 1u) << "one probe at a time";

  probes.pending[0](false);  // still down: open again, next probe after another interval
  EXPECT_EQ(failover->state(), FailoverState::open);
  EXPECT_EQ(failover->first_host(), Host::backup);
  EXPECT_EQ(probes.pending.size(), 1u);
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(failover->first_host(), Host::backup);
  ASSERT_EQ(probes.pending.size(), 2u);
  probes.pending[1](true);
  EXPECT_EQ(failover->state(), FailoverState::closed);
  EXPECT_EQ(failover->first_host(), Host::primary);
  EXPECT_THAT(lines.lines.back().second, ::testing::HasSubstr("answered the probe"));
}

TEST(ResilienceBreaker, MovesOnlyRequestsOnThePrimary) {
  Probes probes;
  Lines lines;
  auto failover = make(probes, lines);
  Request request;
  request.url = "https://primary/v3/certificates?x=1";
  EXPECT_TRUE(failover->covers(request.url));
  Request moved = failover->on(Host::backup, request);
  EXPECT_EQ(moved.url, "https://backup/v3/certificates?x=1");
  ASSERT_TRUE(moved.options);
  EXPECT_EQ(moved.options->base_uri, "https://backup/");
  EXPECT_EQ(failover->on(Host::primary, request).url, request.url);
  request.url = "https://elsewhere/v3/certificates";
  EXPECT_FALSE(failover->covers(request.url));
  EXPECT_EQ(failover->on(Host::backup, request).url, request.url);
}

}  // namespace
}  // namespace wechatpay::detail
