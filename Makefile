# Shortcuts; each is one documented command.
.PHONY: run test docker bench-webhook bench-tag-sync bench-external-hours

run:            ## the connector on its sandboxes, on http://localhost:8080
	dotnet run --project PatrawinConnector.Api

test:           ## every test (installs Debian's chromium when missing); ends with "N passed, M failed, K skipped"
	./test.sh

docker:         ## the container image wisetime/patrawin-connector (needs a Docker engine)
	docker build -f docker/Dockerfile -t wisetime/patrawin-connector .

bench-webhook:  ## webhook posts/s, p50, p99 on the sandbox
	scripts/bench-webhook.sh

bench-tag-sync: ## first tag-sync of 1,000,000 cases against a 20 ms stand-in (BENCH_PATRAWIN=tds: on Babelfish over TDS)
	scripts/bench-tag-sync.sh

bench-external-hours: ## first Kimai to CiviCRM sync of 100,000 entries against 20 ms stand-ins
	scripts/bench-external-hours.sh
