// The test binaries' main: GoogleTest, with SIGPIPE ignored so a peer closing a socket
// mid-write fails a test instead of killing the binary.
#include <csignal>

#include <gtest/gtest.h>

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
