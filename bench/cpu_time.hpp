// CPU time of the bench process (every thread: the caller's and the transport's I/O thread),
// the unit bench_e2e reports requests and the RSA floor in.
#pragma once

#include <sys/resource.h>

namespace wechatpay::bench {

struct Cpu {
  double user = 0, system = 0;  // seconds
  // Context switches: a thread gave up its CPU (waiting), or was made to.
  long voluntary = 0, involuntary = 0;
  double total() const { return user + system; }
  Cpu operator-(const Cpu& o) const {
    return {user - o.user, system - o.system, voluntary - o.voluntary, involuntary - o.involuntary};
  }
};

inline Cpu cpu_now() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](timeval t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return {seconds(usage.ru_utime), seconds(usage.ru_stime), usage.ru_nvcsw, usage.ru_nivcsw};
}

inline double cpu_seconds() {
  return cpu_now().total();
}

}  // namespace wechatpay::bench
