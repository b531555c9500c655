// The program the documentation's snippets are linked into (see test/docs/CMakeLists.txt). The
// snippets are never run: linking proves every function they call exists and is exported.
int main() {
  return 0;
}
