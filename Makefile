# Thin wrapper around CMake. `make` builds build/ddlgate; `make check` runs
# the whole suite twice (normal and ASan+UBSan); `make demo` shows the main job.
PREFIX ?= /usr/local
DESTDIR ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps test-deps check check-normal check-asan demo install clean bench

all: deps
	@cmake -S . -B build -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS) >/dev/null
	@cmake --build build -j $(JOBS)

deps:
	@scripts/install-deps build --if-missing

test-deps:
	@scripts/install-deps test --if-missing

check: test-deps all check-normal check-asan

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

demo: all
	@scripts/demo

bench: all
	@for b in bench/*; do [ -x "$$b" ] && "$$b"; done; true

install: all
	@DESTDIR=$(DESTDIR) cmake --install build --prefix $(PREFIX)

clean:
	rm -rf build build-asan build-fuzz
