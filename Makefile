# PAPI Dialogue — the same commands for a newcomer, a developer and CI.
GO          ?= go
ADDR        ?= 127.0.0.1:8080
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: run build frontend test test-go test-frontend lint bench clean

## run: build the web app and the binary, load the demo and serve it on the embedded database
run: build
	./bin/papi seed --demo
	@echo "Open http://$(ADDR) and sign in with a demo login above."
	PAPI_ADDR=$(ADDR) ./bin/papi serve

## build: the papi binary with the web app embedded
build: frontend
	$(GO) build -o bin/papi ./cmd/papi

## frontend: build the SPA into frontend/dist/app (go build works without it, with a placeholder page)
frontend:
	@if [ -f frontend/package.json ]; then \
		cd frontend && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build; \
	fi

## test: Go tests (SQLite; PostgreSQL too when PAPI_TEST_DATABASE_URL is set), then the web app's tests
test: test-go test-frontend

test-go:
	$(GO) test -count=1 ./...

test-frontend:
	@if [ -f frontend/package.json ]; then \
		cd frontend && npm ci --no-audit --no-fund && npm test && npm run build && cd .. && \
		$(GO) build -o bin/papi ./cmd/papi && cd frontend && npm run e2e; \
	fi

## lint: go vet, gofmt and staticcheck
lint:
	$(GO) vet ./...
	@out=$$(gofmt -l cmd api models migrations frontend/*.go); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) run $(STATICCHECK) ./...

## bench: the Go benchmarks on PostgreSQL (see docs/PERFORMANCE.md)
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin data frontend/dist/app
