# osactor: one non-recursive GNU Makefile.
#   make            build build/osactor and build/osactor-shim
#   make run        run examples/echo-service in this terminal
#   make test       every test; ends with "N passed, N failed"
#   make memcheck   the conformance apps under valgrind, shims and supervisor
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
LIBEXECDIR	?= $(PREFIX)/libexec/osactor
MANDIR		?= $(PREFIX)/share/man
B		:= build

PKGS		:= lua5.4 yaml-0.1 libbsd-overlay
WERROR		?= -Werror
OPT		?= -O2 -g
CFLAGS		?= $(OPT)
WARN		:= -Wall -Wextra $(WERROR) -Wstrict-prototypes -Wmissing-prototypes \
		   -Wshadow -Wcast-qual -Wsign-compare -Wundef -Wwrite-strings \
		   -Wno-unused-parameter
ALL_CFLAGS	 = -std=c17 -D_GNU_SOURCE $(WARN) -Iinclude -Isupervisor \
		   -Iworker-shim $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
		   -DOSACTOR_VERSION='"$(VERSION)"' \
		   -DOSACTOR_SHIM_PATH='"$(LIBEXECDIR)/osactor-shim"' \
		   $(SANFLAGS) $(CFLAGS) -MMD -MP
LDLIBS		 = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
SHIM_LDLIBS	 = $(shell pkg-config --libs lua5.4 libbsd-overlay 2>/dev/null) -lm
VERSION		:= 0.1.0

# make fuzz builds apart, with clang and libFuzzer's coverage.
ifeq ($(FUZZ),1)
CC		:= clang
SANFLAGS	:= -fsanitize=fuzzer-no-link,address,undefined \
		   -fno-sanitize-recover=all -fno-omit-frame-pointer
endif

ifeq ($(SANITIZE),1)
SANFLAGS	:= -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer
endif

SHARED_SRCS	:= supervisor/frame.c supervisor/ev.c supervisor/log.c \
		   supervisor/pid.c supervisor/duration.c supervisor/utf8.c \
		   supervisor/xmalloc.c supervisor/child.c worker-shim/typestrip.c \
		   worker-shim/mod_json.c worker-shim/mod_errors.c \
		   worker-shim/seccomp.c
