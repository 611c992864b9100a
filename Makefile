# PAPI Dialogue — the same commands for a newcomer, a developer and CI.
GO          ?= go
ADDR        ?= 127.0.0.1:8080
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOVULNCHECK ?= golang.org/x/vuln/cmd/govulncheck@v1.9.0
# The Go vulnerability database, fetched as a Go module; make vulndb filters it into tools/vulncheck/db.
VULNDB      ?= golang.org/x/vulndb@v0.0.0-20261105234957-e22db6528018
# Build with the toolchain go.mod names (a patched Go release), downloaded through the module
# proxy when the installed Go is older; a machine whose go env says GOTOOLCHAIN=local would not.
export GOTOOLCHAIN ?= auto

.PHONY: run build frontend npm-deps check-port test test-go test-frontend lint vulncheck vulndb bench perf-table clean

## run: build the web app and the binary, load the demo and serve it on the embedded database
run: check-port build
	./bin/papi seed --demo
	@echo "Open http://$(ADDR) and sign in with a demo login above."
	PAPI_ADDR=$(ADDR) ./bin/papi serve

## build: the papi binary with the web app embedded
build: frontend
	$(GO) build -o bin/papi ./cmd/papi

## check-port: fail early, before building, when something already listens on ADDR
check-port:
	@addr="$(ADDR)"; host=$${addr%:*}; port=$${addr##*:}; host=$${host:-127.0.0.1}; [ "$$host" = 0.0.0.0 ] && host=127.0.0.1; \
	if bash -c "exec 3<>/dev/tcp/$$host/$$port" 2>/dev/null; then \
		echo "Something already listens on $(ADDR); stop it, or run: make run ADDR=127.0.0.1:8081"; exit 1; \
	fi

## frontend: build the SPA into frontend/dist/app (go build works without it, with a placeholder page)
frontend: npm-deps
	@if [ -f frontend/package.json ]; then cd frontend && npm run build; fi

# npm-deps: npm ci, only when package.json or package-lock.json changed since the last one (the
# stamp holds their checksum; npm ci empties node_modules, stamp included, before installing).
NPM_STAMP := frontend/node_modules/.papi-lock-sum
npm-deps:
	@if [ -f frontend/package.json ]; then \
		sum=$$(cat frontend/package.json frontend/package-lock.json | sha256sum | cut -d' ' -f1); \
		if [ "$$(cat $(NPM_STAMP) 2>/dev/null)" != "$$sum" ]; then \
			(cd frontend && npm ci --no-audit --no-fund) && echo "$$sum" > $(NPM_STAMP); \
		else echo "npm ci skipped: package-lock.json unchanged since the last install"; fi; \
	fi

## test: Go tests (SQLite; PostgreSQL too when PAPI_TEST_DATABASE_URL is set), then the web app's tests
test: test-go test-frontend

test-go:
	$(GO) test -count=1 ./...

test-frontend: npm-deps
	@if [ -f frontend/package.json ]; then \
		cd frontend && npm test && npm run build && cd .. && \
		$(GO) build -o bin/papi ./cmd/papi && cd frontend && npm run e2e; \
	fi

## lint: go vet, gofmt, staticcheck and govulncheck (offline, against the pinned database)
lint: vulncheck
	$(GO) vet ./...
	@out=$$(gofmt -l cmd api models migrations seed tools frontend/*.go); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) run $(STATICCHECK) ./...

## vulncheck: govulncheck against tools/vulncheck/db; fails on a called vulnerability not accepted
## in tools/vulncheck/accepted.txt (docs/SECURITY.md says why each one is)
vulncheck:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(GO) list -m -f '{{.Path}}' all > "$$tmp/modules" && \
	$(GO) run $(GOVULNCHECK) -db "file://$(CURDIR)/tools/vulncheck/db" -format json ./... > "$$tmp/findings.json" && \
	$(GO) run ./tools/vulncheck check -db tools/vulncheck/db -modules "$$tmp/modules" -accepted tools/vulncheck/accepted.txt < "$$tmp/findings.json"

## vulndb: refresh the pinned vulnerability database from $(VULNDB) (needs the module proxy)
vulndb:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	dir=$$(cd "$$tmp" && $(GO) mod download -json $(VULNDB) | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$$/\1/p') && \
	[ -d "$$dir/data/osv" ] || { echo "vulndb: no data/osv in $(VULNDB)"; exit 1; }; \
	$(GO) list -m -f '{{.Path}}' all > "$$tmp/modules" && \
	$(GO) run ./tools/vulncheck build -from "$$dir/data/osv" -modules "$$tmp/modules" -out tools/vulncheck/db

## bench: the Go benchmarks on PostgreSQL (see docs/PERFORMANCE.md); needs PAPI_BENCH_DATABASE_URL
bench:
	@if [ -z "$$PAPI_BENCH_DATABASE_URL" ]; then \
		echo "make bench needs PAPI_BENCH_DATABASE_URL: a PostgreSQL database loaded with the synthetic data set, e.g."; \
		echo "  createdb papi_bench"; \
		echo "  PAPI_DATABASE_URL=postgres://postgres@127.0.0.1:5432/papi_bench?sslmode=disable ./bin/papi seed --synthetic --communes 3300"; \
		echo "  PAPI_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/papi_bench?sslmode=disable make bench"; \
		echo "(docs/PERFORMANCE.md tells the sizes measured and how long loading takes)"; \
		exit 2; \
	fi
	$(GO) test -run '^$$' -bench . -benchmem ./...

## perf-table: each request of docs/PERFORMANCE.md's speed table through papi (wrk) against its own
## logged statements (pgbench), on PostgreSQL; seeds the synthetic million into PERF_DATABASE_URL
## (default papi_perf on 127.0.0.1) when it is empty. Needs wrk, pgbench, psql and the server's log.
perf-table:
	$(GO) build -o bin/papi ./cmd/papi
	scripts/perf-table.py

clean:
	rm -rf bin data frontend/dist/app
