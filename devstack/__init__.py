"""Running the whole system on one machine: `make run`, the integration tests and the benchmark."""