SUP_SRCS	:= $(filter-out $(SHARED_SRCS),$(wildcard supervisor/*.c))
SHIM_SRCS	:= $(filter-out $(SHARED_SRCS),$(wildcard worker-shim/*.c))
UNIT_SRCS	:= $(wildcard tests/unit/*_test.c)
TESTBIN_SRCS	:= $(wildcard tests/bin/*.c)

SHARED_OBJS	:= $(SHARED_SRCS:%.c=$(B)/%.o)
SUP_OBJS	:= $(SUP_SRCS:%.c=$(B)/%.o)
SHIM_OBJS	:= $(SHIM_SRCS:%.c=$(B)/%.o)
UNIT_BINS	:= $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
TESTBINS	:= $(TESTBIN_SRCS:tests/bin/%.c=$(B)/tests/bin/%)

.PHONY: all run test memcheck bench bench-bins deps install uninstall clean \
	lint-man fuzz fuzz-bins FORCE
all: $(B)/osactor $(B)/osactor-shim $(UNIT_BINS) $(TESTBINS)

deps:
	@sh .ci/deps

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# main.c has the shim's path compiled in: this stamp holds it and changes
# only when LIBEXECDIR does, so `make install LIBEXECDIR=...` after a
# plain `make` rebuilds main.o instead of installing a stale path.
SHIM_STAMP	:= $(B)/shim-path.stamp
$(SHIM_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(LIBEXECDIR)/osactor-shim' | cmp -s - $@ || \
	    echo '$(LIBEXECDIR)/osactor-shim' >$@
$(B)/supervisor/main.o: $(SHIM_STAMP)
FORCE:

# Archives without main(), so unit tests link what they use.
$(B)/libsup.a: $(filter-out $(B)/supervisor/main.o,$(SUP_OBJS))
	$(AR) rcs $@ $^
$(B)/libshim.a: $(filter-out $(B)/worker-shim/main.o,$(SHIM_OBJS))
	$(AR) rcs $@ $^
$(B)/libcommon.a: $(SHARED_OBJS)
	$(AR) rcs $@ $^

$(B)/osactor: $(B)/supervisor/main.o $(B)/libsup.a $(B)/libcommon.a
	$(CC) $(SANFLAGS) -o $@ $^ $(LDLIBS)
$(B)/osactor-shim: $(B)/worker-shim/main.o $(B)/libshim.a $(B)/libcommon.a
	$(CC) $(SANFLAGS) -Wl,-z,now -o $@ $^ $(SHIM_LDLIBS)
$(B)/tests/%: $(B)/tests/unit/%.o $(B)/libshim.a $(B)/libsup.a $(B)/libcommon.a
	@mkdir -p $(@D)
	$(CC) $(SANFLAGS) -o $@ $^ $(LDLIBS)

# Helper programs the tests run (a protocol-breaking shim, ...).
$(B)/tests/bin/%: $(B)/tests/bin/%.o $(B)/libcommon.a
	$(CC) $(SANFLAGS) -o $@ $^ $(SHIM_LDLIBS)

run: deps
	@$(MAKE) --no-print-directory all
	cd examples/echo-service/src && \
	    ../../../$(B)/osactor run -W ../../../$(B)/osactor-shim \
	    -x app:terminal/app:cli

test: deps
	@$(MAKE) --no-print-directory all
	@B=$(B) SANITIZE=$(SANITIZE) bash tests/run

# Valgrind's memcheck over tests/apps/: every shim and the supervisor.
memcheck:
	@sh .ci/deps memcheck
	@$(MAKE) --no-print-directory all
	@B=$(B) bash tests/memcheck

MANPAGES	:= $(wildcard man/*.[1-8])

# Lower bounds for make bench: small C programs, built like the rest.
BENCH_BINS	:= $(patsubst tests/bench/%.c,$(B)/bench/%,$(wildcard tests/bench/*.c))
$(B)/bench/%: tests/bench/%.c
	@mkdir -p $(@D)
	$(CC) -std=c17 -D_GNU_SOURCE -O2 -Wall -Wextra $(WERROR) -o $@ $<
# This one holds a Lua state and installs the actors' seccomp filter.
$(B)/bench/raw_spawn_lua: tests/bench/raw_spawn_lua.c $(B)/libcommon.a
	@mkdir -p $(@D)
	$(CC) -std=c17 -D_GNU_SOURCE -O2 -Wall -Wextra $(WERROR) \
	    -Iworker-shim $(shell pkg-config --cflags lua5.4 2>/dev/null) \
	    -o $@ $< $(B)/libcommon.a $(SHIM_LDLIBS)

# make bench measures a tree of its own, optimised and without
# sanitizers whatever the main one was built with; bench.json stays in $(B).
BENCH_B		:= $(B)/opt
bench: deps
	@$(MAKE) --no-print-directory B=$(BENCH_B) SANITIZE= CFLAGS='-O2 -g' \
	    bench-bins
	@B=$(B) BIN=$(BENCH_B) bash tests/bench/run

bench-bins: $(B)/osactor $(B)/osactor-shim $(BENCH_BINS)

# Fuzz targets (libFuzzer): make fuzz [FUZZ_SECONDS=N], each for N s.
FUZZ_BINS	:= $(patsubst tests/fuzz/%.c,build/fuzz/fuzz/%,\
		   $(wildcard tests/fuzz/*_fuzz.c))
FUZZ_SECONDS	?= 60
build/fuzz/fuzz/%: build/fuzz/tests/fuzz/%.o build/fuzz/libshim.a \
    build/fuzz/libsup.a build/fuzz/libcommon.a
	@mkdir -p $(@D)
	$(CC) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LDLIBS)

fuzz-bins: $(FUZZ_BINS)

fuzz:
	@sh .ci/deps fuzz
	@$(MAKE) --no-print-directory B=build/fuzz FUZZ=1 fuzz-bins
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR)
	install -m 755 $(B)/osactor $(DESTDIR)$(BINDIR)/osactor
	install -m 755 $(B)/osactor-shim $(DESTDIR)$(LIBEXECDIR)/osactor-shim
	for m in $(MANPAGES); do \
		s=$${m##*.}; install -d $(DESTDIR)$(MANDIR)/man$$s && \
		install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/ || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/osactor \
	    $(DESTDIR)$(LIBEXECDIR)/osactor-shim
	for m in $(MANPAGES); do \
		rm -f $(DESTDIR)$(MANDIR)/man$${m##*.}/$${m#man/}; done
	-rmdir $(DESTDIR)$(LIBEXECDIR)

lint-man:
	mandoc -Tlint -Wwarning man/*.[0-9]

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
