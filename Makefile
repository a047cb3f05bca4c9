# Thin wrapper around CMake. `make` builds build/ddlgate; `make check` runs
# the whole suite twice (normal and ASan+UBSan); `make test` the fast part
# once; `make demo` shows the main job; `make deb` builds a Debian package.
PREFIX ?= /usr/local
DESTDIR ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps test-deps check check-normal check-asan test demo deb install clean bench

all: deps
	@cmake -S . -B build -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS) >/dev/null
	@cmake --build build -j $(JOBS)

deps:
	@scripts/install-deps build --if-missing

test-deps:
	@scripts/install-deps test --if-missing

check: test-deps all check-normal check-asan

# the fast subset: everything not labelled slow (no oracles, no 50 MB file)
test: test-deps all
	@cd build && ctest --output-on-failure -j $(JOBS) -LE slow

check-normal:
	@echo "== test suite (normal build) =="
	@cd build && ctest --output-on-failure -j $(JOBS)

check-asan: test-deps
	@echo "== test suite (AddressSanitizer + UndefinedBehaviorSanitizer) =="
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DDG_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build build-asan -j $(JOBS)
	@cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

# the build's output only when it fails: the demo is ddlgate's output
demo:
	@scripts/install-deps build --if-missing
	@scripts/quietly "building ddlgate" $(MAKE) --no-print-directory all
	@scripts/demo

deb: all
	@command -v file >/dev/null 2>&1 && command -v dpkg-shlibdeps >/dev/null 2>&1 || \
	  { echo "make deb: needs file and dpkg-shlibdeps (apt-get install file dpkg-dev)" >&2; exit 2; }
	@cd build && cpack -G DEB
	@ls build/ddlgate_*.deb

bench: all
	@for b in bench/*; do [ -x "$$b" ] && "$$b"; done; true

install: all
	@DESTDIR=$(DESTDIR) cmake --install build --prefix $(PREFIX)

clean:
	rm -rf build build-asan build-fuzz
